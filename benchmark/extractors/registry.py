"""Every extractor the harness can run, by stable name, without importing any extractor library.

Specs come from four places, in this order of precedence:

1. the builtins below (the required four, their variants, the baselines and
   the optional libraries of issue 7);
2. the entry point group ``boilerbench.extractors``: each entry point loads to
   an ``ExtractorSpec``, a list of them, or a callable returning either;
3. a ``pkg.mod:func`` spec given by name: a user's function that takes the
   decoded HTML as ``str`` (and ``url=`` if it accepts it) and returns text;
4. an external command: named with ``--extractor-cmd NAME=COMMAND`` or a
   config file (``config.py``, passed to ``resolve`` as ``extra``), or inline
   as ``cmd:<command line>`` (one process per page, HTML on stdin, text on
   stdout) or ``jsonl:<command line>`` (one long-lived process, one JSON
   request and one JSON reply per line); see ``external.py``.

Options recorded in a spec are exactly the keyword arguments its adapter is
called with, so ``options_digest`` (part of the cache key) changes whenever
what is run changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import warnings
from typing import Any, Iterable, Mapping, Sequence

from benchmark.records import ExtractorSpec

ENTRY_POINT_GROUP = "boilerbench.extractors"
PLUGIN_TARGET = "benchmark.extractors.plugins:call_user_function"
EXTERNAL_TARGET = "benchmark.extractors.external:run_command"
EXTERNAL_JSONL_TARGET = "benchmark.extractors.external:run_jsonl"

DEFAULT_NAMES = ("trafilatura", "readability-lxml", "justext", "newspaper3k", "full-text", "gold")

_PLUGIN_RE = re.compile(r"^[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*:[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$")
_EXTERNAL_PREFIXES = {"cmd:": EXTERNAL_TARGET, "jsonl:": EXTERNAL_JSONL_TARGET}
EXTERNAL_MODES = ("per-page", "jsonl")
#: builtins living outside this interpreter: ("module:function", args) returning their version or None
_PROBES = {"newspaper4k": ("benchmark.extractors.optional:newspaper4k_version", ()),
           "news-please": ("benchmark.extractors.venv_tools:installed_version", ("news-please",)),
           "rs-trafilatura": ("benchmark.extractors.venv_tools:installed_version", ("rs-trafilatura",)),
           "readability-js": ("benchmark.extractors.readability_js:installed_version", ()),
           "readability-js-html": ("benchmark.extractors.readability_js:installed_version", ()),
           "defuddle": ("benchmark.extractors.node_tools:installed_version", ("defuddle",)),
           "postlight-parser": ("benchmark.extractors.node_tools:installed_version", ("postlight-parser",)),
           "extractus-article": ("benchmark.extractors.node_tools:installed_version", ("extractus-article",))}


class UnknownExtractorError(LookupError):
    """A name that is no builtin, entry point, plugin spec or command: the message lists what is known."""

    def __init__(self, name: str, known: Iterable[str]) -> None:
        self.name = name
        self.known = tuple(sorted(known))
        super().__init__(name, self.known)

    def __str__(self) -> str:
        import difflib

        close = difflib.get_close_matches(self.name, self.known, n=3, cutoff=0.6)
        hint = f"did you mean {' or '.join(repr(name) for name in close)}? " if close else ""
        return (
            f"unknown extractor {self.name!r}; {hint}known: {', '.join(self.known)}, 'all', 'installed'; "
            "or give a plugin as 'package.module:function', or an external "
            "command with --extractor-cmd NAME=COMMAND (or inline as 'cmd:<command line>' / "
            "'jsonl:<command line>')"
        )


# --------------------------------------------------------------------------- specs


def _trafilatura(name: str, description: str, output: str = "text", **extra: Any) -> ExtractorSpec:
    """One trafilatura registration: AEB's call (include_comments=False) plus the variant's flag."""
    options = {"include_comments": False, "include_tables": True, "output_format": "txt",
               "fast": False, "favor_precision": False, "favor_recall": False}
    options.update(extra)
    return ExtractorSpec(
        name=name, target="benchmark.extractors.adapters:trafilatura_extract", kind="article",
        input="text", distribution="trafilatura", options=options, modules=("trafilatura",),
        install='pip install "trafilatura==2.3.1"', description=description, output=output)


def _justext_language_options() -> dict[str, Any]:
    """The by-language jusText options: the whole language map is recorded, so it is part of the digest."""
    from benchmark.extractors.languages import CJK_PRIMARY, JUSTEXT_STOPLISTS

    return {
        "stoplist": "by-language",
        "languages": dict(sorted(JUSTEXT_STOPLISTS.items())),
        # jusText has no stoplist for these: its own language-independent mode
        # (empty stoplist, stopword thresholds 0, as `python -m justext -s None`)
        "fallback": "language-independent",
        "fallback_params": {"stopwords_low": 0.0, "stopwords_high": 0.0},
        # measured: with the default lengths (70/200 characters) no paragraph
        # of a CJK news page is ever "good" (a 100-character Chinese paragraph
        # is a long one), so jusText returns nothing; a third of the lengths
        # keeps the body and still drops navigation, share bars and footers.
        "cjk_languages": sorted(CJK_PRIMARY),
        "cjk_params": {"length_low": 25, "length_high": 70},
        "params": {"length_low": 70, "length_high": 200, "stopwords_low": 0.30, "stopwords_high": 0.32,
                   "max_link_density": 0.2, "max_heading_distance": 200, "no_headings": False},
        "joiner": "\n\n",
    }


def _builtin_specs() -> list[ExtractorSpec]:
    """The builtin registrations; built on call so importing this module does no work."""
    specs = [
        _trafilatura("trafilatura", "trafilatura.extract with AEB's call (include_comments=False)"),
        _trafilatura("trafilatura-fast", "trafilatura without its fallback extractors (fast=True)", fast=True),
        _trafilatura("trafilatura-precision", "trafilatura favouring precision", favor_precision=True),
        _trafilatura("trafilatura-recall", "trafilatura favouring recall", favor_recall=True),
        _trafilatura("trafilatura-markdown", "trafilatura with AEB's call, its Markdown output "
                     "(output_format='markdown')", output="markdown", output_format="markdown"),
        ExtractorSpec(
            name="readability-lxml", target="benchmark.extractors.adapters:readability_extract",
            kind="article", input="text", distribution="readability-lxml",
            options={"html_partial": True, "to_text": "html_text.extract_text"},
            modules=("readability", "html_text"), install='pip install "readability-lxml==0.9" html-text',
            description="Document(html).summary(html_partial=True) -> html_text.extract_text, as AEB"),
        ExtractorSpec(
            name="justext", target="benchmark.extractors.adapters:justext_extract", kind="article",
            input="text", distribution="jusText", options=_justext_language_options(),
            modules=("justext",), install='pip install "justext==3.0.2"',
            description="jusText with the stoplist of the page's language (card), "
                        "language-independent mode where jusText has none"),
        ExtractorSpec(
            name="justext-english", target="benchmark.extractors.adapters:justext_extract", kind="article",
            input="text", distribution="jusText",
            options={"stoplist": "English",
                     # AEB's run_justext.py positional arguments, by name
                     "params": {"length_low": 50, "length_high": 200, "stopwords_low": 0.1,
                                "stopwords_high": 0.2, "max_link_density": 0.2,
                                "max_heading_distance": 200, "no_headings": True},
                     "joiner": "\n\n"},
            modules=("justext",), install='pip install "justext==3.0.2"',
            description="jusText exactly as the AEB benchmark calls it (English stoplist on every page)"),
        ExtractorSpec(
            name="newspaper3k", target="benchmark.extractors.adapters:newspaper3k_extract", kind="article",
            input="text", distribution="newspaper3k",
            options={"language": "by-card", "fetch_images": False, "follow_meta_refresh": False,
                     "memoize_articles": False},
            modules=("newspaper",), install='pip install "newspaper3k==0.2.8" lxml_html_clean',
            description="newspaper3k Article with download(input_html=...), language from the card "
                        "where newspaper has stopwords for it; never touches the network"),
        ExtractorSpec(
            name="newspaper3k-default", target="benchmark.extractors.adapters:newspaper3k_extract",
            kind="article", input="text", distribution="newspaper3k",
            options={"language": "default", "fetch_images": False, "follow_meta_refresh": False,
                     "memoize_articles": False},
            modules=("newspaper",), install='pip install "newspaper3k==0.2.8" lxml_html_clean',
            description="newspaper3k with its own language choice (page meta, else English), "
                        "as a user calling Article(url) gets"),
        ExtractorSpec(
            name="full-text", target="benchmark.extractors.baselines:full_text", kind="full-text",
            input="text", distribution="boilerbench",
            options={"include_noscript": True, "include_jsonld_body": False},
            modules=("lxml",), install="pip install boilerbench",
            description="all visible text: the recall ceiling and precision floor"),
        ExtractorSpec(
            name="gold", target="benchmark.extractors.baselines:gold", kind="baseline", input="text",
            distribution="boilerbench", options={}, modules=(), install="pip install boilerbench",
            description="the gold text itself: a scorer sanity check (F1 must be 1.0)", needs_gold=True),
    ]
    from benchmark.extractors.field import field_specs
    from benchmark.extractors.optional import optional_specs

    specs.extend(optional_specs())
    specs.extend(field_specs())
    return specs


def _entry_point_specs() -> list[ExtractorSpec]:
    """Specs published by installed distributions; a broken entry point warns and is skipped."""
    from importlib.metadata import entry_points

    found: list[ExtractorSpec] = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            obj = ep.load()
            if callable(obj) and not isinstance(obj, ExtractorSpec):
                obj = obj()
            items = [obj] if isinstance(obj, ExtractorSpec) else list(obj)
            bad = [item for item in items if not isinstance(item, ExtractorSpec)]
            if bad:
                raise TypeError(f"expected ExtractorSpec, got {type(bad[0]).__name__}")
        except Exception as exc:  # a third-party plugin must not break the harness
            warnings.warn(f"entry point {ep.name!r} ({ep.value}) in group {ENTRY_POINT_GROUP} "
                          f"skipped: {type(exc).__name__}: {exc}", RuntimeWarning, stacklevel=2)
            continue
        found.extend(items)
    return found


def known_specs(*, plugins: bool = True) -> dict[str, ExtractorSpec]:
    """Builtins plus entry points, by name; a builtin name cannot be taken over by a plugin.

    plugins=False: the builtins alone, without scanning installed distributions (30 ms at every start).
    """
    specs: dict[str, ExtractorSpec] = {spec.name: spec for spec in _builtin_specs()}
    for spec in _entry_point_specs() if plugins else ():
        if spec.name in specs:
            warnings.warn(f"entry point extractor {spec.name!r} ignored: the name is already registered",
                          RuntimeWarning, stacklevel=2)
            continue
        specs[spec.name] = spec
    return specs


def default_names() -> list[str]:
    """What `run` measures when no extractor is named: the four required ones and both baselines."""
    return list(DEFAULT_NAMES)


def plugin_spec(target: str) -> ExtractorSpec:
    """A spec for a user's `pkg.mod:func` that maps decoded HTML (str) to text."""
    module = target.split(":", 1)[0]
    top = module.split(".", 1)[0]
    return ExtractorSpec(
        name=target, target=PLUGIN_TARGET, kind="article", input="text",
        distribution=_distribution_of(top), options={"target": target}, modules=(top,),
        install=f"make {module!r} importable (pip install its package, or set PYTHONPATH)",
        description=f"user function {target}(html: str[, url=...]) -> str")


