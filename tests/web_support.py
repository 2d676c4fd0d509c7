"""A real browser-edition server on 127.0.0.1 for tests, and a real Chromium to drive it.

The server runs uvicorn in a thread on a free port with its own store and results file; it can be
stopped and started again on the same store (a restart in the middle of a class). Chromium is the
machine's own (`CHROMIUM`, or `chromium` on PATH; `make test` finds or installs it): Playwright
drives it through `executable_path`, with the flags that keep it from calling any other host.
"""

from __future__ import annotations

import asyncio
import http.client
import io
import os
import re
import shutil
import threading
import time
import urllib.parse
from pathlib import Path

import uvicorn

from game.results.recorder import ResultsFile
from game.store.sqlite import SQLiteStore
from game.web.app import create_app
from game.web.server import Server

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-default-apps", "--metrics-recording-only",
                  "--disable-domain-reliability", "--disable-client-side-phishing-detection"]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("No Chromium found: run the tests with `make test` (it finds or installs one), or set "
                           "CHROMIUM to a Chromium executable (Debian: apt-get install chromium).")
    return path


class LiveServer:
    """The browser edition on 127.0.0.1:<free port>, in a thread."""

    def __init__(self, scenario, folder: Path, results: bool = True, capacity: int = 5000):
        self.scenario = scenario
        self.folder = folder
        self.results_path = folder / "results.sqlite"
        self.store_path = folder / "web-sessions.sqlite"
        self.results = results
        self.capacity = capacity
        self.server: uvicorn.Server | None = None
        self.thread: threading.Thread | None = None
        self.store: SQLiteStore | None = None
        self.url = ""
        self.app = None

    def start(self, port: int = 0) -> LiveServer:
        self.store = SQLiteStore(self.store_path)
        results = ResultsFile(self.results_path, "web") if self.results else None
        self.app = create_app(self.scenario, self.store, results, self.capacity)
        config = uvicorn.Config(self.app, host="127.0.0.1", port=port, log_level="warning", access_log=False,
                                lifespan="off")
        self.server = Server(config, io.StringIO(), announce_qr=False)   # signals are left alone off the main thread
        self.thread = threading.Thread(target=lambda: asyncio.run(self.server.serve()), daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.should_exit = True
            self.thread.join(timeout=20)
        if self.store is not None:
            self.store.close()
        self.server = self.thread = self.store = None

    def start_on(self, port: int) -> LiveServer:
        """Start again on the port it had (the pages open in a browser reconnect to it)."""
        return self.start(port)

    def restart(self) -> LiveServer:
        """Stop and start again on the same store and results: nothing kept in memory survives."""
        self.stop()
        return self.start()


class Browser:
    """A minimal browser without JavaScript: a cookie jar, forms, redirects followed by hand."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}
        self.last = ""

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                follow: bool = True) -> tuple[int, dict[str, str], str]:
        url = urllib.parse.urlsplit(self.base)
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=20)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        got = {k.lower(): v for k, v in response.getheaders()}
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        conn.close()
        if follow and response.status in (302, 303):
            return self.request("GET", got["location"].split("#")[0])
        self.last = text
        return response.status, got, text

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, url: str, **fields: str):
        data = {"csrf": self.csrf(), **fields}
        return self.request("POST", url, urllib.parse.urlencode(data).encode())

    def csrf(self) -> str:
        found = re.search(r'name="csrf" value="([^"]+)"', self.last)
        return found.group(1) if found else ""

    def testids(self, name: str) -> list[str]:
        return re.findall(rf'<[^>]*data-testid="{name}"[^>]*>', self.last)


def play_to_end(browser: Browser, pick=lambda n, count: 0, limit: int = 3000) -> int:
    """Continue and choose until the debrief, with forms only; returns the choices made."""
    choices = 0
    for _ in range(limit):
        if 'data-testid="debrief"' in browser.last:
            return choices
        options = re.findall(r'name="option" value="(\d+)"', browser.last)
        at = re.search(r'name="at" value="([^"]*)"', browser.last)
        if options:
            browser.post("/choose", option=options[pick(choices, len(options)) % len(options)], at=at.group(1))
            choices += 1
        elif "/ready" in browser.last:
            browser.post("/ready")
        else:
            assert browser.testids("continue"), browser.last[-2000:]
            browser.post("/next", at=at.group(1))
    raise AssertionError("no debrief")


def start(browser: Browser, role: str = "shah", path: str = "short") -> None:
    browser.get("/")
    assert browser.testids(f"role-{role}") and browser.testids(f"path-{path}")
    browser.post("/new", role=role, path=path)
    assert browser.testids("begin")
    browser.post("/begin")


ROOT_DIR = Path(__file__).resolve().parents[1]


class Served:
    """`main.py serve --class …` in its own process, on a free port, with its own store."""

    def __init__(self, folder, *args: str):
        import subprocess
        import sys

        self.folder = folder
        where = ["--store", str(folder / "store.sqlite"), "--results-db", str(folder / "results.sqlite")]
        cmd = [sys.executable, "main.py", "serve", "--port", "0", *(where if "--database-url" not in args else []),
               *args]
        self.out = open(folder / f"out-{len(list(folder.glob('out-*')))}.txt", "w+")   # noqa: SIM115
        self.process = subprocess.Popen(cmd, stdout=self.out, stderr=subprocess.STDOUT, cwd=ROOT_DIR)
        deadline = time.monotonic() + 60
        while "Stop it with Ctrl+C" not in self.text():
            assert self.process.poll() is None and time.monotonic() < deadline, self.text()
            time.sleep(0.05)
        self.url = re.search(r"ready at (http://\S+)/", self.text()).group(1)

    def text(self) -> str:
        if not self.out.closed:
            self.out.flush()
        return Path(self.out.name).read_text()

    def kill(self) -> None:
        import signal

        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=20)
        self.out.close()
