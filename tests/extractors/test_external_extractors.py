"""External command extractors through the real runner: definitions, deadlines, clean-up, network, cache.

Also Readability.js (`readability-js`), really run where it is set up
(``.ci/run`` does it, or ``npm --prefix tools/readability_js ci --ignore-scripts``
by hand; a test never installs into the work tree).
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import socket
import sys
import textwrap
import time
from pathlib import Path

import pytest

from benchmark.extractors import registry
from benchmark.extractors.config import (ConfigError, external_definitions, run_names, split_extractor_names)
from benchmark.extractors.external import network_namespace_available
from benchmark.records import Outcome
from benchmark.run.runner import Runner
from tests.fakes import page

PY = sys.executable

# One tool for both modes: per-page (argv[1] == "page") reads one page from stdin, jsonl serves lines.
TOOL = r'''
import json, os, socket, sys, time

def answer(html, language):
    if "HANG" in html:
        with open(html.split("HANG ")[1].split("<")[0], "w") as f:
            f.write(str(os.getpid()))
        time.sleep(600)
    if "FAIL" in html:
        raise ValueError("cannot parse this page")
    if "DIE" in html:
        sys.exit(3)
    if "EMPTY" in html:
        return ""
    if "CONNECT" in html:
        port = int(html.split("CONNECT ")[1].split("<")[0])
        try:
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
            return "connected"
        except OSError as exc:
            return f"refused: {exc}"
    return json.dumps({"pid": os.getpid(), "ppid": os.getppid(), "pgid": os.getpgid(0), "language": language,
                       "head": html[:40]})

if sys.argv[1] == "page":
    data = sys.stdin.buffer.read()
    try:
        print(answer(data.decode("utf-8"), ""))
    except ValueError as exc:
        sys.exit(str(exc))
else:
    for line in sys.stdin:
        request = json.loads(line)
        html = request["html"]
        if "NOISE" in html:
            print("a debug line that is not JSON", flush=True)
            continue
        try:
            reply = {"id": "someone-else" if "WRONGID" in html else request["id"],
                     "text": answer(html, request["language"])}
        except ValueError as exc:
            reply = {"id": request["id"], "error": str(exc)}
        print(json.dumps(reply), flush=True)
'''


@pytest.fixture(scope="module")
def tool(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tool") / "tool.py"
    path.write_text(TOOL)
    return path


def define(*values: str, versions: tuple[str, ...] = (), config: Path | None = None):
    """Specs of --extractor-cmd values, as `boilerbench run` builds them."""
    defined, _cli = external_definitions(values, versions, config)
    return defined


def run_pages(specs, pages, *, jobs: int = 1, timeout: float = 30.0, cache=None):
    golds = {}
    with Runner(specs, jobs=jobs, timeout=timeout, cache=cache) as runner:
        results = {(e.extractor, e.page_id): e for e in runner.run(pages, golds)}
        return results, {r.name: r for r in runner.extractor_runs()}, runner.workers_started


def process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:  # a zombie still answers kill(0): read its state
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except OSError:
        return True


# --------------------------------------------------------------------------- definitions


def test_extractors_list_splits_on_commas_outside_quotes_only():
    assert split_extractor_names("trafilatura, justext,,") == ["trafilatura", "justext"]
    assert split_extractor_names("cmd:python -c 'print(1,2)',trafilatura") == [
        "cmd:python -c 'print(1,2)'", "trafilatura"]
    assert split_extractor_names('jsonl:tool --sep ",",pkg.mod:func') == ['jsonl:tool --sep ","', "pkg.mod:func"]
    with pytest.raises(ConfigError, match="unclosed"):
        split_extractor_names("cmd:tool 'a,b")
    spec, = registry.resolve(split_extractor_names("cmd:python3 -c 'print(1,2)'"))
    assert spec.options["command"] == ["python3", "-c", "print(1,2)"]


def test_extractor_cmd_defines_a_named_command_in_either_mode(tool):
    specs = define(f"mine=python3 {tool} page", f"served=jsonl:python3 {tool} serve")
    mine, served = specs["mine"], specs["served"]
    assert (mine.kind, mine.target, mine.options["mode"]) == ("external", registry.EXTERNAL_TARGET, "per-page")
    assert (served.target, served.options["mode"], served.options["protocol"]) == (
        registry.EXTERNAL_JSONL_TARGET, "jsonl", "jsonl-v1")
    assert mine.options["command"] == ["python3", str(tool), "page"]
    assert mine.options["network"] == "deny" and mine.options["input"] == "html"
    # the script is hashed: editing it changes the options digest, hence the cache key
    assert set(mine.options["file_sha256"]) == {str(tool)}
    assert registry.is_installed(mine) and registry.version_of(mine) is None


def test_version_cmd_is_run_once_and_recorded(tool):
    specs = define(f"mine=python3 {tool} page", versions=(f"mine={PY} -c 'print(\"\\n  tool 1.4.2 \")'",))
    assert registry.version_of(specs["mine"]) == "tool 1.4.2"
    assert specs["mine"].options["version_cmd"][0] == PY
    with pytest.raises(ConfigError, match="status 4"):
        define(f"mine=python3 {tool} page", versions=(f"mine={PY} -c 'import sys; sys.exit(4)'",))
    with pytest.raises(ConfigError, match="no extractor of that name"):
        define(f"mine=python3 {tool} page", versions=("other=echo 1",))


@pytest.mark.parametrize("value, message", [
    ("noequals", "NAME=COMMAND"), ("=python3 x", "extractor name"), ("bad:name=python3 x", "extractor name"),
    ("trafilatura=python3 x", "already a registered extractor"), ("x=   ", "NAME=COMMAND"),
    ("x=python3 'unclosed", "cannot split"),
])
def test_bad_extractor_cmd_values_are_refused_with_a_reason(value, message):
    with pytest.raises(ConfigError, match=message):
        define(value)


def test_config_file_defines_extractors_relative_to_its_folder(tmp_path, tool):
    shutil.copy(tool, tmp_path / "tool.py")
    config = tmp_path / "boilerbench.toml"
    config.write_text(textwrap.dedent(f"""
        [extractors.served]
        command = "{PY} tool.py serve"
        mode = "jsonl"
        version = "2.0"

        [extractors.per-page]
        command = ["{PY}", "tool.py", "page"]
        version_cmd = "{PY} -c 'print(7)'"
        input = "raw"
        network = "allow"
        description = "the same tool, one process per page"
    """))
    specs = define(config=config)
    served, per_page = specs["served"], specs["per-page"]
    assert served.options["cwd"] == str(tmp_path) and served.options["mode"] == "jsonl"
    assert registry.version_of(served) == "2.0" and registry.version_of(per_page) == "7"
    assert per_page.input == "bytes" and per_page.options["network"] == "allow"
    assert per_page.description == "the same tool, one process per page"
    assert per_page.options["file_sha256"] == served.options["file_sha256"]  # tool.py, found in the config's folder
    # the command line wins over the config file for the same name
    cli = define(f"served=python3 {tool} page", config=config)
    assert cli["served"].options["mode"] == "per-page" and "version" not in cli["served"].options


@pytest.mark.parametrize("body, message", [
    ("[extractors.x]\nmode = 'jsonl'\n", "command"),
    ("[extractors.x]\ncommand = 'a'\nmodes = 'jsonl'\n", "unknown key"),
    ("[extractors.x]\ncommand = 'a'\nmode = 'daemon'\n", "mode must be one of"),
    ("[extractors.x]\ncommand = 'a'\nversion = '1'\nversion_cmd = 'echo 1'\n", "not both"),
    ("[extractors.justext]\ncommand = 'a'\n", "already a registered"),
    ("[extractors.x]\ncommand = 'a'\nnetwork = 'maybe'\n", "network must be one of"),
    ("[extractors.x]\ncommand = 'a'\ninput = 'pdf'\n", "input must be one of"),
    ("extractors = 3\n", "must be a table"),
    ("[extractors.x\n", "not valid TOML"),
])
def test_bad_config_files_are_refused_naming_the_file_and_table(tmp_path, body, message):
    config = tmp_path / "boilerbench.toml"
    config.write_text(body)
    with pytest.raises(ConfigError, match=message) as info:
        define(config=config)
    assert str(config) in str(info.value)


def test_what_a_run_measures():
    defined = {"cfg": object(), "cli": object()}
    defaults = ["trafilatura", "full-text"]
    assert run_names(None, defaults, defined, ["cli"]) == ["trafilatura", "full-text", "cfg", "cli"]
    assert run_names(["justext"], defaults, defined, ["cli"]) == ["justext", "cli"]  # config ones only when named
    assert run_names(["cli", "cfg"], defaults, defined, ["cli"]) == ["cli", "cfg"]


# --------------------------------------------------------------------------- through the runner


def test_per_page_and_long_lived_commands_give_every_outcome(tool, tmp_path):
    specs = define(f"per-page=python3 {tool} page", f"served=jsonl:python3 {tool} serve")
    pages = [page("good-1"), page("good-2", language="de"), page("fail", "FAIL"), page("empty", "EMPTY"),
             page("die", "DIE"), page("good-3")]
    results, runs, _ = run_pages(list(specs.values()), pages, jobs=1)  # one worker: one long-lived tool
    for name in ("per-page", "served"):
        outcome = {p.page_id: results[name, p.page_id].outcome for p in pages}
        assert outcome == {"good-1": Outcome.OK, "good-2": Outcome.OK, "fail": Outcome.ERROR,
                           "empty": Outcome.EMPTY, "die": Outcome.ERROR, "good-3": Outcome.OK}, name
        assert "cannot parse this page" in results[name, "fail"].error
        assert "status 3" in results[name, "die"].error
        assert runs[name].kind == "external" and runs[name].import_ms is not None
    served = {p: json.loads(results["served", p].text) for p in ("good-1", "good-2", "good-3")}
    per_page = {p: json.loads(results["per-page", p].text) for p in ("good-1", "good-2", "good-3")}
    assert served["good-1"]["pid"] == served["good-2"]["pid"]  # one long-lived process ...
    assert served["good-3"]["pid"] != served["good-1"]["pid"]  # ... started again after it died on "die"
    assert served["good-2"]["language"] == "de" and served["good-1"]["head"].startswith("<html><body><p>Text")
    assert len({p["pid"] for p in per_page.values()}) == 3  # one process per page
    assert per_page["good-1"]["head"].startswith('<meta charset="utf-8"><html>')  # UTF-8 bytes, said so


def test_a_reply_out_of_step_stops_the_tool_and_the_next_page_gets_a_fresh_one(tool):
    specs = define(f"served=jsonl:python3 {tool} serve")
    pages = [page("a"), page("noise", "NOISE"), page("b"), page("wrong", "WRONGID"), page("c")]
    results, _, _ = run_pages(list(specs.values()), pages)
    assert results["served", "noise"].outcome is Outcome.ERROR
    assert "not JSON" in results["served", "noise"].error
    assert results["served", "wrong"].outcome is Outcome.ERROR
    assert "answered for page 'someone-else'" in results["served", "wrong"].error
    pids = [json.loads(results["served", p].text)["pid"] for p in ("a", "b", "c")]
    assert len(set(pids)) == 3


@pytest.mark.parametrize("mode", ["per-page", "jsonl"])
def test_a_timeout_kills_the_tool_and_a_fresh_worker_starts_a_fresh_one(tool, tmp_path, mode):
    prefix = "jsonl:" if mode == "jsonl" else ""
    sub = "serve" if mode == "jsonl" else "page"
    specs = define(f"t={prefix}python3 {tool} {sub}")
    pid_file = tmp_path / "hung.pid"
    pages = [page("before"), page("hang", f"HANG {pid_file}"), page("after")]
    started = time.monotonic()
    results, _, workers = run_pages(list(specs.values()), pages, timeout=2.0)
    assert time.monotonic() - started < 30
    assert results["t", "hang"].outcome is Outcome.TIMEOUT
    assert "process group killed" in results["t", "hang"].error
    hung = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while not process_gone(hung) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process_gone(hung), "the hung tool outlived its worker"
    assert workers == 2  # the killed worker was replaced
    before, after = (json.loads(results["t", p].text) for p in ("before", "after"))
    assert results["t", "after"].outcome is Outcome.OK and after["pid"] != hung
    if mode == "jsonl":
        assert before["pid"] == hung  # the long-lived tool served "before", then hung on "hang"
    else:
        assert before["pid"] != hung


def test_the_long_lived_tool_is_in_its_workers_process_group(tool):
    specs = define(f"served=jsonl:python3 {tool} serve")
    results, _, _ = run_pages(list(specs.values()), [page("a")])
    facts = json.loads(results["served", "a"].text)
    # the worker leads its own process group (the runner starts it in a new session);
    # the tool was not moved out of it, so killing the group kills the tool
    assert facts["pgid"] == facts["ppid"]
    assert facts["pgid"] != os.getpgid(0)


@pytest.fixture()
def local_listener():
    """A TCP listener on this machine's loopback: the only address a network test may try."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield server.getsockname()[1]
    server.close()


