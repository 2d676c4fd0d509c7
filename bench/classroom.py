"""The live classroom under load: 30 classes of 30 students and 30 open dashboards.

Two set-ups, each run for a bounded time on 127.0.0.1 only:
- one server process on the embedded SQLite store;
- two server processes on one PostgreSQL (a throw-away cluster, as the tests start), students and
  dashboards spread over both, so a dashboard hears of its students' moves through NOTIFY.

Each student is an aiohttp client with its own cookies: it joins its class with the code, goes to
the table, and then, after a think time, makes its next move (a choice: the POST, answered only
once it is committed, then the page it leads to). Each class has one teacher's dashboard listening
to its event stream and fetching its panel after a change (as teacher.js does).

Measured: p99 of a choice (the POST's round trip), p99 of the delay from a choice's commit to its
dashboard hearing of it (0 when the dashboard heard it before the student's answer arrived: with
two processes the teacher's often does), events lost (choices committed that no dashboard heard), and, after
kill -9 of one server process in the middle of the run (restarted at once on the same port),
committed choices lost (a choice whose POST was answered but which the store does not hold).

Run: `python bench/classroom.py` (BENCH_SECONDS=80 by default; CLASSES, STUDENTS to change the size).
The load generator's own CPU is printed too: if it is near one core, it is the bottleneck.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.table import print_table  # noqa: E402
from bench.web import percentile, proc_cpu_seconds, proc_rss_mb  # noqa: E402

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
AT = re.compile(r'name="at" value="([^"]*)"')
OPTION = re.compile(r'name="option" value="(\d+)"')
CLASSES = int(os.environ.get("CLASSES", "30"))
STUDENTS = int(os.environ.get("STUDENTS", "30"))
DURATION = float(os.environ.get("BENCH_SECONDS", "80"))
THINK = (8.0, 24.0)      # seconds between two moves: reading the lines since the last choice, then deciding
RAMP = 20.0              # students arrive over this many seconds (join, choose a side, begin)
KILL_AT = 0.5            # the share of the run after which one server is killed


# --- servers ---------------------------------------------------------------------------------------

class Server:
    """`main.py serve` in its own process; restartable on the same port after a kill -9."""

    def __init__(self, folder: Path, args: list[str], port: int = 0):
        self.folder = folder
        self.args = args
        self.port = port
        self.proc: subprocess.Popen | None = None
        self.out = ""

    def start(self) -> Server:
        env = {**os.environ, "MOSCOW1956_HOME": str(self.folder)}
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "serve", "--port", str(self.port),
                                      *self.args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     env=env)
        lines = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "Stop it with Ctrl+C" in line:
                break
        self.out = "".join(lines)
        found = re.search(r"http://127\.0\.0\.1:(\d+)", self.out)
        if not found:
            self.proc.kill()
            raise RuntimeError(f"the server did not start:\n{self.out}")
        self.port = int(found.group(1))
        # keep reading its output so it never blocks on a full pipe
        import threading

        threading.Thread(target=lambda: self.proc.stdout.read(), daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


# --- the load --------------------------------------------------------------------------------------

@dataclass
class Stats:
    choice_ms: list[tuple[float, float]] = field(default_factory=list)   # (when sent, round trip in ms)
    delay_ms: list[tuple[float, float]] = field(default_factory=list)   # (when committed, delay in ms)
    acked: dict[int, int] = field(default_factory=dict)            # student -> choices answered, this game
    made: int = 0                                                  # choices answered in all
    sent: dict[str, list[float]] = field(default_factory=dict)     # class token -> commit times, unheard
    # class token -> events heard before the choice's answer reached its student (the dashboard's
    # process heard the commit first): matched to the next answer, with a delay of 0, so that an
    # early event is never paired with a later choice of the class (whose delay it would inflate)
    early: dict[str, int] = field(default_factory=dict)
    heard: int = 0
    errors: int = 0
    retried: int = 0
    finished: int = 0
    cookies: dict[int, str] = field(default_factory=dict)
    joined_time: float = float("inf")    # perf_counter when the last student has arrived (the ramp is over)
    kill_time: float = float("inf")      # perf_counter of the kill
    back_time: float = float("inf")      # ... and of the restarted server's first answer

    def phase(self, when: float) -> str:
        """joining (the class arriving), steady (a class at work), restart (the kill and the 10 s
        after it, while every page reconnects and the restarted process rebuilds its caches)."""
        if self.kill_time - 1.0 <= when <= self.back_time + 10.0:
            return "restart"
        return "joining" if when < self.joined_time else "steady"

    def choices_in(self, phase: str) -> list[float]:
        return [ms for sent, ms in self.choice_ms if self.phase(sent) == phase]

    def delays_in(self, phase: str) -> list[float]:
        return [ms for sent, ms in self.delay_ms if self.phase(sent) == phase]

def base_of(urls: list[str], number: int) -> str:
    return urls[number % len(urls)]


async def student(number: int, code: str, token: str, urls: list[str], stats: Stats, stop_at: float, rng) -> None:
    import aiohttp

    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar, timeout=aiohttp.ClientTimeout(total=30)) as http:
        async def request(method: str, path: str, data: dict | None = None, follow: bool = True):
            for attempt in range(20):       # a killed server: the next server (or the restarted one) answers
                base = base_of(urls, number + attempt)
                try:
                    async with http.request(method, base + path, data=data, allow_redirects=follow) as response:
                        text = await response.text()
                        return response.status, text
                except (TimeoutError, aiohttp.ClientError):
                    stats.retried += 1
                    await asyncio.sleep(0.25)
            raise RuntimeError("no server answered")

        await asyncio.sleep(rng.uniform(0, RAMP))
        _, page = await request("GET", f"/join/{code}")
        _, page = await request("POST", "/join", {"csrf": CSRF.search(page).group(1), "code": code,
                                                  "name": f"S{number}"})
        role = "shah" if number % 2 else "soviet"
        _, page = await request("POST", "/new", {"csrf": CSRF.search(page).group(1), "role": role})
        _, page = await request("POST", "/begin", {"csrf": CSRF.search(page).group(1)})
        stats.cookies[number] = next((c.value for c in jar if c.key == "m56"), "")
        stats.acked[number] = 0
        while time.monotonic() < stop_at:
            await asyncio.sleep(rng.uniform(*THINK))
            if time.monotonic() >= stop_at:
                break
            csrf, at, options = CSRF.search(page), AT.search(page), OPTION.findall(page)
            if not csrf:
                stats.errors += 1
                _, page = await request("GET", "/play")
                continue
            if options:
                started = time.perf_counter()
                status, _ = await request("POST", "/choose", {"csrf": csrf.group(1), "at": at.group(1),
                                                              "option": rng.choice(options)}, follow=False)
                if status == 303:
                    done = time.perf_counter()
                    stats.choice_ms.append((started, (done - started) * 1000))
                    stats.acked[number] += 1
                    stats.made += 1
                    if stats.early.get(token, 0) > 0:          # its event came before this answer
                        stats.early[token] -= 1
                        if done < stats.kill_time - 1.0:
                            stats.delay_ms.append((done, 0.0))
                    else:
                        stats.sent.setdefault(token, []).append(done)
                else:
                    stats.errors += 1
                _, page = await request("GET", "/play")
            elif 'action="/next"' in page and at:
                await request("POST", "/next", {"csrf": csrf.group(1), "at": at.group(1)}, follow=False)
                stats.finished += 1
                stats.acked[number] = 0          # a new game: its log starts again (the last is in the results)
                _, page = await request("POST", "/new", {"csrf": csrf.group(1), "role": role})   # and again
                _, page = await request("POST", "/begin", {"csrf": CSRF.search(page).group(1)})
            else:
                _, page = await request("GET", "/play")


async def dashboard(token: str, urls: list[str], number: int, stats: Stats, stop_at: float) -> None:
    """A teacher's open dashboard: its event stream, and its panel fetched after each burst."""
    import aiohttp

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None, sock_read=None)) as http:
        attempt = 0
        while time.monotonic() < stop_at:
            base = base_of(urls, number + attempt)
            try:
                async with http.get(f"{base}/teach/{token}/events") as stream:
                    pending: asyncio.Task | None = None
                    fetched: dict[str, float] = {}
                    async for raw in stream.content:
                        if time.monotonic() >= stop_at:
                            return
                        line = raw.decode().strip()
                        if line == "data: moved":
                            now = time.perf_counter()
                            waiting = stats.sent.get(token) or []
                            if waiting:
                                committed = waiting.pop(0)
                                if committed < stats.kill_time - 1.0:   # before any event could be lost
                                    stats.delay_ms.append((committed, (now - committed) * 1000))
                            else:
                                stats.early[token] = stats.early.get(token, 0) + 1
                            stats.heard += 1
                            if pending is None or pending.done():
                                pending = asyncio.create_task(panel(http, base, token, fetched))
            except (TimeoutError, aiohttp.ClientError, ConnectionError):
                attempt += 1
                await asyncio.sleep(0.25)


