"""The report never writes over what it reads: inputs by identity (links too), journals, any SQLite file."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from game.cli import main
from game.engine.autoplay import RecordPolicy, play_out
from game.engine.runner import Runner
from game.results.db import ResultsDB

MINI = Path(__file__).parent / "fixtures" / "mini"


def results_file(path: Path, scenario, sessions: int = 2) -> Path:
    with ResultsDB(path) as db:
        for _ in range(sessions):
            runner = Runner(scenario, "guest")
            play_out(runner, RecordPolicy())
            db.record_session(runner, "text", datetime(2026, 3, 2, 10, tzinfo=UTC), 60.0, "finished")
    return path


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file in the folder (links as their targets' bytes): what a refused report must leave alone."""
    return {p.name: (p.lstat().st_mtime_ns, p.read_bytes() if p.is_file() else b"") for p in sorted(folder.iterdir())}


def symlink(link: Path, target: Path) -> Path:
    link.symlink_to(target)
    return link


def hardlink(link: Path, target: Path) -> Path:
    os.link(target, link)
    return link


def empty_results(path: Path) -> Path:
    ResultsDB(path).close()      # a results file with no sessions yet: still never to be written over
    return path


def other_database(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE grades (pupil TEXT, mark INTEGER)")
    conn.commit()
    conn.close()
    return path


# Each case: (a, b, tmp) -> the report's output arguments; `a` and `b` are the two inputs.
CASES: dict[str, Callable[[Path, Path, Path], list[str]]] = {
    "csv over the input": lambda a, b, t: ["--csv", str(a)],
    "html over the input": lambda a, b, t: ["--html", str(a)],
    "csv over the second input": lambda a, b, t: ["--csv", str(b)],
    "another spelling of the input": lambda a, b, t: ["--csv", str(t / "sub" / ".." / a.name)],
    "csv through a symbolic link": lambda a, b, t: ["--csv", str(symlink(t / "class.csv", a))],
    "html through a symbolic link": lambda a, b, t: ["--html", str(symlink(t / "class.html", b))],
    "a link to a link": lambda a, b, t: ["--csv", str(symlink(t / "l2.csv", symlink(t / "l1.csv", a)))],
    "csv through a hard link": lambda a, b, t: ["--csv", str(hardlink(t / "class.csv", a))],
    "html through a hard link": lambda a, b, t: ["--html", str(hardlink(t / "class.html", b))],
    "csv over the input, html elsewhere": lambda a, b, t: ["--html", str(t / "ok.html"), "--csv", str(a)],
    "the input's journal": lambda a, b, t: ["--csv", str(a.with_name(a.name + "-journal"))],
    "the input's WAL file": lambda a, b, t: ["--html", str(b.with_name(b.name + "-wal"))],
    "an SQLite file that is not an input": lambda a, b, t: ["--csv", str(empty_results(t / "kiosk.sqlite"))],
    "an SQLite file named like a CSV": lambda a, b, t: ["--csv", str(other_database(t / "old.csv"))],
    "an SQLite file named like HTML": lambda a, b, t: ["--html", str(other_database(t / "index.html"))],
    "both outputs one new file": lambda a, b, t: ["--csv", str(t / "out.txt"), "--html", str(t / "out.txt")],
    "both outputs one existing file": lambda a, b, t: ["--csv", str(t / "old.txt"), "--html",
                                                      str(symlink(t / "old-link.txt", t / "old.txt"))],
    "an output that is a folder": lambda a, b, t: ["--csv", str(t / "sub")],
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_report_that_would_write_over_its_input_is_refused(case, mini_scenario, tmp_path: Path, capsys):
    (tmp_path / "sub").mkdir()
    (tmp_path / "old.txt").write_text("last week's report\n", encoding="utf-8")
    a = results_file(tmp_path / "a.sqlite", mini_scenario)
    b = results_file(tmp_path / "b.sqlite", mini_scenario, sessions=1)
    outputs = CASES[case](a, b, tmp_path)
    before = snapshot(tmp_path)
    code = main(["report", "--results-db", str(a), "--results-db", str(b), *outputs, "--content", str(MINI)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Nothing was written" in err and "Traceback" not in err
    named = [o for o in outputs if not o.startswith("--")]
    assert any(name in err for name in named), err       # the message names the file refused
    assert snapshot(tmp_path) == before                  # no output written, no input touched
    with ResultsDB(a, readonly=True) as db:
        assert db.counts()["finished"] == 2


def test_distinct_outputs_are_written_and_an_old_report_may_be_replaced(mini_scenario, tmp_path: Path, capsys):
    a = results_file(tmp_path / "a.sqlite", mini_scenario)
    old = tmp_path / "class.csv"
    old.write_text("last week\n", encoding="utf-8")
    linked = symlink(tmp_path / "latest.html", tmp_path / "class.html")    # a link to a report not yet made
    code = main(["report", "--results-db", str(a), "--csv", str(old), "--html", str(linked), "--content", str(MINI)])
    assert code == 0, capsys.readouterr().err
    assert old.read_text(encoding="utf-8").startswith("uid,") and "Class results" in linked.read_text("utf-8")
    with ResultsDB(a, readonly=True) as db:
        assert db.counts()["finished"] == 2
