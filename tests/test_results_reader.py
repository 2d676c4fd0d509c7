"""Reading a results file that a crash, a hand edit or a stranger has been at: recover, skip, refuse, never hang."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from game.cli import main
from game.engine.runner import ChoiceEvent, EndEvent, Runner
from game.results import db as results_db
from game.results.db import ResultsDB, ResultsError, merge, session_record, visitors_vs_record
from game.results.recorder import ResultsFile

from .recording import write as record_once

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def play(scenario, role: str, picks: list[str]) -> Runner:
    runner = Runner(scenario, role)
    picks = list(picks)
    while not isinstance(event := runner.advance(), EndEvent):
        if isinstance(event, ChoiceEvent):
            if not picks:
                return runner
            runner.choose_id(picks.pop(0))
    return runner


def filled(path: Path, scenario) -> Path:
    """Four finished sessions (both sides played) and one cut short."""
    with ResultsDB(path) as db:
        for picks in (["c-weather.cold", "c-tea.tea"], ["c-weather.cold", "c-tea.none"], ["c-weather.rude"],
                      ["c-weather.cold", "c-tea.tea"]):
            db.record_session(play(scenario, "both", picks), "text", START, 60.0, "finished")
        db.record_session(play(scenario, "both", ["c-weather.cold"]), "kiosk", START, 10.0, "abandoned")
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def report(*args: str, capsys) -> tuple[int, str]:
    code = main(["report", *args, "--content", str(MINI)])
    return code, capsys.readouterr().err


# --- a hot journal left by a crash -------------------------------------------------------------

CRASH = textwrap.dedent("""
    import os, signal, sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA cache_size = 5")        # a small cache: the change reaches the file before COMMIT
    conn.execute("BEGIN IMMEDIATE")
    for seq in range(100, 2100):
        conn.execute("INSERT INTO choices VALUES (1, ?, 'guest', ?, 'o', 'o', 1, 0)", (seq, "x" * 400))
    conn.execute("UPDATE sessions SET status = 'abandoned', ending = NULL, ending_historical = NULL")
    os.kill(os.getpid(), signal.SIGKILL)         # the power goes, inside the transaction
