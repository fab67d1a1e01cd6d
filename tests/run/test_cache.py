"""The cache keeps finished pairs across runs and is never trusted when its file is damaged."""

from __future__ import annotations

import sqlite3

import pytest

from benchmark.records import Extraction, ExtractorSpec, Outcome, PageInput
from benchmark.run import cache as cache_module
from benchmark.run.cache import (Cache, CacheDisabledWarning, CacheKey, CacheRebuiltWarning, code_digest,
                                 input_digest, is_cacheable)


def key(**changes) -> CacheKey:
    fields = dict(extractor="trafilatura", version="2.3.1", options_digest="o" * 64, page_sha256="p" * 64,
                  input_digest="i" * 64, code_digest="c" * 64)
    fields.update(changes)
    return CacheKey(**fields)


def extraction(outcome=Outcome.OK, **changes) -> Extraction:
    fields = dict(extractor="trafilatura", page_id="cnn-2008-a", outcome=outcome, text="Body text.",
                  error="", ms=12.5, stdout="printed\n", stderr="warned\n")
    fields.update(changes)
    return Extraction(**fields)


def test_put_then_get_round_trips_every_field_and_marks_the_hit(tmp_path):
    with Cache(tmp_path / "c.sqlite3") as cache:
        stored = extraction()
        assert cache.put(key(), stored)
        hit = cache.get(key(), "cnn-2008-a")
    assert hit == Extraction(**{**stored.__dict__, "cached": True})


def test_a_hit_takes_the_page_id_asked_for(tmp_path):
    """Two pages with the same bytes share the entry; the result names the page it is for."""
    with Cache(tmp_path / "c.sqlite3") as cache:
        cache.put(key(), extraction())
        assert cache.get(key(), "copy-of-a").page_id == "copy-of-a"


@pytest.mark.parametrize("field", ["extractor", "version", "options_digest", "page_sha256", "input_digest",
                                   "code_digest"])
def test_every_key_field_matters(tmp_path, field):
    with Cache(tmp_path / "c.sqlite3") as cache:
        cache.put(key(), extraction())
        assert cache.get(key(**{field: "something else"}), "cnn-2008-a") is None


def test_finished_pairs_survive_reopening_and_the_file_is_wal(tmp_path):
    path = tmp_path / "c.sqlite3"
    with Cache(path) as cache:
        cache.put(key(), extraction())
    with Cache(path) as cache:
        assert cache.get(key(), "cnn-2008-a") is not None
        assert len(cache) == 1
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize("outcome, error, cached", [
    (Outcome.OK, "", True),
    (Outcome.EMPTY, "", True),
    (Outcome.ERROR, "ValueError: bad markup", True),
    (Outcome.ERROR, "MemoryError", False),  # depends on --memory-mb, not on the page
    (Outcome.TIMEOUT, "no result within 30 s", False),  # depends on the deadline and the load
    (Outcome.CRASH, "worker died during the call: killed by SIGSEGV (signal 11)", False),
    (Outcome.UNAVAILABLE, "not installed", False),  # installing the library must take effect
])
def test_what_is_cached(tmp_path, outcome, error, cached):
    assert is_cacheable(extraction(outcome, error=error, text="")) is cached
    with Cache(tmp_path / "c.sqlite3") as cache:
        assert cache.put(key(), extraction(outcome, error=error, text="")) is cached
        assert (cache.get(key(), "cnn-2008-a") is not None) is cached


def test_clear_forgets_everything(tmp_path):
    with Cache(tmp_path / "c.sqlite3") as cache:
        cache.put(key(), extraction())
        cache.put(key(extractor="justext"), extraction(extractor="justext"))
        assert cache.stats()["rows"] == {"justext": 1, "trafilatura": 1}
        assert cache.clear() == 2
        assert cache.get(key(), "cnn-2008-a") is None and len(cache) == 0


