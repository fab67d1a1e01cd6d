"""The registry: names, plugins, entry points, install/version facts, digests and worker set-up."""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from benchmark.extractors import environment, registry
from benchmark.records import ExtractorSpec, PageInput

REPO = Path(__file__).resolve().parents[2]
CONTRACT_DEFAULTS = ["trafilatura", "readability-lxml", "justext", "newspaper3k", "full-text", "gold"]


def test_default_names_are_the_contracts_and_all_registered():
    assert registry.default_names() == CONTRACT_DEFAULTS
    known = registry.known_specs()
    assert [spec.name for spec in registry.resolve(registry.default_names())] == CONTRACT_DEFAULTS
    assert {"trafilatura-fast", "trafilatura-precision", "trafilatura-recall", "justext-english"} <= set(known)


@pytest.mark.parametrize("name", sorted(registry.known_specs()))
def test_every_builtin_target_accepts_exactly_its_recorded_options(name):
    spec = registry.known_specs()[name]
    assert spec.kind in {"article", "full-text", "baseline", "external"}
    assert spec.input in {"text", "bytes"}
    assert spec.install, "list must be able to say how to install it"
    module, func = spec.target.split(":")
    adapter = getattr(importlib.import_module(module), func)  # adapter modules import no library
    page = PageInput("p", "<html></html>", b"<html></html>", "utf-8", "http://example.com/", "en")
    inspect.signature(adapter).bind(page, **spec.options)  # TypeError if an option is not a parameter
    json.dumps(dict(spec.options))  # options go into run.json and the digest as plain JSON


def test_variants_differ_only_in_their_flag():
    known = registry.known_specs()
    base = dict(known["trafilatura"].options)
    assert base["include_comments"] is False  # AEB's call
    for name, flag in [("trafilatura-fast", "fast"), ("trafilatura-precision", "favor_precision"),
                       ("trafilatura-recall", "favor_recall")]:
        options = dict(known[name].options)
        assert options.pop(flag) is True and base[flag] is False
        assert options == {k: v for k, v in base.items() if k != flag}


def test_unknown_name_raises_and_lists_the_known_ones():
    with pytest.raises(registry.UnknownExtractorError) as info:
        registry.resolve(["trafilatura", "no-such-extractor"])
    message = str(info.value)
    assert "no-such-extractor" in message
    for name in CONTRACT_DEFAULTS + ["trafilatura-fast"]:
        assert name in message
    assert isinstance(info.value, LookupError) and info.value.name == "no-such-extractor"


def test_resolve_keeps_order_and_drops_duplicates():
    names = [spec.name for spec in registry.resolve(["justext", "trafilatura", "justext"])]
    assert names == ["justext", "trafilatura"]


def test_builtin_names_resolve_without_scanning_installed_plugins(monkeypatch):
    """The scan costs 30 ms at every start, and a plugin cannot take over a builtin name anyway."""
    scans = []
    monkeypatch.setattr(registry, "_entry_point_specs", lambda: scans.append(1) or [])
    assert [s.name for s in registry.resolve(["trafilatura", "justext"])] == ["trafilatura", "justext"]
    assert scans == []
    with pytest.raises(registry.UnknownExtractorError):
        registry.resolve(["trafilatura", "a-plugin-name"])
    assert scans == [1], "a name that is no builtin is looked for among the plugins"


def test_plugin_spec_resolves_to_the_generic_adapter():
    spec, = registry.resolve(["trafilatura.core:extract"])
    assert spec.name == "trafilatura.core:extract"
    assert spec.target == registry.PLUGIN_TARGET
    assert spec.options == {"target": "trafilatura.core:extract"}
    assert spec.modules == ("trafilatura",)  # top level only: is_installed must not import
    assert spec.distribution == "trafilatura"
    assert registry.version_of(spec) == importlib.metadata.version("trafilatura")
    assert registry.is_installed(spec)
    local, = registry.resolve(["no_such_pkg_bb.sub:func"])
    assert local.distribution is None and registry.version_of(local) is None
    assert not registry.is_installed(local)


