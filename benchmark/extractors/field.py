"""The 2026 field (issue 17): extractors and converters that crawl and RAG pipelines pick, many emitting Markdown.

Registrations for every one of them, listed whether installed or not:

* in this environment (pyproject extras, versions pinned as measured with
  Python 3.11 and lxml 6.1.3): ``article-extractor``, ``crawl4ai`` (its own
  extra outside ``all``: it pulls Playwright, litellm and scipy), and the
  full-text Markdown converters ``html-to-markdown``, ``markdownify``,
  ``html2text`` (baselines: no boilerplate removal);
* in venvs of their own (venv_tools.py): ``news-please`` and ``rs-trafilatura``;
* under Node.js (node_tools.py): ``defuddle``, ``postlight-parser``,
  ``extractus-article``;
* ``extractnet`` and ``dragnet``, which no longer install on Python 3.11:
  listed with what fails, so ``list`` says so and a run records them
  ``unavailable``.

Every adapter reads the decoded ``page.html`` through ``lxml_ready`` (see
adapters.py) and never fetches: none of these calls has a download step,
and workers refuse sockets anyway.
"""

from __future__ import annotations

from benchmark.records import ExtractorSpec, PageInput

_HERE = "benchmark.extractors.field"

EXTRACTNET_REASON = (
    "does not install on Python 3.11 (measured with extractnet 2.0.7: its setup.py imports Cython before its "
    "build requirements, and once built by hand it needs numpy < 2 (np.unicode_), setuptools < 81 "
    "(pkg_resources in ftfy 4) and an old regex for dateparser 1.1); no release since 2022")
DRAGNET_REASON = (
    "does not install on Python 3.11 (measured with dragnet 2.0.4: its setup.py imports lxml and "
    "pkg_resources before its build requirements, and it pins a scikit-learn of 2019); no release since 2019")


def field_specs() -> list[ExtractorSpec]:
    """The field's registrations (trafilatura-markdown and readability-js-html live with their families)."""
    from benchmark.extractors import node_tools
    from benchmark.extractors.venv_tools import NEWS_PLEASE, RS_TRAFILATURA

    return [
        ExtractorSpec(
            name="rs-trafilatura", target="benchmark.extractors.venv_tools:extract", kind="external",
            input="text", distribution="trafipy",
            options={"tool": "rs-trafilatura", "script": RS_TRAFILATURA.script, "protocol": "jsonl-v1",
                     "include_tables": True, "include_links": True, "include_images": True,
                     "include_comments": False, "favor_recall": True, "min_extracted_size": 100,
                     "deduplicate": False, "output": "markdown"},
            modules=(),
            install=RS_TRAFILATURA.install_command() + "; rs-trafilatura itself ships only a source "
                    "distribution that downloads its Rust crates from crates.io at build time",
            description="rs-trafilatura (Rust port of trafilatura) through its trafipy 0.1.0 wheels, in a "
                        "Python >= 3.12 venv: its Markdown, defaults (favor_recall=True)", output="markdown"),
        ExtractorSpec(
            name="news-please", target="benchmark.extractors.venv_tools:extract", kind="external",
            input="text", distribution="news-please",
            options={"tool": "news-please", "script": NEWS_PLEASE.script, "protocol": "jsonl-v1",
                     "call": "NewsPlease.from_html", "fetch_images": False, "field": "maintext"},
            modules=(), install=NEWS_PLEASE.install_command(),
            description="news-please's extractor chain on the saved HTML (NewsPlease.from_html, no crawling), "
                        "in its own venv: maintext"),
        ExtractorSpec(
            name="extractnet", target=f"{_HERE}:extractnet_extract", kind="article", input="text",
            distribution="extractnet", options={}, modules=("extractnet",),
            install=f'pip install "extractnet==2.0.7": {EXTRACTNET_REASON}',
            description="ExtractNet (dragnet's successor): Extractor().extract(html)['content']"),
        ExtractorSpec(
            name="dragnet", target=f"{_HERE}:dragnet_extract", kind="article", input="text",
            distribution="dragnet", options={}, modules=("dragnet",),
            install=f'pip install "dragnet==2.0.4": {DRAGNET_REASON}',
            description="dragnet extract_content(html)"),
        ExtractorSpec(
            name="article-extractor", target=f"{_HERE}:article_extractor_extract", kind="article", input="text",
            distribution="article-extractor",
            options={"min_word_count": 50, "min_char_threshold": 500, "include_images": True,
                     "include_code_blocks": True, "safe_markdown": True, "field": "markdown"},
            modules=("article_extractor",),
            # every release after 0.2.0 declares Python >= 3.12; 0.5.9 runs on 3.11 (measured)
            install='pip install --ignore-requires-python "article-extractor==0.5.9"',
            description="article-extractor (pure Python, readability-style) extract_article: its Markdown",
            output="markdown"),
        ExtractorSpec(
            name="crawl4ai", target=f"{_HERE}:crawl4ai_extract", kind="article", input="text",
            distribution="crawl4ai",
            options={"generator": "DefaultMarkdownGenerator", "content_filter": "PruningContentFilter",
                     "threshold": 0.48, "threshold_type": "fixed", "min_word_threshold": None,
                     "input": "page HTML (no browser, no crawl)", "field": "fit_markdown"},
            modules=("crawl4ai",), install='pip install "crawl4ai==0.9.5"  (or pip install -e ".[crawl4ai]")',
            description="crawl4ai's content filter without its crawler: DefaultMarkdownGenerator with "
                        "PruningContentFilter on the page HTML, fit_markdown", output="markdown"),
        ExtractorSpec(
            name="html-to-markdown", target=f"{_HERE}:html_to_markdown_extract", kind="full-text",
            input="text", distribution="html-to-markdown", options={"options": "defaults"},
            modules=("html_to_markdown",), install='pip install "html-to-markdown==3.19.0"',
            description="html-to-markdown (Rust) convert(): the whole page as Markdown (no boilerplate removal)",
            output="markdown"),
        ExtractorSpec(
            name="markdownify", target=f"{_HERE}:markdownify_extract", kind="full-text", input="text",
            distribution="markdownify", options={"heading_style": "ATX"}, modules=("markdownify",),
            install='pip install "markdownify==1.2.3"',
            description="markdownify(html, heading_style='ATX'): the whole page as Markdown", output="markdown"),
        ExtractorSpec(
            name="html2text", target=f"{_HERE}:html2text_extract", kind="full-text", input="text",
            distribution="html2text", options={"body_width": 0}, modules=("html2text",),
            install='pip install "html2text==2025.4.15"',
            description="html2text.HTML2Text(body_width=0).handle(html): the whole page as Markdown "
                        "(no hard wrapping)", output="markdown"),
        *node_tools.specs(),
    ]


