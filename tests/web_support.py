"""A real browser-edition server on 127.0.0.1 for tests, and a real Chromium to drive it.

The server runs uvicorn in a thread on a free port with its own store and results file; it can be
stopped and started again on the same store (a restart in the middle of a class). Chromium is the
machine's own (`CHROMIUM`, or `chromium` on PATH; `make test` finds or installs it): Playwright
drives it through `executable_path`, with the flags that keep it from calling any other host.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
import time
from pathlib import Path

import uvicorn

from game.results.recorder import ResultsFile
from game.store.sqlite import SQLiteStore
from game.web.app import create_app

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

    def start(self) -> LiveServer:
        self.store = SQLiteStore(self.store_path)
        results = ResultsFile(self.results_path, "web") if self.results else None
        self.app = create_app(self.scenario, self.store, results, self.capacity)
        config = uvicorn.Config(self.app, host="127.0.0.1", port=0, log_level="warning", access_log=False,
                                lifespan="off")
        self.server = uvicorn.Server(config)
        self.server.install_signal_handlers = lambda: None   # not the main thread
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

    def restart(self) -> LiveServer:
        """Stop and start again on the same store and results: nothing kept in memory survives."""
        self.stop()
        return self.start()
