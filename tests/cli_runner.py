"""The CLI run in-process as the tests drive it: exit code, stdout and stderr of one command."""

from __future__ import annotations

from typing import Any, Sequence

from benchmark.cli import main


def run_cli(args: Sequence[Any], capsys: Any) -> tuple[int, str, str]:
    """`boilerbench ARGS` (each argument str()-ed, so paths and numbers can be passed as they are)."""
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err
