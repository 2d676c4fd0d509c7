"""A fixed set of results files for comparing the teacher's report with what it gave before.

Three laptops' files, built the same way every time (fixed uids, times and random seeds): the
shipped scenario on every path and side, the mini test scenario, a scenario no content has, a
session found in two files (cut short in one, finished in the other; finished in both with more
choices in one), a file copied into another, ties in start time, a session that meets the same
choice point twice, rows the reader must skip (one in each table, and a choice whose session is
not there), and text a spreadsheet or a browser must not run. `golden/` holds what the report made
of them before it was computed by SQL (`python -m tests.report_fixture` writes it again).
"""

from __future__ import annotations

import dataclasses
import json
import random
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from game.engine.checked import load_scenario
from game.engine.runner import ChoiceEvent, EndEvent, Runner
from game.results.db import ResultsDB, SessionRecord, merge, session_record

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
GOLDEN = ROOT / "tests" / "fixtures" / "report-golden"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MADE = datetime(2026, 3, 9, 14, 5)
MODES = ("web", "kiosk", "window", "text")


def played(scenario, role: str, path: str, seed: int, stop_after: int | None = None) -> Runner:
    """A random session (the same for the same seed); cut short after `stop_after` choices."""
    rng = random.Random(seed)
    runner = Runner(scenario, role, path)
    made = 0
    while not isinstance(event := runner.advance(), EndEvent):
        if isinstance(event, ChoiceEvent):
            if stop_after is not None and made >= stop_after:
                break
            runner.choose(rng.choice(event.options))
            made += 1
    return runner


def record(runner: Runner, uid: str, minute: int, *, mode: str = "web", autoplay: str = "") -> SessionRecord:
    status = "finished" if runner.ended else "abandoned"
    return session_record(runner, mode, START + timedelta(minutes=minute), 60.0 + 7.5 * minute, status,
                          autoplay=autoplay, uid=uid)