""")


def crashed(path: Path, scenario) -> Path:
    """A results file with a real hot journal: the writer was killed with SIGKILL mid-transaction."""
    filled(path, scenario)
    proc = subprocess.run([sys.executable, "-c", CRASH, str(path)], capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    journal = path.with_name(path.name + "-journal")
    assert journal.is_file() and journal.stat().st_size > 0
    raw = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):   # what every reader met before
            raw.execute("SELECT COUNT(*) FROM sessions").fetchone()
    finally:
        raw.close()
    return path


def read_sessions(path: Path, capsys) -> int:
    with ResultsDB(path, readonly=True) as db:
        return len(db.sessions("finished"))


def read_the_admin_summary(path: Path, capsys) -> int:
    lines = ResultsFile(path, "kiosk").summary()
    found = [re.search(r"(\d+) finished", line) for line in lines]
    return int(next(m for m in found if m).group(1))


def read_visitors(path: Path, capsys) -> int:
    with ResultsDB(path, readonly=True, check=False) as db:
        return visitors_vs_record(db, "mini", "full")[0].faced


def read_by_merge(path: Path, capsys) -> int:
    merged = merge([path])
    try:
        return len(merged.db.sessions("finished"))
    finally:
        merged.db.close()


def read_by_the_report(path: Path, capsys) -> int:
    out = path.with_name("class.csv")
    code, err = report("--results-db", str(path), "--csv", str(out), capsys=capsys)
    assert code == 0, err
    return len(out.read_text(encoding="utf-8").splitlines()) - 1


READERS: dict[str, Callable[[Path, object], int]] = {
    "sessions": read_sessions, "kiosk admin": read_the_admin_summary, "visitors screen": read_visitors,
    "merge": read_by_merge, "report": read_by_the_report,
}


@pytest.mark.parametrize("reader", list(READERS))
def test_a_hot_journal_is_rolled_back_by_every_reader(reader, mini_scenario, tmp_path: Path, capsys):
    path = crashed(tmp_path / "results.sqlite", mini_scenario)
    assert READERS[reader](path, capsys) == 4                     # the file as it was before the crash
    assert not path.with_name(path.name + "-journal").exists()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
        assert conn.execute("SELECT COUNT(*) FROM choices WHERE seq >= 100").fetchone() == (0,)
    finally:
        conn.close()


def test_a_file_copied_with_its_journal_is_recovered_in_the_copy(mini_scenario, tmp_path: Path, capsys):
    original = crashed(tmp_path / "kiosk" / "results.sqlite", mini_scenario)
    stick = tmp_path / "usb"
    stick.mkdir()
    for name in ("results.sqlite", "results.sqlite-journal"):
        shutil.copy2(original.with_name(name), stick / name)
    before = digest(original)
    assert read_by_the_report(stick / "results.sqlite", capsys) == 4
    assert digest(original) == before and original.with_name("results.sqlite-journal").exists()


@pytest.mark.parametrize("reader", ["sessions", "report", "kiosk admin"])
def test_a_hot_journal_that_cannot_be_undone_here_is_explained(reader, mini_scenario, tmp_path: Path, capsys,
                                                               monkeypatch):
    path = crashed(tmp_path / "results.sqlite", mini_scenario)
    journal = path.with_name(path.name + "-journal")
    stamps = digest(path), digest(journal)
    monkeypatch.setattr(results_db, "_may_write", lambda p: False)     # a read-only stick, a locked-down folder
    if reader == "sessions":
        with pytest.raises(ResultsError) as caught:
            read_sessions(path, capsys)
        assert caught.value.kind == "journal"
        message = str(caught.value)
    elif reader == "report":
        code, message = report("--results-db", str(path), "--csv", str(tmp_path / "c.csv"), capsys=capsys)
        assert code == 1 and "Traceback" not in message and not (tmp_path / "c.csv").exists()
    else:
        message = " ".join(ResultsFile(path, "kiosk").summary())
    assert str(path) in message and "results.sqlite-journal" in message
    assert "copy it together with" in message and "readonly database" not in message
    assert (digest(path), digest(journal)) == stamps                   # nothing touched


CHILD_READER = """
import os, sys
sys.path.insert(0, sys.argv[1])
import game.engine.files, game.results.rows, game.results.schema  # noqa: all loaded before the user changes
from game.results.db import ResultsDB, ResultsError
if os.geteuid() == 0:                     # root may write anywhere: read as nobody instead
    os.setgid(65534)
    os.setuid(65534)
try:
    ResultsDB(sys.argv[2], readonly=True)
    print("opened")
except ResultsError as exc:
    print(exc.kind)
"""


def test_a_hot_journal_in_a_folder_without_write_permission(mini_scenario, tmp_path: Path, project_root: Path):
    """A real folder the reader may not write (as root, the reader runs as the user nobody)."""
    import tempfile

    crashed_file = crashed(tmp_path / "made" / "results.sqlite", mini_scenario)
    folder = Path(tempfile.mkdtemp(prefix="moscow1956-ro-"))
    try:
        folder.chmod(0o755)
        for name in ("results.sqlite", "results.sqlite-journal"):
            shutil.copy2(crashed_file.with_name(name), folder / name)
            (folder / name).chmod(0o644)
        folder.chmod(0o555)
        proc = subprocess.run([sys.executable, "-c", CHILD_READER, str(project_root), str(folder / "results.sqlite")],
                              capture_output=True, text=True, timeout=60)
        assert proc.stdout.strip() == "journal", proc.stdout + proc.stderr
        assert (folder / "results.sqlite-journal").exists()          # nothing undone, nothing lost
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


# --- bad rows ----------------------------------------------------------------------------------

def child_rows(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return sum(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("choices", "role_results",
                                                                                   "objectives"))
    finally:
        conn.close()


def tamper(path: Path, table: str, column: str, value: str) -> int:
    """Set one column of the first row of `table` to the SQL `value`, past CHECK and NOT NULL; its rowid."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")
    original = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    loose = re.sub(rf"(\b{column}\s+\w+) NOT NULL", r"\1", original)
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?", (loose, table))
    conn.commit()
    conn.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    rowid = conn.execute(f"SELECT MIN(rowid) FROM {table}").fetchone()[0]
    conn.execute(f"UPDATE {table} SET {column} = {value} WHERE rowid = ?", (rowid,))
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?", (original, table))
    conn.commit()
    conn.close()
    return rowid


