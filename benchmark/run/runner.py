"""Runs every extractor on every page in worker processes, with deadlines, and yields each result as it lands.

Extractors never run in the harness process. `Runner` keeps `jobs` worker
slots; one loop (a selector over the slots' pipes, each slot with its own
deadline) serves jobs=1 and jobs=N alike. Each worker has its next page of
the same extractor waiting in its pipe behind the one it runs, so it goes
from one page to the next without waiting for the harness (that wait was
0.2 s of a 4.4 s run on 200 AEB pages at --jobs 1); a page queued on a
worker that dies or is killed goes back in line, to a fresh worker. Pairs
are dispatched extractor-major (all pages of one extractor, then the next): a
worker imports its library once and runs the same call page after page, as a
crawl would, and a missing library is found on its first page before more
work goes out.
When a slot moves on to the next extractor it gets a fresh worker, so no
library's imports, caches, patches or garbage bias another's timings,
`import_ms` is measured in a clean interpreter, and a worker's peak RSS is
that extractor's (`peak_memory_mb`). That costs one interpreter start per
slot and extractor (~0.1 s), not per page.

Per pair, exactly one `Extraction`: ok / empty / error from the worker;
`timeout` when the deadline passes (the worker's process group is SIGKILLed
and the slot gets a fresh worker); `crash` when the worker dies (EOF on its
pipe: exit code or signal recorded, that page only); `unavailable` when the
library is missing (checked in the harness with `registry.is_installed`,
confirmed by the worker's ImportError of a `spec.modules` entry). A spec whose
import or warm-up times out or crashes twice is not tried on its remaining
pages: those record the same outcome with a "not run" reason.

Deadlines: `timeout` seconds for the extractor call; the first use of a spec
in a worker (Python start-up, import, warm-up, then the page) gets
`load_timeout` more (default 30 s), so a slow import is never blamed on a
page and a tool hanging from the start is reported after both, named.
`start`, called before the pages are known, has the workers load the first
extractor while the caller reads the corpus, on cold runs only.

`executor="dask"` runs the same work on a Dask distributed cluster
(dask_executor.py). A worker slot's process handling (spawn, pipes, captured
output, kill) is in slots.py, turning its answers into results in replies.py,
what is known of each spec in specs.py, the worker itself in worker.py.
"""

from __future__ import annotations

import collections
import itertools
import selectors
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Sequence

from benchmark.records import Extraction, ExtractorRun, ExtractorSpec, Gold, Outcome, Page

from benchmark.run.cache_key import PairKeys, pair_input
from benchmark.run.protocol import page_to_wire
from benchmark.run.replies import SlotReplies, Task
from benchmark.run.slots import Slot, WorkerSettings
from benchmark.run.specs import SpecState, describe_specs, extractor_run, spec_states

if TYPE_CHECKING:
    from benchmark.run.cache import Cache, CacheKey
    from benchmark.run.dask_executor import DaskExecutor
    from benchmark.run.interpreter import WorkerPython


#: seconds a worker may take to start, import and warm up an extractor, on top of the first call's timeout
DEFAULT_LOAD_TIMEOUT = 30.0
#: the longest text a worker sends back (UTF-8 bytes); a longer one records "output too large"
DEFAULT_MAX_OUTPUT_BYTES = 20 * 1024 * 1024