def shipped_sessions(shipped, first: int, count: int, tag: str) -> list[SessionRecord]:
    """`count` sessions of the shipped scenario: every role and path, one in five cut short."""
    out = []
    for n in range(first, first + count):
        role = ("shah", "soviet", "both")[n % 3]
        path = ("full", "class", "short")[(n // 3) % 3]
        cut = 1 + n % 4 if n % 5 == 4 else None
        out.append(record(played(shipped, role, path, seed=n, stop_after=cut), f"{tag}{n:04d}", n % 17,
                          mode=MODES[n % len(MODES)], autoplay="random" if n % 11 == 10 else ""))
    return out


def mini_sessions(mini, tag: str) -> list[SessionRecord]:
    return [record(played(mini, role, "full", seed=n), f"{tag}mini{n}", 3 + n, mode="text")
            for n, role in enumerate(("guest", "host", "both", "both", "guest"))]


def sql(path: Path, *statements: str) -> None:
    """Change a file behind the game's back (CHECK constraints off: a hand edit, another program)."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def build(folder: Path) -> list[Path]:
    """The three files, in the order the report is given them."""
    shipped = load_scenario(ROOT, "moscow-1956")
    mini = load_scenario(MINI)
    folder.mkdir(parents=True, exist_ok=True)
    a, b, c = folder / "laptop-a.sqlite", folder / "laptop-b.sqlite", folder / "kiosk.sqlite"
    with ResultsDB(a) as db:
        db.add(shipped_sessions(shipped, 0, 40, "a"))
        db.add(mini_sessions(mini, "a"))
        # A session cut short here and finished on laptop B (its autosave went with the student).
        db.add([record(played(shipped, "shah", "class", seed=500, stop_after=2), "shared-continued", 5)])
        # Finished here with fewer choices than its copy on laptop B.
        db.add([record(played(mini, "both", "full", seed=3), "shared-finished", 8, mode="text")])
    sql(a,
        # Ties in start time: the uid decides the order.
        "UPDATE sessions SET started_at = '2026-03-02T09:04:00Z' WHERE uid IN ('a0003', 'a0001', 'a0002')",
        # Text that a spreadsheet would run, and markup a browser would.
        "UPDATE sessions SET app_version = '=HYPERLINK(\"x\")' WHERE uid = 'a0006'",
        "UPDATE sessions SET ending = '<b>@SUM(1)</b>', ending_historical = 0 WHERE uid = 'a0007'",
        # The same choice point met twice in one session (content with a loop), once with another option.
        "INSERT INTO choices SELECT session_id, seq + 100, role, choice_id, option_id, historical_option_id, "
        "followed, auto FROM choices WHERE session_id = (SELECT id FROM sessions WHERE uid = 'a0000') "
        "AND auto = 0 ORDER BY seq LIMIT 2",
        "INSERT INTO choices SELECT session_id, seq + 200, role, choice_id, historical_option_id || '.other', "
        "historical_option_id, 0, auto FROM choices WHERE session_id = (SELECT id FROM sessions WHERE uid = 'a0003') "
        "AND auto = 0 ORDER BY seq LIMIT 1")
    with ResultsDB(b) as db:
        db.add(shipped_sessions(shipped, 40, 30, "b"))
        db.add([record(played(shipped, "shah", "class", seed=500), "shared-continued", 5)])
        db.add([record(played(mini, "both", "full", seed=3), "shared-finished", 8, mode="text")])
        db.add([record(played(mini, "guest", "full", seed=9), "ghost-0", 2, mode="kiosk")])
    sql(b,
        # A scenario the content does not have.
        "UPDATE sessions SET scenario = 'ghost' WHERE uid = 'ghost-0'",
        # One bad row in each table, and a choice that belongs to no session.
        "UPDATE sessions SET duration_s = -5 WHERE uid = 'b0041'",
        "UPDATE choices SET followed = 'yes' WHERE rowid = (SELECT MIN(rowid) FROM choices WHERE session_id = "
        "(SELECT id FROM sessions WHERE uid = 'b0042'))",
        "UPDATE role_results SET matched = total + 1 WHERE rowid = (SELECT MIN(rowid) FROM role_results "
        "WHERE session_id = (SELECT id FROM sessions WHERE uid = 'b0043'))",
        "UPDATE objectives SET met = 2 WHERE rowid = (SELECT MIN(rowid) FROM objectives WHERE session_id = "
        "(SELECT id FROM sessions WHERE uid = 'b0046'))",
        "INSERT INTO choices VALUES (99999, 1, 'shah', 'act1.c-opening', 'act1.c-opening.record', "
        "'act1.c-opening.record', 1, 0)")
    # The shared-finished copy on B has one choice more than on A.
    sql(b, "INSERT INTO choices SELECT session_id, 50, role, choice_id, option_id, historical_option_id, followed, "
           "auto FROM choices WHERE session_id = (SELECT id FROM sessions WHERE uid = 'shared-finished') LIMIT 1")
    # The kiosk's file holds a copy of laptop A's (copied twice) and sessions of its own.
    c.write_bytes(a.read_bytes())
    with ResultsDB(c) as db:
        db.add(shipped_sessions(shipped, 70, 12, "k"))
    return [a, b, c]


def page_data(page) -> object:
    """The report page as plain JSON data (what the template is given)."""
    return json.loads(json.dumps(dataclasses.asdict(page), sort_keys=True))


def outputs(paths: list[Path], *, with_choices: bool = True) -> dict[str, object]:
    """What the report makes of `paths`: the CSV, the page's data, and what the command prints.

    `with_choices=False`: merged as the command merges (the choices counted, not copied).
    """
    from game.results.report import report_page, write_report

    scenarios = {"moscow-1956": load_scenario(ROOT, "moscow-1956"), "mini": load_scenario(MINI), "ghost": None}
    merged = merge(paths, with_choices=with_choices)
    try:
        lines = [line for skipped in merged.skipped for line in skipped.lines()]
        out = paths[0].parent / "class.csv"
        write_report(merged, out, None, ROOT)
        text = out.read_text(encoding="utf-8")
        page = page_data(report_page(merged, scenarios, MADE))
        return {"csv": text, "page": page, "added": merged.added, "duplicates": merged.duplicates,
                "skipped": [line.replace(str(paths[0].parent), "<folder>") for line in lines]}
    finally:
        merged.close()


def write_golden(folder: Path) -> None:
    found = outputs(build(folder))
    GOLDEN.mkdir(parents=True, exist_ok=True)
    (GOLDEN / "class.csv").write_text(found.pop("csv"), encoding="utf-8")
    (GOLDEN / "report.json").write_text(json.dumps(found, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                                        encoding="utf-8")


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        write_golden(Path(tmp))
    print(f"wrote {GOLDEN}", file=sys.stderr)
