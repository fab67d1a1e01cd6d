"""The commands that reproduce a run and re-render its reports, exactly as that run was started.

A dataset run is repeated with ``--dataset KIND:PATH`` (run.json records the
spec as given), a corpus folder other than the bundled one with
``--corpus DIR``, and a run written elsewhere than the default folder with
``--out DIR``; paths under the current folder are shown relative to it.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any, Mapping


def _shown(path: Path | str) -> str:
    """A path relative to the current folder when it is under it, else as given."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def _is_bundled(root: str | None) -> bool:
    from benchmark.corpus.bundled import bundled_root

    bundled = bundled_root()
    if not root or bundled is None:
        return False
    try:
        return Path(root).resolve() == bundled.resolve()
    except OSError:
        return False


def commands(meta: Mapping[str, Any], run_dir: Path | str | None) -> dict[str, str]:
    """{"run": the `boilerbench run` command, "report": the `boilerbench report` command}."""
    corpus = meta.get("corpus") or {}
    options = meta.get("options") or {}
    command = ["boilerbench", "run"]
    source = str(corpus.get("source") or "")
    default_out: Path | None = None
    if source:
        command += ["--dataset", source]
        default_out = Path("results")
    elif _is_bundled(corpus.get("root")):
        default_out = Path(str(corpus.get("root"))) / "results"
    elif corpus.get("root"):
        command += ["--corpus", _shown(str(corpus["root"]))]
        default_out = Path(str(corpus["root"])) / "results"
    requested = meta.get("extractors_requested") or sorted(meta.get("extractors") or {})
    if requested:
        command += ["--extractors", ",".join(requested)]
    for flag, key, form in (("--seed", "seed", "{}"), ("--timeout", "timeout_s", "{:g}"), ("--jobs", "jobs", "{}"),
                            ("--memory-mb", "memory_mb", "{}")):
        if options.get(key) is not None:
            command += [flag, form.format(options[key])]
    run_path = Path(run_dir) if run_dir is not None else Path("results") / str(meta.get("run_id"))
    out = run_path.parent
    if run_path.name == "latest":  # the mirror of the newest bundled run: its own folder is results/<run_id>
        run_path = out / str(meta.get("run_id"))
    try:
        same = default_out is not None and out.resolve() == default_out.resolve()
    except OSError:
        same = False
    if not same:
        command += ["--out", _shown(out)]
    return {"run": " ".join(shlex.quote(c) for c in command),
            "report": " ".join(shlex.quote(c) for c in ["boilerbench", "report", _shown(run_path)])}