# (table, column, value as SQL): each makes one row bad.
BAD_VALUES = [
    ("sessions", "duration_s", "'abc'"), ("sessions", "duration_s", "-5"), ("sessions", "duration_s", "1e12"),
    ("sessions", "duration_s", "NULL"), ("sessions", "mode", "'phone'"), ("sessions", "mode", "NULL"),
    ("sessions", "status", "'paused'"), ("sessions", "ending", "NULL"), ("sessions", "ending_historical", "'yes'"),
    ("sessions", "started_at", "'yesterday'"), ("sessions", "uid", "x'00ff'"), ("sessions", "scenario", "NULL"),
    ("sessions", "autoplay", "'robot'"), ("sessions", "roles", "''"),
    ("choices", "seq", "-1"), ("choices", "followed", "'abc'"), ("choices", "option_id", "NULL"),
    ("choices", "auto", "2"), ("role_results", "matched", "5"), ("role_results", "total", "'many'"),
    ("role_results", "total", "-1"), ("objectives", "met", "2"), ("objectives", "objective_id", "NULL"),
    # The ids of a choice, which the count checks once a distinct value rather than once a row:
    ("choices", "choice_id", "x'00ff'"), ("choices", "option_id", "''"), ("choices", "role", "printf('%.201c', 'r')"),
    ("choices", "historical_option_id", "NULL"),
]


@pytest.mark.parametrize(("table", "column", "value"), BAD_VALUES,
                         ids=[f"{t}.{c}={v}" for t, c, v in BAD_VALUES])
def test_a_bad_row_is_reported_and_skipped_and_the_rest_is_read(table, column, value, mini_scenario,
                                                                 tmp_path: Path, capsys):
    path = filled(tmp_path / "results.sqlite", mini_scenario)
    children = child_rows(path)
    rowid = tamper(path, table, column, value)
    lost = 1 if table == "sessions" else 0              # a bad session goes; a bad choice or result goes alone
    with ResultsDB(path, readonly=True) as db:
        sessions = db.sessions()
        bad, total = db.skipped()
        assert db.counts()["finished"] + db.counts()["abandoned"] == 5 - lost
        faced = visitors_vs_record(db, "mini", "full")[0].faced
    assert len(sessions) == 5 - lost and faced >= 3 - lost
    assert total == 1 and bad[0].table == table and bad[0].rowid == rowid
    assert bad[0].describe().startswith(f"{table} row {rowid}: {column} is")
    if table != "sessions":
        assert sum(len(s.choices) + len(s.role_results) + len(s.objectives) for s in sessions) == children - 1
    code, err = report("--results-db", str(path), "--csv", str(tmp_path / "c.csv"), capsys=capsys)
    assert code == 0 and "Traceback" not in err
    assert f"{path}: {table} row {rowid}: {column} is" in err and "1 bad row(s) left out" in err
    # The game records into the file as before: one bad row never gets the whole file set aside.
    recorder = ResultsFile(path, "window")
    assert record_once(recorder, play(mini_scenario, "guest", ["c-weather.cold"])) == ""
    assert not list(tmp_path.glob("*.corrupt-*"))
    with ResultsDB(path, readonly=True) as db:
        assert len(db.sessions()) == 6 - lost and db.skipped()[1] == 1


