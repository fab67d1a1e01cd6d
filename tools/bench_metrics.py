"""Time our AEB-mode and ROUGE-LSum scoring against straightforward references, numbers side by side.

Usage: python tools/bench_metrics.py [--aeb ../shared/datasets/aeb] [--rouge-pages 20]

Predictions are built from the AEB ground truth the way extractors err
(truncated body, chrome around it, shuffled paragraphs) plus, when html-text
is installed, the full page text (AEB's own baseline, the slow case for
ROUGE). Each scorer runs once on the same pairs; the script checks that both
give the same numbers before it prints the ratio.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Sequence

Pairs = list[tuple[str, str]]


# ---------------------------------------------------------------- AEB reference (pure Python)


def _ref_shingles(text: str, n: int = 4) -> Counter:
    """Their definition written plainly: tuples of n tokens, one short one below n."""
    tokens = re.findall(r"\w+", text or "")
    grams = [tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1))]
    return Counter(g for g in grams if g)


def _ref_page(true: str, pred: str) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) for one page, looping over the shingle union."""
    t, p = _ref_shingles(true), _ref_shingles(pred)
    tp = fp = fn = 0.0
    for key in set(t) | set(p):
        tp += min(t[key], p[key])
        fp += max(0, p[key] - t[key])
        fn += max(0, t[key] - p[key])
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s > 0 else (tp, fp, fn)


def reference_aeb(pairs: Pairs) -> tuple[float, float, float, float]:
    """(precision, recall, f1, accuracy) the straightforward way."""
    counts = [_ref_page(t, p) for t, p in pairs]
    prec = [1.0 if c[1] == c[2] == 0 else c[0] / (c[0] + c[1]) for c in counts if c[0] + c[1] > 0]
    rec = [1.0 if c[1] == c[2] == 0 else c[0] / (c[0] + c[2]) for c in counts if c[0] + c[2] > 0]
    precision, recall = statistics.mean(prec), statistics.mean(rec)
    accuracy = statistics.mean(float(re.findall(r"\w+", t) == re.findall(r"\w+", p)) for t, p in pairs)
    return precision, recall, 2 * precision * recall / (precision + recall), accuracy


# ---------------------------------------------------------------- inputs


