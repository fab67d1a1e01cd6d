"""Which releases of the required extractors the adapters speak to, and how their APIs differ.

The adapters (adapters.py) run inside a release's venv during `boilerbench
matrix` and `bisect`, so they meet the releases users still run:

- trafilatura 1.x has no ``fast``: its ``no_fallback`` is the same switch
  (2.0 renamed it and kept ``no_fallback`` as a deprecated alias); 1.x also
  swallows unknown keywords in ``**kwargs``, so an option it lacks would be
  silently ignored, not refused: every option is checked against the
  signature first;
- readability-lxml 0.8 and 0.9 share ``Document(html).summary(html_partial)``;
- jusText 2.x and 3.x share ``justext(html, stoplist, **lengths)``; 2.x
  imports ``lxml.html.clean``, which lxml >= 5.2 moved to ``lxml_html_clean``
  (the matrix installs it beside them);
- newspaper3k 0.2.0-0.2.4 take the page as ``download(html=...)``, later 0.2.x
  as ``download(input_html=...)``; options are Configuration attributes, which
  ``extend_config`` drops silently when absent, so each is checked.

A release outside these series, or one whose API lacks what an option needs,
raises `UnsupportedRelease`: an ImportError naming the library's module, which
the worker records as outcome ``unavailable`` with this module's reason, for
every page, never as a row of errors. Stdlib only: this runs in release venvs.
"""

from __future__ import annotations

import functools
import inspect
import re
from typing import Any, Callable, Mapping

#: distribution -> (module, lowest supported release, first unsupported release, what users call it)
SUPPORTED: Mapping[str, tuple[str, tuple[int, ...], tuple[int, ...], str]] = {
    "trafilatura": ("trafilatura", (1,), (3,), "1.x and 2.x"),
    "readability-lxml": ("readability", (0, 8), (0, 10), "0.8 and 0.9"),
    "jusText": ("justext", (2,), (4,), "2.x and 3.x"),
    "newspaper3k": ("newspaper", (0, 2), (0, 3), "0.2.x"),
}


class UnsupportedRelease(ImportError):
    """An installed release whose API the adapter does not speak: recorded as `unavailable`, with the reason."""

    def __init__(self, module: str, message: str) -> None:
        super().__init__(message, name=module)


def release_tuple(version: str) -> tuple[int, ...]:
    """The leading numeric release of a version: "0.8.4.1" -> (0, 8, 4, 1), "2.0.0rc1" -> (2, 0, 0)."""
    match = re.match(r"^\s*v?(\d+(?:\.\d+)*)", version)
    return tuple(int(part) for part in match.group(1).split(".")) if match else ()


@functools.lru_cache(maxsize=None)
def require_supported(distribution: str) -> str:
    """The installed version of `distribution`, or UnsupportedRelease when it is outside the adapter's series."""
    from importlib.metadata import PackageNotFoundError, version

    module, low, high, series = SUPPORTED[distribution]
    try:
        installed = version(distribution)
    except PackageNotFoundError:
        return ""  # imported from a source tree: nothing to check against, the API checks still apply
    release = release_tuple(installed)
    if not release or not low <= release < high:
        raise UnsupportedRelease(module, f"{distribution} {installed} is not supported by boilerbench's "
                                         f"adapter, which speaks {series}")
    return installed


def keywords_for(function: Callable[..., Any], options: Mapping[str, Any], *, module: str, what: str,
                 renames: Mapping[str, str] | None = None) -> dict[str, Any]:
    """`options` as keyword arguments `function` names explicitly, renamed where a release spelt them otherwise.

    A keyword swallowed by ``**kwargs`` is not taken as supported: an option
    the release would silently ignore makes the release unsupported instead.
    """
    named = _named_parameters(getattr(function, "__func__", function))
    if named is None:
        return dict(options)
    out: dict[str, Any] = {}
    for name, value in options.items():
        if name in named:
            out[name] = value
        elif renames and renames.get(name) in named:
            out[renames[name]] = value
        else:
            raise UnsupportedRelease(module, f"{what} of this release takes no {name!r} argument")
    return out


def page_keyword(function: Callable[..., Any], candidates: tuple[str, ...], *, module: str, what: str) -> str:
    """The first of `candidates` that `function` takes: how this release spells its page argument."""
    named = _named_parameters(getattr(function, "__func__", function))
    if named is None:
        return candidates[0]
    for name in candidates:
        if name in named:
            return name
    raise UnsupportedRelease(module, f"{what} of this release takes none of {', '.join(candidates)}")


@functools.lru_cache(maxsize=64)
def _named_parameters(function: Callable[..., Any]) -> frozenset[str] | None:
    """The parameters `function` takes by name (None: no signature to read), read once per function: the
    adapters ask on every page, inside the timed call, and inspect.signature takes 20-40 us each time."""
    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return None
    return frozenset(name for name, p in parameters.items() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))
