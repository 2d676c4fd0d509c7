"""Results format 2 (mode `web`): format-1 files are read as they are and upgraded without losing a row."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from game.engine.runner import ChoiceEvent, EndEvent, Runner
from game.results.db import SCHEMA_VERSION, ResultsDB, ResultsError, SessionRecord, session_record
from game.results.recorder import ResultsFile

from .recording import write as record_once

START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

# Format 1, word for word as the game created it before format 2 (game/results/db.py, SCHEMA).
V1_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS sessions (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        scenario TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('text', 'window', 'kiosk')),
        roles TEXT NOT NULL,
        path TEXT NOT NULL,
        started_at TEXT NOT NULL,
        duration_s REAL NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('finished', 'abandoned')),
        ending TEXT,
        ending_historical INTEGER,
        app_version TEXT NOT NULL,
        autoplay TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE IF NOT EXISTS choices (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        role TEXT NOT NULL,
        choice_id TEXT NOT NULL,
        option_id TEXT NOT NULL,
        historical_option_id TEXT NOT NULL,
        followed INTEGER NOT NULL,
        auto INTEGER NOT NULL,
        PRIMARY KEY (session_id, seq)
    )""",
    """CREATE TABLE IF NOT EXISTS role_results (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        matched INTEGER NOT NULL,
        total INTEGER NOT NULL,
        PRIMARY KEY (session_id, role)
    )""",
    """CREATE TABLE IF NOT EXISTS objectives (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        objective_id TEXT NOT NULL,
        met INTEGER NOT NULL,
        PRIMARY KEY (session_id, objective_id)
    )""",
    "CREATE INDEX IF NOT EXISTS choices_by_choice ON choices (choice_id)",
    "CREATE INDEX IF NOT EXISTS sessions_by_scenario ON sessions (scenario, path, status)",
)
TABLES = ("sessions", "choices", "role_results", "objectives")


def play(scenario, role: str, picks: list[str]) -> Runner:
    runner = Runner(scenario, role)
    picks = list(picks)
    while not isinstance(event := runner.advance(), EndEvent):
        if isinstance(event, ChoiceEvent):
            if not picks:
                return runner
            runner.choose_id(picks.pop(0))
    return runner


def v1_sessions(scenario) -> list[SessionRecord]:
    """Every mode format 1 knew, both statuses, one and two players, autoplay."""
    plays = [("text", "guest", ["c-weather.cold"], "finished", ""), ("window", "both", ["c-weather.rude"], "finished", ""),
             ("kiosk", "guest", [], "abandoned", ""), ("kiosk", "both", ["c-weather.cold"], "abandoned", ""),
             ("text", "host", ["c-tea.tea"], "finished", "record")]
    return [session_record(play(scenario, role, picks), mode, START, 12.0 + i, status, autoplay=auto)
            for i, (mode, role, picks, status, auto) in enumerate(plays)]


def write_v1(path: Path, records: list[SessionRecord]) -> None:
    """A format-1 file, written as format 1 wrote it: its schema, its pragmas, its inserts."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("BEGIN IMMEDIATE")
    for statement in V1_SCHEMA:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    for r in records:
        cursor = conn.execute(
            "INSERT OR IGNORE INTO sessions (uid, scenario, mode, roles, path, started_at, duration_s, "
            "status, ending, ending_historical, app_version, autoplay) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (r.uid, r.scenario, r.mode, r.roles, r.path, r.started_at, r.duration_s, r.status, r.ending,
             None if r.ending_historical is None else int(r.ending_historical), r.app_version, r.autoplay))
        sid = cursor.lastrowid
        conn.executemany("INSERT INTO choices VALUES (?,?,?,?,?,?,?,?)",
                         [(sid, c.seq, c.role, c.choice_id, c.option_id, c.historical_option_id, int(c.followed),
                           int(c.auto)) for c in r.choices])
        conn.executemany("INSERT INTO role_results VALUES (?,?,?,?)", [(sid, x.role, x.matched, x.total)
                                                                       for x in r.role_results])
        conn.executemany("INSERT INTO objectives VALUES (?,?,?,?)", [(sid, o.role, o.objective_id, int(o.met))
                                                                     for o in r.objectives])
    conn.execute("COMMIT")
    conn.close()


def plant_bad_mode(path: Path) -> None:
    """A row format 1's CHECK would refuse, written past it (another program, or a hand edit)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("INSERT INTO sessions (uid, scenario, mode, roles, path, started_at, duration_s, status, "
                 "app_version) VALUES ('bad', 'mini', 'phone', 'guest', 'full', '2026-03-02T10:00:00Z', 1, "
                 "'abandoned', '0.1.0')")
    conn.commit()
    conn.close()


