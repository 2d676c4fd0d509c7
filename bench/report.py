"""The teacher's report at 10,000 and 100,000 sessions (docs/design.md §6: ≤ 1 s and ≤ 10 s, memory flat).

Each size is one results file built from a few dozen really played sessions of the shipped
scenario, copied by SQL under new uids and start times (seconds, not the hours playing would
take). The report (`main.py report --csv … --html …`) runs in a subprocess, so its wall time and
peak memory (wait4's maximum resident set) are its own. Beside it, in the same run and on the same
file, the floor: a subprocess that opens the file read-only and reads every row of its four
tables once (a plain `SELECT` each, nothing kept), which no report can beat; the ratio says how
far the report is from it. Run: `python bench/report.py [SESSIONS …]`.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.table import print_table  # noqa: E402

SIZES = (10_000, 100_000)
TARGET_S = {10_000: 1.0, 100_000: 10.0}
TARGET_MB = 150.0
SEEDS = 48                      # really played sessions that the big files are copied from
START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
MODES = ("web", "web", "kiosk", "window", "text")
# Paths as schools and museums play them: most on the whole conversation (the largest sessions).
PATHS = ("full", "full", "full", "class", "class", "short")
ROLES = ("shah", "soviet", "both")
FLOOR_SQL = ("SELECT * FROM sessions", "SELECT * FROM choices", "SELECT * FROM role_results",
             "SELECT * FROM objectives")


def played(path: Path, sessions: int = SEEDS, seed: int = 1956) -> Path:
    """A results file of `sessions` real random sessions of the shipped scenario (one in eight cut short)."""
    from game.engine.autoplay import RandomPolicy
    from game.engine.checked import load_scenario
    from game.engine.runner import ChoiceEvent, EndEvent, Runner
    from game.results.db import ResultsDB

    scenario = load_scenario(ROOT, "moscow-1956")
    rng = random.Random(seed)
    with ResultsDB(path) as db:
        for n in range(sessions):
            runner = Runner(scenario, ROLES[n % len(ROLES)], PATHS[n % len(PATHS)])
            policy = RandomPolicy(seed + n)
            cut = rng.randrange(3, 12) if n % 8 == 7 else None
            made = 0
            while not isinstance(event := runner.advance(), EndEvent):
                if isinstance(event, ChoiceEvent):
                    if made == cut:
                        break
                    runner.choose(policy.pick(event))
                    made += 1
            db.record_session(runner, MODES[n % len(MODES)], START + timedelta(minutes=n), rng.uniform(240, 2400),
                              "finished" if runner.ended else "abandoned")
    return path


def grown(seed_file: Path, path: Path, sessions: int) -> Path:
    """A results file of `sessions` sessions: the seed file's, copied by SQL with new uids and start times."""
    from game.results.db import ResultsDB

    ResultsDB(path).close()     # a new, empty results file of this format
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("ATTACH ? AS seed", (str(seed_file),))
        count = conn.execute("SELECT COUNT(*) FROM seed.sessions").fetchone()[0]
        copies = -(-sessions // count)
        numbers = f"WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n + 1 < {copies}) "
        new_id = f"k.n * {count} + s.id"
        conn.execute("BEGIN")
        conn.execute(
            f"{numbers} INSERT INTO sessions (id, uid, scenario, mode, roles, path, started_at, duration_s, status, "
            "ending, ending_historical, app_version, autoplay) "
            f"SELECT {new_id}, lower(hex(randomblob(16))), scenario, mode, roles, path, "
            "strftime('%Y-%m-%dT%H:%M:%SZ', started_at, '+' || (abs(random()) % 7776000) || ' seconds'), "
            f"duration_s, status, ending, ending_historical, app_version, autoplay FROM k, seed.sessions s "
            f"WHERE {new_id} <= ? ORDER BY k.n, s.id", (sessions,))
        for table, columns in (("choices", "seq, role, choice_id, option_id, historical_option_id, followed, auto"),
                               ("role_results", "role, matched, total"),
                               ("objectives", "role, objective_id, met")):
            conn.execute(f"{numbers} INSERT INTO {table} (session_id, {columns}) "
                         f"SELECT k.n * {count} + s.session_id, {columns} FROM k, seed.{table} s "
                         f"WHERE k.n * {count} + s.session_id <= ? ORDER BY k.n, s.rowid", (sessions,))
        conn.execute("COMMIT")
    finally:
        conn.close()
    return path


@dataclass(frozen=True)
class Measured:
    wall_s: float
    peak_mb: float


def measured(args: list[str]) -> Measured:
    """Run a Python subprocess; its wall time and its own peak resident memory (from wait4)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{stderr}")
    return Measured(wall, usage.ru_maxrss / 1024)


def floor_scan(path: str) -> None:
    """The floor: open the file read-only and read every row of the four tables once, keeping none."""
    conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        for statement in FLOOR_SQL:
            for _ in conn.execute(statement):
                pass
    finally:
        conn.close()


def best(runs: int, args: list[str]) -> Measured:
    """The fastest of `runs` runs (the others met a busier machine), with the largest peak seen."""
    results = [measured(args) for _ in range(runs)]
    return Measured(min(r.wall_s for r in results), max(r.peak_mb for r in results))


def main(sizes: tuple[int, ...] = SIZES) -> None:
    rows: list[tuple[str, ...]] = []
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        seed_file = played(folder / "played.sqlite")
        print(f"played {SEEDS} sessions in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        for size in sizes:
            started = time.perf_counter()
            results = grown(seed_file, folder / f"results-{size}.sqlite", size)
            mb = results.stat().st_size / 1e6
            print(f"built {size:,} sessions ({mb:.0f} MB) in {time.perf_counter() - started:.1f} s", file=sys.stderr)
            runs = 3 if size <= 10_000 else 2
            floor = best(runs, [__file__, "--floor", str(results)])
            report = best(runs, ["main.py", "report", "--results-db", str(results),
                                 "--csv", str(folder / "class.csv"), "--html", str(folder / "class.html")])
            target = f"<= {TARGET_S[size]:g} s, <= {TARGET_MB:g} MB" if size in TARGET_S else ""
            rows.append((f"report, {size:,} sessions ({mb:.0f} MB file), CSV + HTML", f"{report.wall_s:.2f} s",
                         f"{report.peak_mb:.0f} MB", f"{report.wall_s / floor.wall_s:.2f}", target))
            rows.append(("  floor: read every row of the file once", f"{floor.wall_s:.2f} s", f"{floor.peak_mb:.0f} MB",
                         "1.00", ""))
    print_table(("measure", "wall", "peak RSS", "× floor", "target"), rows)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--floor"]:
        floor_scan(sys.argv[2])
    else:
        main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
