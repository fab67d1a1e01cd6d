"""Registrations and adapters for the optional extractors (issue 7): listed whether installed or not.

Every adapter reads ``page.html`` (decoded once by the harness) through
``lxml_ready`` for the same reasons as the required ones (see adapters.py);
resiliparse, inscriptis and html-text parse with their own parsers but get the
same characters. Versions named in ``install`` are the ones measured here
(Python 3.11, lxml 6.1.3, trafilatura 2.3.1: no conflicts).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from benchmark.records import ExtractorSpec, PageInput

NEWSPAPER4K_ENV = "BOILERBENCH_NEWSPAPER4K_PYTHON"
NEWSPAPER4K_TOOL = "benchmark/extractors/tools/newspaper4k_jsonl.py"


def optional_specs() -> list[ExtractorSpec]:
    """Specs of the optional libraries; each is 'unavailable' until its library is installed."""
    from benchmark.extractors.readability_js import html_spec as readability_js_html_spec
    from benchmark.extractors.readability_js import spec as readability_js_spec

    here = "benchmark.extractors.optional"
    return [
        ExtractorSpec(
            name="goose3", target=f"{here}:goose3_extract", kind="article", input="text",
            distribution="goose3", options={"enable_image_fetching": False},
            modules=("goose3",), install='pip install "goose3==3.1.22"',
            description="Goose().extract(raw_html=...).cleaned_text, as AEB (images never fetched)"),
        ExtractorSpec(
            name="boilerpy3", target=f"{here}:boilerpy3_extract", kind="article", input="text",
            distribution="boilerpy3", options={"extractor": "ArticleExtractor", "raise_on_failure": True},
            modules=("boilerpy3",), install='pip install "boilerpy3==1.0.7"',
            description="boilerpy3 ArticleExtractor (boilerpipe's news-article model), as AEB"),
        ExtractorSpec(
            name="boilerpy3-default", target=f"{here}:boilerpy3_extract", kind="article", input="text",
            distribution="boilerpy3", options={"extractor": "DefaultExtractor", "raise_on_failure": True},
            modules=("boilerpy3",), install='pip install "boilerpy3==1.0.7"',
            description="boilerpy3 DefaultExtractor (boilerpipe's generic full-page model)"),
        ExtractorSpec(
            name="resiliparse", target=f"{here}:resiliparse_extract", kind="article", input="text",
            distribution="resiliparse", options={"main_content": True},
            modules=("resiliparse",), install='pip install "resiliparse==2.0.1"',
            description="resiliparse extract_plain_text(main_content=True), as AEB"),
        ExtractorSpec(
            name="inscriptis", target=f"{here}:inscriptis_extract", kind="full-text", input="text",
            distribution="inscriptis", options={}, modules=("inscriptis",),
            install='pip install "inscriptis==2.7.6"',
            description="inscriptis.get_text: the whole page as laid-out text (no boilerplate removal)"),
        ExtractorSpec(
            name="html-text", target=f"{here}:html_text_extract", kind="full-text", input="text",
            distribution="html-text", options={"guess_layout": True}, modules=("html_text",),
            install='pip install "html-text>=0.7"',
            description="html_text.extract_text: the whole page's text (no boilerplate removal)"),
        ExtractorSpec(
            name="magic-html", target=f"{here}:magic_html_extract", kind="article", input="text",
            distribution="magic-html", options={"to_text": "html_text.extract_text"},
            modules=("magic_html", "html_text"),
            # its only release declares Requires-Python >=3.12 but runs on 3.11 (measured)
            install='pip install "magic-html==0.1.8" (Python 3.11: add --ignore-requires-python)',
            description="magic-html GeneralExtractor body HTML -> html_text.extract_text"),
        ExtractorSpec(
            name="readabilipy", target=f"{here}:readabilipy_extract", kind="full-text", input="text",
            distribution="readabilipy", options={"use_readability": False},
            modules=("readabilipy",), install='pip install "readabilipy==0.3.0"',
            # measured: its pure-Python mode simplifies the HTML and drops <nav>, but keeps
            # titles, related links, share bars and footers: listed with the full-text tools
            description="readabilipy pure-Python mode (no Node.js): plain_text paragraphs; "
                        "HTML simplification, not boilerplate removal"),
        ExtractorSpec(
            name="newspaper4k", target=f"{here}:newspaper4k_extract", kind="external", input="text",
            distribution="newspaper4k",
            options={"interpreter": f"${NEWSPAPER4K_ENV} or <user cache>/boilerbench/venvs/newspaper4k",
                     "tool": NEWSPAPER4K_TOOL, "protocol": "jsonl-v1", "language": "by-card",
                     "fetch_images": False, "follow_meta_refresh": False, "memoize_articles": False},
            modules=(),
            install=newspaper4k_install_command(),
            description="newspaper4k in its own virtual environment, one long-lived JSON-lines process"),
        readability_js_spec(),
        readability_js_html_spec(),
    ]


# --------------------------------------------------------------------------- adapters


def goose3_extract(page: PageInput, *, enable_image_fetching: bool = False) -> str:
    """goose3's cleaned_text, called as AEB does; its storage dir follows tempfile (the scratch dir)."""
    from goose3 import Goose

    from benchmark.extractors.adapters import lxml_ready

    with Goose({"enable_image_fetching": enable_image_fetching}) as goose:
        article = goose.extract(raw_html=lxml_ready(page.html))
        return article.cleaned_text or ""


