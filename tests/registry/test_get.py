"""`boilerbench datasets get | verify | path | remove | list` against a loopback server and a local git repository.

Every failure case ends the same way: exit 1, a message naming the file or the
server and what to do, no stamp, and no file at its final path whose bytes
differ from the manifest, so `verify` (and `run --dataset NAME`) refuse the
folder until a later `get` completes it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from pathlib import Path

import pytest

from benchmark.cli import main
from benchmark.registry.catalog import registered_sets
from benchmark.registry.store import STAMP, check_file
from tests.dataset_server import DatasetServer, closed_port_url, git_repository, lfs_pointer
from tests.registry.conftest import COMMIT, REPOSITORY, TEST_SET, manifest_entry, register_set

PAGE = "html/a1b2.html.gz"


def cli(args, capsys):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def get(server_or_templates, capsys, *extra):
    templates = server_or_templates.templates() if isinstance(server_or_templates, DatasetServer) \
        else server_or_templates
    return cli(["datasets", "get", TEST_SET, "--quiet", *templates, *extra], capsys)


def assert_nothing_unchecked(folder: Path) -> None:
    """Every manifest file is absent from its final path or holds exactly the manifest's bytes; no stamp."""
    registered = registered_sets()[TEST_SET]
    assert not (folder / STAMP).exists()
    for expected in registered.files:
        path = folder.joinpath(*expected.path.split("/"))
        assert not path.exists() or check_file(path, expected).ok, expected.path


def assert_refused_everywhere(folder: Path, capsys) -> None:
    """verify, path and run --dataset NAME all refuse an incomplete folder."""
    assert_nothing_unchecked(folder)
    code, _, err = cli(["datasets", "verify", TEST_SET], capsys)
    assert code == 1 and "datasets get tiny-aeb" in err
    assert cli(["datasets", "path", TEST_SET], capsys)[0] == 1
    code, _, err = cli(["run", "--dataset", TEST_SET, "--extractors", "gold", "--quiet", "--no-cache"], capsys)
    assert code == 2 and "boilerbench datasets get tiny-aeb" in err


@pytest.mark.parametrize("method", ["files", "archive"])
def test_get_places_every_file_verified_and_stamps_the_folder(registry, data_dir, tiny_files, capsys, method):
    with DatasetServer(tiny_files, REPOSITORY, COMMIT) as server:
        code, out, err = get(server, capsys, "--method", method)
    assert code == 0, err
    folder = data_dir / TEST_SET
    assert "3 files verified" in out and (folder / STAMP).is_file() and not (folder / ".incoming").exists()
    for path, data in tiny_files.items():
        assert (folder / path).read_bytes() == data
    code, out, _ = cli(["datasets", "verify", TEST_SET], capsys)
    assert code == 0 and "all 3 files match" in out
    assert cli(["datasets", "path", TEST_SET], capsys)[1].strip() == str(folder)
    assert "verified" in cli(["datasets", "list"], capsys)[1]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_get_by_shallow_git_fetch_of_the_pinned_commit(registry, data_dir, tiny_files, tmp_path, capsys,
                                                       monkeypatch):
    repo = tmp_path / "repo"
    commit = git_repository(repo, {**tiny_files, "README.md": b"not part of the set\n"})
    register_set(tmp_path / "git-registry", tiny_files, commit=commit)
    from benchmark.registry import catalog

    monkeypatch.setattr(catalog, "registry_folders", lambda: (catalog.SETS_DIR, tmp_path / "git-registry"))
    code, out, err = cli(["datasets", "get", TEST_SET, "--quiet", "--method", "git", "--git-url", f"file://{repo}"],
                         capsys)
    assert code == 0, err
    folder = data_dir / TEST_SET
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == sorted(
        [*tiny_files, STAMP])  # the set's files only: no README, no .git
    assert cli(["datasets", "verify", TEST_SET], capsys)[0] == 0


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_auto_gives_way_to_the_archive_when_git_cannot_fetch(registry, data_dir, tiny_files, tmp_path, capsys):
    with DatasetServer(tiny_files, REPOSITORY, COMMIT) as server:
        code, out, err = get(server, capsys, "--git-url", f"file://{tmp_path}/no-such-repo")
        archive_requests = [path for path, _ in server.requests if path.startswith("/archive/")]
    assert code == 0, err
    assert "git: git fetch failed" in err and "trying the archive next" in err
    assert len(archive_requests) == 1


