"""The teacher's report: merged files, one CSV row per finished session, a safe printable HTML page."""

from __future__ import annotations

import csv
import io
import os
import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from markupsafe import escape

from game.cli import main
from game.engine.autoplay import RandomPolicy, RecordPolicy
from game.engine.runner import ChoiceEvent, EndEvent, Runner
from game.results.db import ResultsDB
from game.results.report import _cell

MINI = Path(__file__).parent / "fixtures" / "mini"


def report(project_root: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, str(project_root / "main.py"), "report", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def session(scenario, role: str, policy, stop_after: int | None = None) -> tuple[Runner, bool]:
    runner = Runner(scenario, role)
    made = 0
    while not isinstance(event := runner.advance(), EndEvent):
        if isinstance(event, ChoiceEvent):
            if stop_after is not None and made == stop_after:
                return runner, False
            runner.choose(policy.pick(event))
            made += 1
    return runner, True


def fill(path: Path, scenario, plays: list[tuple[str, object, int | None]]) -> None:
    with ResultsDB(path) as db:
        for role, policy, stop in plays:
            runner, done = session(scenario, role, policy, stop)
            db.record_session(runner, "text", datetime(2026, 3, 2, 10, tzinfo=UTC), 300.0,
                              "finished" if done else "abandoned")


def uids(path: Path, status: str | None = None) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        sql = "SELECT uid FROM sessions" + (" WHERE status = ?" if status else "")
        return {r[0] for r in conn.execute(sql, (status,) if status else ())}
    finally:
        conn.close()


def test_two_files_merge_with_one_row_per_finished_session(project_root: Path, mini_scenario, tmp_path: Path):
    a, b = tmp_path / "laptop-a.sqlite", tmp_path / "laptop-b.sqlite"
    fill(a, mini_scenario, [("guest", RecordPolicy(), None), ("both", RandomPolicy(1), None),
                            ("guest", RecordPolicy(), 0)])                       # one cut short
    b.write_bytes(a.read_bytes())                                               # every session a duplicate …
    fill(b, mini_scenario, [("host", RandomPolicy(2), None)])                    # … plus one new one
    out = tmp_path / "class.csv"
    proc = report(project_root, "--results-db", str(a), "--results-db", str(b), "--csv", str(out),
                  "--content", str(MINI))
    assert proc.returncode == 0, proc.stderr
    assert "3 duplicate(s) skipped" in proc.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    finished = uids(a, "finished") | uids(b, "finished")
    assert len(rows) == len(finished) == 3
    assert {r["uid"] for r in rows} == finished
    assert not (uids(a, "abandoned") & {r["uid"] for r in rows})           # the cut-short session is not a row
    both = next(r for r in rows if r["roles"] == "guest+host")
    assert both["guest_total"] == "1" and both["host_total"] == "1"
    assert re.fullmatch(r"guest\.warm=[01];host\.tea=[01]", both["objectives"])
    host = next(r for r in rows if r["roles"] == "host")
    assert host["guest_matched"] == "" and host["mode"] == "text" and host["duration_s"] == "300.0"
    assert {r["ending_historical"] for r in rows} <= {"0", "1"}


def test_html_has_the_summary_charts_and_questions_and_escapes_the_database(project_root: Path, shipped,
                                                                            tmp_path: Path):
    db = tmp_path / "r.sqlite"
    fill(db, shipped, [("shah", RecordPolicy(), None), ("shah", RandomPolicy(4), None),
                       ("soviet", RandomPolicy(5), None)])
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE sessions SET ending = '<script>alert(1)</script>', ending_historical = 0 "
                     "WHERE rowid = (SELECT MAX(rowid) FROM sessions)")
        conn.execute("UPDATE choices SET option_id = '<script>alert(2)</script>', followed = 0 WHERE rowid = "
                     "(SELECT MIN(rowid) FROM choices WHERE auto = 0)")
    conn.close()
    out = tmp_path / "report" / "class.html"
    proc = report(project_root, "--results-db", str(db), "--html", str(out))
    assert proc.returncode == 0, proc.stderr
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page
    for question in [*shipped.questions, *(q for r in shipped.roles.values() for q in r.questions)]:
        assert str(escape(question)) in page
    assert "Class results" in page and "@media print" in page and "size: A4" in page
    assert "<svg" in page and "sessions followed the record" in page and "[¶" in page
    assert not re.search(r"""(src|href)\s*=|<link|@import|url\(""", page)      # nothing fetched from anywhere