def test_malformed_plugin_and_command_specs_are_unknown():
    for bad in ["pkg.mod:", ":func", "pkg mod:func", "cmd:", "jsonl:   "]:
        with pytest.raises(registry.UnknownExtractorError):
            registry.resolve([bad])


def test_external_command_spec_is_parsed_into_an_argv():
    spec, = registry.resolve(["cmd:node readability.js --text"])
    assert spec.kind == "external" and spec.input == "text"
    assert spec.options["command"] == ["node", "readability.js", "--text"]
    assert registry.is_installed(registry.resolve([f"cmd:{sys.executable} -c pass"])[0])
    assert not registry.is_installed(registry.resolve(["cmd:no-such-binary-bb --x"])[0])


def test_is_installed_is_false_for_a_missing_module_without_raising():
    spec = ExtractorSpec(name="x", target="x:y", kind="article", input="text", modules=("no_such_module_bb",))
    assert registry.is_installed(spec) is False
    assert registry.is_installed(registry.known_specs()["trafilatura"]) is True


def test_version_of_reads_the_installed_distribution():
    known = registry.known_specs()
    assert registry.version_of(known["trafilatura"]) == importlib.metadata.version("trafilatura")
    assert registry.version_of(known["justext"]) == importlib.metadata.version("jusText")
    missing = ExtractorSpec(name="x", target="x:y", kind="article", input="text", distribution="no-such-dist-bb")
    assert registry.version_of(missing) is None


def test_options_digest_is_canonical_and_sensitive_to_options():
    spec = ExtractorSpec(name="a", target="m:f", kind="article", input="text", options={"x": 1, "y": [1, 2]})
    same = ExtractorSpec(name="a", target="m:f", kind="article", input="text", options={"y": [1, 2], "x": 1})
    other = ExtractorSpec(name="a", target="m:f", kind="article", input="text", options={"x": 2, "y": [1, 2]})
    assert registry.options_digest(spec) == registry.options_digest(same)
    assert registry.options_digest(spec) != registry.options_digest(other)
    assert len(registry.options_digest(spec)) == 64
    digests = {registry.options_digest(s) for s in registry.known_specs().values()}
    assert len(digests) == len(registry.known_specs())


# --------------------------------------------------------------------------- entry points


def _install_fake_distribution(root: Path) -> None:
    """A dist-info on sys.path declaring entry points in group boilerbench.extractors."""
    (root / "bb_fake_plugin.py").write_text(textwrap.dedent("""
        from benchmark.records import ExtractorSpec

        ONE = ExtractorSpec(name="fake-one", target="bb_fake_plugin:extract", kind="article", input="text",
                            distribution="bb-fake-plugin", modules=("bb_fake_plugin",), install="pip install bb-fake")

        def many():
            return [ExtractorSpec(name="fake-two", target="bb_fake_plugin:extract", kind="article", input="text"),
                    ExtractorSpec(name="trafilatura", target="bb_fake_plugin:extract", kind="article", input="text"),
                    ExtractorSpec(name="fake-missing", target="bb_missing_mod_xyz:extract", kind="article",
                                  input="text", distribution="bb-missing", modules=("bb_missing_mod_xyz",),
                                  install="pip install bb-missing")]

        def extract(page):
            return "fake"
    """))
    info = root / "bb_fake_plugin-1.2.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: bb-fake-plugin\nVersion: 1.2.3\n")
    (info / "entry_points.txt").write_text(
        "[boilerbench.extractors]\none = bb_fake_plugin:ONE\nmany = bb_fake_plugin:many\n"
        "broken = bb_fake_plugin:does_not_exist\n")


