"""Runs every extractor on every page in worker processes, with deadlines, and yields each result as it lands.

Extractors never run in the harness process. `Runner` keeps `jobs` worker
slots; one loop (a selector over the slots' pipes, each slot with its own
deadline) serves jobs=1 and jobs=N alike. Pairs are dispatched
extractor-major (all pages of one extractor, then the next): a worker imports
its library once and runs the same call page after page, as a crawl would,
and a missing library is found on its first page before more work goes out.
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
in a worker (Python start-up, import, warm-up page) gets `load_timeout`
(default max(timeout, 60 s)) instead, so a slow import is never blamed on a page.

`executor="dask"` runs the same work on a Dask distributed cluster (extra
``boilerbench[dask]``): each Dask task is one extractor on a chunk of pages,
run on the Dask worker through a local jobs=1 `Runner`, so every extractor
call is still isolated in a worker process of its own there. Versions,
digests and availability come from the cluster (assumed homogeneous); cache
lookups and writes stay in the harness. Parallelism is the cluster's threads;
`jobs` is not used.
"""

from __future__ import annotations

import itertools
import os
import selectors
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Sequence

from benchmark.records import Extraction, ExtractorRun, ExtractorSpec, Gold, Outcome, Page, PageInput
from benchmark.run.worker import FrameReader, describe, encode_frame, page_to_wire

if TYPE_CHECKING:
    from benchmark.run.cache import Cache, CacheKey

#: bytes of captured stdout / stderr kept per pair and stream (head and tail when longer)
CAPTURE_LIMIT = 8192
#: import + warm-up failures (timeout or crash) after which a spec's remaining pages are not run
MAX_LOAD_FAILURES = 2
#: pipe buffer asked for (Linux F_SETPIPE_SZ; /proc/sys/fs/pipe-max-size is 1 MiB by default)
PIPE_BYTES = 1 << 20
#: seconds to wait for a killed worker to be reaped
_REAP_SECONDS = 10.0


@dataclass
class _SpecState:
    """What the harness knows about one spec during and after a run."""

    spec: ExtractorSpec
    version: str | None
    options_digest: str
    code_digest: str
    unavailable: str = ""  # the reason, when the library is missing
    skip: tuple[Outcome, str] | None = None  # set after MAX_LOAD_FAILURES failed loads
    load_failures: int = 0
    import_ms: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    from_cache: int = 0
    computed: int = 0
    peak_rss_mb: float | None = None

    def saw_rss(self, peak: float | None) -> None:
        if peak is not None and (self.peak_rss_mb is None or peak > self.peak_rss_mb):
            self.peak_rss_mb = float(peak)

    def note(self, text: str) -> None:
        if text and text not in self.notes:
            self.notes.append(text)


@dataclass
class _Task:
    """One (spec, page) pair on its way to a worker."""

    id: int
    state: _SpecState
    page_id: str
    page_input: PageInput
    key: CacheKey | None


