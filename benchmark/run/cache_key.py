"""The key of one cached pair: everything an extraction depends on (see cache.py for what each part is)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Mapping

from benchmark.records import ExtractorSpec, Gold, Page, PageInput
from benchmark.run.code_identity import module_source


@dataclass(frozen=True)
class CacheKey:
    """Everything a cached extraction depends on."""

    extractor: str
    version: str  # "" when the version is unknown (local code)
    options_digest: str
    page_sha256: str
    input_digest: str
    code_digest: str

    def as_row(self) -> tuple[str, ...]:
        return (self.extractor, self.version, self.options_digest, self.page_sha256, self.input_digest,
                self.code_digest)



def input_digest(page_input: PageInput) -> str:
    """sha256 of what an adapter is handed beyond the raw bytes (the page sha256 covers them).

    The decoded html is not hashed: it is `raw` decoded with `encoding`, and both are in the key.
    """
    digest = hashlib.sha256()
    for part in (page_input.encoding, page_input.url, page_input.language):
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    if page_input.gold is None:
        digest.update(b"\xff" * 8)
    else:
        data = page_input.gold.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def page_facts_digest() -> str:
    """sha256 of the code that counts a page's visible tokens (visible_text and textnorm), found unimported."""
    digest = hashlib.sha256()
    for module in ("benchmark.corpus.visible_text", "benchmark.score.textnorm"):
        source = module_source(module)
        if source is not None:
            digest.update(source.read_bytes())
    return digest.hexdigest()


def make_key(spec: ExtractorSpec, *, version: str | None, options_digest: str, page: Page,
             page_input: PageInput, code: str) -> CacheKey:
    """The key of one (spec, page) pair; `code` is code_digest(spec), computed once per run."""
    return CacheKey(extractor=spec.name, version=version or "", options_digest=options_digest,
                    page_sha256=page.sha256, input_digest=input_digest(page_input), code_digest=code)


def pair_input(page: Page, spec: ExtractorSpec, golds: Mapping[str, Gold]) -> PageInput:
    """What a worker hands the adapter, without the html: the worker decodes `raw` itself (one copy less); the
    gold text only for a spec that needs it."""
    gold = golds.get(page.page_id) if spec.needs_gold else None
    return PageInput(page_id=page.page_id, html="", raw=page.raw, encoding=page.encoding, url=page.card.url,
                     language=page.card.language, gold=gold.text if gold is not None else None)


class PairKeys:
    """The key of each (spec, page) pair of one run; a page's input digest computed once per kind of spec."""

    def __init__(self) -> None:
        self._digests: dict[tuple[str, bool], str] = {}

    def __call__(self, state: Any, page: Page, page_input: PageInput) -> CacheKey:
        """`state` is the runner's SpecState: its version, options digest and code identity digest."""
        memo = (page.page_id, page_input.gold is not None)
        if memo not in self._digests:
            self._digests[memo] = input_digest(page_input)
        return CacheKey(extractor=state.spec.name, version=state.version or "", options_digest=state.options_digest,
                        page_sha256=page.sha256, input_digest=self._digests[memo], code_digest=state.code_digest)