# --------------------------------------------------------------------------- adapters


def extractnet_extract(page: PageInput) -> str:
    """ExtractNet's content field (where it installs)."""
    from extractnet import Extractor

    from benchmark.extractors.adapters import lxml_ready

    return (Extractor().extract(lxml_ready(page.html)) or {}).get("content") or ""


def dragnet_extract(page: PageInput) -> str:
    """dragnet's extract_content (where it installs)."""
    from dragnet import extract_content

    from benchmark.extractors.adapters import lxml_ready

    return extract_content(lxml_ready(page.html)) or ""


def article_extractor_extract(page: PageInput, *, min_word_count: int = 50, min_char_threshold: int = 500,
                              include_images: bool = True, include_code_blocks: bool = True,
                              safe_markdown: bool = True, field: str = "markdown") -> str:
    """article-extractor's Markdown; a result it marks unsuccessful raises with its own error."""
    from article_extractor import ExtractionOptions, extract_article

    from benchmark.extractors.adapters import lxml_ready

    if field != "markdown":
        raise ValueError(f"unsupported field {field!r}")
    options = ExtractionOptions(min_word_count=min_word_count, min_char_threshold=min_char_threshold,
                                include_images=include_images, include_code_blocks=include_code_blocks,
                                safe_markdown=safe_markdown)
    result = extract_article(lxml_ready(page.html), url=page.url or "", options=options)
    if not result.success and result.error and not result.markdown:
        if "no" in result.error.lower() and "content" in result.error.lower():
            return ""  # "no content found": an empty outcome, not a failure
        raise RuntimeError(result.error)
    return result.markdown or ""


def crawl4ai_extract(page: PageInput, *, generator: str = "DefaultMarkdownGenerator",
                     content_filter: str = "PruningContentFilter", threshold: float = 0.48,
                     threshold_type: str = "fixed", min_word_threshold: int | None = None,
                     input: str = "", field: str = "fit_markdown") -> str:
    """crawl4ai's pruning-filtered Markdown of the page HTML; no browser is started."""
    import os
    import warnings

    # litellm (imported by crawl4ai) would fetch its model price list at import time
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    from crawl4ai.content_filter_strategy import PruningContentFilter
    from crawl4ai.markdown_generation_strategy import DefaultMarkdownGenerator

    from benchmark.extractors.adapters import lxml_ready

    if generator != "DefaultMarkdownGenerator" or content_filter != "PruningContentFilter" or field != "fit_markdown":
        raise ValueError("crawl4ai: DefaultMarkdownGenerator + PruningContentFilter, fit_markdown only")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # it names its lxml twin; the filter named is this one
        pruning = PruningContentFilter(threshold=threshold, threshold_type=threshold_type,
                                       min_word_threshold=min_word_threshold)
    result = DefaultMarkdownGenerator(content_filter=pruning).generate_markdown(
        input_html=lxml_ready(page.html), base_url=page.url or "")
    return result.fit_markdown or ""


def html_to_markdown_extract(page: PageInput, *, options: str = "defaults") -> str:
    """html-to-markdown's conversion of the whole page with its default options."""
    from html_to_markdown import convert

    from benchmark.extractors.adapters import lxml_ready

    if options != "defaults":
        raise ValueError(f"unsupported options {options!r}")
    return convert(lxml_ready(page.html)).content or ""


def markdownify_extract(page: PageInput, *, heading_style: str = "ATX") -> str:
    """markdownify's conversion of the whole page, ATX (#) headings."""
    from markdownify import markdownify

    from benchmark.extractors.adapters import lxml_ready

    return markdownify(lxml_ready(page.html), heading_style=heading_style)


def html2text_extract(page: PageInput, *, body_width: int = 0) -> str:
    """html2text's Markdown of the whole page, lines not wrapped."""
    import html2text

    from benchmark.extractors.adapters import lxml_ready

    converter = html2text.HTML2Text(baseurl=page.url or "")
    converter.body_width = body_width
    return converter.handle(lxml_ready(page.html))