@pytest.mark.parametrize("mode", ["per-page", "jsonl"])
def test_external_tools_get_no_network_where_namespaces_are_allowed(tool, local_listener, tmp_path, mode):
    if not network_namespace_available():
        pytest.skip("unshare --net --map-root-user is refused here: external tools keep the network "
                    "(documented in external.py)")
    prefix, sub = ("jsonl:", "serve") if mode == "jsonl" else ("", "page")
    config = tmp_path / "c.toml"
    config.write_text(f'[extractors.open]\ncommand = "{PY} {tool} {sub}"\nmode = "{mode}"\nnetwork = "allow"\n')
    specs = define(f"closed={prefix}{PY} {tool} {sub}", config=config)
    results, _, _ = run_pages(list(specs.values()), [page("c", f"CONNECT {local_listener}")])
    assert results["open", "c"].text.strip() == "connected"  # the listener is there ...
    assert results["closed", "c"].text.strip().startswith("refused")  # ... but not from inside the namespace


def test_version_and_script_key_the_cache(tool, tmp_path):
    from benchmark.run.cache import Cache

    script = tmp_path / "tool.py"
    script.write_text(TOOL)
    pages = [page("a"), page("b")]
    cache = Cache(tmp_path / "cache.sqlite")

    def run(version: str):
        specs = define(f"t=jsonl:{PY} {script} serve", versions=(f"t={PY} -c 'print(\"{version}\")'",))
        results, runs, _ = run_pages(list(specs.values()), pages, cache=cache)
        assert runs["t"].version == version
        return {p.page_id: results["t", p.page_id] for p in pages}

    first = run("1.0")
    assert not any(e.cached for e in first.values())
    again = run("1.0")
    assert all(e.cached for e in again.values()) and again["a"].text == first["a"].text
    assert not any(e.cached for e in run("1.1").values())  # a new version is measured afresh
    script.write_text(TOOL + "\n# edited\n")
    assert not any(e.cached for e in run("1.1").values())  # so is an edited script, same version