def test_many_bad_rows_are_counted_not_all_listed(mini_scenario, tmp_path: Path, capsys):
    path = tmp_path / "results.sqlite"
    with ResultsDB(path) as db:
        for _ in range(30):
            db.record_session(play(mini_scenario, "guest", ["c-weather.cold"]), "text", START, 5.0, "finished")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE sessions SET duration_s = -1 WHERE id % 2 = 0")
    conn.commit()
    conn.close()
    code, err = report("--results-db", str(path), "--csv", str(tmp_path / "c.csv"), capsys=capsys)
    assert code == 0 and err.count("duration_s is -1") == 10 and "5 more bad row(s) skipped" in err
    assert len((tmp_path / "c.csv").read_text(encoding="utf-8").splitlines()) == 1 + 15


# --- objects the game never makes ----------------------------------------------------------------

def replace_with(sql: list[str]) -> Callable[[Path], None]:
    def apply(path: Path) -> None:
        conn = sqlite3.connect(path)
        for statement in sql:
            conn.execute(statement)
        conn.commit()
        conn.close()
    return apply


ENDLESS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n"
STRANGERS = {
    "sessions as a view that never ends": (replace_with([
        "ALTER TABLE sessions RENAME TO old_sessions",
        "CREATE VIEW sessions AS SELECT i AS id, 'u' || i AS uid, 'mini' AS scenario, 'text' AS mode, 'guest' AS "
        "roles, 'full' AS path, '2026-03-02T09:30:00Z' AS started_at, 1.0 AS duration_s, 'finished' AS status, "
        "'tea' AS ending, 1 AS ending_historical, '0.1.0' AS app_version, '' AS autoplay FROM (" + ENDLESS + ")"]),
        "view named 'sessions'"),
    "choices as a view of itself": (replace_with([
        "DROP TABLE choices", "CREATE VIEW choices AS SELECT * FROM choices"]), "view named 'choices'"),
    "a trigger named like our table": (replace_with([
        "CREATE TRIGGER sessions AFTER INSERT ON sessions BEGIN DELETE FROM choices; END"]),
        "trigger named 'sessions'"),
    "a trigger that empties the file": (replace_with([
        "CREATE TRIGGER wipe BEFORE INSERT ON choices BEGIN DELETE FROM sessions; END"]), "trigger named 'wipe'"),
    "a view beside our tables": (replace_with([f"CREATE VIEW numbers AS {ENDLESS}"]), "view named 'numbers'"),
    "objectives as a virtual table": (replace_with([
        "DROP TABLE objectives", "CREATE VIRTUAL TABLE objectives USING fts5(session_id, role, objective_id, met)"]),
        "virtual table"),
    "a computed column": (replace_with([
        "DROP TABLE role_results", "CREATE TABLE role_results (session_id INTEGER, role TEXT, matched INTEGER, "
        "total INTEGER, share REAL GENERATED ALWAYS AS (matched * 1.0 / total))"]), "computed columns"),
    "a table missing": (replace_with(["DROP TABLE role_results"]), "no table 'role_results'"),
}


@pytest.mark.parametrize("case", list(STRANGERS))
def test_objects_the_game_never_makes_are_refused_not_read(case, mini_scenario, tmp_path: Path, capsys):
    path = filled(tmp_path / "results.sqlite", mini_scenario)
    make, named = STRANGERS[case]
    make(path)
    stamp = digest(path)
    for readonly in (True, False):                       # the report and the kiosk's screens; the game's writes
        with pytest.raises(ResultsError) as caught:
            ResultsDB(path, readonly=readonly)
        assert caught.value.kind == "foreign" and named in str(caught.value) and str(path) in str(caught.value)
    message = record_once(ResultsFile(path, "window"), play(mini_scenario, "guest", ["c-weather.cold"]))
    assert named in message and "not saved" in message
    assert "Results unavailable" in " ".join(ResultsFile(path, "kiosk").summary())
    code, err = report("--results-db", str(path), "--html", str(tmp_path / "r.html"), capsys=capsys)
    assert code == 1 and named in err and "Traceback" not in err
    assert digest(path) == stamp and not list(tmp_path.glob("*.corrupt-*"))     # left untouched


