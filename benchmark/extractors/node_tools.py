"""npm extractors run under Node.js as long-lived JSON-lines processes: Defuddle, @postlight/parser, @extractus.

Each lives in ``tools/<folder>/`` of the checkout: a ``package.json`` with
exact versions, a committed ``package-lock.json`` and a server script that
speaks the JSON-lines protocol of external.py through
``tools/node_common/jsonl_server.js`` (network refused before any library
loads, console output kept off the replies). One command sets each up::

    npm --prefix <checkout>/tools/<folder> ci --ignore-scripts

(``$BOILERBENCH_NODE_TOOLS_DIR`` points at another copy of ``tools/``.) The
recorded version names the tool's package and the packages that change its
output, read from their installed package.json files without starting
Node.js; the options hold the sha256 of the server and the shared protocol
script, so an edit to either changes the cache key. Readability.js
(readability_js.py) predates this module and keeps its own.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from benchmark.extractors.readability_js import package_version
from benchmark.records import ExtractorSpec, PageInput

DIR_ENV = "BOILERBENCH_NODE_TOOLS_DIR"
COMMON = "node_common/jsonl_server.js"


@dataclass(frozen=True)
class NodeTool:
    """One npm extractor: its folder under tools/, its server script and the packages its version names."""

    name: str  # the registry name
    folder: str
    server: str
    packages: tuple[str, ...]  # the first is the tool itself; the others join the version as +name.version
    output: str  # "text" | "markdown" | "html"
    description: str

    def root(self) -> Path:
        configured = os.environ.get(DIR_ENV)
        tools = Path(configured) if configured else Path(__file__).resolve().parents[2] / "tools"
        return tools / self.folder

    def setup_command(self) -> str:
        return f"npm --prefix {self.root()} ci --ignore-scripts"

    def versions(self) -> dict[str, str] | None:
        """{package: version} as installed, None when Node.js, the server or a package is missing."""
        root = self.root()
        if shutil.which("node") is None or not (root / self.server).is_file():
            return None
        found = {package: package_version(root, package) for package in self.packages}
        return None if any(v is None for v in found.values()) else found  # type: ignore[return-value]

    def version(self) -> str | None:
        """"0.19.4+linkedom.0.18.15+turndown.7.2.0"; None when not set up."""
        found = self.versions()
        if found is None:
            return None
        main, *others = self.packages
        return found[main] + "".join(f"+{package.rsplit('/', 1)[-1]}.{found[package]}" for package in others)

    def digests(self) -> dict[str, str | None]:
        """sha256 of the server script and the shared protocol script."""
        root = self.root()
        return {self.server: _sha256(root / self.server), COMMON: _sha256(root.parent / COMMON)}

    def install_hint(self) -> str:
        if not (self.root() / "package.json").is_file():
            return (f"needs tools/{self.folder}/ of a boilerbench checkout (not found at {self.root()}): set "
                    f"{DIR_ENV} to that checkout's tools folder, then run npm ci there (Node.js >= 20)")
        return f"{self.setup_command()}  (Node.js >= 20 and npm)"

    def spec(self) -> ExtractorSpec:
        return ExtractorSpec(
            name=self.name, target="benchmark.extractors.node_tools:extract", kind="external", input="text",
            distribution=self.packages[0],
            options={"tool": self.name, "server": f"tools/{self.folder}/{self.server}", "sha256": self.digests(),
                     "protocol": "jsonl-v1", "mode": "jsonl", "network": "deny"},
            modules=(), install=self.install_hint(), description=self.description, output=self.output)


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


TOOLS = (
    NodeTool(name="defuddle", folder="defuddle", server="defuddle_server.js",
             packages=("defuddle", "linkedom", "turndown"), output="markdown",
             description="Defuddle 0.19 on linkedom (Node.js): its Markdown (markdown=true), useAsync=false "
                         "so no third-party API is asked; one long-lived JSON-lines process"),
    NodeTool(name="postlight-parser", folder="postlight_parser", server="postlight_server.js",
             packages=("@postlight/parser", "cheerio"), output="html",
             description="@postlight/parser (Mercury) 2.2 on the saved HTML (Node.js): content HTML, "
                         "fetchAllPages=false; one long-lived JSON-lines process"),
    NodeTool(name="extractus-article", folder="extractus_article", server="extractus_server.js",
             packages=("@extractus/article-extractor", "@mozilla/readability", "linkedom"), output="html",
             description="@extractus/article-extractor 9 extractFromHtml (Node.js, linkedom + Readability): "
                         "content HTML, never fetches; one long-lived JSON-lines process"),
)


def find_tool(name: str) -> NodeTool:
    for candidate in TOOLS:
        if candidate.name == name:
            return candidate
    raise KeyError(f"no npm tool named {name!r}")


def specs() -> list[ExtractorSpec]:
    """The npm tools' registrations, listed whether set up or not."""
    return [candidate.spec() for candidate in TOOLS]


def installed_version(name: str) -> str | None:
    """The registry's probe: the tool's recorded version, None when it is not set up."""
    return find_tool(name).version()


def extract(page: PageInput, *, tool: str, server: str, sha256: object = None, protocol: str = "jsonl-v1",
            mode: str = "jsonl", network: str = "deny") -> str:
    """Send the page to this worker's server for the tool (started on first use)."""
    from benchmark.extractors.external import run_jsonl_request

    if protocol != "jsonl-v1" or mode != "jsonl":
        raise ValueError("npm tools speak protocol jsonl-v1 in mode jsonl only")
    node = shutil.which("node")
    if node is None:
        raise FileNotFoundError("node is not on PATH: install Node.js >= 20")
    root = find_tool(tool).root()
    return run_jsonl_request([node, str(root / Path(server).name)], page, {}, network=network, cwd=str(root))