def test_cli_run_records_the_external_extractor_and_its_version(tool, tmp_path):
    from click.testing import CliRunner

    from benchmark.cli import cli
    from tests.corpus_builders import good_corpus

    corpus = good_corpus(tmp_path / "corpus", n=2)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, [
        "run", "--corpus", str(corpus), "--out", str(out), "--no-cache", "--quiet", "--jobs", "1",
        "--extractors", "full-text,served", "--extractor-cmd", f"served=jsonl:{PY} {tool} serve",
        "--extractor-cmd", f"once={PY} {tool} page", "--version-cmd", f"served={PY} -c 'print(3.2)'"])
    assert result.exit_code == 0, result.output
    assert "warning: no version for once" in result.output
    run_json = json.loads(next(out.glob("*/run.json")).read_text())
    assert run_json["extractors_requested"] == ["full-text", "served", "once"]
    served = run_json["extractors"]["served"]
    assert (served["kind"], served["version"], served["options"]["mode"]) == ("external", "3.2", "jsonl")
    assert run_json["outcomes"] == {"ok": 6}
    bad = CliRunner().invoke(cli, ["run", "--corpus", str(corpus), "--extractor-cmd", "trafilatura=x"])
    assert bad.exit_code == 2 and "already a registered extractor" in bad.output
    split = CliRunner().invoke(cli, ["run", "--corpus", str(corpus), "--extractors", "cmd:tr -d a,b"])
    assert split.exit_code == 2 and "unknown extractor 'b'" in split.output
    assert "quote a comma that belongs to a cmd:/jsonl: command" in split.output


