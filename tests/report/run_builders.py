"""Run folders written in the stored formats from chosen per-page scores, for tests of what the reports say."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping, Sequence

KINDS = {"gold": "baseline", "full-text": "full-text"}


def stored_run(run_dir: Path, f1: Mapping[str, Sequence[float]], *, corpus: str = "tiny",
               provenance: Mapping[str, Any] | None = None, languages: Sequence[str] | None = None,
               aeb: Mapping[str, tuple[Sequence[float], Sequence[float]]] | None = None,
               pages: Sequence[Mapping[str, Any]] | None = None, texts: Mapping[tuple[str, str], str] | None = None,
               golds: Mapping[str, str] | None = None, extra_scores: Mapping[tuple[str, str], Mapping] | None = None,
               meta: Mapping[str, Any] | None = None, ms: Mapping[str, float] | None = None,
               cached: Sequence[str] = (), page_ids: Sequence[str] | None = None) -> Path:
    """A finished run whose extractor `name` scores f1[name][i] on page i (precision = recall = F1)."""
    import pandas as pd

    from benchmark.records import Extraction, Outcome
    from benchmark.results import ExtractionLog, write_frame, write_json
    from benchmark.stats.summary import summarize

    run_dir.mkdir(parents=True)
    n = len(next(iter(f1.values())))
    page_ids = list(page_ids) if page_ids else [f"site{i % 7}-2020-story-{i:03d}" for i in range(n)]
    rows = []
    with ExtractionLog(run_dir / "extractions.jsonl") as log:
        for name, values in f1.items():
            for i, (page_id, value) in enumerate(zip(page_ids, values)):
                text = (texts or {}).get((name, page_id), f"output of {name} on page {i}")
                log.append(Extraction(name, page_id, Outcome.OK, text=text, ms=(ms or {}).get(name, 10.0) + i % 3,
                                      cached=name in cached))
                row = {"extractor": name, "page_id": page_id, "outcome": "ok", "precision": value, "recall": value,
                       "f1": value, "lcs_f1": value, "chrome_leak": float("nan"), "chrome_leaked": "[]",
                       "lexicon_leaked": "[]", "must_include": float("nan"), "must_missing": "[]",
                       "ms": (ms or {}).get(name, 10.0) + i % 3, "tp": 10, "n_pred": 20, "n_gold": 20}
                if aeb and name in aeb:
                    row["aeb_precision"], row["aeb_recall"] = aeb[name][0][i], aeb[name][1][i]
                row.update((extra_scores or {}).get((name, page_id), {}))
                rows.append(row)
    scores = pd.DataFrame(rows)
    write_frame(run_dir / "scores.csv", scores)
    write_frame(run_dir / "summary.csv", summarize(scores, {name: "1.0" for name in f1}, seed=3, n_boot=200))
    facts = []
    for i, page_id in enumerate(page_ids):
        fact = {"page_id": page_id, "site": f"site{i % 7}", "title": f"Story number {i}",
                "language": (languages or ["en"] * n)[i], "language_declared": "", "script": "latin",
                "published": "2020-01-01", "era": "2017-2026", "encoding": "utf-8", "encoding_source": "meta",
                "charset_family": "unicode", "layout": "[]", "gold_tokens": 20, "page_tokens": 40,
                "difficulty": 0.5, "page_bytes": 1000, "url": f"https://www.site{i % 7}.example/{page_id}"}
        fact.update((pages or [{}] * n)[i] if pages else {})
        facts.append(fact)
    write_frame(run_dir / "pages.csv", pd.DataFrame(facts))
    with (run_dir / "golds.jsonl").open("w", encoding="utf-8") as handle:
        for page_id in page_ids:
            text = (golds or {}).get(page_id, "gold text of the page")
            handle.write(json.dumps({"page_id": page_id, "text": text, "with": [], "without": []}) + "\n")
    record = {
        "schema_version": 1, "run_id": run_dir.name, "status": "complete", "harness_version": "0.1.0",
        "corpus": {"name": corpus, "root": str(run_dir), "source": "", "digest": "d" * 64, "pages": n, "skipped": [],
                   "provenance": dict(provenance or {"kind": "authored", "title": "a test corpus",
                                                     "languages_from": "card"})},
        "extractors_requested": list(f1),
        "options": {"jobs": 1, "timeout_s": 30.0, "seed": 3, "bootstrap_resamples": 200, "memory_mb": None},
        "lexicon_version": "test", "libraries": {"lxml": "x", "libxml2": "y"},
        "environment": {"python": "3", "implementation": "CPython", "platform": "test", "machine": "x",
                        "cpu_count": "2"},
        "started": "2026-01-01T00:00:00+00:00", "finished": "2026-01-01T00:01:00+00:00", "elapsed_s": 60.0,
        "extractors": {name: {"kind": KINDS.get(name, "article"), "input": "text", "version": "1.0", "options": {},
                              "options_digest": "ab" * 32, "available": True, "import_ms": 1.0, "note": ""}
                       for name in f1},
        "outcomes": {},
    }
    record.update(meta or {})
    write_json(run_dir / "run.json", record)
    return run_dir


def rendered(run_dir: Path) -> tuple[str, Any]:
    """Render the run's reports; (report.md text, report.html parsed)."""
    import lxml.html

    from benchmark.report.render import write_reports
    from benchmark.results import stored_result

    write_reports(stored_result(run_dir))
    markdown = (run_dir / "report.md").read_text(encoding="utf-8")
    return markdown, lxml.html.document_fromstring((run_dir / "report.html").read_text(encoding="utf-8"))


def noisy(base: float, n: int, *, seed: int, spread: float = 0.05) -> list[float]:
    """n per-page scores around `base`, clipped to [0, 1], from a seeded generator."""
    import numpy as np

    values = np.random.default_rng(seed).normal(base, spread, size=n)
    return [float(v) for v in np.clip(values, 0.0, 1.0)]