@pytest.mark.parametrize("method", ["files", "archive"])
def test_a_corrupted_file_is_refused_by_name_and_fetched_again_later(registry, data_dir, tiny_files, capsys,
                                                                     method):
    folder = data_dir / TEST_SET
    with DatasetServer(tiny_files, REPOSITORY, COMMIT) as server:
        server.corrupt = {PAGE}
        code, _, err = get(server, capsys, "--method", method)
    assert code == 1
    assert f"{folder / PAGE}: downloaded bytes do not match the manifest" in err and "refused" in err
    assert "run `boilerbench datasets get tiny-aeb` again" in err
    assert not (folder / PAGE).exists()
    assert_refused_everywhere(folder, capsys)
    with DatasetServer(tiny_files, REPOSITORY, COMMIT) as server:
        code, out, err = get(server, capsys, "--method", "files")
        fetched = [path for path, _ in server.requests]
    assert code == 0, err
    assert fetched == [f"/raw/{REPOSITORY}/{COMMIT}/{PAGE}"]  # the good files were kept, not fetched again
    assert "1 downloaded, 2 already there" in out


def test_a_truncated_transfer_is_resumed_from_where_it_stopped(registry, data_dir, tiny_files, capsys):
    folder = data_dir / TEST_SET
    size = len(tiny_files["ground-truth.json"])
    with DatasetServer(tiny_files, REPOSITORY, COMMIT) as server:
        server.cut = {"ground-truth.json": 100}
        code, _, err = get(server, capsys, "--method", "files")
    assert code == 1
    assert f"broke after 100 of {size} bytes" in err and "run the same command again to resume" in err
    assert not (folder / "ground-truth.json").exists()
    assert_refused_everywhere(folder, capsys)
    with DatasetServer(tiny_files, REPOSITORY, COMMIT) as server:
        code, _, err = get(server, capsys, "--method", "files")
        ranges = dict(server.requests)
    assert code == 0, err
    assert ranges[f"/raw/{REPOSITORY}/{COMMIT}/ground-truth.json"] == "bytes=100-"
    assert (folder / "ground-truth.json").read_bytes() == tiny_files["ground-truth.json"]


def test_a_truncated_archive_is_resumed_too(registry, data_dir, tiny_files, capsys):
    archive_url = f"/archive/{REPOSITORY}/tar.gz/{COMMIT}"
    with DatasetServer(tiny_files, REPOSITORY, COMMIT) as server:
        server.cut = {"archive": 200}
        code, _, err = get(server, capsys, "--method", "archive")
    assert code == 1 and "broke after 200 of" in err
    assert_refused_everywhere(data_dir / TEST_SET, capsys)
    with DatasetServer(tiny_files, REPOSITORY, COMMIT) as server:
        code, _, err = get(server, capsys, "--method", "archive")
        requests = server.requests
    assert code == 0, err
    assert requests == [(archive_url, "bytes=200-")]  # the rest of the archive, and nothing per file


@pytest.mark.parametrize("method", ["files", "archive"])
def test_a_server_that_hangs_times_out_with_a_clear_message(registry, data_dir, tiny_files, capsys, method):
    with DatasetServer(tiny_files, REPOSITORY, COMMIT) as server:
        server.hang = True
        start = time.monotonic()
        code, _, err = get(server, capsys, "--method", method, "--timeout", "0.5")
        elapsed = time.monotonic() - start
    assert code == 1
    assert "sent nothing for 0.5 s (server hung or network down)" in err
    assert elapsed < 10  # one timeout, not one per file
    assert_refused_everywhere(data_dir / TEST_SET, capsys)


@pytest.mark.parametrize("method", ["files", "archive"])
def test_a_server_that_is_down_says_so(registry, data_dir, capsys, method):
    down = closed_port_url()
    templates = ["--archive-url", down + "/a/{repository}/{commit}", "--raw-url", down + "/r/{commit}/{path}"]
    code, _, err = get(templates, capsys, "--method", method)
    assert code == 1
    assert "connection refused: the server is down or the address is wrong" in err
    assert_refused_everywhere(data_dir / TEST_SET, capsys)