PANEL_GAP = 1.0     # as teacher.js: at most one fetch of the panel a second


async def panel(http, base: str, token: str, last: dict[str, float]) -> None:
    # as teacher.js: a burst of changes is fetched once, 0.3 s after it began and a second after the last fetch
    await asyncio.sleep(max(0.3, last.get(token, 0.0) + PANEL_GAP - time.monotonic()))
    last[token] = time.monotonic()
    try:
        async with http.get(f"{base}/teach/{token}/panel") as response:
            await response.read()
    except Exception:   # a killed server: the next change fetches again
        pass


async def run_load(servers: list[Server], classes: list[tuple[str, str]], kill: Server | None) -> Stats:
    stats = Stats()
    rng = random.Random(1956)
    stop_at = time.monotonic() + DURATION
    urls = [s.url for s in servers]
    boards = [asyncio.create_task(dashboard(token, urls, n + 1, stats, stop_at + 5))
              for n, (_code, token) in enumerate(classes)]
    await asyncio.sleep(1.0)                  # the dashboards listen before anyone moves
    stats.joined_time = time.perf_counter() + RAMP
    students = [asyncio.create_task(student(c * STUDENTS + s, code, token, urls, stats, stop_at,
                                            random.Random(rng.random())))
                for c, (code, token) in enumerate(classes) for s in range(STUDENTS)]
    if kill is not None:
        await asyncio.sleep(DURATION * KILL_AT)
        stats.kill_time = time.perf_counter()
        await asyncio.to_thread(kill.kill9)
        await asyncio.to_thread(kill.start)   # the same port and store: the pages reconnect
        stats.back_time = time.perf_counter()
    results = await asyncio.gather(*students, return_exceptions=True)
    stats.errors += sum(1 for r in results if isinstance(r, Exception))
    await asyncio.sleep(3.0)                  # the last events arrive
    for task in boards:
        task.cancel()
    await asyncio.gather(*boards, return_exceptions=True)
    return stats