def external_spec(name: str) -> ExtractorSpec:
    """A spec for `cmd:<command line>` or `jsonl:<command line>` (see external.py), named by that text."""
    for prefix, target in _EXTERNAL_PREFIXES.items():
        if name.startswith(prefix):
            command = shlex.split(name[len(prefix):])
            break
    else:
        raise ValueError(f"not an external command spec: {name!r}")
    return command_spec(name, command, mode="jsonl" if target == EXTERNAL_JSONL_TARGET else "per-page")


def command_spec(name: str, command: Sequence[str], *, mode: str = "per-page", input: str = "html",
                 network: str = "deny", cwd: str | None = None, version: str | None = None,
                 version_cmd: Sequence[str] | None = None, description: str = "") -> ExtractorSpec:
    """A spec for an external command; `version`, when known, is recorded (and keys the cache).

    Options hold everything that decides the output: the argv, mode, input,
    network policy, working folder and the sha256 of every file the argv
    names (a script edited in place changes the cache key even when no
    version is given).
    """
    from benchmark.extractors.external import INPUTS, NETWORK_MODES, file_digests

    command = [str(part) for part in command]
    if not command or not command[0]:
        raise ValueError(f"{name!r}: empty command line")
    if mode not in EXTERNAL_MODES:
        raise ValueError(f"{name!r}: mode must be one of {', '.join(EXTERNAL_MODES)}, got {mode!r}")
    if input not in INPUTS:
        raise ValueError(f"{name!r}: input must be one of {', '.join(INPUTS)}, got {input!r}")
    if network not in NETWORK_MODES:
        raise ValueError(f"{name!r}: network must be one of {', '.join(NETWORK_MODES)}, got {network!r}")
    options: dict[str, Any] = {"command": command, "mode": mode, "input": input, "network": network}
    if mode == "jsonl":
        options["protocol"] = "jsonl-v1"
    if cwd:
        options["cwd"] = str(cwd)
    digests = file_digests(command, cwd)
    if digests:
        options["file_sha256"] = digests
    if version is not None:
        options["version"] = str(version)
    if version_cmd:
        options["version_cmd"] = [str(part) for part in version_cmd]
    jsonl = mode == "jsonl"
    program = command[0]
    return ExtractorSpec(
        name=name, target=EXTERNAL_JSONL_TARGET if jsonl else EXTERNAL_TARGET, kind="external",
        input="bytes" if input == "raw" else "text", distribution=None, options=options, modules=(),
        install=(f"make {program!r} exist" if os.sep in program else f"put {program!r} on PATH"),
        description=description or (f"external command {shlex.join(command)}"
                                    + (" (one long-lived process, JSON lines)" if jsonl
                                       else " (one process per page, page on stdin, text on stdout)")))