class _Slot:
    """One worker slot: at most one live worker, at most one task in flight."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.proc: subprocess.Popen[bytes] | None = None
        self.task_fd = -1
        self.result_fd = -1
        self.reader = FrameReader()
        self.outbuf = b""
        self.outpos = 0
        self.writing = False
        self.capture: tuple[int, int] | None = None  # (stdout fd, stderr fd), O_APPEND, unlinked
        self.task: _Task | None = None
        self.phase = ""  # "load" until the worker reports the spec loaded, then "call"
        self.deadline = float("inf")
        self.loaded: set[str] = set()
        self.spec_name: str | None = None  # the one spec this slot's current worker serves


def _capture_file() -> int:
    """An unlinked temporary file opened O_APPEND: the worker truncates it per pair, the harness preads it."""
    fd, path = tempfile.mkstemp(prefix="boilerbench-capture-")
    os.unlink(path)
    import fcntl

    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_APPEND)
    return fd


def _widen_pipe(fd: int) -> None:
    """1 MiB pipes (Linux): a 300 KB page crosses in one write instead of a dozen 64 KiB round trips."""
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_BYTES)
    except (OSError, ImportError):  # not Linux, or over the user's pipe quota: the default size works
        pass


def read_capture(fd: int, limit: int = CAPTURE_LIMIT) -> str:
    """What a worker wrote to a capture file, head and tail kept when longer than limit."""
    try:
        size = os.fstat(fd).st_size
        if size <= limit:
            data = os.pread(fd, size, 0)
            return data.decode("utf-8", "replace")
        half = limit // 2
        head = os.pread(fd, half, 0).decode("utf-8", "replace")
        tail = os.pread(fd, half, size - half).decode("utf-8", "replace")
    except OSError:
        return ""
    return f"{head}\n[... {size - 2 * half} bytes not kept ...]\n{tail}"


def _death_reason(returncode: int | None) -> str:
    if returncode is None:
        return "unknown exit status"
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"killed by {name} (signal {-returncode})"
    return f"exited with code {returncode}"


def _registry() -> Any:
    from benchmark.extractors import registry

    return registry


def describe_specs(specs: Sequence[ExtractorSpec]) -> list[tuple[str | None, str, str, bool]]:
    """(version, options digest, code digest, installed) per spec, found without importing any extractor.

    Module-level so a Dask worker can answer it for the cluster's environment.
    """
    from benchmark.run.cache import code_digest

    registry = _registry()
    return [(registry.version_of(spec), registry.options_digest(spec), code_digest(spec),
             registry.is_installed(spec)) for spec in specs]


def _pages_to_wire(pages: Sequence[Page]) -> list[tuple[Any, ...]]:
    """Pages for Dask as plain fields (a Page keeps only bytes; its html is decoded where it is used)."""
    return [(p.page_id, p.path, p.raw, p.encoding, p.encoding_source, p.sha256, p.card) for p in pages]


def _pages_from_wire(fields: Sequence[tuple[Any, ...]]) -> list[Page]:
    return [Page(page_id=page_id, path=path, raw=raw, encoding=encoding, encoding_source=source, sha256=sha256,
                 card=card)
            for page_id, path, raw, encoding, source, sha256, card in fields]


def run_chunk(spec: ExtractorSpec, chunk: tuple[list[tuple[Any, ...]], dict[str, Gold]], page_ids: Sequence[str],
              *, timeout: float, memory_mb: int | None, load_timeout: float | None
              ) -> tuple[list[Extraction], dict[str, Any]]:
    """One Dask task: a spec on some pages of a chunk, through a local isolated Runner; results + facts."""
    wire_pages, golds = chunk
    pages = _pages_from_wire(wire_pages)
    wanted = set(page_ids)
    with Runner([spec], jobs=1, timeout=timeout, memory_mb=memory_mb, load_timeout=load_timeout) as runner:
        results = list(runner.run([page for page in pages if page.page_id in wanted], golds))
        state = runner._prepare_states()[0]
        facts = {"import_ms": list(state.import_ms), "peak_rss_mb": state.peak_rss_mb,
                 "notes": list(state.notes), "unavailable": state.unavailable}
    return results, facts


def _worker_env() -> dict[str, str]:
    """The worker's environment: unbuffered output (nothing lost on a crash), this very package importable."""
    import site

    import benchmark

    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"
    root = str(Path(benchmark.__file__).resolve().parent.parent)
    site_dirs = set(getattr(site, "getsitepackages", list)()) | {getattr(site, "getusersitepackages", str)()}
    if root not in site_dirs:  # a checkout or editable install: `-m benchmark.run.worker` must find it first
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


