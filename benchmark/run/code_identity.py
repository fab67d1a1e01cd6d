"""What code an extractor's result depends on, found in the harness without importing the extractor.

A cached pair may be replayed only while the code that made it is the same.
The version string alone does not say that: a maintainer who installs their
extractor editable (``pip install -e ../trafilatura``) changes its code and
keeps its version, and upgrading lxml changes newspaper3k's output under the
same newspaper3k version. So each spec's identity holds:

- ``adapter``: sha256 of the adapter's module and of every module of the same
  top-level package it imports (read with `ast`, not imported), plus the
  worker's own modules for harness adapters; for a ``pkg.mod:func`` plugin,
  the plugin's module and its package-internal imports too;
- ``distribution``: for an installed distribution, sha256 of its RECORD (which
  lists the sha256 of every installed file); for an editable install, its
  source tree: the git commit plus a hash of the uncommitted diff and of
  untracked files where the tree is a git checkout, else the content of every
  source file;
- ``dependencies``: the versions of every distribution it requires,
  transitively (lxml among them for most extractors), of libxml2 and libxslt
  when lxml is one of them, and of Python itself.

`CodeIdentity.digest` folds them into the cache key; run.json records them.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping
from urllib.parse import unquote, urlparse

from benchmark.records import CodeIdentity, ExtractorSpec

#: the harness's own distribution: its adapters are keyed by `adapter`, not by every file of the harness
HARNESS_DISTRIBUTION = "boilerbench"
#: modules every harness-run extractor goes through (decoding the page, the call, its environment)
WORKER_MODULE = "benchmark.run.worker"
#: folders of a source tree that are never the extractor's code
_SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__", ".venv", "venv", "env", "node_modules", "build",
                           "dist", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".eggs"})
_SKIPPED_SUFFIXES = (".pyc", ".pyo", ".egg-info")
#: seconds a git query may take before the tree is hashed file by file instead
_GIT_SECONDS = 10.0
_EXTRA_MARKER = re.compile(r"""\bextra\s*==""")
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_IMPORT_LINE = re.compile(r"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]+)"
                          r"|import[ \t]+([^\n#;]+))", re.MULTILINE)
_DOTTED = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$")


def module_source(module: str) -> Path | None:
    """The .py file of a module, found through its top-level package's spec: nothing is imported."""
    from importlib.util import find_spec

    parts = module.split(".")
    try:
        top = find_spec(parts[0])  # a top-level find_spec imports nothing
    except (ImportError, ValueError):
        return None
    if top is None:
        return None
    if len(parts) == 1:
        return Path(top.origin) if top.origin and top.origin.endswith(".py") else None
    locations = [Path(p) for p in (top.submodule_search_locations or [])]
    for part in parts[1:-1]:
        locations = [loc / part for loc in locations if (loc / part).is_dir()]
    for loc in locations:
        for candidate in (loc / f"{parts[-1]}.py", loc / parts[-1] / "__init__.py"):
            if candidate.is_file():
                return candidate
    return None


# --------------------------------------------------------------------------- the adapter's own modules


def _imported_modules(source: Path, module: str) -> tuple[str, ...]:
    """Modules a source file imports anywhere (lazy imports inside functions included), absolute names."""
    try:
        info = source.stat()
    except OSError:
        return ()
    return _parsed_imports(str(source), module, info.st_mtime_ns, info.st_size)


@functools.lru_cache(maxsize=512)
def _parsed_imports(path: str, module: str, mtime_ns: int, size: int) -> tuple[str, ...]:
    """`_imported_modules` memoised on the file's stat: specs sharing modules parse them once."""
    return tuple(_walk_imports(Path(path), module))


def _walk_imports(source: Path, module: str) -> Iterator[str]:
    """Every `import a.b` and `from x import y` line, lazy ones inside functions too, resolved to absolute names.

    A line scan, not an `ast` parse (ten times faster, and a run digests a
    dozen modules at start-up): an import-looking line in a docstring only
    adds a file to the digest, which can never make a cache stale.
    """
    try:
        text = source.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return
    package = module if source.name == "__init__.py" else module.rpartition(".")[0]
    for match in _IMPORT_LINE.finditer(text):
        relative, names, plain = match.group(1), match.group(2), match.group(3)
        if plain is not None:
            for item in plain.split(","):
                name = item.split()[0] if item.split() else ""
                if _DOTTED.match(name):
                    yield name
            continue
        level = len(relative) - len(relative.lstrip("."))
        base = relative.lstrip(".")
        if level:
            parts = package.split(".")
            parts = parts[:len(parts) - level + 1] if level > 1 else parts
            base = ".".join(p for p in [*parts, base] if p)
        if not base or not _DOTTED.match(base):
            continue
        yield base
        for item in names.strip("()").replace("\\", " ").split(","):  # `from pkg import submodule`
            name = item.split()[0] if item.split() else ""
            if name and name != "*" and name.isidentifier():
                yield f"{base}.{name}"