def test_a_corrupted_file_is_rebuilt_with_a_warning(tmp_path):
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not an SQLite database, just garbage \x00\xff" * 200)
    with pytest.warns(CacheRebuiltWarning, match="damaged"):
        cache = Cache(path)
    with cache:
        assert cache.notices and "rebuilt it empty" in cache.notices[0]
        assert cache.get(key(), "cnn-2008-a") is None
        assert cache.put(key(), extraction())
        assert cache.get(key(), "cnn-2008-a") is not None


def test_a_damaged_page_inside_a_real_database_is_rebuilt(tmp_path):
    path = tmp_path / "c.sqlite3"
    with Cache(path) as cache:
        for i in range(200):
            cache.put(key(page_sha256=f"{i:064d}"), extraction(text="x" * 2000))
    with sqlite3.connect(path) as conn:  # fold the WAL into the main file, then damage a b-tree page
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    data[page_size * 2: page_size * 2 + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))
    with pytest.warns(CacheRebuiltWarning):
        cache = Cache(path)
    with cache:
        assert len(cache) == 0 and cache.put(key(), extraction())


def test_another_schema_version_is_rebuilt_with_a_warning(tmp_path):
    path = tmp_path / "c.sqlite3"
    Cache(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    with pytest.warns(CacheRebuiltWarning, match="schema version 0"):
        Cache(path).close()


def test_an_unusable_location_disables_the_cache_instead_of_failing_the_run(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.warns(CacheDisabledWarning):
        cache = Cache(blocker / "c.sqlite3")
    assert not cache.enabled
    assert cache.put(key(), extraction()) is False and cache.get(key(), "x") is None


def test_default_location_honours_xdg_cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if not cache_module.default_path().is_relative_to(tmp_path / "xdg"):
        pytest.skip("platformdirs ignores XDG_CACHE_HOME on this platform")
    assert cache_module.default_path() == tmp_path / "xdg" / "boilerbench" / "extractions.sqlite3"
    with Cache() as cache:
        assert cache.path.parent.is_dir()


def test_input_digest_covers_what_the_adapter_sees():
    base = PageInput(page_id="a", html="<p>x</p>", raw=b"<p>x</p>", encoding="utf-8", url="https://e.com/a",
                     language="en")
    variants = [PageInput(**{**base.__dict__, field: value}) for field, value in
                [("encoding", "cp1252"), ("url", "https://e.com/b"), ("language", "de"), ("gold", "x")]]
    digests = {input_digest(base)} | {input_digest(v) for v in variants}
    assert len(digests) == 5
    # the html is raw decoded with the codec: both are in the key already (page sha256, encoding)
    assert input_digest(PageInput(**{**base.__dict__, "html": ""})) == input_digest(base)
    assert input_digest(PageInput(**{**base.__dict__, "page_id": "renamed"})) == input_digest(base)


def test_code_digest_follows_the_adapter_source_without_importing_it(tmp_path, monkeypatch):
    package = tmp_path / "digestpkg"
    package.mkdir()
    (package / "__init__.py").write_text("raise RuntimeError('imported!')\n")
    module = package / "adapter.py"
    module.write_text("def extract(page):\n    return 'v1'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    spec = ExtractorSpec(name="x", target="digestpkg.adapter:extract", kind="article", input="text")
    first = code_digest(spec)
    module.write_text("def extract(page):\n    return 'v2'\n")
    assert first and code_digest(spec) != first
    plugin = ExtractorSpec(name="p", target="benchmark.extractors.plugins:call_user_function", kind="article",
                           input="text", options={"target": "digestpkg.adapter:extract"})
    before = code_digest(plugin)
    module.write_text("def extract(page):\n    return 'v3'\n")
    assert code_digest(plugin) != before, "a plugin's own code is part of the key"
    assert code_digest(ExtractorSpec(name="n", target="no_such_module_x:f", kind="article", input="text")) == ""


def test_unstorable_text_is_simply_not_cached(tmp_path):
    with Cache(tmp_path / "c.sqlite3") as cache:
        assert cache.put(key(), extraction(text="lone surrogate \ud800")) is False
        assert cache.get(key(), "cnn-2008-a") is None

