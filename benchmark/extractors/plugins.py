"""Runs a user's `pkg.mod:func` as an extractor: the function takes decoded HTML (str), maybe url=."""

from __future__ import annotations

import inspect
from typing import Any, Callable

from benchmark.records import PageInput


def load_target(target: str) -> Callable[..., Any]:
    """The callable named by "pkg.mod:attr.sub", imported now (inside the worker)."""
    from benchmark.run.worker import resolve_target

    if not target.partition(":")[2]:
        raise ValueError(f"plugin target {target!r} is not 'package.module:function'")
    obj = resolve_target(target)
    if not callable(obj):
        raise TypeError(f"plugin target {target!r} is a {type(obj).__name__}, not a function")
    return obj


def _accepts_url(func: Callable[..., Any]) -> bool:
    """Whether func takes a `url` keyword (named, or through **kwargs)."""
    try:
        parameters = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):  # builtins without a signature
        return False
    return any(p.name == "url" and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) or p.kind == p.VAR_KEYWORD
               for p in parameters)


def call_user_function(page: PageInput, *, target: str) -> str:
    """Call the user's function on the decoded HTML (and url= if it takes one); it must return str or None."""
    func = load_target(target)
    result = func(page.html, url=page.url) if _accepts_url(func) else func(page.html)
    if result is None:
        return ""
    if not isinstance(result, str):
        raise TypeError(f"plugin {target} returned {type(result).__name__}, expected str")
    return result