def dump(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLES}
    finally:
        conn.close()


def one(path: Path, sql: str) -> object:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def upgrade_by_db(path: Path, scenario) -> None:
    ResultsDB(path).close()


def upgrade_by_the_recorder(path: Path, scenario) -> None:
    assert record_once(ResultsFile(path, "web"), play(scenario, "guest", ["c-weather.cold"])) == ""


@pytest.mark.parametrize("bad_row", [False, True], ids=["clean", "with a bad row"])
@pytest.mark.parametrize("upgrade", [upgrade_by_db, upgrade_by_the_recorder], ids=["opened", "recorded into"])
def test_a_format_1_file_is_upgraded_losing_nothing(upgrade, bad_row, mini_scenario, tmp_path: Path):
    path = tmp_path / "v1.sqlite"
    records = v1_sessions(mini_scenario)
    write_v1(path, records)
    if bad_row:
        plant_bad_mode(path)
    before = dump(path)
    upgrade(path, mini_scenario)
    assert one(path, "PRAGMA user_version") == SCHEMA_VERSION == 2
    after = dump(path)
    for table in TABLES:                                     # every row, with its id, exactly as it was
        assert after[table][:len(before[table])] == before[table], table
    assert "'web'" in one(path, "SELECT sql FROM sqlite_master WHERE name = 'sessions'")
    assert one(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'sessions_by_scenario'") == 1
    assert not list(tmp_path.glob("*.corrupt-*"))           # the bad row never costs the file
    with ResultsDB(path) as db:
        db.record_session(play(mini_scenario, "guest", ["c-weather.cold"]), "web", START, 3.0, "finished")
        assert {s.mode for s in db.sessions()} == {"text", "window", "kiosk", "web"}
        assert {s.uid for s in db.sessions()} >= {r.uid for r in records}
        assert len(db.skipped()[0]) == int(bad_row)
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        first = before["sessions"][0][0]
        conn.execute("DELETE FROM sessions WHERE id = ?", (first,))        # children still follow their session
        assert conn.execute("SELECT COUNT(*) FROM choices WHERE session_id = ?", (first,)).fetchone()[0] == 0
    finally:
        conn.close()


def test_a_format_1_file_opened_read_only_is_read_and_left_as_it_is(mini_scenario, tmp_path: Path):
    path = tmp_path / "v1.sqlite"
    records = v1_sessions(mini_scenario)
    write_v1(path, records)
    plant_bad_mode(path)
    stamp = digest(path)
    with ResultsDB(path, readonly=True) as db:
        read = db.sessions()
        assert db.counts() == {"finished": 3, "abandoned": 2}
        bad, total = db.skipped()
    assert sorted((s.uid, s.mode, s.status, s.choices, s.role_results, s.objectives) for s in read) == sorted(
        (r.uid, r.mode, r.status, r.choices, r.role_results, r.objectives) for r in records)
    assert total == 1 and "mode is 'phone'" in bad[0].describe()
    summary = ResultsFile(path, "kiosk").summary()
    assert any("3 finished, 2 cut short" in line for line in summary)
    assert digest(path) == stamp and one(path, "PRAGMA user_version") == 1


def test_an_upgrade_that_cannot_copy_a_row_changes_nothing(mini_scenario, tmp_path: Path):
    """A NULL where format 1 forbade one (only a hand edit of the schema can make it): the upgrade stops."""
    path = tmp_path / "v1.sqlite"
    write_v1(path, v1_sessions(mini_scenario))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")
    original = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'sessions'").fetchone()[0]
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'sessions'",
                 (original.replace("scenario TEXT NOT NULL", "scenario TEXT"),))
    conn.commit()
    conn.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE sessions SET scenario = NULL WHERE id = 1")
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'sessions'", (original,))
    conn.commit()
    conn.close()
    stamp = digest(path)
    with pytest.raises(ResultsError) as caught:
        ResultsDB(path)
    assert caught.value.kind == "unreadable" and str(path) in str(caught.value) and "left as it was" in str(caught.value)
    assert digest(path) == stamp and not list(tmp_path.glob("*.corrupt-*"))
    with ResultsDB(path, readonly=True) as db:               # and the report still reads the rest
        assert len(db.sessions()) == 4 and db.skipped()[1] == 1
