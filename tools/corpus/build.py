"""Build the bundled corpus's pages: render new pages from their sources, weigh every page.

    python tools/corpus/build.py render [PAGE_ID ...]   # articles/<id>.toml + outlet + gold -> pages/<id>.html
    python tools/corpus/build.py weigh [PAGE_ID ...]    # refill the weight regions of pages in place
    python tools/corpus/build.py check                  # exit 1 when pages/ is not the build's output

Pages are committed as this script's output; `check` (also a test) keeps the two in step.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path[:0] = [str(HERE), str(REPO)]  # this folder's modules, and the checkout's own harness (goldmarks)

from render import render_page  # noqa: E402
from weigh import page_context, weigh  # noqa: E402


def built(repo: Path, page_id: str) -> bytes:
    """What pages/<id>.html should be."""
    ctx = page_context(repo, page_id)
    if (HERE / "articles" / f"{page_id}.toml").exists():
        return weigh(render_page(repo, page_id), ctx)
    return weigh((repo / "pages" / f"{page_id}.html").read_bytes(), ctx)


def page_ids(repo: Path, wanted: list[str], *, rendered_only: bool = False) -> list[str]:
    if wanted:
        return wanted
    if rendered_only:
        return sorted(p.stem for p in (HERE / "articles").glob("*.toml"))
    ids = {p.stem for p in (repo / "pages").glob("*.html")} | {p.stem for p in (HERE / "articles").glob("*.toml")}
    return sorted(i for i in ids if (repo / "gold" / f"{i}.toml").exists())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("render", "weigh", "check"))
    parser.add_argument("pages", nargs="*")
    parser.add_argument("--repo", type=Path, default=REPO)
    args = parser.parse_args(argv)
    repo = args.repo
    stale, failed = [], []
    for page_id in page_ids(repo, args.pages, rendered_only=args.command == "render"):
        path = repo / "pages" / f"{page_id}.html"
        try:
            data = built(repo, page_id)
        except Exception as exc:  # report every page, then fail
            failed.append(f"{page_id}: {type(exc).__name__}: {exc}")
            continue
        if args.command == "check":
            if not path.exists() or path.read_bytes() != data:
                stale.append(page_id)
        elif not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
            print(f"wrote {path.relative_to(repo)} ({len(data) // 1024} KB)")
    for line in failed:
        print(f"error: {line}", file=sys.stderr)
    if stale:
        print("pages/ differs from the build for: " + ", ".join(stale)
              + "\nrun: python tools/corpus/build.py render && python tools/corpus/build.py weigh", file=sys.stderr)
    return 1 if stale or failed else 0


if __name__ == "__main__":
    sys.exit(main())
