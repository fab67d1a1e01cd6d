"""Fixtures of the hostile-input suite: where probes leave pids, and a loopback listener to try to reach."""

from __future__ import annotations

import socket

import pytest

from tests.hostile import hostile_fakes
from tests.hostile.support import kill_all, left_pids


@pytest.fixture()
def pid_dir(tmp_path, monkeypatch):
    """A folder the probes leave their children's pids in; whatever survives a failed test is killed after it."""
    folder = tmp_path / "pids"
    folder.mkdir()
    monkeypatch.setenv(hostile_fakes.PID_DIR_VARIABLE, str(folder))
    yield folder
    kill_all(left_pids(folder))


@pytest.fixture()
def local_listener(monkeypatch):
    """A TCP listener on loopback (the only address a network probe may try); its port in the probes' env."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.setblocking(False)
    monkeypatch.setenv(hostile_fakes.PORT_VARIABLE, str(server.getsockname()[1]))
    yield server
    server.close()
