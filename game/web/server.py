"""`python main.py serve`: the browser edition on uvicorn, on this computer or the school's LAN.

It listens on 127.0.0.1 unless told otherwise, prints the address once it is listening (and, for
a LAN address, a QR code of it for phones and tablets), and stops cleanly on SIGTERM or SIGINT
(uvicorn's own handlers: requests under way finish, then it exits 0).
"""

from __future__ import annotations

import contextlib
import io
import ipaddress
import signal
import socket
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import uvicorn

from ..engine.model import Scenario
from ..paths import data_dir
from ..store.sqlite import SQLiteStore
from .app import create_app
from .classroom import Opened
from .collector import ServerCollector

DEFAULT_PORT = 8056
KEEP_ALIVE_S = 30


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host in ("localhost",)


def lan_address() -> str:
    """This computer's address on the LAN (the one a default route would use); no packet is sent."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))   # UDP connect sends nothing; it only picks the interface
        return probe.getsockname()[0]
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()


def shown_url(host: str, port: int) -> str:
    if host in ("0.0.0.0", "::"):
        host = lan_address()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def qr_text(url: str) -> str:
    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True)
    return out.getvalue()


class Server(uvicorn.Server):
    """uvicorn, saying where it listens once the socket is open (port 0 picks a free one), and
    exiting with status 0 after a clean stop by SIGTERM or SIGINT (uvicorn itself re-raises the
    signal once it has shut down, which a supervisor would read as a crash)."""

    def __init__(self, config: uvicorn.Config, out: TextIO, announce_qr: bool, opened: Opened | None = None):
        super().__init__(config)
        self.out = out
        self.announce_qr = announce_qr
        self.opened = opened

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        handled = [s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)) if s is not None]
        original = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in original.items():
                signal.signal(sig, handler)

    async def startup(self, sockets=None) -> None:
        await super().startup(sockets)
        if self.should_exit:
            return
        port = self.config.port
        for server in self.servers:
            for sock in server.sockets:
                port = sock.getsockname()[1]
        url = shown_url(self.config.host, port)
        print(f"Moscow, 1956 is ready at {url}", file=self.out, flush=True)
        if self.opened is not None:
            self.announce_class(url)
        elif self.announce_qr:
            print("Students can open it by scanning this code:", file=self.out)
            print(qr_text(url), file=self.out, flush=True)
        print("Stop it with Ctrl+C.", file=self.out, flush=True)

    async def shutdown(self, sockets=None) -> None:
        """End the live streams first: uvicorn waits for open responses, and a stream never ends."""
        site = getattr(getattr(self.config.app, "state", None), "site", None)
        if site is not None:
            site.broker.close()
        await super().shutdown(sockets)

    def announce_class(self, url: str) -> None:
        """The class's two links: the students' (with its code, and a QR code of it) and the
        teacher's (with the secret token: printed here once, never logged, kept only as a hash)."""
        row, token = self.opened.row, self.opened.token
        students = f"{url}join/{row.code}"
        print(f"Class: {row.name} · join code {row.code}", file=self.out)
        print(f"Students: {students}", file=self.out)
        print(f"Teacher: {url}teach/{token}", file=self.out)
        print("Keep the teacher's link to yourself: it opens the dashboard, the controls and the exports.",
              file=self.out)
        if is_loopback(self.config.host):
            print("(This computer only: for students' own devices, start it with --host 0.0.0.0.)", file=self.out)
        print("Students can join by scanning this code:", file=self.out)
        print(qr_text(students), file=self.out, flush=True)


def redacted(url: str) -> str:
    """A database URL as it may be printed: without its password."""
    import re

    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


@dataclass
class ClassToOpen:
    """`serve --class NAME --path P`: a class opened as the server starts."""

    name: str
    path: str = "class"


def serve(scenario: Scenario, host: str = "127.0.0.1", port: int = DEFAULT_PORT, results_db: Path | None = None,
          store_path: Path | None = None, out: TextIO = sys.stdout, no_results: bool = False,
          klass: ClassToOpen | None = None, database_url: str | None = None) -> int:
    from ..results.recorder import ResultsFile

    if database_url is not None:
        from ..results.postgres import PostgresResults
        from ..store.postgres import PostgresStore

        try:
            store = PostgresStore(database_url)
        except Exception as exc:   # psycopg's errors, the pool's timeout: say which server, never the password
            print(f"main.py: error: cannot use the PostgreSQL database ({redacted(database_url)}): "
                  f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}", file=sys.stderr)
            return 1
        results = None if no_results else PostgresResults(database_url, "web")
    else:
        store = SQLiteStore(store_path or data_dir() / "web-sessions.sqlite")
        results = None if no_results else ResultsFile(results_db, "web")
    app = create_app(scenario, store, results)
    opened = app.state.site.classroom.open(klass.name, klass.path) if klass is not None else None
    # A student reads for a while between two moves: a connection kept for 30 s is still open for the
    # next one, where uvicorn's 5 s closed it just as a browser or a client reused it.
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False, lifespan="off",
                            server_header=False, date_header=False, timeout_graceful_shutdown=5,
                            timeout_keep_alive=KEEP_ALIVE_S)
    server = Server(config, out, announce_qr=not is_loopback(host), opened=opened)
    collector = ServerCollector().start()     # no full collection stops every student's click (collector.py)
    try:
        server.run()
    finally:
        collector.stop()
        store.close()
    return 0 if server.started or server.should_exit else 1