def test_a_report_on_a_view_that_never_ends_returns_at_once(mini_scenario, tmp_path: Path):
    """In a separate process, so that a hang fails this test instead of stopping the suite."""
    path = filled(tmp_path / "results.sqlite", mini_scenario)
    STRANGERS["sessions as a view that never ends"][0](path)
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "report", "--results-db", str(path), "--csv",
                           str(tmp_path / "c.csv")], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "view named 'sessions'" in proc.stderr


@pytest.mark.parametrize("work", ["open", "sessions", "counts", "skipped", "visitors"])
def test_every_read_stops_at_the_time_limit(work, mini_scenario, tmp_path: Path, monkeypatch):
    path = tmp_path / "results.sqlite"
    one = session_record(play(mini_scenario, "both", ["c-weather.cold", "c-tea.tea"]), "text", START, 5.0, "finished")
    with ResultsDB(path) as db:                             # enough rows for SQLite to ask the time often
        db.add([dataclasses.replace(one, uid=f"{i:032x}") for i in range(300)])
    db = ResultsDB(path, readonly=True, check=False) if work != "open" else None
    clock = iter([0.0] + [1e9] * 10_000)                   # the limit starts now; the next tick is long after
    monkeypatch.setattr(results_db.time, "monotonic", lambda: next(clock))
    with pytest.raises(ResultsError) as caught:
        if work == "open":
            ResultsDB(path, readonly=True)                  # the whole-file check is bounded too
        else:
            {"sessions": db.sessions, "counts": db.counts, "skipped": db.skipped,
             "visitors": lambda: visitors_vs_record(db, "mini", "full")}[work]()
    assert caught.value.kind == "slow" and str(path) in str(caught.value)
    if db is not None:
        db.close()


def test_session_ids_of_any_size_are_good(mini_scenario, tmp_path: Path):
    """A file of many sessions (or a merged one) has row ids far above any count the rules cap."""
    path = filled(tmp_path / "results.sqlite", mini_scenario)
    conn = sqlite3.connect(path)
    for table in ("choices", "role_results", "objectives"):
        conn.execute(f"UPDATE {table} SET session_id = session_id + 5000000000")
    conn.execute("UPDATE sessions SET id = id + 5000000000")
    conn.commit()
    conn.close()
    with ResultsDB(path, readonly=True) as db:
        assert db.skipped() == ([], 0)
        assert sum(len(s.choices) for s in db.sessions()) == child_rows_of(path, "choices")
        assert visitors_vs_record(db, "mini", "full")[0].faced == 4


