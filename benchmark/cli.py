"""The `boilerbench` command line: one click group, one small module per command.

Exit codes: 0 success, 1 a regression or failed gate, 2 bad usage or an
invalid corpus. Every error message says what to do; no traceback reaches a
user for bad input.
"""

from __future__ import annotations

import importlib
import sys
from typing import Sequence

import click

from benchmark import __version__

EXIT_OK, EXIT_GATE_FAILED, EXIT_USAGE = 0, 1, 2

#: command name -> "module:attribute"; imported only when the group is built
_COMMANDS = {
    "run": "benchmark.commands.run:run_command",
    "validate": "benchmark.commands.validate:validate_command",
    "list": "benchmark.commands.list_cmd:list_command",
    "report": "benchmark.commands.report:report_command",
    "gate": "benchmark.commands.gate:gate_command",
    "score": "benchmark.commands.score:score_command",
    "compare": "benchmark.commands.compare:compare_command",
    "import": "benchmark.commands.import_:import_command",
    "cache": "benchmark.commands.cache:cache_command",
    "matrix": "benchmark.commands.matrix:matrix_command",
    "bisect": "benchmark.commands.bisect:bisect_command",
    "corpus": "benchmark.commands.corpus:corpus_command",
    "datasets": "benchmark.commands.datasets:datasets_command",
}


class _LazyGroup(click.Group):
    """Imports a command's module only when that command is used or listed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in _COMMANDS if self.get_command(ctx, name) is not None]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = _COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:  # a command not built yet in this version
                return None
            raise
        return getattr(module, attribute)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="boilerbench")
def cli() -> None:
    """Benchmark main-content extractors on saved news pages with hand-made gold."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code instead of exiting.

    Called with no argv, as the `boilerbench` console script is, the current
    folder goes first on sys.path, as `python -m benchmark` puts it: plugin
    modules (`--extractors mymod:extract`) are found in the folder the user
    runs from either way.
    """
    if argv is None:
        _current_folder_on_path()
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = cli.main(args=args, prog_name="boilerbench", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx is not None else "boilerbench"
        click.echo(f"error: {exc.format_message()}\n(see `{command} --help`)", err=True)
        return EXIT_USAGE
    except click.ClickException as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        return EXIT_USAGE if exc.exit_code in (1, 2) else exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    return result if isinstance(result, int) else EXIT_OK


def entry_point() -> None:
    """The `boilerbench` script and `python -m benchmark`: `main`, then exit without the interpreter's teardown.

    Tearing down pandas' modules takes 0.1-0.17 s of every command that imported
    it (measured on the run command: 0.17 s with teardown, 0.01 s without),
    when the work is done and written. Exit handlers still run, non-daemon
    threads are joined and stdout and stderr are flushed first; an exception
    out of `main` still ends the usual way, with its traceback, and so does a
    process under a profiler or tracer (`python -m cProfile -m benchmark`),
    which writes its report after `main` returns.
    """
    code = main()
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)
    _exit_now(code)


def _exit_now(code: int) -> None:
    import atexit
    import os
    import threading

    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`boilerbench ... | head`): nothing more to say there
            pass
    os._exit(code)


def _current_folder_on_path() -> None:
    import os

    if "" not in sys.path and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
