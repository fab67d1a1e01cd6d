"""What a worker slot reports, turned into results: a message, the worker's death, a deadline passed.

Each (spec, page) pair gets exactly one `Extraction`, counted and cached
before the runner yields it (so a killed harness keeps it). A load (import,
warm-up) that crashes or times out marks the spec, so its remaining pages are
not tried. `Runner` (runner.py) owns the slots and the dispatch loop; this is
the half of it that reads their answers.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from benchmark.records import Extraction, Outcome, PageInput
from benchmark.run.slots import Slot, death_reason
from benchmark.run.specs import SpecState

if TYPE_CHECKING:
    from benchmark.run.cache import Cache, CacheKey


@dataclass
class Task:
    """One (spec, page) pair on its way to a worker."""

    id: int
    state: SpecState
    page_id: str
    page_input: PageInput
    key: CacheKey | None


class SlotReplies:
    """The runner's reading half: turns each slot's news into at most one Extraction per pair."""

    timeout: float
    load_timeout: float
    cache: Cache | None

    def _prepare_states(self) -> list[SpecState]:
        raise NotImplementedError

    def _requeue(self, task: Task) -> None:
        """A task that was queued on a worker that died before starting it: to be sent again."""
        raise NotImplementedError

    def _read(self, slot: Slot) -> list[Extraction]:
        """Everything the worker has written so far; its death when the pipe says EOF."""
        messages, gone = slot.receive()
        finished: list[Extraction] = []
        for message in messages:
            extraction = self._on_message(slot, message)
            if extraction is not None:
                finished.append(extraction)
        if gone is not None:
            finished.extend(self._on_death(slot, reason=gone))
        return finished

    def _on_message(self, slot: Slot, message: Any) -> Extraction | None:
        kind = message[0] if isinstance(message, tuple) and len(message) > 1 else None
        if kind in ("loaded", "unavailable") and slot.preload is not None and message[1] == slot.preload:
            return self._on_preloaded(slot, message)
        task = slot.task
        if kind not in ("loaded", "unavailable", "result") or task is None or message[1] != task.id:
            return None  # "ready", or news about a task this slot no longer waits for
        state = task.state
        if kind == "loaded":
            self._loaded(slot, state, message)
            return None
        if kind == "unavailable":
            reason = f"{message[3]}" + (f"; install: {state.spec.install}" if state.spec.install else "")
            state.unavailable = reason
            state.note(reason)
            self._next_in_line(slot)
            return Extraction(extractor=state.spec.name, page_id=task.page_id, outcome=Outcome.UNAVAILABLE,
                              error=reason)
        if kind == "result":
            _, _, outcome, text, error, ms, peak, stdout, stderr = message
            state.saw_rss(peak)
            extraction = Extraction(extractor=state.spec.name, page_id=task.page_id, outcome=Outcome(outcome),
                                    text=text, error=error, ms=ms, stdout=stdout, stderr=stderr)
            self._next_in_line(slot)
            return self._finish(task, extraction)
        return None

    def _next_in_line(self, slot: Slot) -> None:
        """The slot's task is answered: the task queued behind it (if any) is the one running now.

        The worker started it as soon as it sent its answer, so its deadline
        runs from this moment (a little generous, by the time the answer
        waited unread).
        """
        slot.task, slot.queued = slot.queued, None
        if slot.task is None:
            slot.phase, slot.deadline = "", float("inf")
        else:
            self._start_clock(slot)

    def _start_clock(self, slot: Slot) -> None:
        """The deadline of the task the slot's worker is starting now: `timeout`, plus `load_timeout` when the
        spec is not loaded in this worker yet (interpreter start, import, warm-up come first)."""
        if slot.task.state.spec.name in slot.loaded:
            slot.phase, slot.deadline = "call", time.monotonic() + self.timeout
        else:
            slot.phase, slot.deadline = "load", time.monotonic() + self.load_timeout + self.timeout

    def _on_preloaded(self, slot: Slot, message: Any) -> None:
        """The answer to `start`'s load: the spec is ready in this worker (or missing: its pairs will say so)."""
        slot.preload = None
        state = next((s for s in self._prepare_states() if s.spec.name == message[2]), None)
        if state is not None and message[0] == "loaded":
            self._loaded(slot, state, message)
        return None

    def _loaded(self, slot: Slot, state: SpecState, message: Any) -> None:
        """A spec imported and warmed up in this worker: note its facts; a page waiting on it now has `timeout`."""
        _, _, _name, import_ms, note, peak = message
        slot.loaded.add(state.spec.name)
        state.import_ms.append(float(import_ms))
        state.note(note)
        state.saw_rss(peak)
        if slot.task is not None and slot.phase == "load" and slot.task.state is state:
            slot.phase, slot.deadline = "call", time.monotonic() + self.timeout

    def _finish(self, task: Task, extraction: Extraction) -> Extraction:
        """Count it and cache it before it is yielded, so a killed harness keeps it."""
        task.state.computed += 1
        if self.cache is not None and task.key is not None:
            self.cache.put(task.key, extraction)
        return extraction

    def _retire(self, slot: Slot) -> int | None:
        """Kill the slot's worker; a task queued behind the one it was running goes back in line."""
        queued, slot.queued = slot.queued, None
        returncode = slot.kill()
        slot.task = None
        if queued is not None:
            self._requeue(queued)
        return returncode

    def _on_death(self, slot: Slot, reason: str = "") -> list[Extraction]:
        """EOF from a worker: reap it; its task (if any) records crash, for that page only."""
        task, phase = slot.task, slot.phase
        returncode = self._retire(slot)
        if task is None:
            return []
        stdout, stderr = slot.captured()
        reason = reason or death_reason(returncode)
        during = "during import/warm-up" if phase == "load" else "during the call"
        extraction = Extraction(extractor=task.state.spec.name, page_id=task.page_id, outcome=Outcome.CRASH,
                                error=f"worker died {during}: {reason}", stdout=stdout, stderr=stderr)
        if phase == "load":
            task.state.load_failed(Outcome.CRASH, extraction.error)
        return [self._finish(task, extraction)]

    def _on_timeout(self, slot: Slot) -> Extraction:
        task, phase = slot.task, slot.phase
        assert task is not None
        self._retire(slot)
        stdout, stderr = slot.captured()
        if phase == "load":
            error = (f"no result within {self.timeout + self.load_timeout:g} s (--timeout {self.timeout:g} + "
                     f"--load-timeout {self.load_timeout:g} for start-up, import/warm-up); worker and its "
                     "process group killed")
        else:
            error = f"no result within {self.timeout:g} s; worker and its process group killed"
        extraction = Extraction(extractor=task.state.spec.name, page_id=task.page_id, outcome=Outcome.TIMEOUT,
                                error=error, stdout=stdout, stderr=stderr)
        if phase == "load":
            task.state.load_failed(Outcome.TIMEOUT, error)
        return self._finish(task, extraction)