def test_usage_and_read_errors(project_root: Path, mini_scenario, tmp_path: Path):
    db = tmp_path / "r.sqlite"
    fill(db, mini_scenario, [("guest", RecordPolicy(), None)])
    assert report(project_root, "--results-db", str(db)).returncode == 2                      # nothing to write
    assert report(project_root, "--csv", str(tmp_path / "x.csv")).returncode == 2           # no results file
    missing = report(project_root, "--results-db", str(tmp_path / "nope.sqlite"), "--csv", str(tmp_path / "x.csv"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(os.urandom(2048))
    proc = report(project_root, "--results-db", str(db), "--results-db", str(bad), "--csv", str(tmp_path / "x.csv"))
    assert proc.returncode == 1 and "bad.sqlite" in proc.stderr and "Traceback" not in proc.stderr
    assert bad.is_file() and not list(tmp_path.glob("*.corrupt-*"))       # a report never moves a teacher's file
    assert not (tmp_path / "x.csv").exists()


def test_a_scenario_missing_from_the_content_is_reported_by_ids(project_root: Path, mini_scenario, tmp_path: Path):
    db = tmp_path / "r.sqlite"
    fill(db, mini_scenario, [("guest", RecordPolicy(), None)])
    out = tmp_path / "r.html"
    proc = report(project_root, "--results-db", str(db), "--html", str(out))      # the shipped content: no 'mini'
    assert proc.returncode == 0, proc.stderr
    assert "scenario 'mini' could not be loaded" in proc.stderr
    page = out.read_text(encoding="utf-8")
    assert "c-weather" in page and "Questions to discuss" not in page


@pytest.mark.parametrize(("value", "cell"), [("=1+1", "'=1+1"), ("-x", "'-x"), ("@SUM", "'@SUM"), ("shah", "shah"),
                                             (None, ""), (True, "1"), (12.345, "12.3")])
def test_csv_cells_never_become_spreadsheet_formulas(value, cell):
    assert _cell(value) == cell


class Steer:
    """The record's options, except where `picks` says otherwise (choice id -> option id)."""

    def __init__(self, picks: dict[str, str]):
        self.picks = picks

    def pick(self, event):
        wanted = self.picks.get(event.choice.id)
        return next((o for o in event.options if o.id == wanted), None) or RecordPolicy().pick(event)


@pytest.mark.parametrize("answer", ["act3.c-demand.study", "act3.c-demand.stay", "act3.c-demand.leave"])
def test_an_off_record_moment_claims_nothing_for_the_record(project_root: Path, shipped, tmp_path: Path, answer):
    """Both sides played: the Soviet side asks Iran to leave the pact, and the Shah answers off the record."""
    db = tmp_path / "r.sqlite"
    fill(db, shipped, [("both", Steer({"act3.c-punish": "act3.c-punish.demand", "act3.c-demand": answer}), None),
                       ("both", RecordPolicy(), None)])
    out = tmp_path / "r.html"
    assert main(["report", "--results-db", str(db), "--html", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    choice = shipped.choices()["act3.c-demand"]
    blocks = page.split('<div class="choice">')[1:]
    block = next(b for b in blocks if str(escape(choice.moment)) in b)
    assert "An off-record moment" in block and "1 session(s) faced it" in block
    assert "followed the record" not in block and "(the record)" not in block and "<svg" in block
    assert str(escape(shipped.options()[answer].label)) in block
    others = [b for b in blocks if b is not block]
    assert others and all("The record’s option — " in b and "followed the record" in b for b in others)
