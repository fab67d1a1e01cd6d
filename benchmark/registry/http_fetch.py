"""HTTP downloads for `datasets get`: one URL into a `.part` file, resumed where a broken transfer stopped.

Only `boilerbench datasets get` calls this; a benchmark run never does. A
transfer that breaks keeps its `.part` file, and the next attempt asks for
the rest (``Range: bytes=N-``); a server that answers the whole file instead
(200) starts the part again. Every failure is a `DownloadError` with one line
that names the URL and what to do.
"""

from __future__ import annotations

import http.client
import socket
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from benchmark import __version__

_CHUNK = 1 << 16


class DownloadError(Exception):
    """A download that failed; `fatal` when the server cannot be reached at all (no point trying the next file)."""

    def __init__(self, message: str, *, fatal: bool = False) -> None:
        super().__init__(message)
        self.fatal = fatal


def _host(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc or url


def _connection_error(url: str, exc: BaseException, timeout: float) -> DownloadError:
    """One line for an error below HTTP: timeout, refused, unknown host, reset."""
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return DownloadError(f"{_host(url)} sent nothing for {timeout:g} s (server hung or network down): run the "
                             "same command again to resume, or give --timeout SECONDS", fatal=True)
    if isinstance(reason, ConnectionRefusedError):
        return DownloadError(f"cannot connect to {_host(url)} (connection refused: the server is down or the "
                             "address is wrong): check your network and run the same command again", fatal=True)
    if isinstance(reason, socket.gaierror):
        return DownloadError(f"cannot resolve {_host(url)} ({reason.strerror or reason}): check your network "
                             "(downloads need internet access) and run the same command again", fatal=True)
    return DownloadError(f"cannot download from {_host(url)} ({type(reason).__name__}: {reason}): run the same "
                         "command again to resume", fatal=True)


def open_url(url: str, *, timeout: float, offset: int = 0):
    """A response for url from byte `offset`; HTTP and connection errors become `DownloadError`."""
    headers = {"User-Agent": f"boilerbench/{__version__} (datasets get)"}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    try:
        return urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and offset:  # the part already holds everything (or more): caller starts over
            raise DownloadError(f"{url}: range from byte {offset} not satisfiable") from None
        raise DownloadError(f"{url}: HTTP {exc.code} {exc.reason}"
                            + (" (not found at this commit: is the manifest's commit still on the server?)"
                               if exc.code == 404 else ""), fatal=exc.code not in (404, 410)) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        raise _connection_error(url, exc, timeout) from None


def download(url: str, part: Path, *, timeout: float, expected_size: int | None = None,
             on_bytes: Callable[[int], None] | None = None) -> Path:
    """Fetch url into `part`, continuing a part left by a broken transfer; returns `part` once the server is done.

    The part is kept when the transfer breaks (the next call resumes it); it
    is not checked here beyond its length: the caller checks its hash before
    renaming it into place.
    """
    part.parent.mkdir(parents=True, exist_ok=True)
    offset = part.stat().st_size if part.is_file() else 0
    if expected_size is not None and offset > expected_size:
        offset = 0  # longer than the file can be: start over
    if expected_size is not None and offset == expected_size and offset:
        return part  # a previous attempt finished the bytes but stopped before the check
    try:
        response = open_url(url, timeout=timeout, offset=offset)
    except DownloadError as exc:
        if not offset or exc.fatal or "not satisfiable" not in str(exc):
            raise
        offset, response = 0, open_url(url, timeout=timeout)
    with response:
        resumed = offset and response.status == 206 and _range_start(response) == offset
        if not resumed:
            offset = 0
        if on_bytes is not None and offset:
            on_bytes(offset)
        length = response.headers.get("Content-Length")
        total = offset + int(length) if length and length.isdigit() else None
        received = offset
        with part.open("ab" if resumed else "wb") as handle:
            try:
                while chunk := response.read(_CHUNK):
                    handle.write(chunk)
                    received += len(chunk)
                    if on_bytes is not None:
                        on_bytes(len(chunk))
            except (OSError, http.client.HTTPException) as exc:  # IncompleteRead, reset, read timeout
                handle.flush()
                stopped = f"after {received} of {total if total is not None else '?'} bytes"
                if isinstance(exc, (TimeoutError, socket.timeout)):
                    raise DownloadError(f"{_host(url)} stopped sending {stopped} (no data for {timeout:g} s): "
                                        "run the same command again to resume", fatal=True) from None
                raise DownloadError(f"transfer of {url} broke {stopped} ({type(exc).__name__}): run the same "
                                    "command again to resume", fatal=True) from None
    if total is not None and received < total:
        raise DownloadError(f"transfer of {url} broke after {received} of {total} bytes (the server closed the "
                            "connection): run the same command again to resume", fatal=True)
    return part


def _range_start(response) -> int | None:
    """The first byte of a 206 answer (``Content-Range: bytes 100-199/200``)."""
    value = response.headers.get("Content-Range", "")
    try:
        return int(value.split()[1].split("-")[0])
    except (IndexError, ValueError):
        return None