def open_classes(first: Server, count: int) -> list[tuple[str, str]]:
    """The first class from `serve --class`, the others from its dashboard's "Open another class"."""
    import urllib.parse
    import urllib.request

    code = re.search(r"^Students: \S+/join/([A-Z0-9]+)$", first.out, re.M).group(1)
    token = re.search(r"^Teacher: \S+/teach/(\S+)$", first.out, re.M).group(1)
    classes = [(code, token)]
    page = urllib.request.urlopen(f"{first.url}/teach/{token}", timeout=30).read().decode()
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    for n in range(2, count + 1):
        data = urllib.parse.urlencode({"csrf": csrf, "name": f"Class {n}", "path": "full"}).encode()
        opened = urllib.request.urlopen(f"{first.url}/teach/{token}/open", data=data, timeout=30).read().decode()
        classes.append((re.search(r'class="code">([A-Z0-9]+)<', opened).group(1),
                        re.search(r'/teach/([A-Za-z0-9_-]+)"', opened).group(1)))
    return classes


def committed_choices(store, stats: Stats) -> int:
    """Choices lost: answered (committed) but not in the store's log of that student."""
    from game.session.log import parse_log
    from game.store.base import player_key

    lost = 0
    for number, acked in stats.acked.items():
        row = store.get(player_key(stats.cookies[number])) if stats.cookies.get(number) else None
        if row is None or row.log is None:
            lost += acked
            continue
        made = sum(1 for e in parse_log(row.log.encode()).entries if e.kind == "choose")
        lost += max(0, acked - made)
    return lost