def _distribution_of(top_module: str) -> str | None:
    """The distribution that installs a top-level module, for version capture; None for local code."""
    from importlib.metadata import packages_distributions

    dists = packages_distributions().get(top_module) or []
    return dists[0] if dists else None


def resolve(names: Sequence[str], extra: Mapping[str, ExtractorSpec] | None = None) -> list[ExtractorSpec]:
    """Specs for names, plugin specs and external commands, in order, duplicates dropped.

    `extra` adds specs defined for this run (``--extractor-cmd``, a config
    file); their names must not shadow a registered one (see config.py).
    """
    extra = extra or {}
    known = known_specs(plugins=False)  # builtins cannot be taken over: entry points only for other names
    if any(name.strip() not in known and name.strip() not in extra for name in names):
        known = known_specs()
    resolved: list[ExtractorSpec] = []
    seen: set[str] = set()
    for raw_name in names:
        name = raw_name.strip()
        if name in seen:
            continue
        seen.add(name)
        if name in known:
            resolved.append(known[name])
        elif name in extra:
            resolved.append(extra[name])
        elif name.startswith(tuple(_EXTERNAL_PREFIXES)):
            try:
                resolved.append(external_spec(name))
            except ValueError as exc:
                raise UnknownExtractorError(f"{name} ({exc})", [*known, *extra]) from None
        elif _PLUGIN_RE.match(name):
            resolved.append(plugin_spec(name))
        else:
            raise UnknownExtractorError(name, [*known, *extra])
    return resolved