def test_files_kept_in_git_lfs_are_fetched_from_the_media_url(registry, data_dir, tiny_files, capsys):
    with DatasetServer(tiny_files, REPOSITORY, COMMIT) as server:
        server.lfs = {PAGE}
        code, out, err = get(server, capsys, "--method", "archive")
        media = [path for path, _ in server.requests if path.startswith("/media/")]
    assert code == 0, err
    assert "is a Git LFS pointer" in err and "stored in Git LFS" in err
    assert media == [f"/media/{REPOSITORY}/{COMMIT}/{PAGE}"]
    assert (data_dir / TEST_SET / PAGE).read_bytes() == tiny_files[PAGE]


def test_a_file_pinned_only_by_git_blob_id_is_checked_by_it(registry, data_dir, tiny_files, tmp_path, capsys,
                                                            monkeypatch):
    from benchmark.registry import catalog

    folder = register_set(tmp_path / "blob-registry", tiny_files, blob_only=(PAGE,))
    monkeypatch.setattr(catalog, "registry_folders", lambda: (catalog.SETS_DIR, folder))
    with DatasetServer(tiny_files, REPOSITORY, COMMIT) as server:
        assert get(server, capsys, "--method", "files")[0] == 0
    page = data_dir / TEST_SET / PAGE
    data = bytearray(page.read_bytes())
    data[-1] ^= 0xFF  # same size, other bytes: only the blob id can tell
    page.write_bytes(bytes(data))
    code, _, err = cli(["datasets", "verify", TEST_SET], capsys)
    assert code == 1 and f"{page}: git blob" in err and "the manifest says" in err
    assert not (data_dir / TEST_SET / STAMP).exists()


def test_a_restricted_licence_is_printed_and_must_be_accepted(registry, data_dir, tiny_files, capsys, monkeypatch,
                                                              tmp_path):
    from benchmark.registry import catalog

    folder = register_set(tmp_path / "licence-registry", tiny_files, licence_text="For research use only.")
    monkeypatch.setattr(catalog, "registry_folders", lambda: (catalog.SETS_DIR, folder))
    with DatasetServer(tiny_files, REPOSITORY, COMMIT) as server:
        code, _, err = get(server, capsys)
        assert code == 2 and "For research use only." in err and "--accept-licence" in err
        assert server.requests == [] and not (data_dir / TEST_SET).exists()
        code, _, err = get(server, capsys, "--method", "files", "--accept-licence")
    assert code == 0, err
    assert "For research use only." in err


def test_a_second_get_downloads_nothing_and_verify_rejects_a_partial_folder(registry, data_dir, tiny_files,
                                                                            capsys):
    folder = data_dir / TEST_SET
    with DatasetServer(tiny_files, REPOSITORY, COMMIT) as server:
        assert get(server, capsys, "--method", "files")[0] == 0
        before = len(server.requests)
        code, out, _ = get(server, capsys, "--method", "files")
        assert code == 0 and len(server.requests) == before and "0 downloaded, 3 already there" in out
    (folder / PAGE).unlink()
    code, _, err = cli(["datasets", "verify", TEST_SET], capsys)
    assert code == 1 and f"{folder / PAGE}: missing" in err and "1 of 3 files missing or changed" in err
    assert_refused_everywhere(folder, capsys)


def test_remove_deletes_the_folder(registry, data_dir, tiny_files, capsys):
    with DatasetServer(tiny_files, REPOSITORY, COMMIT) as server:
        assert get(server, capsys, "--method", "files")[0] == 0
    code, out, _ = cli(["datasets", "remove", TEST_SET], capsys)
    assert code == 0 and "removed" in out and not (data_dir / TEST_SET).exists()
    assert cli(["datasets", "remove", TEST_SET], capsys)[1].strip().endswith("nothing to remove")


def test_an_unknown_name_lists_the_registered_ones(registry, data_dir, capsys):
    code, _, err = cli(["datasets", "get", "nosuch"], capsys)
    assert code == 2 and "nosuch" in err and "aeb" in err and "l3s-gn1" in err


