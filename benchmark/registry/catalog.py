"""The registry's sets: each shipped manifest (<name>.json) joined with its catalog entry (catalog.toml).

Manifests are shipped exactly as they were written (facts: repository, pinned
commit, licence, and every file's size and sha256, or only its git blob id
where the file was too large to hash). Paths in them may be in git's quoted
form (``"tests/eval/caf\\303\\251.html"``); they are unquoted here, once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
import sys
from pathlib import Path, PurePosixPath

from benchmark.records import Provenance
from benchmark.registry.entries import ManifestFile, RegisteredSet

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

#: where the shipped manifests and catalog.toml live; tests add a folder of their own
SETS_DIR = Path(__file__).with_name("sets")
CATALOG_FILE = "catalog.toml"
_GIT_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


class RegistryError(ValueError):
    """A manifest or catalog entry that cannot be used; the message names the file."""


def unquote_git_path(path: str) -> str:
    """A path as git prints it (C-quoted when it holds non-ASCII bytes) back to the path itself."""
    if len(path) < 2 or not (path.startswith('"') and path.endswith('"')):
        return path
    body, out, i = path[1:-1], bytearray(), 0
    while i < len(body):
        char = body[i]
        if char != "\\":
            out += char.encode("utf-8")
            i += 1
        elif body[i + 1:i + 4].isdigit() and len(body[i + 1:i + 4]) == 3:
            out.append(int(body[i + 1:i + 4], 8))
            i += 4
        elif i + 1 < len(body) and body[i + 1] in _GIT_ESCAPES:
            out.append(_GIT_ESCAPES[body[i + 1]])
            i += 2
        else:
            raise ValueError(f"bad escape in git-quoted path {path!r}")
    return out.decode("utf-8")


def safe_relative(path: str) -> bool:
    """A manifest path that stays inside the download folder: relative, no '..', no empty or NUL parts."""
    pure = PurePosixPath(path)
    return (bool(path) and "\x00" not in path and "\\" not in path and not pure.is_absolute()
            and all(part not in ("", ".", "..") for part in path.split("/")))


def _manifest_files(data: dict, source: Path) -> tuple[ManifestFile, ...]:
    files = []
    for quoted, facts in sorted(data.get("files", {}).items()):
        try:
            path = unquote_git_path(quoted)
        except (ValueError, UnicodeDecodeError) as exc:
            raise RegistryError(f"{source}: {exc}") from None
        if not safe_relative(path):
            raise RegistryError(f"{source}: file path {path!r} would leave the dataset folder")
        if not isinstance(facts, dict) or not (facts.get("sha256") or facts.get("git_blob")):
            raise RegistryError(f"{source}: {path} has neither sha256 nor git_blob")
        files.append(ManifestFile(path=path, size=facts.get("size"), sha256=facts.get("sha256"),
                                  git_blob=facts.get("git_blob")))
    return tuple(files)


def _provenance(kind: str, overrides: dict) -> Provenance:
    """The importer's own provenance, with the catalog's fields for this set put over it."""
    from benchmark.corpus.datasets import KINDS

    module = importlib.import_module(KINDS[kind].partition(":")[0])
    base = getattr(module, "PROVENANCE", None) or Provenance(kind="real", title=kind)
    return dataclasses.replace(base, **overrides)


def load_set(manifest_path: Path, entry: dict) -> RegisteredSet:
    """One set from its manifest file and its catalog entry."""
    from benchmark.corpus.datasets import KINDS

    raw = manifest_path.read_bytes()
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise RegistryError(f"{manifest_path}: not valid JSON ({exc})") from None
    for key in ("name", "repository", "commit", "files"):
        if key not in data:
            raise RegistryError(f"{manifest_path}: no {key!r}")
    kind = entry.get("kind", "")
    readings = tuple(entry.get("readings", ()))
    for name in (kind, *readings):
        if name not in KINDS:
            raise RegistryError(f"{manifest_path.parent / CATALOG_FILE}: [{data['name']}] names importer {name!r}, "
                                f"not one of {', '.join(KINDS)}")
    provenance = _provenance(kind, {"licence": data.get("license", ""), **entry.get("provenance", {})})
    return RegisteredSet(
        name=data["name"], repository=data["repository"], commit=data["commit"],
        files=_manifest_files(data, manifest_path), paths=tuple(data.get("paths", ())), kind=kind,
        root=entry.get("root", "."), provenance=provenance, pages=entry.get("pages", ""),
        languages=entry.get("languages", ""), readings=readings,
        licence_text=entry.get("licence_text", "").strip(), manifest_sha256=hashlib.sha256(raw).hexdigest())


def load_registry(folders: tuple[Path, ...] | None = None) -> dict[str, RegisteredSet]:
    """name -> set, for every manifest that has a catalog entry in the given folders (default: the shipped one)."""
    registry: dict[str, RegisteredSet] = {}
    for folder in folders or (SETS_DIR,):
        catalog_path = folder / CATALOG_FILE
        try:
            catalog = tomllib.loads(catalog_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RegistryError(f"{catalog_path}: cannot read the catalog ({exc})") from None
        for name, entry in catalog.items():
            manifest_path = folder / f"{name}.json"
            if not manifest_path.is_file():
                raise RegistryError(f"{catalog_path}: [{name}] has no manifest {manifest_path.name}")
            registered = load_set(manifest_path, entry)
            if registered.name != name:
                raise RegistryError(f"{manifest_path}: names itself {registered.name!r}, catalog says {name!r}")
            registry[name] = registered
    return registry


def registry_folders() -> tuple[Path, ...]:
    """The folders the commands read sets from: the shipped one (a test adds its own by patching this)."""
    return (SETS_DIR,)


def registered_sets() -> dict[str, RegisteredSet]:
    return load_registry(registry_folders())


def find_set(name: str, registry: dict[str, RegisteredSet] | None = None) -> tuple[RegisteredSet, str] | None:
    """The set a `--dataset NAME` means and the importer kind to read it with (NAME may be one of its readings)."""
    registry = registered_sets() if registry is None else registry
    if name in registry:
        return registry[name], registry[name].kind
    for registered in registry.values():
        if name in registered.readings:
            return registered, name
    return None