# --------------------------------------------------------------------------- facts


def is_installed(spec: ExtractorSpec) -> bool:
    """True when every module the spec needs can be found (nothing is imported)."""
    from importlib.util import find_spec

    if spec.name in _PROBES and spec.target.startswith("benchmark."):
        return _probe(spec) is not None
    if spec.kind == "external":
        return _command_found(spec.options.get("command") or [""], spec.options.get("cwd"))
    for module in spec.modules:
        try:
            if find_spec(module) is None:
                return False
        except (ImportError, ValueError):  # a parent package missing or broken
            return False
    return True


def _command_found(command: Sequence[str], cwd: str | None) -> bool:
    """Whether the program of an argv can be started: on PATH, or a path (relative to cwd) that exists."""
    import shutil

    program = command[0]
    if os.sep in program and cwd and not os.path.isabs(program):
        program = os.path.join(cwd, program)
    return bool(program) and shutil.which(program) is not None


def version_of(spec: ExtractorSpec) -> str | None:
    """The installed version of the spec's distribution, or None (not installed, local code, command)."""
    from importlib.metadata import PackageNotFoundError, version

    if spec.name in _PROBES and spec.target.startswith("benchmark."):
        return _probe(spec)
    if not spec.distribution:
        return spec.options.get("version") if spec.kind == "external" else None
    try:
        return version(spec.distribution)
    except PackageNotFoundError:
        return None


def _probe(spec: ExtractorSpec) -> str | None:
    """The version reported by a builtin's probe (its own venv), None when it is not set up."""
    import importlib

    target, args = _PROBES[spec.name]
    module, func = target.split(":")
    return getattr(importlib.import_module(module), func)(*args)


def options_digest(spec: ExtractorSpec) -> str:
    """sha256 of canonical JSON of name, target and options: part of the cache key."""
    payload = {"name": spec.name, "target": spec.target, "options": spec.options}
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=repr)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
