"""One run per combination of releases, each in its own venv, and the matrix folder that holds them.

A matrix folder holds ``runs/<combination>/`` (an ordinary run folder each,
readable by `boilerbench report` and `compare`), ``matrix.json`` (the plan,
each environment's outcome, and the analysis), ``matrix.md`` and
``matrix.html``. Every run goes through `pipeline.run_benchmark` with the
workers started by the combination's interpreter, so outcomes, deadlines,
memory caps and the cache behave as in a local run. Each environment gets a
cache file of its own beside its venv: the cache key names the extractor's
version, not its dependencies', and lxml alone changes results.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from benchmark.records import Corpus, ExtractorSpec
from benchmark.versions.combinations import Combination, Pin, ReleaseEnvironment
from benchmark.versions.environments import EnvironmentBuilder

MATRIX_FILE = "matrix.json"
MATRIX_SCHEMA = 1


@dataclass(frozen=True)
class Axis:
    """One package and the releases it takes in the matrix, oldest first."""

    package: str
    versions: tuple[str, ...]


def combinations(axes: Sequence[Axis]) -> list[Combination]:
    """Every combination, the first axis (the extractor) varying fastest, so neighbours share dependencies."""
    if not axes:
        return []
    first, rest = axes[0], axes[1:]
    found = []
    for others in itertools.product(*(axis.versions for axis in rest)):
        for version in first.versions:
            pins = (Pin(first.package, version),) + tuple(Pin(a.package, v) for a, v in zip(rest, others))
            found.append(Combination(pins))
    return found


def neighbours(axes: Sequence[Axis], combos: Sequence[Combination]) -> list[tuple[Combination, Combination]]:
    """(older, newer) pairs that differ by one step on exactly one axis: the deltas a matrix reports."""
    index = {tuple(pin.version for pin in combo.pins): combo for combo in combos}
    pairs = []
    for combo in combos:
        versions = [pin.version for pin in combo.pins]
        for position, axis in enumerate(axes):
            at = axis.versions.index(versions[position])
            if at + 1 < len(axis.versions):
                newer = list(versions)
                newer[position] = axis.versions[at + 1]
                pairs.append((combo, index[tuple(newer)]))
    return pairs


def cell_record(environment: ReleaseEnvironment, run_dir: Path | None, root: Path) -> dict[str, Any]:
    """What matrix.json keeps of one combination: its environment's outcome and where its run is."""
    keep = ("lxml", "lxml-html-clean", "html-text", "tldextract", "justext", "charset-normalizer")
    return {
        "combination": [[pin.package, pin.version] for pin in environment.combination.pins],
        "label": environment.combination.label,
        "slug": environment.combination.slug,
        "environment": {"ok": environment.ok, "path": environment.path, "installer": environment.installer,
                        "reused": environment.reused, "message": environment.message,
                        "libraries": {name: environment.installed[name] for name in keep
                                      if name in environment.installed}},
        "run_dir": str(run_dir.relative_to(root)) if run_dir is not None else None,
    }


def worker_libraries(meta: dict[str, Any]) -> dict[str, Any]:
    """lxml and libxml2 as the workers had them (the release venv's), for run.json's `libraries`.

    A run records the harness's own libraries; in a matrix the extractors ran
    in another venv, whose lxml is the point of a `--with lxml==...` axis, so
    the report's provenance must name that one. Read from the code identity
    the workers' Python reported for each extractor; the harness's (which did
    the scoring) stay under `harness_libraries`. Without such a record the
    harness's are kept, as for any run.
    """
    found: dict[str, Any] = {}
    for record in (meta.get("extractors") or {}).values():
        dependencies = ((record or {}).get("code") or {}).get("dependencies") or {}
        for name in ("lxml", "libxml2"):
            if dependencies.get(name) and name not in found:
                found[name] = dependencies[name]
    return found or dict(meta.get("libraries") or {})


def combination_of(cell: dict[str, Any]) -> Combination:
    return Combination(tuple(Pin(package, version) for package, version in cell["combination"]))