def report(name: str, stats: Stats, servers: list[Server], lost: int, seconds: float) -> list[tuple[str, ...]]:
    sent = stats.made
    before = sum(1 for v in stats.sent.values() for t in v if t < stats.kill_time - 1.0)
    unheard = before
    heard_before = len(stats.delay_ms)   # delays are kept for events of choices before the kill
    return [
        (f"{name}: choices made", str(sent), f"{sent / seconds:.0f}/s", ""),
        *[(f"{name}: choice p50 / p99, {phase}", f"{percentile(stats.choices_in(phase), 50):.1f} ms",
           f"{percentile(stats.choices_in(phase), 99):.1f} ms",
           "p99 ≤ 100 ms" if phase == "steady" else f"({len(stats.choices_in(phase))} choices)")
          for phase in ("joining", "steady", "restart")],
        *[(f"{name}: dashboard update p50 / p99, {phase}", f"{percentile(stats.delays_in(phase), 50):.0f} ms",
           f"{percentile(stats.delays_in(phase), 99):.0f} ms", "p99 ≤ 1000 ms" if phase == "steady" else "")
          for phase in ("joining", "steady")],
        (f"{name}: events lost (all servers up)", str(unheard), f"of {heard_before + unheard}", "0"),
        (f"{name}: committed choices lost after kill -9", str(lost), f"of {sent}", "0"),
        (f"{name}: requests retried (server down)", str(stats.retried), f"errors {stats.errors}", ""),
        (f"{name}: server CPU / RSS", f"{sum(proc_cpu_seconds(s.proc.pid) for s in servers):.0f} s",
         f"{max(proc_rss_mb(s.proc.pid) for s in servers):.0f} MB", ""),
    ]


def sqlite_setup(folder: Path) -> tuple[list[tuple[str, ...]], Stats]:
    from game.store.sqlite import SQLiteStore

    server = Server(folder, ["--store", str(folder / "web.sqlite"), "--results-db", str(folder / "results.sqlite"),
                             "--class", "Class 1", "--path", "full"]).start()
    server.args = server.args[:4]   # restarted without --class: the same classes go on
    try:
        classes = open_classes(server, CLASSES)
        started = time.monotonic()
        stats = asyncio.run(run_load([server], classes, kill=server))
        seconds = time.monotonic() - started
        store = SQLiteStore(folder / "web.sqlite")
        lost = committed_choices(store, stats)
        store.close()
        return report("SQLite, 1 process", stats, [server], lost, seconds), stats
    finally:
        server.stop()


def postgres_setup(folder: Path) -> tuple[list[tuple[str, ...]], Stats]:
    from game.store.postgres import PostgresStore
    from tests.pg_support import Cluster, bin_folder

    cluster = Cluster(bin_folder())
    cluster.start()
    servers: list[Server] = []
    try:
        url = cluster.new_database()
        first = Server(folder, ["--database-url", url, "--class", "Class 1", "--path", "full"]).start()
        second = Server(folder, ["--database-url", url]).start()
        first.args = first.args[:2]
        servers = [first, second]
        classes = open_classes(first, CLASSES)
        started = time.monotonic()
        stats = asyncio.run(run_load(servers, classes, kill=second))
        seconds = time.monotonic() - started
        store = PostgresStore(url)
        lost = committed_choices(store, stats)
        store.close()
        return report("PostgreSQL, 2 processes", stats, servers, lost, seconds), stats
    finally:
        for server in servers:
            server.stop()
        cluster.stop()


def main() -> int:
    rows: list[tuple[str, ...]] = []
    for setup in (sqlite_setup, postgres_setup):
        with tempfile.TemporaryDirectory(prefix="m56-classroom-") as folder:
            got, _ = setup(Path(folder))
            rows += got
    print(f"{CLASSES} classes x {STUDENTS} students, {CLASSES} dashboards, {DURATION:.0f} s each, think "
          f"{THINK[0]:.0f}-{THINK[1]:.0f} s; one server killed with kill -9 at {KILL_AT:.0%} and restarted")
    import resource

    used = resource.getrusage(resource.RUSAGE_SELF)
    rows.append(("load generator CPU (this process)", f"{used.ru_utime + used.ru_stime:.0f} s", "", ""))
    print_table(("measure", "value", "p99 / rate", "target"), rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