def module_closure(modules: Iterable[str], within: tuple[str, ...] | None = None) -> list[Path]:
    """The source files of these modules and of every module of their own top-level packages they import
    (or only of modules under the `within` prefixes)."""
    found: dict[str, Path] = {}
    pending = list(modules)
    tops = set(within) if within else {name.split(".")[0] for name in pending}
    while pending:
        name = pending.pop()
        if name in found:
            continue
        source = module_source(name)
        if source is None:
            continue
        found[name] = source
        pending.extend(m for m in _imported_modules(source, name)
                       if m not in found and any(m == top or m.startswith(top + ".") for top in tops))
    return [found[name] for name in sorted(found)]


@functools.lru_cache(maxsize=256)
def _file_digest(path: str, mtime_ns: int, size: int) -> str:
    """sha256 of one file (memoised on its stat, so specs sharing modules read them once)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files_digest(paths: Iterable[Path]) -> str:
    """sha256 over file names and contents; "" when none could be read."""
    digest = hashlib.sha256()
    found = False
    for path in paths:
        try:
            info = path.stat()
            digest.update(f"{path.name}\0{_file_digest(str(path), info.st_mtime_ns, info.st_size)}\n".encode())
        except OSError:
            continue
        found = True
    return digest.hexdigest() if found else ""


def _target_modules(spec: ExtractorSpec) -> list[str]:
    targets = [spec.target]
    plugin = spec.options.get("target")
    if isinstance(plugin, str) and ":" in plugin:
        targets.append(plugin)
    return [target.split(":", 1)[0] for target in targets]


def code_digest(spec: ExtractorSpec) -> str:
    """sha256 of the adapter's module and its package-internal imports (a plugin's too); "" if none is found."""
    modules = _target_modules(spec)
    if any(module.startswith("benchmark.") for module in modules):
        modules.append(WORKER_MODULE)
    return _files_digest(module_closure(modules))


# --------------------------------------------------------------------------- the installed distribution


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@functools.lru_cache(maxsize=1)
def _distributions() -> dict[str, Any]:
    """Every installed distribution by canonical name, from one scan of sys.path (first found wins)."""
    from importlib.metadata import distributions

    index: dict[str, Any] = {}
    for dist in distributions():
        # the folder name says it without parsing METADATA (a tenth of a second for a few hundred)
        name = getattr(dist, "_normalized_name", None) or (dist.metadata["Name"] if dist.metadata else None)
        if name and _canonical(name) not in index:
            index[_canonical(name)] = dist
    return index


def _version(dist: Any) -> str:
    """A distribution's version, from its .dist-info folder name where it has one (no METADATA parse)."""
    location = getattr(dist, "_path", None)
    if location is not None and str(location).endswith(".dist-info"):
        stem = Path(location).name[:-len(".dist-info")]
        if "-" in stem:
            return stem.split("-", 1)[1]
    return dist.version


def _editable_root(dist: Any) -> Path | None:
    """The source folder of an editable install (PEP 660 direct_url.json, or a legacy develop egg-info)."""
    try:
        direct = dist.read_text("direct_url.json")
    except OSError:
        direct = None
    if direct:
        try:
            info = json.loads(direct)
        except ValueError:
            info = {}
        url = info.get("url", "")
        if (info.get("dir_info") or {}).get("editable") and url.startswith("file:"):
            return Path(unquote(urlparse(url).path))
        return None
    location = getattr(dist, "_path", None)  # `setup.py develop`: the egg-info sits in the source tree
    if location is not None and str(location).endswith(".egg-info") and not _has(dist, "RECORD"):
        parent = Path(location).parent
        if "site-packages" not in parent.parts and "dist-packages" not in parent.parts:
            return parent
    return None


def _has(dist: Any, name: str) -> bool:
    try:
        return dist.read_text(name) is not None
    except OSError:
        return False


def _git(root: Path, *args: str) -> bytes | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=_GIT_SECONDS,
                              stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _tree_files(root: Path) -> Iterator[Path]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS and not d.endswith(_SKIPPED_SUFFIXES))
        for name in sorted(files):
            if not name.endswith(_SKIPPED_SUFFIXES):
                yield Path(folder, name)


def source_tree_digest(root: Path) -> tuple[str, str]:
    """(digest, description) of a live source tree: git commit + uncommitted diff + untracked files, or its files."""
    commit = _git(root, "rev-parse", "HEAD")
    if commit is not None:
        diff = _git(root, "diff", "HEAD", "--binary", "--", ".")
        untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", ".")
        if diff is not None and untracked is not None:
            names = [name for name in untracked.decode("utf-8", "surrogateescape").split("\0") if name]
            extra = _files_digest(sorted(root / name for name in names))  # ls-files names them relative to root
            digest = hashlib.sha256(commit + b"\0" + diff + b"\0" + extra.encode()).hexdigest()
            state = "clean" if not diff and not names else "uncommitted changes"
            return f"git:{digest}", f"editable {root} (git {commit.decode().strip()[:12]}, {state})"
    digest, count = tree_digest(root)
    return f"tree:{digest}", f"editable {root} ({count} files hashed)"


