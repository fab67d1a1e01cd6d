"""The code part of the cache key: the adapter's modules, the installed distribution and what it requires."""

from __future__ import annotations

import pytest

from benchmark.extractors.registry import is_installed, resolve
from benchmark.records import ExtractorSpec
from benchmark.run import code_identity
from benchmark.run.code_identity import code_digest, code_identity as identity_of, identity_digest


@pytest.fixture(autouse=True)
def fresh_index():
    """Each test sees the distributions installed now (a run takes them once)."""
    code_identity._distributions.cache_clear()
    yield
    code_identity._distributions.cache_clear()


def _dist(site, name: str, version: str, requires: tuple[str, ...] = ()) -> None:
    folder = site / f"{name}-{version}.dist-info"
    folder.mkdir()
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}",
             *(f"Requires-Dist: {r}" for r in requires)]
    (folder / "METADATA").write_text("\n".join(lines) + "\n")
    (folder / "RECORD").write_text(f"{name}/__init__.py,sha256=abc{version},10\n")


def test_a_dependency_upgrade_changes_the_key(tmp_path, monkeypatch):
    """newspaper3k's output moves with lxml under one newspaper3k version: what it requires is in the key."""
    _dist(tmp_path, "fakeext", "1.0", requires=("fakedep>=1", 'fakeextra; extra == "speed"'))
    _dist(tmp_path, "fakedep", "1.0")
    monkeypatch.syspath_prepend(str(tmp_path))
    spec = ExtractorSpec(name="fake", target="no_such_module_x:f", kind="article", input="text",
                         distribution="fakeext")
    before = identity_of(spec)
    assert dict(before.dependencies)["fakedep"] == "1.0" and "fakeextra" not in dict(before.dependencies)
    assert before.distribution.startswith("record:") and "RECORD" in before.source

    (tmp_path / "fakedep-1.0.dist-info").rename(tmp_path / "fakedep-1.1.dist-info")
    code_identity._distributions.cache_clear()
    after = identity_of(spec)
    assert dict(after.dependencies)["fakedep"] == "1.1"
    assert identity_digest(after) != identity_digest(before)


def test_a_reinstalled_distribution_changes_the_key_through_its_record(tmp_path, monkeypatch):
    _dist(tmp_path, "fakeext", "1.0")
    monkeypatch.syspath_prepend(str(tmp_path))
    spec = ExtractorSpec(name="fake", target="no_such_module_x:f", kind="article", input="text",
                         distribution="fakeext")
    before = identity_digest(identity_of(spec))
    (tmp_path / "fakeext-1.0.dist-info" / "RECORD").write_text("fakeext/__init__.py,sha256=other,11\n")
    assert identity_digest(identity_of(spec)) != before


def test_lxml_extractors_carry_lxml_and_libxml2_versions():
    (spec,) = resolve(["readability-lxml"])
    if not is_installed(spec):
        pytest.skip("readability-lxml is not installed")
    dependencies = dict(identity_of(spec).dependencies)
    assert dependencies["lxml"] and dependencies["libxml2"] and dependencies["python"]


def test_the_adapter_digest_follows_the_modules_it_imports(tmp_path, monkeypatch):
    """The full-text baseline lives in baselines.py but its text comes from corpus/visible_text.py."""
    package = tmp_path / "digestpkg2"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "helper.py").write_text("WORD = 'one'\n")
    (package / "adapter.py").write_text("def extract(page):\n    from digestpkg2.helper import WORD\n"
                                        "    return WORD\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    spec = ExtractorSpec(name="x", target="digestpkg2.adapter:extract", kind="article", input="text")
    before = code_digest(spec)
    (package / "helper.py").write_text("WORD = 'two'\n")
    assert code_digest(spec) != before
    (baseline,) = resolve(["full-text"])
    closure = {path.name for path in code_identity.module_closure(["benchmark.extractors.baselines"])}
    assert "visible_text.py" in closure and code_digest(baseline)