class Runner(SlotReplies):
    """Runs specs on pages in isolated workers; `run` yields one Extraction per (spec, page)."""

    def __init__(self, specs: Sequence[ExtractorSpec], *, jobs: int, timeout: float = 30.0,
                 memory_mb: int | None = 4096, cache: Cache | None = None,
                 load_timeout: float | None = None, executor: str = "local", scheduler: Any = None,
                 chunk_size: int = 50, python: WorkerPython | None = None,
                 max_output_bytes: int | None = DEFAULT_MAX_OUTPUT_BYTES) -> None:
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, got {jobs}")
        if executor not in ("local", "dask"):
            raise ValueError(f"executor must be 'local' or 'dask', got {executor!r}")
        if executor == "dask" and not scheduler:
            raise ValueError("the dask executor needs a scheduler address (--scheduler tcp://HOST:8786)")
        if executor == "dask" and python is not None:
            raise ValueError("another worker Python runs on this machine only, not on a Dask cluster")
        if chunk_size < 1:
            raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout}")
        names = [spec.name for spec in specs]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"extractor names must be unique; repeated: {', '.join(duplicates)}")
        self.specs = list(specs)
        self.jobs = jobs
        self.timeout = float(timeout)
        self.load_timeout = float(load_timeout) if load_timeout is not None else DEFAULT_LOAD_TIMEOUT
        self.memory_mb = memory_mb
        self.max_output_bytes = max_output_bytes
        self.cache = cache
        self.executor = executor
        self.scheduler = scheduler  # an address, or a distributed.Client to use as it is
        self.chunk_size = chunk_size
        #: the interpreter workers run in (a release's venv, for `boilerbench matrix`); None: this one
        self.python = python
        self._dask: DaskExecutor | None = None
        if executor == "dask":
            from benchmark.run.dask_executor import DaskExecutor

            self._dask = DaskExecutor(scheduler, chunk_size)
        #: worker processes started so far (replacements included), for tests and the bench tool
        self.workers_started = 0
        self._slots = [Slot(i) for i in range(jobs)]
        self._selector: selectors.BaseSelector | None = None
        self._states: list[SpecState] | None = None
        self._task_ids = itertools.count(1)
        self._keys: dict[tuple[str, str], CacheKey] = {}  # (extractor, page_id) -> the key used, for scores
        self._in_line: collections.deque[Task] = collections.deque()  # prepared tasks waiting for a slot
        self._running = False
        self._closed = False

    # ------------------------------------------------------------------ public

    def run(self, pages: Sequence[Page], golds: Mapping[str, Gold], *,
            on_progress: Callable[[Extraction], None] | None = None,
            meanwhile: Callable[[], None] | None = None) -> Iterator[Extraction]:
        """Yield one Extraction per (spec, page) as each finishes; unavailable specs first, at once.

        `meanwhile` is called once, when the first pages are out and before any
        result is waited for: the caller's own warm-up then overlaps the
        workers' first pages instead of holding up the first result.
        """
        if self._closed:
            raise RuntimeError("this Runner is closed")
        if self._running:
            raise RuntimeError("a Runner runs one run() at a time")
        self._running = True
        pages = list(pages)
        if self._dask is not None and meanwhile is not None:
            meanwhile()
        extractions = self._run(pages, golds, meanwhile) if self._dask is None else self._dask.run(self, pages, golds)
        outputs = {spec.name: spec.output for spec in self.specs if spec.output != "text"}
        try:
            for extraction in extractions:
                if extraction.extractor in outputs:  # one place, whatever produced it (worker, cache, Dask)
                    extraction = replace(extraction, output=outputs[extraction.extractor])
                if on_progress is not None:
                    on_progress(extraction)
                yield extraction
        finally:
            self._running = False
            self._abort_busy()

    def start(self) -> bool:
        """Spawn the workers and have them load the first extractor now, when this looks like a cold run.

        Called before the corpus is read, so their imports overlap it. A cache
        holding rows of the first extractor's very code says a warm re-run is
        likely: then no worker is started ahead (it would only take CPU from
        the harness). True when workers were started.
        """
        if self._dask is not None or self._closed:
            return False
        first = self._first_to_load()
        if first is None:
            return False
        if self._selector is None:
            self._selector = selectors.DefaultSelector()
        for slot in self._slots:
            if slot.proc is None:
                slot.spawn(self._selector, self._settings(first), self.python)
                self.workers_started += 1
            slot.spec_name = first.name
            slot.preload = next(self._task_ids)
            slot.send(("load", slot.preload, first))
        return True

    def _first_to_load(self) -> ExtractorSpec | None:
        """The first installed spec, unless the cache holds rows of its very code (describing only it: fast)."""
        if self.python is not None:  # another interpreter says what is installed there
            first_state = next((state for state in self._prepare_states() if not state.unavailable), None)
            first = first_state.spec if first_state is not None else None
        else:
            from benchmark.extractors.registry import is_installed

            first = next((spec for spec in self.specs if is_installed(spec)), None)
        if first is None or self.cache is None:
            return first
        from benchmark.run.code_identity import identity_digest

        version, options_digest, identity, _installed = describe_specs([first])[0]
        if self.cache.has_code(first.name, version or "", options_digest, identity_digest(identity)):
            return None
        return first

    def planned_pairs(self, pages: Sequence[Page], golds: Mapping[str, Gold]
                      ) -> Iterator[tuple[str, str, CacheKey | None, Extraction | None]]:
        """Each pair as the loop would prepare it, touching neither cache nor worker: its key, or the
        Extraction it gets at once (an extractor not installed). For `unchanged.planned_fingerprint`."""
        keys = PairKeys()
        for state in self._prepare_states():
            for page in pages:
                immediate = _immediate(state, page.page_id)
                if immediate is not None:
                    yield state.spec.name, page.page_id, None, immediate
                    continue
                page_input = pair_input(page, state.spec, golds)
                yield state.spec.name, page.page_id, keys(state, page, page_input), None

    def key_of(self, extraction: Extraction) -> CacheKey | None:
        """The cache key this run used for a pair (None without a cache, or for a pair never prepared)."""
        return self._keys.get((extraction.extractor, extraction.page_id))

    def extractor_runs(self) -> list[ExtractorRun]:
        """Per-spec facts for run.json: version, options digest, import + warm-up time, notes."""
        return [extractor_run(state) for state in self._prepare_states()]

    @property
    def isolation(self) -> list[dict[str, str]]:
        """What isolation the workers of this run were under, as they reported it (one entry per kind seen)."""
        if self._dask is not None:
            return self._dask.isolation
        seen = set().union(*(slot.isolation for slot in self._slots))
        return [dict(report) for report in sorted(seen)]

    @property
    def peak_memory_mb(self) -> dict[str, float | None]:
        """Per spec, the highest peak RSS of any worker that ran it (its interpreter and library included)."""
        return {state.spec.name: state.peak_rss_mb for state in self._prepare_states()}

    def close(self) -> None:
        """Kill every worker (and whatever it started) and release the capture files."""
        if self._closed:
            return
        self._closed = True
        for slot in self._slots:
            slot.close()
        if self._selector is not None:
            self._selector.close()
            self._selector = None
        if self._dask is not None:
            self._dask.close()

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ------------------------------------------------------------------ states

    def _prepare_states(self) -> list[SpecState]:
        """Versions, digests and availability, found in the harness without importing any extractor."""
        if self._states is None:
            # with Dask, the cluster's environment is the one that runs the extractors
            if self._dask is not None:
                facts = self._dask.describe_specs(self.specs)
            elif self.python is not None:  # the release's venv answers for itself
                facts = self.python.describe_specs(self.specs)
            else:
                facts = describe_specs(self.specs)
            self._states = spec_states(self.specs, facts)
        return self._states

    # ------------------------------------------------------------------ the loop

    def _run(self, pages: list[Page], golds: Mapping[str, Gold],
             meanwhile: Callable[[], None] | None = None) -> Iterator[Extraction]:
        states = self._prepare_states()
        for state in states:  # no worker for a library that is not there
            if state.unavailable:
                for page in pages:
                    yield Extraction(extractor=state.spec.name, page_id=page.page_id,
                                     outcome=Outcome.UNAVAILABLE, error=state.unavailable)
        pairs = ((state, page) for state in states if not state.unavailable for page in pages)
        keys = PairKeys()
        self._in_line.clear()
        exhausted = False

        def next_item() -> Extraction | Task | None:
            """The next pair in line: a task sent back by a dead worker first, then a new pair, prepared."""
            nonlocal exhausted
            if self._in_line:
                task = self._in_line.popleft()
                return _immediate(task.state, task.page_id) or task
            pair = None if exhausted else next(pairs, None)
            if pair is None:
                exhausted = True
                return None
            return self._prepare_pair(pair[0], pair[1], golds, keys)

        def fill() -> Iterator[Extraction]:
            """Keep every slot's worker busy, one task running and one queued behind it.

            An idle slot takes the next task whatever its spec; a busy one only a
            task of the spec it is running (a new spec gets a fresh worker). Pairs
            that need no worker (cached, skipped) are yielded at once.
            """
            for slot in self._slots:
                while slot.task is None or slot.queued is None:
                    item = next_item()
                    if item is None:
                        return
                    if isinstance(item, Extraction):
                        yield item
                    elif slot.task is None:
                        self._dispatch(slot, item)
                    elif slot.proc is not None and item.state is slot.task.state:
                        self._queue(slot, item)
                    else:  # another spec: it waits for an idle slot
                        self._in_line.appendleft(item)
                        break

        yield from fill()
        if meanwhile is not None:
            meanwhile()
        while any(slot.task is not None for slot in self._slots):
            finished = self._wait()
            # refill the freed slots before the caller sees these results, so workers extract while it scores
            yield from fill()
            yield from finished

    def _prepare_pair(self, state: SpecState, page: Page, golds: Mapping[str, Gold],
                      keys: PairKeys) -> Extraction | Task:
        """An Extraction when the pair needs no worker (unavailable, skipped, cached); else a task."""
        spec = state.spec
        immediate = _immediate(state, page.page_id)
        if immediate is not None:
            return immediate
        page_input = pair_input(page, spec, golds)
        key = None
        if self.cache is not None:
            key = self._keys[spec.name, page.page_id] = keys(state, page, page_input)
            hit = self.cache.get(key, page.page_id)
            if hit is not None:
                state.from_cache += 1
                return hit
        return Task(id=next(self._task_ids), state=state, page_id=page.page_id, page_input=page_input,
                     key=key)

    def _wait(self) -> list[Extraction]:
        """Block until some slot has news or a deadline passes; the pairs that finished."""
        assert self._selector is not None
        busy = [slot for slot in self._slots if slot.task is not None]
        delay = max(0.0, min(slot.deadline for slot in busy) - time.monotonic())
        finished: list[Extraction] = []
        for key, _mask in self._selector.select(delay):
            slot: Slot = key.data
            if key.fd == slot.task_fd:
                slot.flush()
            elif key.fd == slot.result_fd:
                finished.extend(self._read(slot))
        now = time.monotonic()
        for slot in busy:
            if slot.task is not None and now >= slot.deadline:
                # a result may be waiting unread (the consumer was slow between yields): read it first; then
                # the task still over its deadline is the one running (a queued one moved up starts afresh)
                finished.extend(self._read(slot))
                if slot.task is not None and now >= slot.deadline:
                    finished.append(self._on_timeout(slot))
        return finished

    # ------------------------------------------------------------------ workers

    def _dispatch(self, slot: Slot, task: Task) -> None:
        name = task.state.spec.name
        if slot.proc is not None and slot.spec_name not in (None, name):
            slot.kill()  # retire it: each extractor starts in a clean interpreter
        if slot.proc is None:
            if self._selector is None:
                self._selector = selectors.DefaultSelector()
            slot.spawn(self._selector, self._settings(task.state.spec), self.python)
            self.workers_started += 1
        slot.spec_name = name
        slot.task = task
        self._start_clock(slot)
        _send(slot, task)

    def _queue(self, slot: Slot, task: Task) -> None:
        """Send a task to wait in the worker's pipe behind the one it is running (same spec, same worker)."""
        slot.queued = task
        _send(slot, task)

    def _requeue(self, task: Task) -> None:
        self._in_line.append(task)

    def _settings(self, spec: ExtractorSpec) -> WorkerSettings:
        return WorkerSettings(memory_mb=self.memory_mb, max_output_bytes=self.max_output_bytes,
                              isolate_network=spec.options.get("network") != "allow")

    def _abort_busy(self) -> None:
        """A run that stopped early (break, Ctrl-C): workers mid-call are killed, idle ones kept."""
        for slot in self._slots:
            if slot.task is not None:
                slot.kill()
                slot.task = slot.queued = None
        self._in_line.clear()


def _send(slot: Slot, task: Task) -> None:
    slot.send(("run", task.id, task.state.spec, page_to_wire(task.page_input)))


def _immediate(state: SpecState, page_id: str) -> Extraction | None:
    """The Extraction a pair gets without a worker: its extractor is not installed, or stopped loading."""
    if state.unavailable:
        return Extraction(extractor=state.spec.name, page_id=page_id, outcome=Outcome.UNAVAILABLE,
                          error=state.unavailable)
    if state.skip is not None:
        return Extraction(extractor=state.spec.name, page_id=page_id, outcome=state.skip[0], error=state.skip[1])
    return None