def test_run_by_name_reads_the_downloaded_set_without_the_network(registry, data_dir, tiny_files, tmp_path, capsys):
    with DatasetServer(tiny_files, REPOSITORY, COMMIT) as server:
        assert get(server, capsys, "--method", "files")[0] == 0
    code, out, err = cli(["run", "--dataset", TEST_SET, "--extractors", "gold", "--jobs", 1, "--quiet",
                          "--no-cache", "--no-report", "--out", tmp_path / "out"], capsys)
    assert code == 0, err
    (run_dir,) = (tmp_path / "out").iterdir()
    assert run_dir.name.split("-", 1)[1].startswith("tiny-aeb-")
    import pandas as pd

    scores = pd.read_csv(run_dir / "scores.csv")
    assert sorted(scores["page_id"]) == ["a1b2", "c3d4"] and (scores["f1"] == 1.0).all()


def test_get_from_a_folder_checks_each_file_and_never_downloads(registry, data_dir, tiny_files, tmp_path, capsys):
    copy = tmp_path / "clone"
    for path, data in tiny_files.items():
        (copy / path).parent.mkdir(parents=True, exist_ok=True)
        (copy / path).write_bytes(data)
    (copy / "ground-truth.json").write_bytes(b"{}")  # another commit's file
    code, _, err = cli(["datasets", "get", TEST_SET, "--quiet", "--from", copy], capsys)
    assert code == 1
    assert f"{copy / 'ground-truth.json'} does not match the manifest" in err
    assert_refused_everywhere(data_dir / TEST_SET, capsys)
    (copy / "ground-truth.json").write_bytes(tiny_files["ground-truth.json"])
    code, out, err = cli(["datasets", "get", TEST_SET, "--quiet", "--from", copy], capsys)
    assert code == 0, err
    assert "1 copied, 2 already there" in out


def test_score_takes_a_downloaded_set_by_name(registry, data_dir, tiny_files, tmp_path, capsys):
    with DatasetServer(tiny_files, REPOSITORY, COMMIT) as server:
        assert get(server, capsys, "--method", "files")[0] == 0
    truth = json.loads(tiny_files["ground-truth.json"])
    predictions = tmp_path / "predictions.json"
    predictions.write_text(json.dumps({item: {"articleBody": entry["articleBody"]} for item, entry in truth.items()}),
                           encoding="utf-8")
    code, out, err = cli(["score", "--dataset", TEST_SET, "--predictions", predictions, "--format", "json"], capsys)
    assert code == 0, err
    assert json.loads(out)["f1"] == 1.0


def test_a_file_pinned_by_its_lfs_pointer_gets_the_content_that_pointer_names(registry, data_dir, tiny_files,
                                                                               tmp_path, capsys, monkeypatch):
    """The manifest could not hash the content (too large), so it pins the pointer's blob id: the chain holds."""
    from benchmark.registry import catalog

    folder = register_set(tmp_path / "lfs-registry", tiny_files)
    manifest_path = folder / f"{TEST_SET}.json"
    data = json.loads(manifest_path.read_text(encoding="utf-8"))
    data["files"][PAGE] = manifest_entry(lfs_pointer(tiny_files[PAGE]), blob_only=True)
    manifest_path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(catalog, "registry_folders", lambda: (catalog.SETS_DIR, folder))
    with DatasetServer(tiny_files, REPOSITORY, COMMIT) as server:
        server.lfs = {PAGE}
        server.cut = {PAGE: 10}  # the first content transfer breaks (the media URL serves PAGE's content)
        code, _, err = get(server, capsys, "--method", "archive")
        assert code == 1 and "broke after 10 of" in err
        assert_refused_everywhere(data_dir / TEST_SET, capsys)
        code, _, err = get(server, capsys, "--method", "archive")
        media = [(path, rng) for path, rng in server.requests if path.startswith("/media/")]
    assert code == 0, err
    page = data_dir / TEST_SET / PAGE
    assert page.read_bytes() == tiny_files[PAGE]  # the content, not the pointer
    assert media[-1] == (f"/media/{REPOSITORY}/{COMMIT}/{PAGE}", "bytes=10-")  # resumed on the media URL
    assert cli(["datasets", "verify", TEST_SET], capsys)[0] == 0
    page.write_bytes(page.read_bytes()[:-1] + bytes([page.read_bytes()[-1] ^ 0xFF]))
    code, _, err = cli(["datasets", "verify", TEST_SET], capsys)
    assert code == 1 and hashlib.sha256(tiny_files[PAGE]).hexdigest()[:12] in err
