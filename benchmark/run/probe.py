"""Check a user's `pkg.mod:func` extractors before any work starts, in an isolated worker.

A plugin module that cannot be imported, a function that does not exist or
is not callable is a usage error, said before the corpus is read and any pair
is run; without this check the run would go on and record the same error
on every page. The import happens in a worker process (network off, memory
capped, killed at the deadline), never in the harness.
"""

from __future__ import annotations

import selectors
import time
from typing import Sequence

from benchmark.records import ExtractorSpec
from benchmark.run.slots import Slot, WorkerSettings

#: task id of the one probe a probing worker answers
_PROBE_ID = 1


def plugin_targets(specs: Sequence[ExtractorSpec]) -> list[str]:
    """The user functions these specs call (`pkg.mod:func` plugins)."""
    from benchmark.extractors.registry import PLUGIN_TARGET

    return [str(spec.options["target"]) for spec in specs
            if spec.target == PLUGIN_TARGET and isinstance(spec.options.get("target"), str)]


def probe_plugins(targets: Sequence[str], *, timeout: float, memory_mb: int | None = None) -> dict[str, str]:
    """What is wrong with each target ("" when it imports to a callable), found in a worker within `timeout` s."""
    if not targets:
        return {}
    selector = selectors.DefaultSelector()
    slot = Slot(0)
    try:
        slot.spawn(selector, WorkerSettings(memory_mb=memory_mb))
        slot.send(("probe", _PROBE_ID, list(targets)))
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return {target: f"importing it took more than {timeout:g} s" for target in targets}
            for key, _mask in selector.select(remaining):
                if key.fd == slot.task_fd:
                    slot.flush()
                    continue
                messages, gone = slot.receive()
                for message in messages:
                    if isinstance(message, tuple) and message[:2] == ("probed", _PROBE_ID):
                        return dict(message[2])
                if gone is not None:
                    _, stderr = slot.captured()
                    tail = stderr.strip().splitlines()[-1:] or ["no output"]
                    return {target: f"the worker importing it died ({tail[0]})" for target in targets}
    finally:
        slot.close()
        selector.close()
