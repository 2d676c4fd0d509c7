"""The browser edition under load: N students on loopback, each playing a session with think time.

The server runs as its own process (`main.py serve` on 127.0.0.1), so its CPU and memory are its
own; the students are aiohttp clients in this process, on one event loop (an httpx client was
measured here to be the bottleneck itself). Each student opens the title, starts a game, and then
reads each line for a few seconds (think time) before Continue or a choice: one "step" is the POST
of that move and the GET of the page it leads to, the round trip a player waits for. Everything
goes to 127.0.0.1 only, and every level is bounded in students and in seconds.

Also measured: the largest page (without fonts), and title to first choice in a real Chromium with
its CPU throttled 4× (a cheap Chromebook). Run: `make bench-web` or `python bench/web.py [30 300 1000]`.
"""

from __future__ import annotations

import asyncio
import collections
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.table import print_table  # noqa: E402

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
AT = re.compile(r'name="at" value="([^"]*)"')
OPTION = re.compile(r'name="option" value="(\d+)"')
THINK = (2.0, 8.0)         # seconds a student reads before the next move
RAMP = 10.0                # students arrive over this many seconds
DURATION = float(os.environ.get("BENCH_SECONDS", "60"))   # seconds a level runs (finished students start again)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def proc_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_server(folder: Path) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "MOSCOW1956_HOME": str(folder)}
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "serve", "--port", "0",
                             "--store", str(folder / "web.sqlite"), "--results-db", str(folder / "results.sqlite")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    line = proc.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:\d+", line)
    if not found:
        proc.kill()
        raise RuntimeError(f"the server did not start: {line}{proc.stderr.read()}")
    return proc, found.group(0)


class Student:
    def __init__(self, number: int, base: str, rng: random.Random, stats: dict):
        self.number = number
        self.base = base
        self.rng = rng
        self.stats = stats

    async def timed(self, session, method: str, path: str, kind: str, data: dict | None = None) -> str:
        start = time.perf_counter()
        async with session.request(method, self.base + path, data=data) as response:
            text = await response.text()
            if response.status != 200:
                self.stats["errors"] += 1
                self.stats["why"][f"{method} {path}: {response.status}"] += 1
        self.stats[kind].append(time.perf_counter() - start)
        return text

    async def run(self, aiohttp, until: float) -> None:
        await asyncio.sleep(self.rng.uniform(0, RAMP))
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(cookie_jar=jar) as session:
            while time.monotonic() < until:
                try:
                    await self.game(session, until)
                except (TimeoutError, aiohttp.ClientError, AttributeError) as exc:   # AttributeError: a page without its form
                    self.stats["errors"] += 1
                    self.stats["why"][type(exc).__name__] += 1
                    await asyncio.sleep(1)

    async def game(self, session, until: float) -> None:
        page = await self.timed(session, "GET", "/", "page")
        role = self.rng.choice(["shah", "soviet", "both"])
        path = self.rng.choice(["full", "short"])
        page = await self.timed(session, "POST", "/new", "page", {"csrf": CSRF.search(page).group(1),
                                                                  "role": role, "path": path})
        page = await self.timed(session, "POST", "/begin", "page", {"csrf": CSRF.search(page).group(1)})
        for _ in range(2000):
            if time.monotonic() >= until or 'data-testid="debrief"' in page:
                if 'data-testid="debrief"' in page:
                    self.stats["finished"] += 1
                return
            await asyncio.sleep(self.rng.uniform(*THINK))
            csrf = CSRF.search(page).group(1)
            options = OPTION.findall(page)
            at = AT.search(page)
            if options:
                page = await self.timed(session, "POST", "/choose", "choice",
                                        {"csrf": csrf, "option": self.rng.choice(options), "at": at.group(1)})
            elif "/ready" in page:
                page = await self.timed(session, "POST", "/ready", "step", {"csrf": csrf})
            else:
                page = await self.timed(session, "POST", "/next", "step", {"csrf": csrf, "at": at.group(1)})


async def load(base: str, students: int, duration: float, seed: int = 1) -> dict:
    import aiohttp

    stats = {"choice": [], "step": [], "page": [], "errors": 0, "finished": 0, "why": collections.Counter()}
    rng = random.Random(seed)
    until = time.monotonic() + duration
    await asyncio.gather(*(Student(i, base, random.Random(rng.random()), stats).run(aiohttp, until)
                           for i in range(students)))
    return stats