def test_entry_points_add_specs_and_a_broken_one_only_warns(tmp_path, monkeypatch):
    _install_fake_distribution(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.warns(RuntimeWarning) as caught:
        known = registry.known_specs()
    messages = " ".join(str(w.message) for w in caught)
    assert "broken" in messages and "trafilatura" in messages
    assert known["fake-one"].distribution == "bb-fake-plugin"
    assert registry.version_of(known["fake-one"]) == "1.2.3"
    assert "fake-two" in known
    # a plugin cannot take over a builtin name
    assert known["trafilatura"].target == "benchmark.extractors.adapters:trafilatura_extract"
    with pytest.warns(RuntimeWarning):
        assert [s.name for s in registry.resolve(["fake-one"])] == ["fake-one"]


# --------------------------------------------------------------------------- isolation

CLEAN_IMPORT_SCRIPT = """
import json, sys
from benchmark.extractors import registry
specs = registry.known_specs()
facts = {name: [registry.is_installed(s), registry.version_of(s)] for name, s in specs.items()}
heavy = sorted(m for m in ("trafilatura", "justext", "newspaper", "readability", "lxml", "html_text", "tldextract")
               if m in sys.modules)
print(json.dumps({"heavy": heavy, "facts": facts}))
"""


def test_registry_answers_without_importing_any_extractor_library():
    done = subprocess.run([sys.executable, "-c", CLEAN_IMPORT_SCRIPT], capture_output=True, text=True,
                          cwd=REPO, timeout=60)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["heavy"] == []
    assert result["facts"]["newspaper3k"] == [True, importlib.metadata.version("newspaper3k")]


PREPARE_SCRIPT = """
import json, os, tempfile
from benchmark.extractors.environment import prepare_worker_environment, scratch_dir
prepare_worker_environment()
prepare_worker_environment()  # idempotent
import tldextract.tldextract as t
print(json.dumps({"tempdir": tempfile.gettempdir(), "scratch": str(scratch_dir()),
                  "urls": list(t.TLD_EXTRACTOR.suffix_list_urls),
                  "cache": os.environ["TLDEXTRACT_CACHE"], "hf": os.environ["HF_HUB_OFFLINE"]}))
"""


def test_prepare_worker_environment_points_scratch_files_into_a_private_dir(tmp_path):
    scratch = tmp_path / "scratch"
    env = {**os.environ, "BOILERBENCH_SCRATCH": str(scratch), "TMPDIR": str(tmp_path)}
    env.pop("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", None)
    done = subprocess.run([sys.executable, "-c", PREPARE_SCRIPT], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=60)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["tempdir"] == str(scratch / "tmp")
    assert result["scratch"] == str(scratch)
    assert result["urls"] == []  # tldextract will use its bundled snapshot, never the network
    assert result["cache"] == str(scratch / "tldextract")
    assert result["hf"] == "1"


def test_default_scratch_dir_is_private_and_per_user(tmp_path, monkeypatch):
    monkeypatch.delenv("BOILERBENCH_SCRATCH", raising=False)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    root = environment.scratch_dir()
    assert root.parent == tmp_path and root.name.startswith("boilerbench-")
    assert oct(root.stat().st_mode & 0o777) == oct(0o700)


# --------------------------------------------------------------------------- `boilerbench list`


def parse_list(out: str) -> dict[str, dict[str, str]]:
    """The table `boilerbench list` prints, cut at the header's column starts: {name: {column: cell}}."""
    lines = out.splitlines()
    header = lines[0]
    columns = header.split()
    starts, at = [], 0
    for column in columns:
        at = header.index(column, at)
        starts.append(at)
        at += len(column)
    rows = {}
    for line in lines[1:]:
        if not line.strip():
            break
        cells = [line[start:end].strip() for start, end in zip(starts, starts[1:] + [len(line)])]
        row = dict(zip(columns, cells))
        row["default"] = row["name"].endswith(" *")
        row["name"] = row["name"].removesuffix(" *")
        rows[row["name"]] = row
    return rows


def test_list_shows_installed_or_not_version_and_install_command(tmp_path, monkeypatch, capsys):
    from benchmark.cli import main

    _install_fake_distribution(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    assert main(["list"]) == 0
    captured = capsys.readouterr()
    assert captured.err.count("warning: entry point 'broken'") == 1  # a broken plugin is named once, not fatal
    assert captured.out.splitlines()[0].split() == ["name", "kind", "output", "installed", "version", "install"]
    rows = parse_list(captured.out)
    assert list(rows)[:6] == CONTRACT_DEFAULTS and all(rows[name]["default"] for name in CONTRACT_DEFAULTS)
    assert rows["trafilatura"]["kind"] == "article extractor"
    assert (rows["trafilatura"]["installed"], rows["trafilatura"]["version"]) == (
        "yes", importlib.metadata.version("trafilatura"))
    missing = rows["fake-missing"]
    assert (missing["installed"], missing["version"], missing["install"]) == ("no", "-", "pip install bb-missing")
    assert "fake-one" in rows
    assert main(["list", "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_name = {r["name"]: r for r in records}
    assert by_name["fake-missing"]["installed"] is False and by_name["fake-missing"]["version"] is None
    assert by_name["justext-english"]["options"]["stoplist"] == "English"
    with pytest.warns(RuntimeWarning):
        builtin = registry.known_specs()["trafilatura"]
    assert by_name["trafilatura"]["options_digest"] == registry.options_digest(builtin)
    assert main(["list", "--installed", "--json"]) == 0
    assert "fake-missing" not in capsys.readouterr().out


#: the field of issue 7: every one must be listed, installed or not, with its kind
ISSUE7_FIELD = {
    "trafilatura": "article extractor", "trafilatura-fast": "article extractor",
    "trafilatura-precision": "article extractor", "trafilatura-recall": "article extractor",
    "readability-lxml": "article extractor", "justext": "article extractor", "newspaper3k": "article extractor",
    "goose3": "article extractor", "boilerpy3": "article extractor", "boilerpy3-default": "article extractor",
    "resiliparse": "article extractor", "magic-html": "article extractor",
    "inscriptis": "full-text converter", "html-text": "full-text converter", "readabilipy": "full-text converter",
    "full-text": "full-text converter", "gold": "baseline",
    "newspaper4k": "external", "readability-js": "external",
}


def test_list_shows_every_known_extractor_with_kind_and_the_command_that_installs_a_missing_one(
        monkeypatch, capsys):
    from benchmark.cli import main
    from benchmark.extractors import readability_js
    from benchmark.extractors.optional import NEWSPAPER4K_ENV

    # make two of them missing whatever this machine has: a venv and a Node.js folder that do not exist
    monkeypatch.setenv(NEWSPAPER4K_ENV, "/nonexistent/bb/python")
    monkeypatch.setenv(readability_js.DIR_ENV, "/nonexistent/bb/readability_js")
    assert main(["list"]) == 0
    rows = parse_list(capsys.readouterr().out)
    assert set(ISSUE7_FIELD) <= set(rows)
    assert set(rows) == set(registry.known_specs())
    for name, kind in ISSUE7_FIELD.items():
        assert rows[name]["kind"] == kind, name
    for name, row in rows.items():
        spec = registry.known_specs()[name]
        if registry.is_installed(spec):
            assert row["installed"] == "yes" and row["install"] == "", name
            assert row["version"] == (registry.version_of(spec) or "-"), name
        else:
            assert row["installed"] == "no" and row["version"] == "-", name
            assert row["install"] == spec.install and row["install"], name
    assert rows["readability-js"]["install"].startswith("needs tools/readability_js/ of a boilerbench checkout")
    assert "python -m venv" in rows["newspaper4k"]["install"] and "newspaper4k" in rows["newspaper4k"]["install"]


def test_missing_python_libraries_are_listed_with_their_pip_command(monkeypatch, capsys):
    from importlib.util import find_spec as real_find_spec

    from benchmark.cli import main

    hidden = {"goose3", "boilerpy3", "resiliparse", "inscriptis", "magic_html", "readabilipy"}
    monkeypatch.setattr("importlib.util.find_spec",
                        lambda name, *a: None if name.split(".")[0] in hidden else real_find_spec(name, *a))
    assert main(["list"]) == 0
    rows = parse_list(capsys.readouterr().out)
    expected = {"goose3": 'pip install "goose3==3.1.22"', "boilerpy3": 'pip install "boilerpy3==1.0.7"',
                "resiliparse": 'pip install "resiliparse==2.0.1"', "inscriptis": 'pip install "inscriptis==2.7.6"',
                "readabilipy": 'pip install "readabilipy==0.3.0"'}
    for name, command in expected.items():
        assert (rows[name]["installed"], rows[name]["install"]) == ("no", command)
    assert rows["magic-html"]["install"].startswith('pip install "magic-html==0.1.8"')
    assert rows["trafilatura"]["installed"] == "yes"
