"""External extractors a user defines for a run: ``--extractor-cmd``, ``--version-cmd`` and a config file.

On the command line::

    --extractor-cmd 'readability=node readability.js'            one process per page
    --extractor-cmd 'readability=jsonl:node readability_server.js'  long-lived, JSON lines
    --version-cmd 'readability=node -p require("@mozilla/readability/package.json").version'

In a TOML file given with ``--config FILE`` (``boilerbench.toml`` by
convention; it is never read unless named)::

    [extractors.readability]
    command = "node readability_server.js"      # a string (split as a shell would) or a list
    mode = "jsonl"                              # "per-page" (default) or "jsonl"
    version_cmd = "node -p require('@mozilla/readability/package.json').version"
    # version = "0.6.0"                         # or the version itself
    input = "html"                              # "html" (default: decoded, as UTF-8) or "raw" (bytes as saved)
    network = "deny"                            # "deny" (default) or "allow"
    # cwd = "tools"                             # default: the folder of the config file
    # description = "..."

Names must not shadow a registered extractor. A version command runs once,
here in the harness, when the run starts; its first output line is the
recorded version, which is part of the cache key. Without a version the
recorded version is empty, and only the command line and the sha256 of the
files it names key the cache.

``--extractors`` splits on commas outside quotes, so an inline
``cmd:``/``jsonl:`` item keeps a quoted comma (``cmd:tool --sep ','``);
``--extractor-cmd`` takes the whole command and never splits.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any, Mapping, Sequence

from benchmark.records import ExtractorSpec

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+-]*$")
CONFIG_KEYS = {"command", "mode", "version_cmd", "version", "input", "network", "cwd", "description"}
_MODE_PREFIXES = {"jsonl:": "jsonl", "cmd:": "per-page", "per-page:": "per-page"}


class ConfigError(ValueError):
    """A definition that cannot be used: the message names the option or file and what to write instead."""


def split_extractor_names(text: str) -> list[str]:
    """Split an --extractors value on commas that are outside single or double quotes."""
    items: list[str] = []
    current: list[str] = []
    quote = ""
    escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == ",":
            items.append("".join(current))
            current = []
            continue
        current.append(char)
    if quote:
        raise ConfigError(f"--extractors: unclosed {quote} quote in {text!r}")
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


def parse_assignment(value: str, option: str) -> tuple[str, str]:
    """NAME and VALUE of `NAME=VALUE`, the name checked."""
    name, sep, rest = value.partition("=")
    name = name.strip()
    if not sep or not rest.strip():
        raise ConfigError(f"{option} expects NAME=COMMAND, got {value!r}")
    check_name(name, option)
    return name, rest.strip()


def check_name(name: str, where: str) -> None:
    """Raise ConfigError unless the name is usable (letters, digits, . _ + -, no colon or comma)."""
    if not NAME_RE.match(name):
        raise ConfigError(f"{where}: extractor name {name!r} must be letters, digits, '.', '_', '+' or '-', "
                          "starting with a letter or digit")


def _argv(value: Any, where: str) -> list[str]:
    """A command given as a string (split as a POSIX shell would) or a list of strings."""
    if isinstance(value, str):
        try:
            argv = shlex.split(value)
        except ValueError as exc:
            raise ConfigError(f"{where}: cannot split {value!r}: {exc}") from None
    elif isinstance(value, (list, tuple)) and all(isinstance(part, str) for part in value):
        argv = list(value)
    else:
        raise ConfigError(f"{where}: expected a command line string or a list of strings, got {value!r}")
    if not argv:
        raise ConfigError(f"{where}: empty command")
    return argv


def _mode_and_command(text: str) -> tuple[str, str]:
    """`jsonl:...` / `cmd:...` prefixes of an --extractor-cmd value select the mode."""
    for prefix, mode in _MODE_PREFIXES.items():
        if text.startswith(prefix):
            return mode, text[len(prefix):]
    return "per-page", text


def build_spec(name: str, command: Sequence[str], *, mode: str = "per-page", input: str = "html",
               network: str = "deny", cwd: str | None = None, version: str | None = None,
               version_cmd: Sequence[str] | None = None, description: str = "", where: str = "") -> ExtractorSpec:
    """The spec of one definition; a version command is run now and its answer recorded."""
    from benchmark.extractors.external import command_version
    from benchmark.extractors.registry import command_spec

    where = where or name
    if version is not None and version_cmd:
        raise ConfigError(f"{where}: give version or version_cmd, not both")
    if version_cmd:
        try:
            version = command_version(version_cmd, cwd=cwd)
        except ValueError as exc:
            raise ConfigError(f"{where}: {exc} ({shlex.join(version_cmd)})") from None
    try:
        return command_spec(name, command, mode=mode, input=input, network=network, cwd=cwd, version=version,
                            version_cmd=version_cmd, description=description)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def load_config(path: Path) -> dict[str, dict[str, Any]]:
    """The [extractors.NAME] tables of a TOML file, checked, as keyword arguments for build_spec."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    tables = data.get("extractors", {})
    if not isinstance(tables, dict):
        raise ConfigError(f"{path}: 'extractors' must be a table of [extractors.NAME] tables")
    folder = Path(path).resolve().parent
    definitions: dict[str, dict[str, Any]] = {}
    for name, table in tables.items():
        where = f"{path} [extractors.{name}]"
        check_name(name, where)
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: expected a table with at least command = \"...\"")
        unknown = sorted(set(table) - CONFIG_KEYS)
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(CONFIG_KEYS))}")
        if "command" not in table:
            raise ConfigError(f"{where}: command = \"...\" is required")
        for key in ("mode", "input", "network", "cwd", "description", "version"):
            if key in table and not isinstance(table[key], str):
                raise ConfigError(f"{where}: {key} must be a string, got {table[key]!r}")
        cwd = Path(table["cwd"]) if "cwd" in table else folder
        if not cwd.is_absolute():
            cwd = folder / cwd
        definitions[name] = {
            "command": _argv(table["command"], f"{where} command"),
            "mode": table.get("mode", "per-page"),
            "input": table.get("input", "html"),
            "network": table.get("network", "deny"),
            "cwd": str(cwd),
            "version": table.get("version"),
            "version_cmd": _argv(table["version_cmd"], f"{where} version_cmd") if "version_cmd" in table else None,
            "description": table.get("description", ""),
            "where": where,
        }
    return definitions