def load_pairs(aeb: Path, full_text: bool) -> tuple[Pairs, int]:
    """(gold, prediction) pairs: several synthetic extractors per page, plus full page text."""
    data = json.loads((aeb / "ground-truth.json").read_text(encoding="utf-8"))
    golds = [(k, v.get("articleBody", "")) for k, v in sorted(data.items())]
    rnd = random.Random(2019)
    pairs: Pairs = []
    html_text = None
    if full_text:
        try:
            import html_text  # type: ignore[no-redef]
        except ImportError:
            print("html-text not installed: no full-text predictions", file=sys.stderr)
    for i, (key, gold) in enumerate(golds):
        other = golds[(i + 7) % len(golds)][1]
        paras = gold.split("\n")
        pairs.append((gold, gold[: int(len(gold) * rnd.uniform(0.3, 0.95))]))
        pairs.append((gold, other[:500] + "\nShare this:\n" + gold + "\nMost Popular\n" + other[-300:]))
        pairs.append((gold, "\n".join(rnd.sample(paras, len(paras)))))
        if html_text is not None:
            raw = gzip.decompress((aeb / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8")
            pairs.append((gold, html_text.extract_text(raw)))
    return pairs, len(golds)


def timed(fn: Callable[[], object]) -> tuple[object, float]:
    """Run once; return the result and wall seconds."""
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def _row(name: str, seconds: float, n: int, figures: Sequence[float]) -> str:
    """One table line: time, per-pair ms, figures."""
    nums = "  ".join(f"{x:.6f}" for x in figures)
    return f"  {name:<26} {seconds:8.3f} s  {1000 * seconds / n:8.3f} ms/pair   {nums}"


# ---------------------------------------------------------------- benches


def bench_aeb(pairs: Pairs) -> None:
    """AEB corpus figures: ours (cold gold cache) vs the plain reference."""
    from benchmark.score import aeb as aeb_metric

    aeb_metric._gold_profile.cache_clear()  # cold: every gold tokenised and indexed inside the timing
    ours, t_ours = timed(lambda: aeb_metric.aeb_score(pairs))
    ref, t_ref = timed(lambda: reference_aeb(pairs))
    got = (ours.precision, ours.recall, ours.f1, ours.accuracy)  # type: ignore[attr-defined]
    same = all(abs(a - b) <= 1e-9 for a, b in zip(got, ref))  # type: ignore[arg-type]
    print(f"AEB mode, {len(pairs)} pairs (figures: precision recall f1 accuracy)")
    print(_row("boilerbench.score.aeb", t_ours, len(pairs), got))
    print(_row("pure-Python reference", t_ref, len(pairs), ref))  # type: ignore[arg-type]
    print(f"  equal to 1e-9: {same}   speed-up: {t_ref / t_ours:.1f}x")
    if not same:
        raise SystemExit("AEB figures differ")


def bench_rouge(pairs: Pairs) -> None:
    """Mean ROUGE-LSum P/R/F over pairs: ours vs the rouge-score package (WCEB's tokenizer)."""
    from rouge_score import rouge_scorer, tokenizers

    from benchmark.score.rouge import rouge_lsum

    class Whitespace(tokenizers.Tokenizer):
        def tokenize(self, text: str) -> list[str]:
            text = text.strip()
            return re.split(r"\s+", text) if text else []

    scorer = rouge_scorer.RougeScorer(["rougeLsum"], use_stemmer=False, split_summaries=False, tokenizer=Whitespace())

    def ours() -> list[tuple[float, float, float]]:
        return [(s.precision, s.recall, s.fmeasure) for s in (rouge_lsum(t, p) for t, p in pairs)]

    def theirs() -> list[tuple[float, float, float]]:
        out = []
        for t, p in pairs:
            s = scorer.score(t, p)["rougeLsum"]
            out.append((s.precision, s.recall, s.fmeasure))
        return out

    a, t_ours = timed(ours)
    b, t_ref = timed(theirs)
    same = all(abs(x - y) <= 1e-9 for u, v in zip(a, b) for x, y in zip(u, v))  # type: ignore[arg-type]
    mean = lambda rows: [statistics.fmean(col) for col in zip(*rows)]  # noqa: E731
    print(f"ROUGE-LSum, {len(pairs)} pairs (figures: mean precision recall f1)")
    print(_row("boilerbench.rouge", t_ours, len(pairs), mean(a)))
    print(_row("rouge-score 0.1.2", t_ref, len(pairs), mean(b)))
    print(f"  every pair equal to 1e-9: {same}   speed-up: {t_ref / t_ours:.1f}x")
    if not same:
        raise SystemExit("ROUGE figures differ")


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, build the pairs once, run both benches."""
    here = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aeb", type=Path, default=here.parent / "shared" / "datasets" / "aeb")
    parser.add_argument("--rouge-pages", type=int, default=20, help="pages for the (slow) rouge-score side")
    parser.add_argument("--no-full-text", action="store_true", help="skip html-text full-page predictions")
    args = parser.parse_args(argv)
    if not (args.aeb / "ground-truth.json").is_file():
        print(f"no AEB data at {args.aeb}: pass --aeb DIR", file=sys.stderr)
        return 2
    sys.path.insert(0, str(here))  # run from a checkout without installing
    pairs, n_pages = load_pairs(args.aeb, full_text=not args.no_full_text)
    per_page = len(pairs) // n_pages
    print(f"{n_pages} AEB pages, {per_page} predictions each\n")
    bench_aeb(pairs)
    print()
    bench_rouge(pairs[: args.rouge_pages * per_page])
    return 0


if __name__ == "__main__":
    sys.exit(main())
