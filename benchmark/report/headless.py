"""Headless Chromium over the DevTools pipe: the report's browser test and screenshots, standard library only.

Chromium started with ``--remote-debugging-pipe`` reads DevTools protocol
commands from file descriptor 3 and writes replies and events to descriptor 4,
each a JSON message ended by a NUL byte. No websocket client, no driver
binary, no browser download: Debian's ``chromium`` package is enough.

Every page is loaded in a fresh profile with networking services off; the
session records console messages, uncaught exceptions, log entries (CSP
violations land there) and every request the page makes, so a test can assert
that a report is self-contained.
"""

from __future__ import annotations

import base64
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: where Debian and most distributions put the browser
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--no-default-browser-check", "--mute-audio",
         "--hide-scrollbars", "--disable-dev-shm-usage", "--remote-debugging-pipe")


class BrowserError(RuntimeError):
    """Chromium could not be started, or did not answer in time."""


def find_chromium() -> str | None:
    """Path of a Chromium-like browser: $CHROMIUM, then the usual names on PATH."""
    explicit = os.environ.get("CHROMIUM")
    if explicit and Path(explicit).is_file():
        return explicit
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass
class PageLog:
    """What a page did while loaded: console messages, errors, requests."""

    console: list[dict[str, Any]] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    log_entries: list[dict[str, Any]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)  # alert(), confirm() ...: a script ran

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and error-level log entries, as text."""
        found = [f"console.{c['type']}: {c['text']}" for c in self.console if c["type"] in ("error", "assert")]
        found += [f"exception: {e}" for e in self.exceptions]
        found += [f"log {e.get('source')}/{e.get('level')}: {e.get('text')}" for e in self.log_entries
                  if e.get("level") == "error"]
        found += [f"dialog {d}" for d in self.dialogs]
        return found


class Chromium:
    """One headless browser process and one page (tab) in it; use as a context manager."""

    def __init__(self, binary: str | None = None, *, width: int = 1280, height: int = 900, timeout: float = 20.0):
        self.binary = binary or find_chromium()
        if not self.binary:
            raise BrowserError("no Chromium found (install Debian's `chromium` package or set $CHROMIUM)")
        self.width, self.height, self.timeout = width, height, timeout
        self.log = PageLog()
        self._id = 0
        self._replies: dict[int, queue.Queue] = {}
        self._events: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._profile = tempfile.mkdtemp(prefix="boilerbench-chromium-")
        self._session: str | None = None
        try:
            self._start()
        except BaseException:
            shutil.rmtree(self._profile, ignore_errors=True)
            raise

    # -- process and pipe

    def _start(self) -> None:
        import fcntl

        to_browser_r, to_browser_w = os.pipe()
        from_browser_r, from_browser_w = os.pipe()

        def wire_fds() -> None:  # runs in the child: the pipe ends become fds 3 and 4
            read_end = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
            write_end = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)
            os.close(read_end)
            os.close(write_end)

        args = [self.binary, *FLAGS, f"--user-data-dir={self._profile}",
                f"--window-size={self.width},{self.height}", "about:blank"]
        try:
            self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.PIPE, preexec_fn=wire_fds, close_fds=False,
                                            start_new_session=True)
        except OSError as exc:
            raise BrowserError(f"cannot start {self.binary}: {exc}") from None
        finally:
            os.close(to_browser_r)
            os.close(from_browser_w)
        self._out = os.fdopen(to_browser_w, "wb", buffering=0)
        self._in = os.fdopen(from_browser_r, "rb", buffering=0)
        self._stderr_lines: list[str] = []
        threading.Thread(target=self._read_loop, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def _drain_stderr(self) -> None:
        for line in self.process.stderr:  # type: ignore[union-attr]
            if len(self._stderr_lines) < 200:
                self._stderr_lines.append(line.decode("utf-8", "replace").rstrip())

    def _read_loop(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = self._in.read(65536)
            except OSError:
                chunk = b""
            if not chunk:
                self._events.put(None)
                with self._lock:
                    for waiter in self._replies.values():
                        waiter.put({"error": {"message": "browser closed the pipe"}})
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    with self._lock:
                        waiter = self._replies.pop(message["id"], None)
                    if waiter is not None:
                        waiter.put(message)
                else:
                    self._record(message)
                    self._events.put(message)

    def _record(self, message: dict[str, Any]) -> None:
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.consoleAPICalled":
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            self.log.console.append({"type": params.get("type"), "text": text})
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            self.log.exceptions.append(details.get("exception", {}).get("description") or details.get("text", ""))
        elif method == "Log.entryAdded":
            self.log.log_entries.append(params.get("entry", {}))
        elif method == "Network.requestWillBeSent":
            self.log.requests.append(params.get("request", {}).get("url", ""))
        elif method == "Page.javascriptDialogOpening":
            self.log.dialogs.append(f"{params.get('type')}: {params.get('message')}")
            threading.Thread(target=self._dismiss, daemon=True).start()

    def _dismiss(self) -> None:
        try:
            self.send("Page.handleJavaScriptDialog", {"accept": False})
        except BrowserError:
            pass

    def send(self, method: str, params: dict[str, Any] | None = None, *, session: bool = True) -> dict[str, Any]:
        """Send one command and wait for its reply; raise BrowserError on a protocol error or timeout."""
        with self._lock:
            self._id += 1
            ident = self._id
            waiter: queue.Queue = queue.Queue()
            self._replies[ident] = waiter
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session and self._session:
            message["sessionId"] = self._session
        try:
            self._out.write(json.dumps(message).encode() + b"\0")
        except OSError as exc:
            raise BrowserError(f"{method}: browser is gone ({exc}); stderr: {self._stderr_tail()}") from None
        try:
            reply = waiter.get(timeout=self.timeout)
        except queue.Empty:
            raise BrowserError(f"{method}: no reply in {self.timeout} s; stderr: {self._stderr_tail()}") from None
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error'].get('message')}")
        return reply.get("result", {})

    def _stderr_tail(self) -> str:
        return " | ".join(self._stderr_lines[-5:])

    def wait_event(self, method: str, timeout: float | None = None) -> dict[str, Any]:
        """Wait for the next event named `method` (others are recorded and skipped)."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BrowserError(f"no {method} event in {timeout or self.timeout} s")
            try:
                event = self._events.get(timeout=remaining)
            except queue.Empty:
                continue
            if event is None:
                raise BrowserError(f"browser exited while waiting for {method}; stderr: {self._stderr_tail()}")
            if event.get("method") == method:
                return event.get("params", {})

    # -- page

    def open(self, url: str) -> PageLog:
        """Open `url` in a new tab with logging on; return the log, which keeps filling."""
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self._session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                                  session=False)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        self.send("Emulation.setDeviceMetricsOverride", {"width": self.width, "height": self.height,
                                                          "deviceScaleFactor": 1, "mobile": False})
        self.log = PageLog()
        self.send("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")
        return self.log

    def evaluate(self, expression: str) -> Any:
        """Evaluate JavaScript in the page and return its JSON value."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True})
        if "exceptionDetails" in result:
            raise BrowserError(f"evaluate failed: {result['exceptionDetails'].get('text')}")
        return result.get("result", {}).get("value")

    def press(self, key: str) -> None:
        """Press a key as a user does ("Enter", "Tab", " "), through the browser's input pipeline."""
        codes = {"Enter": (13, "\r"), "Tab": (9, ""), " ": (32, " ")}
        code, text = codes[key]
        base = {"key": key, "code": "Space" if key == " " else key, "windowsVirtualKeyCode": code,
                "nativeVirtualKeyCode": code}
        self.send("Input.dispatchKeyEvent", {"type": "keyDown", **base, **({"text": text} if text else {})})
        self.send("Input.dispatchKeyEvent", {"type": "keyUp", **base})

    def set_width(self, width: int, height: int | None = None) -> None:
        """Emulate another viewport width (a phone at 390, a laptop at 1400)."""
        self.width, self.height = width, height or self.height
        self.send("Emulation.setDeviceMetricsOverride", {"width": self.width, "height": self.height,
                                                          "deviceScaleFactor": 1, "mobile": False})

    def screenshot(self, path: Path, *, clip: dict[str, float] | None = None, full_height: int | None = None) -> Path:
        """Write a PNG of the viewport, or of `clip` (page coordinates, CSS pixels)."""
        params: dict[str, Any] = {"format": "png"}
        if clip is not None:
            params.update(clip={**clip, "scale": 1}, captureBeyondViewport=True)
        data = self.send("Page.captureScreenshot", params)["data"]
        path = Path(path)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        """Ask the browser to quit; kill it (its process group) if it does not."""
        try:
            if self.process.poll() is None:
                try:
                    self.send("Browser.close", session=False)
                except BrowserError:
                    pass
                try:
                    self.process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    os.killpg(self.process.pid, 9)
                    self.process.wait(timeout=5)
        finally:
            for handle in (self._out, self._in):
                try:
                    handle.close()
                except OSError:
                    pass
            shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