def child_rows_of(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def test_the_admin_summary_reads_the_file_again_only_when_it_changed(mini_scenario, tmp_path: Path, monkeypatch):
    from game.results import recorder as recorder_module

    path = filled(tmp_path / "results.sqlite", mini_scenario)
    opened = []
    real = recorder_module.ResultsDB
    monkeypatch.setattr(recorder_module, "ResultsDB", lambda *a, **k: opened.append(a) or real(*a, **k))
    admin = ResultsFile(path, "kiosk")
    for _ in range(5):                                   # the admin screen asks every frame
        assert any("4 finished, 1 cut short" in line for line in admin.summary())
    assert len(opened) == 1
    record_once(admin, play(mini_scenario, "guest", ["c-weather.cold"]))  # a visitor finishes
    assert any("5 finished, 1 cut short" in line for line in admin.summary())
    tamper(path, "sessions", "duration_s", "-1")                         # someone edits the file
    assert any("4 finished" in line for line in admin.summary())
    assert any("Damaged rows left out: 1" in line for line in admin.summary())


def _many(path: Path, scenario, sessions: int = 300) -> Path:
    """A file with enough rows for SQLite to look at the clock often while it reads."""
    one = session_record(play(scenario, "both", ["c-weather.cold", "c-tea.tea"]), "text", START, 5.0, "finished")
    with ResultsDB(path) as db:
        db.add([dataclasses.replace(one, uid=f"{i:032x}") for i in range(sessions)])
    return path


def test_a_count_of_the_choices_that_fails_leaves_no_report_behind(mini_scenario, tmp_path: Path, monkeypatch,
                                                                   capsys):
    """The choices are counted in a thread while the CSV is written; when that count runs out of
    time, the report says which file, writes neither output, and exits 1."""
    from game.results import merging

    path = _many(tmp_path / "results.sqlite", mini_scenario)
    real = merging._Counter.count_file

    def slow(self, source, winners, twice, tallies):
        self.cancelled = True                     # as a statement past the file's time limit is stopped
        return real(self, source, winners, twice, tallies)

    monkeypatch.setattr(merging._Counter, "count_file", slow)
    code, err = report("--results-db", str(path), "--csv", str(tmp_path / "class.csv"), "--html",
                       str(tmp_path / "class.html"), capsys=capsys)
    assert code == 1 and str(path) in err and "Traceback" not in err
    assert not (tmp_path / "class.csv").exists() and not (tmp_path / "class.html").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["results.sqlite"]      # no temporary file left either


def test_damage_found_by_the_check_on_the_counting_thread_stops_the_report(mini_scenario, tmp_path: Path, capsys):
    """The whole-file check runs beside the merge: damage that no read meets (a page the file never
    uses) still stops the report, with the check's words, before either output is written."""
    path = filled(tmp_path / "results.sqlite", mini_scenario)
    data = bytearray(path.read_bytes())
    page_size, pages = int.from_bytes(data[16:18], "big"), int.from_bytes(data[28:32], "big")
    data[28:32] = (pages + 1).to_bytes(4, "big")          # one page more than any table or list holds
    path.write_bytes(bytes(data) + bytes(page_size))
    code, err = report("--results-db", str(path), "--csv", str(tmp_path / "class.csv"), "--html",
                       str(tmp_path / "class.html"), capsys=capsys)
    assert code == 1 and "Traceback" not in err
    assert f"The results file {path} is damaged" in err and f"Page {pages + 1} is never used" in err
    assert [p.name for p in tmp_path.iterdir()] == ["results.sqlite"]


def test_the_choices_counted_in_a_thread_are_the_choices_copied(mini_scenario, tmp_path: Path):
    """Both ways of merging give the same counts, and the counting thread has ended when the merge is closed."""
    import threading

    path = _many(tmp_path / "results.sqlite", mini_scenario, sessions=2000)
    copied = merge([path])
    try:
        expected = visitors_vs_record(copied.db, "mini", "full")
    finally:
        copied.close()
    counted = merge([path], with_choices=False)
    try:
        assert counted.tallies == {("mini", "full"): expected}
        assert counted.skipped == []
    finally:
        counted.close()
    assert not [t for t in threading.enumerate() if t.name.startswith("report-count")]


def test_a_merge_that_fails_stops_its_counting_thread(mini_scenario, tmp_path: Path, monkeypatch):
    import threading

    from game.results import merging

    path = _many(tmp_path / "results.sqlite", mini_scenario)

    def broken(self, number, source, with_choices):
        raise ResultsError("the disk is gone", "unreadable")

    monkeypatch.setattr(merging._Merge, "copy", broken)
    with pytest.raises(ResultsError, match="the disk is gone"):
        merge([path], with_choices=False)
    assert not [t for t in threading.enumerate() if t.name.startswith("report-count")]


def test_a_statement_of_the_merge_that_never_ends_is_stopped_at_its_files_limit(mini_scenario, tmp_path: Path):
    """The merge's own reads are held to the file's time limit by a timer (not a progress handler)."""
    import time

    from game.results import merging

    path = _many(tmp_path / "results.sqlite", mini_scenario, sessions=3)
    source = ResultsDB(path, readonly=True, read_limit=0.3)
    work = merging._Counter()
    started = time.monotonic()
    try:
        with pytest.raises(ResultsError) as caught:
            work.run(source, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c")
    finally:
        work.conn.close()
        source.close()
    assert caught.value.kind == "slow" and str(path) in str(caught.value)
    assert time.monotonic() - started < 5


def test_stopping_a_count_that_has_already_ended_is_quiet(mini_scenario, tmp_path: Path):
    """A merge that fails after its count has finished (and closed its connection) still stops cleanly."""
    from game.results import merging

    work = merging._Counter()
    work.conn.close()
    work.cancel()
    assert work.cancelled