def level(students: int, duration: float) -> list[tuple[str, ...]]:
    with tempfile.TemporaryDirectory() as tmp:
        proc, base = start_server(Path(tmp))
        try:
            cpu0, t0 = proc_cpu_seconds(proc.pid), time.monotonic()
            stats = asyncio.run(load(base, students, duration))
            cpu = (proc_cpu_seconds(proc.pid) - cpu0) / (time.monotonic() - t0)
            rss = proc_rss_mb(proc.pid)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
    ms = 1000
    choice, step, page = stats["choice"], stats["step"], stats["page"]
    target = {30: "", 300: "choice p99 <= 50 ms, 0 errors", 1000: "choice p99 <= 250 ms, RSS <= 200 MB"}.get(students, "")
    return [
        (f"{students} students: choice round trip (POST + page), {len(choice)} choices",
         f"{percentile(choice, 50) * ms:.1f}", f"{percentile(choice, 95) * ms:.1f}", f"{percentile(choice, 99) * ms:.1f}",
         f"{stats['errors']}", target),
        (f"  Continue round trip (POST + page), {len(step)} steps",
         f"{percentile(step, 50) * ms:.1f}", f"{percentile(step, 95) * ms:.1f}", f"{percentile(step, 99) * ms:.1f}", "", ""),
        (f"  page loads (title, start), {len(page)}", f"{percentile(page, 50) * ms:.1f}",
         f"{percentile(page, 95) * ms:.1f}", f"{percentile(page, 99) * ms:.1f}", "", ""),
        (f"  server CPU {cpu * 100:.0f}% of one core, RSS {rss:.0f} MB, {stats['finished']} games finished",
         "", "", "", "", ""),
        *[(f"  error: {why}", "", "", "", str(n), "") for why, n in stats["why"].most_common(5)],
    ]


def page_sizes() -> list[tuple[str, ...]]:
    """The largest page of each kind, without fonts (the HTML, the stylesheet and the script)."""
    import http.client

    with tempfile.TemporaryDirectory() as tmp:
        proc, base = start_server(Path(tmp))
        try:
            port = int(base.rsplit(":", 1)[1])
            sizes = {}
            for path in ("/", "/source", "/glossary", "/sources", "/static/style.css", "/static/game.js"):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", path)
                sizes[path] = len(conn.getresponse().read())
                conn.close()
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
    assets = sizes["/static/style.css"] + sizes["/static/game.js"]
    return [(f"page {path} + stylesheet + script, without fonts", f"{(size + assets) / 1024:.1f} KB", "", "", "",
             "<= 100 KB") for path, size in sizes.items() if path.startswith("/") and "static" not in path]


def _first_choice(browser, base: str, blocked: str | None) -> float:
    """One title → chair → introduction → the talks, until the first option is on the page."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    if blocked:
        context.route(blocked, lambda route: route.abort())
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    start = time.perf_counter()
    page.goto(base + "/")
    page.click("[data-testid=path-full]")
    with page.expect_navigation():
        page.click("[data-testid=role-shah]")
    with page.expect_navigation():
        page.click("[data-testid=begin]")
    page.locator("[data-testid=option]").first.wait_for(state="attached")
    taken = time.perf_counter() - start
    context.close()
    return taken


def throttled_first_choice(runs: int = 3) -> list[tuple[str, ...]]:
    """Title to the first choice in Chromium with the CPU throttled 4x (a cheap Chromebook), beside
    its floor in the same run: the same three pages with no style sheet, script or fonts (what any
    page costs this browser on this machine), taken in turns so that both see the same load."""
    from playwright.sync_api import sync_playwright

    from tests.web_support import CHROMIUM_FLAGS, chromium_path

    with tempfile.TemporaryDirectory() as tmp:
        proc, base = start_server(Path(tmp))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
                times: list[float] = []
                floor: list[float] = []
                for _ in range(runs):
                    times.append(_first_choice(browser, base, None))
                    floor.append(_first_choice(browser, base, "**/{fonts,static}/**"))
                browser.close()
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
    ratio = statistics.median(times) / statistics.median(floor)
    return [(f"title to the first choice, Chromium CPU throttled 4x (min / median / max of {runs})",
             f"{min(times):.2f} s", f"{statistics.median(times):.2f} s", f"{max(times):.2f} s", "", "<= 1.5 s"),
            ("  floor: the same pages without style sheet, script or fonts",
             f"{min(floor):.2f} s", f"{statistics.median(floor):.2f} s", f"{max(floor):.2f} s",
             f"{ratio:.2f}x the floor", "")]


def main(levels: list[int]) -> None:
    rows: list[tuple[str, ...]] = []
    for students in levels:
        rows += level(students, DURATION)
    rows += page_sizes()
    rows += throttled_first_choice()
    print_table(("measure", "p50 ms", "p95 ms", "p99 ms", "errors", "target"), rows)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [30, 300, 1000])
