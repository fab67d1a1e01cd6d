"""A loopback stand-in for GitHub's file endpoints and a local git repository, for `datasets get` tests.

`DatasetServer` serves a set's files as codeload (the commit's tar.gz),
raw.githubusercontent.com (one file, with Range) and media.githubusercontent.com
(Git LFS content) do, and misbehaves on request: a file served corrupted, a
transfer cut after some bytes, a server that accepts and then says nothing,
files kept in LFS (pointer in the archive and the raw URL, content on the media
URL). Every request is recorded with its Range header.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import socket
import subprocess
import tarfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote


def lfs_pointer(data: bytes) -> bytes:
    return (f"version https://git-lfs.github.com/spec/v1\noid sha256:{hashlib.sha256(data).hexdigest()}\n"
            f"size {len(data)}\n").encode()


def read_folder(root: Path) -> dict[str, bytes]:
    """Every file under root by its "/"-separated relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


class DatasetServer:
    """Serves `files` (path -> bytes) of repository@commit on 127.0.0.1; use as a context manager."""

    def __init__(self, files: dict[str, bytes], repository: str, commit: str) -> None:
        self.files, self.repository, self.commit = dict(files), repository, commit
        self.corrupt: set[str] = set()  # served with one byte changed
        self.cut: dict[str, int] = {}  # path -> bytes sent before the connection drops
        self.lfs: set[str] = set()  # pointer on raw and in the archive, content on media
        self.hang = False  # accept, then send nothing until the test ends
        self.requests: list[tuple[str, str | None]] = []  # (path, Range header)
        self._release = threading.Event()
        self._archive: bytes | None = None
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"

    # ----------------------------------------------------------------- what the client is given

    def templates(self) -> list[str]:
        """The `datasets get` options that point every endpoint here."""
        return ["--archive-url", self.base + "/archive/{repository}/tar.gz/{commit}",
                "--raw-url", self.base + "/raw/{repository}/{commit}/{path}",
                "--media-url", self.base + "/media/{repository}/{commit}/{path}"]

    def served(self, path: str, *, media: bool = False) -> bytes:
        data = self.files[path]
        if path in self.lfs and not media:
            return lfs_pointer(data)
        if path in self.corrupt:
            return data[:-1] + bytes([data[-1] ^ 0xFF])
        return data

    def archive(self) -> bytes:
        """The commit's tar.gz as codeload names its members: <repo>-<commit>/<path>."""
        if self._archive is None:
            buffer = io.BytesIO()
            top = f"{self.repository.split('/')[1]}-{self.commit}"
            with tarfile.open(fileobj=buffer, mode="w") as tar:
                for path in sorted(self.files):
                    data = self.served(path)
                    info = tarfile.TarInfo(f"{top}/{path}")
                    info.size = len(data)
                    tar.addfile(info, io.BytesIO(data))
            # the same bytes on every build (gzip's header time fixed), as a resumed transfer needs
            self._archive = gzip.compress(buffer.getvalue(), mtime=0)
        return self._archive

    # ----------------------------------------------------------------- the HTTP side

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - the http.server name
                server.requests.append((self.path, self.headers.get("Range")))
                if server.hang:
                    server._release.wait(30)
                    return
                body, name = server._route(self.path)
                if body is None:
                    self.send_error(404)
                    return
                start = 0
                if (wanted := self.headers.get("Range", "")).startswith("bytes="):
                    start = int(wanted[6:].split("-")[0])
                    if start >= len(body):
                        self.send_error(416)
                        return
                self.send_response(206 if start else 200)
                if start:
                    self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                self.send_header("Content-Length", str(len(body) - start))
                self.end_headers()
                if name in server.cut:
                    self.wfile.write(body[start:server.cut.pop(name)])  # then drop the connection, once
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.wfile.write(body[start:])

        return Handler

    def _route(self, url_path: str) -> tuple[bytes | None, str]:
        path = unquote(url_path)
        archive = f"/archive/{self.repository}/tar.gz/{self.commit}"
        if path == archive:
            return self.archive(), "archive"
        for prefix, media in ((f"/raw/{self.repository}/{self.commit}/", False),
                              (f"/media/{self.repository}/{self.commit}/", True)):
            if path.startswith(prefix) and (name := path[len(prefix):]) in self.files:
                return self.served(name, media=media), name
        return None, ""

    def __enter__(self) -> DatasetServer:
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._release.set()
        self._httpd.shutdown()
        self._httpd.server_close()


def closed_port_url() -> str:
    """An address where nothing listens: a server that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def git_repository(root: Path, files: dict[str, bytes]) -> str:
    """A git repository holding files in one commit, serving fetches by commit id; returns the commit."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", *args], cwd=root,
                              check=True, capture_output=True, text=True).stdout.strip()

    root.mkdir(parents=True)
    git("init", "-q")
    for path, data in files.items():
        target = root.joinpath(*path.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    git("add", "-A")
    git("commit", "-q", "-m", "dataset")
    git("config", "uploadpack.allowFilter", "true")
    git("config", "uploadpack.allowAnySHA1InWant", "true")
    return git("rev-parse", "HEAD")
