"""The classroom beyond one machine: two server processes on one PostgreSQL serve one class (a
student on one, the teacher's dashboard on the other, live updates across them through
LISTEN/NOTIFY), one killed with kill -9 loses nothing, and kiosks record to the same database so
"How visitors chose" counts every kiosk of a museum. The cluster is a throw-away one started
from Debian's postgresql (tests/pg_support.py); these tests are never skipped."""

from __future__ import annotations

import http.client
import re
import time
import urllib.parse

from game.results.postgres import PostgresResults
from game.session.play import PlaySession

from .test_web_class import at, to_the_table
from .web_support import Browser, Served

pytest_plugins = ["tests.pg_support"]


def stream_events(url: str, path: str, cookies: dict[str, str] | None = None):
    """An open event stream and a reader of its next `changed` event (None if none within a time)."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())} if cookies else {}
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    assert response.status == 200

    def next_change(seconds: float = 5.0) -> str | None:
        deadline = time.monotonic() + seconds
        buffer = b""
        while time.monotonic() < deadline:
            conn.sock.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                chunk = response.read1(4096)
            except TimeoutError:
                return None
            buffer += chunk
            found = re.search(rb"event: changed\ndata: (\S+)\n\n", buffer)
            if found:
                return found.group(1).decode()
        return None

    return conn, next_change


def test_two_processes_on_one_postgresql_serve_one_class_live(tmp_path, postgres_url):
    one = Served(tmp_path, "--database-url", postgres_url, "--class", "Period 3", "--path", "short")
    two = Served(tmp_path, "--database-url", postgres_url)
    try:
        code = re.search(r"^Students: \S+/join/([A-Z0-9]+)$", one.text(), re.M).group(1)
        token = re.search(r"^Teacher: \S+/teach/(\S+)$", one.text(), re.M).group(1)
        student = Browser(one.url)
        student.get(f"/join/{code}")
        student.post("/join", code=code, name="Ann")
        conn, next_change = stream_events(two.url, f"/teach/{token}/events")
        to_the_table(student, "shah")
        assert next_change() == "began"                            # heard on the other process
        student.get("/play")
        while not re.findall(r'name="option" value="(\d+)"', student.last):
            student.post("/next", at=at(student))
        student.post("/choose", option="1", at=at(student))
        assert next_change() == "moved"
        board = Browser(two.url)
        _, _, panel = board.get(f"/teach/{token}/panel")
        assert 'data-testid="joined-count">1<' in panel and "Ann" in panel and "of 1 as in the record" in panel
        said = re.findall(r'<p class="said">(.*?)</p>', student.get("/log")[2])
        one.kill()                                                 # the student's process dies …
        student.base = two.url                                     # … and the next request reaches the other
        assert re.findall(r'<p class="said">(.*?)</p>', student.get("/log")[2]) == said
        student.get("/play")
        for _ in range(2000):
            if 'data-testid="debrief"' in student.last:
                break
            options = re.findall(r'name="option" value="(\d+)"', student.last)
            if options:
                student.post("/choose", option=options[0], at=at(student))
            else:
                student.post("/next", at=at(student))
        assert 'data-testid="debrief"' in student.last
        assert 'data-testid="finished-count">1<' in board.get(f"/teach/{token}/panel")[2]
        conn.close()
        with PostgresResults(postgres_url, "web") as results:
            assert results.counts()["finished"] == 1
    finally:
        for served in (one, two):
            if served.process.poll() is None:
                served.kill()


def test_kiosks_recording_to_one_database_share_how_visitors_chose(shipped, postgres_url):
    """Two kiosks, each its own PostgresResults: the visitors' screen of either counts both."""
    from game.ui.scenes.visitors import load_counts

    kiosks = [PostgresResults(postgres_url, "kiosk") for _ in range(2)]
    for kiosk in kiosks:
        session = PlaySession(shipped, "shah", "short", results=kiosk)
        session.begin()
        while not session.advance_to_stop().ended:
            shown = session.shown
            session.choose(shown.choice.fallback if shown.choice.fallback in shown.options else shown.options[0])
        assert session.finish() == ""

    class App:
        scenario = shipped
        results = kiosks[0]

    counts, note = load_counts(App, "short")
    assert note == "" and counts and all(m.total == 2 for m in counts if m.role == "shah")
    assert all(m.followed == 2 for m in counts if m.role == "shah")
    for kiosk in kiosks:
        kiosk.close()


def test_a_database_url_is_printed_without_its_password():
    from game.web.server import redacted

    assert redacted("postgresql://game:s3cret@db.school/m56") == "postgresql://game:***@db.school/m56"
    assert redacted("postgresql://game@db/m56") == "postgresql://game@db/m56"


def test_a_database_that_cannot_be_reached_stops_serve_with_a_message(tmp_path):
    import subprocess
    import sys

    from .web_support import ROOT_DIR

    done = subprocess.run([sys.executable, "main.py", "serve", "--port", "0", "--database-url",
                           "postgresql://game:hunter2@/nowhere?host=" + urllib.parse.quote(str(tmp_path), safe="")
                           + "&connect_timeout=2"], cwd=ROOT_DIR, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "cannot use the PostgreSQL database" in done.stderr
    assert "hunter2" not in done.stderr + done.stdout and "Traceback" not in done.stderr