def test_list_shows_the_extractors_of_a_config_file(tool, tmp_path):
    from click.testing import CliRunner

    from benchmark.cli import cli

    config = tmp_path / "boilerbench.toml"
    config.write_text(f'[extractors.mine]\ncommand = "{PY} {tool} page"\nversion = "0.3"\n'
                      '[extractors.absent]\ncommand = "no-such-program-bb --x"\n')
    result = CliRunner().invoke(cli, ["list", "--config", str(config), "--json"])
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in map(json.loads, result.output.splitlines())}
    assert (rows["mine"]["installed"], rows["mine"]["version"], rows["mine"]["kind"]) == (True, "0.3", "external")
    assert rows["absent"]["installed"] is False and rows["absent"]["install"] == "put 'no-such-program-bb' on PATH"


# --------------------------------------------------------------------------- Readability.js

READABLE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Bridge | Herald</title></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a> <a href="/c">Contact us</a></nav>
<article><h1>Council approves new bridge</h1>
<p>The city council voted 9 to 2 on Tuesday night to approve a new pedestrian and cycle bridge over the river,
ending a debate that has divided residents for almost a decade. Construction begins next spring.</p>
<p>Supporters say the bridge will connect the growing neighbourhoods on the east bank with the city centre and
the station, cutting the walk for thousands of commuters by more than twenty minutes, said Maria L\u00f3pez.</p>
<p>Opponents argued that the estimated cost of 14 million pounds would be better spent on repairing roads,
and that the design would block views of the old harbour. A referendum motion was rejected.</p></article>
<footer>&copy; 2012 City Herald. All rights reserved.</footer></body></html>"""


@pytest.fixture(scope="module")
def readability_js():
    """The readability-js spec, set up now if Node.js is here and it is not yet; skip without Node.js."""
    from benchmark.extractors import readability_js as module

    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js/npm not installed: readability-js cannot run here")
    if module.installed_version() is None:  # a test never installs anything into the work tree
        pytest.skip(f"readability-js is not set up (.ci/run does it; by hand: {module.setup_command()})")
    spec = registry.known_specs()["readability-js"]
    assert registry.is_installed(spec)
    return spec


def test_readability_js_extracts_the_article_in_one_long_lived_process(readability_js):
    make_page = page

    html_page = dataclasses.replace(make_page("r1"), raw=READABLE.encode("utf-8"))
    other = dataclasses.replace(html_page, page_id="r2")
    empty = make_page("r3", "")
    results, runs, workers = run_pages([readability_js], [html_page, other, empty])
    text = " ".join(results["readability-js", "r1"].text.split())
    assert results["readability-js", "r1"].outcome is Outcome.OK
    assert "voted 9 to 2 on Tuesday night" in text and "Maria L\u00f3pez" in text and "block views" in text
    assert "Contact us" not in text and "All rights reserved" not in text
    assert results["readability-js", "r2"].text == results["readability-js", "r1"].text
    assert results["readability-js", "r3"].outcome is Outcome.EMPTY
    assert runs["readability-js"].version.startswith("0.6.0+jsdom.27.0.0")
    assert workers == 1


def test_readability_js_lists_its_setup_command_when_missing(monkeypatch, tmp_path):
    from benchmark.extractors import readability_js as module

    original_sha = registry.known_specs()["readability-js"].options["server_sha256"]
    copy = tmp_path / "elsewhere"  # the committed files without node_modules: not set up yet
    copy.mkdir()
    for name in ("package.json", "package-lock.json", module.SERVER):
        shutil.copy(module.tool_dir() / name, copy / name)
    monkeypatch.setenv(module.DIR_ENV, str(copy))
    spec = registry.known_specs()["readability-js"]
    assert not registry.is_installed(spec) and registry.version_of(spec) is None
    assert spec.install.startswith(f"npm --prefix {copy} ci --ignore-scripts")
    assert spec.options["server_sha256"] == original_sha  # the script's content, wherever it lives
    monkeypatch.setenv(module.DIR_ENV, str(tmp_path / "nowhere"))  # an installation without the folder
    assert "of a boilerbench checkout" in registry.known_specs()["readability-js"].install
    monkeypatch.setenv(module.DIR_ENV, str(copy))
    results, _, workers = run_pages([spec], [page("a")])
    assert results["readability-js", "a"].outcome is Outcome.UNAVAILABLE and workers == 0
    assert "npm --prefix" in results["readability-js", "a"].error