def external_definitions(extractor_cmds: Sequence[str] = (), version_cmds: Sequence[str] = (),
                         config: Path | None = None, known: Mapping[str, ExtractorSpec] | None = None
                         ) -> tuple[dict[str, ExtractorSpec], list[str]]:
    """Specs defined by a config file and the command line (which wins), and the names the CLI defined."""
    if not extractor_cmds and not version_cmds and config is None:
        return {}, []  # nothing defined: no need to list every registered extractor (a tenth of a second)
    if known is None:
        from benchmark.extractors.registry import known_specs

        known = known_specs()
    definitions: dict[str, dict[str, Any]] = load_config(config) if config is not None else {}
    cli_names: list[str] = []
    for value in extractor_cmds:
        name, rest = parse_assignment(value, "--extractor-cmd")
        mode, command = _mode_and_command(rest)
        definitions[name] = {"command": _argv(command, f"--extractor-cmd {name}"), "mode": mode,
                             "where": f"--extractor-cmd {name}"}
        if name not in cli_names:
            cli_names.append(name)
    for value in version_cmds:
        name, command = parse_assignment(value, "--version-cmd")
        if name not in definitions:
            raise ConfigError(f"--version-cmd {name}: no extractor of that name is defined by --extractor-cmd "
                              "or the config file")
        definitions[name]["version_cmd"] = _argv(command, f"--version-cmd {name}")
        definitions[name]["version"] = None
    specs: dict[str, ExtractorSpec] = {}
    for name, definition in definitions.items():
        if name in known:
            raise ConfigError(f"{definition['where']}: {name!r} is already a registered extractor; "
                              "choose another name")
        command = definition.pop("command")
        specs[name] = build_spec(name, command, **definition)
    return specs, cli_names


def run_names(selected: Sequence[str] | None, defaults: Sequence[str], defined: Mapping[str, ExtractorSpec],
              cli_names: Sequence[str]) -> list[str]:
    """What a run measures: --extractors (or the defaults plus every config-defined command), then
    every --extractor-cmd not already named."""
    names = list(selected) if selected else [*defaults, *(n for n in defined if n not in cli_names)]
    names += [name for name in cli_names if name not in names]
    return names
