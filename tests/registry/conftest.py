"""A small AEB-like set registered for the tests only (beside the shipped five), and where it downloads to."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from benchmark.registry import catalog
from tests.corpus.test_datasets import write_aeb
from tests.dataset_server import read_folder

TEST_SET = "tiny-aeb"
REPOSITORY = "example/tiny-aeb"
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def manifest_entry(data: bytes, *, blob_only: bool = False) -> dict:
    blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
    if blob_only:  # as the shipped manifests record files too large to hash
        return {"git_blob": blob}
    return {"git_blob": blob, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def register_set(folder: Path, files: dict[str, bytes], *, name: str = TEST_SET, commit: str = COMMIT,
                 licence_text: str = "", blob_only: tuple[str, ...] = ()) -> Path:
    """Write <name>.json and catalog.toml into folder, as the shipped registry holds them."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {"name": name, "repository": REPOSITORY, "commit": commit, "license": "MIT",
                "paths": ["html/", "ground-truth.json"],
                "files": {path: manifest_entry(data, blob_only=path in blob_only) for path, data in files.items()}}
    (folder / f"{name}.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    entry = f'[{name}]\nkind = "aeb"\nroot = "."\npages = "{len(files) - 1}"\nlanguages = "English, French"\n'
    if licence_text:
        entry += f'licence_text = """{licence_text}"""\n'
    with (folder / "catalog.toml").open("a", encoding="utf-8") as handle:
        handle.write(entry)
    return folder


@pytest.fixture
def tiny_files(tmp_path) -> dict[str, bytes]:
    """The bytes of a two-page AEB-like set (html/<id>.html.gz + ground-truth.json)."""
    return read_folder(write_aeb(tmp_path / "tiny-source"))


@pytest.fixture
def registry(tmp_path, monkeypatch, tiny_files) -> Path:
    """The shipped sets plus `tiny-aeb`; returns the extra registry folder (tests may register more there)."""
    folder = register_set(tmp_path / "registry", tiny_files)
    monkeypatch.setattr(catalog, "registry_folders", lambda: (catalog.SETS_DIR, folder))
    return folder


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """Where sets download to in a test; also what --dataset NAME reads (via BOILERBENCH_DATA_DIR)."""
    folder = tmp_path / "data"
    monkeypatch.setenv("BOILERBENCH_DATA_DIR", str(folder))
    return folder