class Runner:
    """Runs specs on pages in isolated workers; `run` yields one Extraction per (spec, page)."""

    def __init__(self, specs: Sequence[ExtractorSpec], *, jobs: int, timeout: float = 30.0,
                 memory_mb: int | None = 4096, cache: Cache | None = None,
                 load_timeout: float | None = None, executor: str = "local", scheduler: Any = None,
                 chunk_size: int = 50) -> None:
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, got {jobs}")
        if executor not in ("local", "dask"):
            raise ValueError(f"executor must be 'local' or 'dask', got {executor!r}")
        if executor == "dask" and not scheduler:
            raise ValueError("the dask executor needs a scheduler address (--scheduler tcp://HOST:8786)")
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
        self.load_timeout = float(load_timeout) if load_timeout is not None else max(self.timeout, 60.0)
        self.memory_mb = memory_mb
        self.cache = cache
        self.executor = executor
        self.scheduler = scheduler  # an address, or a distributed.Client to use as it is
        self.chunk_size = chunk_size
        self._client: Any = None
        self._own_client = False
        #: worker processes started so far (replacements included), for tests and the bench tool
        self.workers_started = 0
        self._slots = [_Slot(i) for i in range(jobs)]
        self._selector: selectors.BaseSelector | None = None
        self._states: list[_SpecState] | None = None
        self._task_ids = itertools.count(1)
        self._running = False
        self._closed = False

    # ------------------------------------------------------------------ public

    def run(self, pages: Sequence[Page], golds: Mapping[str, Gold], *,
            on_progress: Callable[[Extraction], None] | None = None) -> Iterator[Extraction]:
        """Yield one Extraction per (spec, page) as each finishes; unavailable specs first, at once."""
        if self._closed:
            raise RuntimeError("this Runner is closed")
        if self._running:
            raise RuntimeError("a Runner runs one run() at a time")
        self._running = True
        body = self._run_dask if self.executor == "dask" else self._run
        try:
            for extraction in body(list(pages), golds):
                if on_progress is not None:
                    on_progress(extraction)
                yield extraction
        finally:
            self._running = False
            self._abort_busy()

    def extractor_runs(self) -> list[ExtractorRun]:
        """Per-spec facts for run.json: version, options digest, import + warm-up time, notes."""
        import dataclasses

        # records.ExtractorRun gets the figure once it has the field (proposed to the lead: peak_rss_mb)
        has_peak = "peak_rss_mb" in {f.name for f in dataclasses.fields(ExtractorRun)}
        runs = []
        for state in self._prepare_states():
            spec = state.spec
            notes = list(state.notes)
            if state.from_cache:
                notes.append(f"{state.from_cache} of {state.from_cache + state.computed} pages from the cache")
            if len(state.import_ms) > 1:
                notes.append(f"import_ms: median of {len(state.import_ms)} worker starts")
            runs.append(ExtractorRun(
                name=spec.name, kind=spec.kind, input=spec.input, version=state.version,
                options=dict(spec.options), options_digest=state.options_digest,
                available=not state.unavailable,
                import_ms=round(statistics.median(state.import_ms), 3) if state.import_ms else None,
                note="; ".join(notes), **({"peak_rss_mb": state.peak_rss_mb} if has_peak else {})))
        return runs

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
            self._kill(slot)
            slot.task = None
            if slot.capture is not None:
                for fd in slot.capture:
                    try:
                        os.close(fd)
                    except OSError:
                        pass
                slot.capture = None
        if self._selector is not None:
            self._selector.close()
            self._selector = None
        if self._client is not None and self._own_client:
            self._client.close()
        self._client = None

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ------------------------------------------------------------------ states

    def _prepare_states(self) -> list[_SpecState]:
        """Versions, digests and availability, found in the harness without importing any extractor."""
        if self._states is not None:
            return self._states
        if self.executor == "dask":  # the cluster's environment is the one that runs the extractors
            facts = self._dask_client().submit(describe_specs, self.specs, pure=False).result()
        else:
            facts = describe_specs(self.specs)
        states = []
        for spec, (version, options_digest, code, installed) in zip(self.specs, facts):
            state = _SpecState(spec=spec, version=version, options_digest=options_digest, code_digest=code)
            if not installed:
                missing = ", ".join(spec.modules) or spec.target
                state.unavailable = f"not installed ({missing})" + (f"; install: {spec.install}"
                                                                    if spec.install else "")
                state.note(state.unavailable)
            states.append(state)
        self._states = states
        return states

    # ------------------------------------------------------------------ the loop

    def _run(self, pages: list[Page], golds: Mapping[str, Gold]) -> Iterator[Extraction]:
        states = self._prepare_states()
        for state in states:  # no worker for a library that is not there
            if state.unavailable:
                for page in pages:
                    yield Extraction(extractor=state.spec.name, page_id=page.page_id,
                                     outcome=Outcome.UNAVAILABLE, error=state.unavailable)
        pairs = ((state, page) for state in states if not state.unavailable for page in pages)
        digests: dict[tuple[str, bool], str] = {}
        exhausted = False

        def fill() -> Iterator[Extraction]:
            """Give every idle slot a task; pairs that need no worker (cached, skipped) are yielded at once."""
            nonlocal exhausted
            for slot in self._slots:
                while slot.task is None and not exhausted:
                    pair = next(pairs, None)
                    if pair is None:
                        exhausted = True
                        break
                    item = self._prepare_pair(pair[0], pair[1], golds, digests)
                    if isinstance(item, Extraction):
                        yield item
                    else:
                        self._dispatch(slot, item)

        yield from fill()
        while any(slot.task is not None for slot in self._slots):
            finished = self._wait()
            # refill the freed slots before the caller sees these results, so workers extract while it scores
            yield from fill()
            yield from finished

    def _dask_client(self) -> Any:
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

    def _run_dask(self, pages: list[Page], golds: Mapping[str, Gold]) -> Iterator[Extraction]:
        """The same pairs as _run, as Dask tasks of one spec on up to chunk_size pages each."""
        from distributed import as_completed

        client = self._dask_client()
        states = self._prepare_states()
        for state in states:
            if state.unavailable:
                for page in pages:
                    yield Extraction(extractor=state.spec.name, page_id=page.page_id,
                                     outcome=Outcome.UNAVAILABLE, error=state.unavailable)
        chunks = [pages[i:i + self.chunk_size] for i in range(0, len(pages), self.chunk_size)]
        scattered: dict[int, Any] = {}  # chunk index -> future of (pages, golds), sent to the cluster once
        keys: dict[tuple[str, str], CacheKey | None] = {}
        submitted: dict[Any, tuple[_SpecState, list[str]]] = {}
        digests: dict[tuple[str, bool], str] = {}
        futures = []
        try:
            for priority, state in enumerate(s for s in states if not s.unavailable):
                for index, chunk in enumerate(chunks):
                    missing = []
                    for page in chunk:
                        item = self._prepare_pair(state, page, golds, digests)
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
                                           priority=-priority, timeout=self.timeout, memory_mb=self.memory_mb,
                                           load_timeout=self.load_timeout)
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
                for extraction in results:
                    key = keys.pop((extraction.extractor, extraction.page_id), None)
                    state.computed += 1
                    if self.cache is not None and key is not None:
                        self.cache.put(key, extraction)
                    yield extraction
        finally:
            pending = [future for future in submitted if not future.done()]
            if pending:
                client.cancel(pending)
            for future in scattered.values():
                future.release()

    def _prepare_pair(self, state: _SpecState, page: Page, golds: Mapping[str, Gold],
                      digests: dict[tuple[str, bool], str]) -> Extraction | _Task:
        """An Extraction when the pair needs no worker (unavailable, skipped, cached); else a task."""
        spec = state.spec
        if state.unavailable:
            return Extraction(extractor=spec.name, page_id=page.page_id, outcome=Outcome.UNAVAILABLE,
                              error=state.unavailable)
        if state.skip is not None:
            return Extraction(extractor=spec.name, page_id=page.page_id, outcome=state.skip[0],
                              error=state.skip[1])
        gold = golds.get(page.page_id) if spec.needs_gold else None
        # the html is left to the worker to decode from raw (page_from_wire): one copy less on the wire
        page_input = PageInput(page_id=page.page_id, html="", raw=page.raw, encoding=page.encoding,
                               url=page.card.url, language=page.card.language,
                               gold=gold.text if gold is not None else None)
        key = None
        if self.cache is not None:
            from benchmark.run.cache import CacheKey, input_digest

            memo = (page.page_id, spec.needs_gold)
            if memo not in digests:
                digests[memo] = input_digest(page_input)
            key = CacheKey(extractor=spec.name, version=state.version or "",
                           options_digest=state.options_digest, page_sha256=page.sha256,
                           input_digest=digests[memo], code_digest=state.code_digest)
            hit = self.cache.get(key, page.page_id)
            if hit is not None:
                state.from_cache += 1
                return hit
        return _Task(id=next(self._task_ids), state=state, page_id=page.page_id, page_input=page_input,
                     key=key)

    def _wait(self) -> list[Extraction]:
        """Block until some slot has news or a deadline passes; the pairs that finished."""
        assert self._selector is not None
        busy = [slot for slot in self._slots if slot.task is not None]
        delay = max(0.0, min(slot.deadline for slot in busy) - time.monotonic())
        finished: list[Extraction] = []
        for key, _mask in self._selector.select(delay):
            slot: _Slot = key.data
            if key.fd == slot.task_fd:
                self._flush(slot)
            elif key.fd == slot.result_fd:
                finished.extend(self._read(slot))
        now = time.monotonic()
        for slot in busy:
            if slot.task is not None and now >= slot.deadline:
                # a result may be waiting unread (the consumer was slow between yields): read it first
                finished.extend(self._read(slot))
                if slot.task is not None:
                    finished.append(self._on_timeout(slot))
        return finished

    # ------------------------------------------------------------------ workers

    def _dispatch(self, slot: _Slot, task: _Task) -> None:
        name = task.state.spec.name
        if slot.proc is not None and slot.spec_name not in (None, name):
            self._kill(slot)  # retire it: each extractor starts in a clean interpreter
        if slot.proc is None:
            self._spawn(slot)
        slot.spec_name = name
        slot.task = task
        if task.state.spec.name in slot.loaded:
            slot.phase, slot.deadline = "call", time.monotonic() + self.timeout
        else:
            slot.phase, slot.deadline = "load", time.monotonic() + self.load_timeout
        self._send(slot, ("run", task.id, task.state.spec, page_to_wire(task.page_input)))

    def _spawn(self, slot: _Slot) -> None:
        """A fresh worker in its own session (process group), fds 1 and 2 on the slot's capture files."""
        if self._selector is None:
            self._selector = selectors.DefaultSelector()
        if slot.capture is None:
            slot.capture = (_capture_file(), _capture_file())
        for fd in slot.capture:
            os.ftruncate(fd, 0)
        task_r, task_w = os.pipe()
        result_r, result_w = os.pipe()
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "benchmark.run.worker", str(result_w)],
                stdin=task_r, stdout=slot.capture[0], stderr=slot.capture[1], pass_fds=(result_w,),
                start_new_session=True, env=_worker_env(), close_fds=True)
        except BaseException:
            for fd in (task_w, result_r):
                os.close(fd)
            raise
        finally:
            os.close(task_r)
            os.close(result_w)
        os.set_blocking(task_w, False)
        os.set_blocking(result_r, False)
        _widen_pipe(task_w)
        _widen_pipe(result_r)
        slot.proc, slot.task_fd, slot.result_fd = proc, task_w, result_r
        slot.reader = FrameReader()
        slot.outbuf, slot.outpos, slot.writing = b"", 0, False
        slot.loaded = set()
        self._selector.register(result_r, selectors.EVENT_READ, slot)
        self.workers_started += 1
        sys_path = [entry or os.getcwd() for entry in sys.path]
        self._send(slot, {"sys_path": sys_path, "parent_pid": os.getpid(), "memory_mb": self.memory_mb})

    def _send(self, slot: _Slot, message: Any) -> None:
        frame = encode_frame(message)
        if slot.outpos < len(slot.outbuf):  # rare: the handshake still on its way
            frame = slot.outbuf[slot.outpos:] + frame
        slot.outbuf, slot.outpos = frame, 0
        self._flush(slot)

    def _flush(self, slot: _Slot) -> None:
        """Write what the pipe takes now; the selector calls back for the rest (never blocks the loop)."""
        assert self._selector is not None
        view = memoryview(slot.outbuf)
        while slot.outpos < len(view):
            try:
                slot.outpos += os.write(slot.task_fd, view[slot.outpos:])
            except BlockingIOError:
                break
            except OSError:  # the worker is gone; EOF on its result pipe records why
                slot.outbuf, slot.outpos = b"", 0
                break
        view.release()
        pending = slot.outpos < len(slot.outbuf)
        if not pending:
            slot.outbuf, slot.outpos = b"", 0
        if pending and not slot.writing:
            self._selector.register(slot.task_fd, selectors.EVENT_WRITE, slot)
            slot.writing = True
        elif not pending and slot.writing:
            self._selector.unregister(slot.task_fd)
            slot.writing = False

    def _read(self, slot: _Slot) -> list[Extraction]:
        """Everything the worker has written so far; its death when the pipe says EOF."""
        finished: list[Extraction] = []
        while slot.proc is not None:
            try:
                data = os.read(slot.result_fd, 1 << 20)
            except BlockingIOError:
                break
            except OSError:
                data = b""
            if not data:
                finished.extend(self._on_death(slot))
                break
            try:
                messages = slot.reader.feed(data)
            except Exception as exc:  # noqa: BLE001 - garbage on the pipe: treat the worker as broken
                finished.extend(self._on_death(slot, reason=f"protocol error ({describe(exc)})"))
                break
            for message in messages:
                extraction = self._on_message(slot, message)
                if extraction is not None:
                    finished.append(extraction)
        return finished

    def _on_message(self, slot: _Slot, message: Any) -> Extraction | None:
        kind = message[0] if isinstance(message, tuple) and len(message) > 1 else None
        task = slot.task
        if kind not in ("loaded", "unavailable", "result") or task is None or message[1] != task.id:
            return None  # "ready", or news about a task this slot no longer waits for
        state = task.state
        if kind == "loaded":
            _, _, _name, import_ms, note, peak = message
            slot.loaded.add(state.spec.name)
            state.import_ms.append(float(import_ms))
            state.note(note)
            state.saw_rss(peak)
            slot.phase, slot.deadline = "call", time.monotonic() + self.timeout
            return None
        if kind == "unavailable":
            reason = f"{message[3]}" + (f"; install: {state.spec.install}" if state.spec.install else "")
            state.unavailable = reason
            state.note(reason)
            slot.task = None
            return Extraction(extractor=state.spec.name, page_id=task.page_id, outcome=Outcome.UNAVAILABLE,
                              error=reason)
        if kind == "result":
            _, _, outcome, text, error, ms, peak = message
            state.saw_rss(peak)
            stdout, stderr = self._captured(slot)
            extraction = Extraction(extractor=state.spec.name, page_id=task.page_id, outcome=Outcome(outcome),
                                    text=text, error=error, ms=ms, stdout=stdout, stderr=stderr)
            slot.task = None
            return self._finish(task, extraction)
        return None

    def _finish(self, task: _Task, extraction: Extraction) -> Extraction:
        """Count it and cache it before it is yielded, so a killed harness keeps it."""
        task.state.computed += 1
        if self.cache is not None and task.key is not None:
            self.cache.put(task.key, extraction)
        return extraction

    def _captured(self, slot: _Slot) -> tuple[str, str]:
        if slot.capture is None:
            return "", ""
        return read_capture(slot.capture[0]), read_capture(slot.capture[1])

    def _on_death(self, slot: _Slot, reason: str = "") -> list[Extraction]:
        """EOF from a worker: reap it; its task (if any) records crash, for that page only."""
        task, phase = slot.task, slot.phase
        returncode = self._kill(slot)
        slot.task = None
        if task is None:
            return []
        stdout, stderr = self._captured(slot)
        reason = reason or _death_reason(returncode)
        during = "during import/warm-up" if phase == "load" else "during the call"
        extraction = Extraction(extractor=task.state.spec.name, page_id=task.page_id, outcome=Outcome.CRASH,
                                error=f"worker died {during}: {reason}", stdout=stdout, stderr=stderr)
        if phase == "load":
            self._load_failed(task.state, Outcome.CRASH, extraction.error)
        return [self._finish(task, extraction)]

    def _on_timeout(self, slot: _Slot) -> Extraction:
        task, phase = slot.task, slot.phase
        assert task is not None
        self._kill(slot)
        slot.task = None
        stdout, stderr = self._captured(slot)
        if phase == "load":
            error = (f"no result within {self.load_timeout:g} s of starting import/warm-up; "
                     "worker and its process group killed")
        else:
            error = f"no result within {self.timeout:g} s; worker and its process group killed"
        extraction = Extraction(extractor=task.state.spec.name, page_id=task.page_id, outcome=Outcome.TIMEOUT,
                                error=error, stdout=stdout, stderr=stderr)
        if phase == "load":
            self._load_failed(task.state, Outcome.TIMEOUT, error)
        return self._finish(task, extraction)

    def _load_failed(self, state: _SpecState, outcome: Outcome, error: str) -> None:
        state.load_failures += 1
        if state.load_failures >= MAX_LOAD_FAILURES and state.skip is None:
            reason = (f"not run: import/warm-up of {state.spec.name} failed {state.load_failures} times "
                      f"(last: {error})")
            state.skip = (outcome, reason)
            state.note(reason)

    def _kill(self, slot: _Slot) -> int | None:
        """SIGKILL the worker's process group (its children too), reap it, forget its pipes."""
        proc = slot.proc
        if proc is None:
            return None
        for fd, registered in ((slot.result_fd, True), (slot.task_fd, slot.writing)):
            if registered and self._selector is not None:
                try:
                    self._selector.unregister(fd)
                except (KeyError, ValueError):
                    pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            try:
                proc.kill()
            except ProcessLookupError:
                pass
        try:
            returncode: int | None = proc.wait(timeout=_REAP_SECONDS)
        except subprocess.TimeoutExpired:  # stuck in the kernel; the OS reaps it when it can
            returncode = None
        for fd in (slot.task_fd, slot.result_fd):
            try:
                os.close(fd)
            except OSError:
                pass
        slot.proc, slot.task_fd, slot.result_fd = None, -1, -1
        slot.outbuf, slot.outpos, slot.writing = b"", 0, False
        slot.loaded = set()
        slot.spec_name = None
        slot.phase, slot.deadline = "", float("inf")
        return returncode

    def _abort_busy(self) -> None:
        """A run that stopped early (break, Ctrl-C): workers mid-call are killed, idle ones kept."""
        for slot in self._slots:
            if slot.task is not None:
                self._kill(slot)
                slot.task = None
