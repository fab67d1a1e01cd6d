"""The Dask executor: a Runner's pairs run on a Dask distributed cluster (extra ``boilerbench[dask]``).

Each Dask task is one extractor on a chunk of pages, run on the Dask worker
through a local jobs=1 `Runner`, so every extractor call is still isolated in
a worker process of its own there. Versions, digests and availability come
from the cluster (assumed homogeneous); cache lookups and writes stay in the
harness. Parallelism is the cluster's threads; `jobs` is not used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

from benchmark.records import Extraction, ExtractorSpec, Gold, Outcome, Page
from benchmark.run.protocol import describe
from benchmark.run.runner import Runner
from benchmark.run.cache_key import PairKeys
from benchmark.run.specs import SpecFacts, describe_specs

if TYPE_CHECKING:
    from benchmark.run.cache import CacheKey
    from benchmark.run.specs import SpecState


def _pages_to_wire(pages: Sequence[Page]) -> list[tuple[Any, ...]]:
    """Pages for Dask as plain fields (a Page keeps only bytes; its html is decoded where it is used)."""
    return [(p.page_id, p.path, p.raw, p.encoding, p.encoding_source, p.sha256, p.card) for p in pages]


def _pages_from_wire(fields: Sequence[tuple[Any, ...]]) -> list[Page]:
    return [Page(page_id=page_id, path=path, raw=raw, encoding=encoding, encoding_source=source, sha256=sha256,
                 card=card)
            for page_id, path, raw, encoding, source, sha256, card in fields]


def run_chunk(spec: ExtractorSpec, chunk: tuple[list[tuple[Any, ...]], dict[str, Gold]], page_ids: Sequence[str],
              *, timeout: float, memory_mb: int | None, load_timeout: float | None,
              max_output_bytes: int | None = None) -> tuple[list[Extraction], dict[str, Any]]:
    """One Dask task: a spec on some pages of a chunk, through a local isolated Runner; results + facts."""
    wire_pages, golds = chunk
    pages = _pages_from_wire(wire_pages)
    wanted = set(page_ids)
    with Runner([spec], jobs=1, timeout=timeout, memory_mb=memory_mb, load_timeout=load_timeout,
                max_output_bytes=max_output_bytes) as runner:
        results = list(runner.run([page for page in pages if page.page_id in wanted], golds))
        state = runner._prepare_states()[0]
        facts = {"import_ms": list(state.import_ms), "peak_rss_mb": state.peak_rss_mb,
                 "notes": list(state.notes), "unavailable": state.unavailable, "isolation": runner.isolation}
    return results, facts


class DaskExecutor:
    """A Runner's work as Dask tasks of one spec on up to chunk_size pages each."""

    def __init__(self, scheduler: Any, chunk_size: int) -> None:
        self.scheduler = scheduler  # an address, or a distributed.Client to use as it is
        self.chunk_size = chunk_size
        self._client: Any = None
        self._own_client = False
        #: the isolation the cluster's workers reported, one entry per kind seen
        self.isolation: list[dict[str, str]] = []

    def client(self) -> Any:
        if self._client is None:
            try:
                import distributed
            except ImportError:
                raise RuntimeError('the dask executor needs Dask distributed: pip install "boilerbench[dask]"') \
                    from None
            if isinstance(self.scheduler, distributed.Client):
                self._client = self.scheduler
            else:
                self._client = distributed.Client(self.scheduler, set_as_default=False, timeout="30s")
                self._own_client = True
        return self._client

    def describe_specs(self, specs: Sequence[ExtractorSpec]) -> list[SpecFacts]:
        """`runner.describe_specs` answered by the cluster, whose environment runs the extractors."""
        return self.client().submit(describe_specs, specs, pure=False).result()

    def close(self) -> None:
        if self._client is not None and self._own_client:
            self._client.close()
        self._client = None

    def run(self, runner: Runner, pages: list[Page], golds: Mapping[str, Gold]) -> Iterator[Extraction]:
        """The same pairs as the runner's local loop, as Dask tasks; unavailable specs first, at once."""
        from distributed import as_completed

        client = self.client()
        states = runner._prepare_states()
        for state in states:
            if state.unavailable:
                for page in pages:
                    yield Extraction(extractor=state.spec.name, page_id=page.page_id,
                                     outcome=Outcome.UNAVAILABLE, error=state.unavailable)
        chunks = [pages[i:i + self.chunk_size] for i in range(0, len(pages), self.chunk_size)]
        scattered: dict[int, Any] = {}  # chunk index -> future of (pages, golds), sent to the cluster once
        keys: dict[tuple[str, str], CacheKey | None] = {}
        submitted: dict[Any, tuple[SpecState, list[str]]] = {}
        digests = PairKeys()
        futures = []
        try:
            for priority, state in enumerate(s for s in states if not s.unavailable):
                for index, chunk in enumerate(chunks):
                    missing = []
                    for page in chunk:
                        item = runner._prepare_pair(state, page, golds, digests)
                        if isinstance(item, Extraction):
                            yield item
                        else:
                            keys[state.spec.name, page.page_id] = item.key
                            missing.append(page.page_id)
                    if not missing:
                        continue
                    if index not in scattered:
                        chunk_golds = {p.page_id: golds[p.page_id] for p in chunk if p.page_id in golds}
                        # a one-element list: scatter would split a bare tuple into two futures
                        scattered[index] = client.scatter([(_pages_to_wire(chunk), chunk_golds)], hash=False)[0]
                    future = client.submit(run_chunk, state.spec, scattered[index], missing, pure=False,
                                           priority=-priority, timeout=runner.timeout, memory_mb=runner.memory_mb,
                                           load_timeout=runner.load_timeout,
                                           max_output_bytes=runner.max_output_bytes)
                    submitted[future] = (state, missing)
                    futures.append(future)
            for future in as_completed(futures, loop=client.loop):
                state, missing = submitted.pop(future)
                try:
                    results, facts = future.result()
                except Exception as exc:  # noqa: BLE001 - a lost Dask worker or task: crash for its pairs
                    results, facts = [Extraction(extractor=state.spec.name, page_id=page_id, outcome=Outcome.CRASH,
                                                 error=f"dask task failed: {describe(exc)}")
                                      for page_id in missing], {}
                future.release()
                state.import_ms.extend(facts.get("import_ms", ()))
                state.saw_rss(facts.get("peak_rss_mb"))
                for note in facts.get("notes", ()):
                    state.note(note)
                if facts.get("unavailable"):
                    state.unavailable = facts["unavailable"]
                for report in facts.get("isolation", ()):
                    if report not in self.isolation:
                        self.isolation.append(report)
                for extraction in results:
                    key = keys.pop((extraction.extractor, extraction.page_id), None)
                    state.computed += 1
                    if runner.cache is not None and key is not None:
                        runner.cache.put(key, extraction)
                    yield extraction
        finally:
            pending = [future for future in submitted if not future.done()]
            if pending:
                client.cancel(pending)
            for future in scattered.values():
                future.release()
