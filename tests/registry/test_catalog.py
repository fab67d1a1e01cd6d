"""The shipped registry: five pinned sets read from their manifests, git-quoted paths unquoted, readings found."""

from __future__ import annotations

import json

import pytest

from benchmark.registry.catalog import (SETS_DIR, RegistryError, find_set, load_registry, safe_relative,
                                        unquote_git_path)
from benchmark.registry.get import plan
from tests.registry.conftest import register_set


def test_the_five_shipped_sets_load_with_every_file_of_their_manifest():
    registry = load_registry()
    assert sorted(registry) == ["aeb", "l3s-gn1", "naeb", "readability-test-pages", "trafilatura-eval"]
    for name, registered in registry.items():
        manifest = json.loads((SETS_DIR / f"{name}.json").read_text(encoding="utf-8"))
        assert registered.commit == manifest["commit"] and len(registered.commit) == 40
        assert len(registered.files) == len(manifest["files"])
        assert all(safe_relative(f.path) for f in registered.files)
        assert registered.provenance.kind == "real" and registered.provenance.licence
    assert len(registry["aeb"].files) == 182 and registry["aeb"].known_bytes == 7115497
    naeb_blob_only = [f.path for f in registry["naeb"].files if f.sha256 is None]
    assert len(naeb_blob_only) == 3 and all(f.size is None for f in registry["naeb"].files if f.sha256 is None)
    assert registry["l3s-gn1"].restricted and "research use only" in registry["l3s-gn1"].licence_text
    assert not any(registry[name].restricted for name in registry if name != "l3s-gn1")
    assert registry["trafilatura-eval"].provenance.title == "trafilatura's evaluation set"


def test_git_quoted_paths_of_the_trafilatura_manifest_are_unquoted():
    paths = {f.path for f in load_registry()["trafilatura-eval"].files}
    assert "tests/cache/kulinariaathome.com.mandelplätzchen.html" in paths
    assert not any(path.startswith('"') or "\\" in path for path in paths)


@pytest.mark.parametrize("quoted, path", [
    ('"tests/caf\\303\\251.html"', "tests/café.html"),
    ('"a\\"b\\\\c\\td.html"', 'a"b\\c\td.html'),
    ("plain/path.html", "plain/path.html"),
])
def test_unquote_git_path(quoted, path):
    assert unquote_git_path(quoted) == path


@pytest.mark.parametrize("path", ["../etc/passwd", "/abs/file", "a//b", "a/./b", "", "a\\b", "x\x00y"])
def test_paths_that_would_leave_the_folder_are_not_safe(path):
    assert not safe_relative(path)


def test_a_manifest_path_leaving_the_folder_is_refused(tmp_path):
    register_set(tmp_path, {"../outside.json": b"{}"})
    with pytest.raises(RegistryError, match="would leave the dataset folder"):
        load_registry((tmp_path,))


def test_a_reading_name_finds_its_set_and_importer():
    registry = load_registry()
    assert find_set("l3s-gn1-content", registry) == (registry["l3s-gn1"], "l3s-gn1-content")
    assert find_set("aeb", registry) == (registry["aeb"], "aeb")
    assert find_set("nosuch", registry) is None


def test_downloads_try_git_then_the_archive_and_end_per_file():
    assert plan("auto", git_available=True) == ["git", "archive", "files"]
    assert plan("auto", git_available=False) == ["archive", "files"]
    assert plan("archive") == ["archive", "files"] and plan("files") == ["files"]
    assert plan("folder") == ["folder"]  # get --from DIR never downloads