def run_matrix(corpus: Corpus, specs: Sequence[ExtractorSpec], axes: Sequence[Axis], *, builder: EnvironmentBuilder,
               out_dir: Path, jobs: int, timeout: float, memory_mb: int | None, seed: int, n_boot: int,
               cache_dir: Path | None, use_cache: bool = True,
               say: Callable[[str], None] = lambda _line: None,
               combos: Sequence[Combination] | None = None) -> dict[str, Any]:
    """Build (or reuse) every combination's venv, run the specs in each, and write matrix.json (no analysis yet)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    combos = list(combos) if combos is not None else combinations(axes)
    cells = []
    for combo in combos:
        cells.append(run_combination(corpus, specs, combo, builder=builder, out_dir=out_dir, jobs=jobs,
                                     timeout=timeout, memory_mb=memory_mb, seed=seed, n_boot=n_boot,
                                     cache_dir=cache_dir, use_cache=use_cache, say=say))
        if cells[-1].get("interrupted"):  # Ctrl-C: finished pairs are in each venv's cache
            break
    matrix = {
        "schema_version": MATRIX_SCHEMA,
        "kind": "matrix",
        "axes": [{"package": axis.package, "versions": list(axis.versions)} for axis in axes],
        "extractors": [spec.name for spec in specs],
        "corpus": {"name": corpus.name, "root": corpus.root, "digest": corpus.digest, "pages": len(corpus.pages),
                   "provenance": corpus.provenance.as_dict() if corpus.provenance else None},
        "seed": seed, "bootstrap_resamples": n_boot,
        "python": builder.identity(combos[0])["python_version"] if combos else "",
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "cells": cells,
    }
    write_matrix(out_dir, matrix)
    return matrix


def run_combination(corpus: Corpus, specs: Sequence[ExtractorSpec], combo: Combination, *,
                    builder: EnvironmentBuilder, out_dir: Path, jobs: int, timeout: float, memory_mb: int | None,
                    seed: int, n_boot: int, cache_dir: Path | None, use_cache: bool,
                    say: Callable[[str], None]) -> dict[str, Any]:
    """One combination: its venv (built or reused), then one run in it unless the venv could not be built."""
    from benchmark.pipeline import run_benchmark
    from benchmark.results import write_json

    environment = builder.ensure(combo)
    if not environment.ok:
        say(f"{combo.label}: environment could not be built: {environment.message}")
        return cell_record(environment, None, out_dir)
    say(f"{combo.label}: {'reusing' if environment.reused else 'built'} {environment.path}; running offline")
    from benchmark.run.interpreter import InterpreterError

    cache = _cache_for(environment, cache_dir) if use_cache else None
    try:
        result = run_benchmark(corpus, specs, out_root=out_dir / "runs", jobs=jobs, timeout=timeout, seed=seed,
                               n_boot=n_boot, cache=cache, memory_mb=memory_mb, run_id=combo.slug,
                               reports=False, python=builder.worker_python(environment))
    except InterpreterError as exc:  # the venv's Python cannot even report versions: its own outcome
        say(f"{combo.label}: {exc}")
        broken = dataclasses.replace(environment, ok=False, message=str(exc))
        return cell_record(broken, None, out_dir)
    finally:
        if cache is not None:
            cache.close()
    meta = dict(result.meta)
    meta["release_environment"] = {"combination": list(combo.requirements), "path": environment.path,
                                   "installer": environment.installer, "installed": dict(environment.installed)}
    meta["harness_libraries"], meta["libraries"] = meta.get("libraries"), worker_libraries(meta)
    write_json(result.run_dir / "run.json", meta)
    cell = cell_record(environment, result.run_dir, out_dir)
    if result.interrupted:
        cell["interrupted"] = True
    return cell


def _cache_for(environment: ReleaseEnvironment, cache_dir: Path | None):
    """The environment's own cache file: beside its venv, or under --cache-dir/matrix/."""
    from benchmark.run.cache import Cache

    name = Path(environment.path).name
    path = (cache_dir / "matrix" / f"{name}.sqlite3") if cache_dir is not None \
        else Path(environment.path) / "extractions.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return Cache(path)


def write_matrix(out_dir: Path, matrix: dict[str, Any]) -> None:
    from benchmark.results import write_json

    write_json(out_dir / MATRIX_FILE, matrix)


def read_matrix(path: Path) -> dict[str, Any]:
    """matrix.json of a matrix folder; ValueError naming the file when it is not one."""
    file = path / MATRIX_FILE if path.is_dir() else path
    try:
        matrix = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"{file}: not found; is {path} a folder written by `boilerbench matrix`?") from None
    except ValueError as exc:
        raise ValueError(f"{file}: not valid JSON ({exc})") from None
    if matrix.get("kind") != "matrix" or matrix.get("schema_version") != MATRIX_SCHEMA:
        raise ValueError(f"{file}: not a boilerbench matrix of schema {MATRIX_SCHEMA}")
    return matrix