def boilerpy3_extract(page: PageInput, *, extractor: str, raise_on_failure: bool = True) -> str:
    """boilerpy3's named extractor; with raise_on_failure a failed parse is an error, not an empty text."""
    from boilerpy3 import extractors

    from benchmark.extractors.adapters import lxml_ready

    if extractor not in ("ArticleExtractor", "DefaultExtractor"):
        raise ValueError(f"unsupported boilerpy3 extractor {extractor!r}")
    return getattr(extractors, extractor)(raise_on_failure=raise_on_failure).get_content(lxml_ready(page.html))


def resiliparse_extract(page: PageInput, *, main_content: bool = True) -> str:
    """resiliparse's main-content text (not its full-text mode), from the decoded str."""
    from resiliparse.extract.html2text import extract_plain_text

    from benchmark.extractors.adapters import lxml_ready

    return extract_plain_text(lxml_ready(page.html), main_content=main_content)


def inscriptis_extract(page: PageInput) -> str:
    """inscriptis' rendering of the whole page: a full-text tool, not a boilerplate remover."""
    from inscriptis import get_text

    from benchmark.extractors.adapters import lxml_ready

    return get_text(lxml_ready(page.html))


def html_text_extract(page: PageInput, *, guess_layout: bool = True) -> str:
    """html-text's whole-page text: a full-text tool, not a boilerplate remover."""
    import html_text

    from benchmark.extractors.adapters import lxml_ready

    return html_text.extract_text(lxml_ready(page.html), guess_layout=guess_layout)


def magic_html_extract(page: PageInput, *, to_text: str = "html_text.extract_text") -> str:
    """magic-html's body HTML turned into text with html_text (as readability-lxml's is)."""
    import html_text
    from magic_html import GeneralExtractor

    from benchmark.extractors.adapters import lxml_ready

    if to_text != "html_text.extract_text":
        raise ValueError(f"unsupported to_text {to_text!r}")
    result = GeneralExtractor().extract(lxml_ready(page.html), base_url=page.url or "")
    return html_text.extract_text(result.get("html") or "")


def readabilipy_extract(page: PageInput, *, use_readability: bool = False) -> str:
    """readabilipy's pure-Python mode: its plain_text paragraphs joined by blank lines."""
    from readabilipy import simple_json_from_html_string

    from benchmark.extractors.adapters import lxml_ready

    if use_readability:
        raise ValueError("Readability.js mode needs Node.js; register it as an external command instead")
    article = simple_json_from_html_string(lxml_ready(page.html), use_readability=False)
    paragraphs = article.get("plain_text") or []
    return "\n\n".join(p["text"] for p in paragraphs if p.get("text"))


# --------------------------------------------------------------------------- newspaper4k


def newspaper4k_python() -> Path:
    """The interpreter of newspaper4k's own venv: $BOILERBENCH_NEWSPAPER4K_PYTHON or the default venv."""
    configured = os.environ.get(NEWSPAPER4K_ENV)
    if configured:
        return Path(configured)
    from platformdirs import user_cache_dir

    venv = Path(user_cache_dir("boilerbench")) / "venvs" / "newspaper4k"
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def newspaper4k_install_command() -> str:
    """How to create newspaper4k's venv where the harness looks for it (pins as measured on AEB)."""
    python = newspaper4k_python()
    venv = python.parent.parent
    return (f"python -m venv {venv} && {python.parent / 'pip'} install \"newspaper4k[zh,ja,nlp]==0.9.6\" "
            f"\"lxml==6.1.3\"  (its own venv: it installs the module 'newspaper' like newspaper3k; or set "
            f"{NEWSPAPER4K_ENV} to a python that has it); Korean pages also need NLTK's punkt_tab data there: "
            f"{python} -m nltk.downloader -d {venv / 'nltk_data'} punkt_tab")


def newspaper4k_tool() -> Path:
    """The JSON-lines script run by newspaper4k's interpreter (stdlib + newspaper only)."""
    return Path(__file__).resolve().parent / "tools" / "newspaper4k_jsonl.py"


def newspaper4k_available() -> bool:
    """True when the interpreter exists and its environment has newspaper4k (nothing is run)."""
    return newspaper4k_version() is not None


def newspaper4k_version() -> str | None:
    """newspaper4k's version in its venv, read from the venv's metadata without starting it."""
    from importlib.metadata import distributions

    python = newspaper4k_python()
    if not python.exists():
        return None
    venv = python.parent.parent
    site_dirs = list(venv.glob("lib/python*/site-packages")) + list(venv.glob("Lib/site-packages"))
    for dist in distributions(path=[str(d) for d in site_dirs]):
        if (dist.metadata["Name"] or "").lower() == "newspaper4k":
            return dist.version
    return None


def newspaper4k_extract(page: PageInput, **options: Any) -> str:
    """Send the page to newspaper4k running in its own venv (one long-lived JSON-lines process)."""
    from benchmark.extractors.adapters import lxml_ready
    from benchmark.extractors.external import run_jsonl_request

    request = {"language": page.language if options.get("language") == "by-card" else None,
               "fetch_images": options.get("fetch_images", False),
               "follow_meta_refresh": options.get("follow_meta_refresh", False),
               "memoize_articles": options.get("memoize_articles", False)}
    command = [str(newspaper4k_python()), str(newspaper4k_tool())]
    return run_jsonl_request(command, page, request, html=lxml_ready(page.html))