def tree_digest(root: Path) -> tuple[str, int]:
    """sha256 over every file under root (relative name and content; caches and bytecode skipped), and how many."""
    files = list(_tree_files(root))
    digest = hashlib.sha256()
    for path in files:
        try:
            info = path.stat()
            relative = path.relative_to(root).as_posix()
            digest.update(f"{relative}\0{_file_digest(str(path), info.st_mtime_ns, info.st_size)}\n".encode())
        except OSError:
            continue
    return digest.hexdigest(), len(files)


def distribution_digest(name: str | None) -> tuple[str, str]:
    """(digest, description) of what a distribution installed: RECORD, or an editable install's source tree."""
    if not name:
        return "", "local code (no distribution)"
    dist = _distributions().get(_canonical(name))
    if dist is None:
        return "", f"{name} not installed"
    root = _editable_root(dist)
    if root is not None and root.is_dir():
        return source_tree_digest(root)
    for listing in ("RECORD", "installed-files.txt", "SOURCES.txt"):
        try:
            text = dist.read_text(listing)
        except OSError:
            text = None
        if text:
            return f"record:{hashlib.sha256(text.encode('utf-8')).hexdigest()}", f"installed ({listing})"
    return "", "installed (no file list)"


# --------------------------------------------------------------------------- what it imports from


def _requirements(dist: Any) -> Iterator[str]:
    """Names of the distributions `dist` requires unconditionally (extras left out)."""
    for requirement in dist.requires or ():
        name, _, marker = requirement.partition(";")
        if marker and _EXTRA_MARKER.search(marker):
            continue
        match = _NAME.match(name)
        if match:
            yield match.group(1)


def dependency_versions(name: str | None, *, include_self: bool = False) -> dict[str, str]:
    """Installed versions of everything `name` requires, transitively (and of `name` itself with include_self);
    libxml2/libxslt when lxml is among them; Python's."""
    index = _distributions()
    versions: dict[str, str] = {}
    root = index.get(_canonical(name)) if name else None
    pending = list(_requirements(root)) if root is not None else []
    if include_self and root is not None:
        pending.append(name)
    while pending:
        canonical = _canonical(pending.pop())
        if canonical in versions:
            continue
        dist = index.get(canonical)
        if dist is None:
            continue
        versions[canonical] = _version(dist)
        pending.extend(_requirements(dist))
    if "lxml" in versions:
        versions.update(_libxml_versions())
    versions["python"] = ".".join(map(str, sys.version_info[:3])) + f" ({sys.implementation.name})"
    return dict(sorted(versions.items()))


@functools.lru_cache(maxsize=1)
def _libxml_versions() -> dict[str, str]:
    """The libxml2 and libxslt lxml runs with (linked or bundled): they change parses under one lxml version."""
    try:
        from lxml import etree
    except ImportError:
        return {}
    return {"libxml2": ".".join(map(str, etree.LIBXML_VERSION)),
            "libxslt": ".".join(map(str, etree.LIBXSLT_VERSION))}


# --------------------------------------------------------------------------- one spec


def _distributions_of(spec: ExtractorSpec) -> list[str]:
    """The distributions whose code runs for this spec: the adapter's library, and a plugin's own package."""
    names = [spec.distribution] if spec.distribution else []
    return [name for name in names if _canonical(name) != HARNESS_DISTRIBUTION]


def code_identity(spec: ExtractorSpec) -> CodeIdentity:
    """Everything of code a spec's results depend on, found without importing the extractor."""
    distributions = _distributions_of(spec)
    digests, sources = [], []
    for name in distributions:
        digest, source = distribution_digest(name)
        digests.append(digest)
        sources.append(f"{name}: {source}")
    dependencies: dict[str, str] = {}
    # a harness adapter (full-text, gold) depends on the libraries it names in `modules`, not on all of the harness
    for name in distributions or [module.split(".")[0] for module in spec.modules] or [None]:
        dependencies.update(dependency_versions(name, include_self=not distributions))
    return CodeIdentity(adapter=code_digest(spec), distribution=";".join(digests),
                        source="; ".join(sources) or "the harness's own code",
                        dependencies=tuple(dependencies.items()))


def identity_digest(identity: CodeIdentity) -> str:
    """One sha256 of every part: what the cache key holds."""
    payload = {"adapter": identity.adapter, "distribution": identity.distribution,
               "dependencies": dict(identity.dependencies)}
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def as_record(identity: CodeIdentity) -> Mapping[str, Any]:
    """The identity as run.json keeps it."""
    return {"digest": identity_digest(identity), "adapter_sha256": identity.adapter,
            "distribution": identity.distribution, "source": identity.source,
            "dependencies": dict(identity.dependencies)}
