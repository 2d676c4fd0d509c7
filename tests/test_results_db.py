"""The results database: what a session leaves behind, and what a locked, damaged or crashed file does."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from game.engine.runner import ChoiceEvent, EndEvent, Runner
from game.results import db as results_db
from game.results.db import SCHEMA_VERSION, ResultsDB, ResultsError, merge, visitors_vs_record
from game.results.recorder import ResultsFile

from .recording import write as record_once

ROOT = Path(__file__).resolve().parent.parent
START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def play(scenario, role: str, picks: list[str], finish: bool = True) -> Runner:
    """A mini session: `picks` answers the player's choices in order; stops early when they run out."""
    runner = Runner(scenario, role)
    picks = list(picks)
    while not isinstance(event := runner.advance(), EndEvent):
        if isinstance(event, ChoiceEvent):
            if not picks:
                assert not finish, "ran out of picks"
                return runner
            runner.choose_id(picks.pop(0))
    return runner


def record(path: Path, scenario, role="guest", picks=("c-weather.cold",), status="finished", mode="text") -> str:
    runner = play(scenario, role, list(picks), finish=status == "finished")
    with ResultsDB(path) as db:
        return db.record_session(runner, mode, START, 61.5, status)


def rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_a_finished_session_is_stored_whole_and_anonymous(mini_scenario, tmp_path: Path):
    path = tmp_path / "deep" / "results.sqlite"
    uid = record(path, mini_scenario)
    assert len(uid) == 32 and int(uid, 16) >= 0
    assert rows(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert rows(path, "PRAGMA journal_mode") == [("delete",)]
    session = rows(path, "SELECT uid, scenario, mode, roles, path, started_at, duration_s, status, ending, "
                         "ending_historical, app_version FROM sessions")
    assert session == [(uid, "mini", "text", "guest", "full", "2026-03-02T09:30:00Z", 61.5, "finished", "tea", 1, "0.1.0")]
    assert rows(path, "SELECT seq, role, choice_id, option_id, historical_option_id, followed, auto FROM choices") == [
        (1, "guest", "c-weather", "c-weather.cold", "c-weather.cold", 1, 0),
        (2, "host", "c-tea", "c-tea.tea", "c-tea.tea", 1, 1),    # the side nobody played: the record answered
    ]
    assert rows(path, "SELECT role, matched, total FROM role_results") == [("guest", 1, 1)]
    assert rows(path, "SELECT role, objective_id, met FROM objectives") == [("guest", "guest.warm", 1)]
    assert [p.name for p in path.parent.iterdir()] == ["results.sqlite"]   # no journal left behind


def test_two_players_and_a_departure(mini_scenario, tmp_path: Path):
    path = tmp_path / "r.sqlite"
    record(path, mini_scenario, role="both", picks=["c-weather.cold", "c-tea.none"])
    assert rows(path, "SELECT roles, ending, ending_historical FROM sessions") == [("guest+host", "nothing", 0)]
    assert rows(path, "SELECT role, matched, total FROM role_results ORDER BY role") == [("guest", 1, 1), ("host", 0, 1)]
    assert rows(path, "SELECT choice_id, followed, auto FROM choices ORDER BY seq") == [("c-weather", 1, 0), ("c-tea", 0, 0)]


def test_an_abandoned_session_keeps_its_choices_but_no_ending(mini_scenario, tmp_path: Path):
    path = tmp_path / "r.sqlite"
    runner = play(mini_scenario, "both", ["c-weather.cold"], finish=False)
    with ResultsDB(path) as db:
        db.record_session(runner, "kiosk", START, 12, "abandoned")
        with pytest.raises(ValueError):   # only an ended session can be "finished"
            db.record_session(runner, "kiosk", START, 12, "finished")
        with pytest.raises(ValueError):
            db.record_session(runner, "phone", START, 12, "abandoned")
        assert db.counts() == {"finished": 0, "abandoned": 1}
    assert rows(path, "SELECT status, ending, ending_historical FROM sessions") == [("abandoned", None, None)]
    assert rows(path, "SELECT choice_id FROM choices") == [("c-weather",)]
    assert rows(path, "SELECT COUNT(*) FROM objectives") == [(0,)]


def test_visitors_vs_record_counts_finished_sessions_per_choice_point(mini_scenario, tmp_path: Path):
    path = tmp_path / "r.sqlite"
    record(path, mini_scenario, picks=["c-weather.cold"])
    record(path, mini_scenario, picks=["c-weather.cold"])
    record(path, mini_scenario, picks=["c-weather.rude"])
    record(path, mini_scenario, role="host", picks=["c-tea.none"])
    record(path, mini_scenario, role="guest", picks=[], status="abandoned")
    with ResultsDB(path, readonly=True) as db:
        tallies = visitors_vs_record(db, "mini", "full")
        assert visitors_vs_record(db, "other", "full") == []
        assert visitors_vs_record(db, "mini", "short") == []
    assert [t.choice_id for t in tallies] == ["c-weather", "c-tea"]     # story order
    weather, tea = tallies
    assert (weather.role, weather.faced, weather.followed, weather.historical_option_id) == ("guest", 3, 2, "c-weather.cold")
    assert weather.options == (("c-weather.cold", 2), ("c-weather.rude", 1))
    assert round(weather.share, 3) == 0.667
    assert (tea.faced, tea.followed) == (1, 0)       # the record's own answers (auto) are not counted


def test_a_locked_file_gives_a_message_and_recording_goes_on_afterwards(mini_scenario, tmp_path: Path):
    path = tmp_path / "r.sqlite"
    record(path, mini_scenario)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(ResultsError) as caught:
            ResultsDB(path, timeout=0.2)
        assert caught.value.kind == "locked" and "locked" in str(caught.value)
        recorder = ResultsFile(path, "window", timeout=0.2)
        message = record_once(recorder, play(mini_scenario, "guest", ["c-weather.cold"]))
        assert "locked" in message and "not saved" in message
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert path.is_file() and not list(tmp_path.glob("*.corrupt-*"))   # a locked file is not "damaged"
    record(path, mini_scenario)
    assert rows(path, "SELECT COUNT(*) FROM sessions") == [(2,)]


def test_random_bytes_are_set_aside_and_a_fresh_file_works(mini_scenario, tmp_path: Path):
    path = tmp_path / "r.sqlite"
    garbage = os.urandom(4096)
    path.write_bytes(garbage)
    with pytest.raises(ResultsError) as caught:
        ResultsDB(path)
    err = caught.value
    assert err.kind == "corrupt" and err.moved_to is not None and "set aside" in str(err)
    assert err.moved_to.read_bytes() == garbage and not path.exists()   # kept, never deleted
    record(path, mini_scenario)
    assert rows(path, "SELECT COUNT(*) FROM sessions") == [(1,)]


def test_a_damaged_database_fails_its_check_and_is_set_aside(mini_scenario, tmp_path: Path):
    path = tmp_path / "r.sqlite"
    for _ in range(30):
        record(path, mini_scenario)
    data = bytearray(path.read_bytes())
    assert len(data) > 4 * 4096
    data[2 * 4096:len(data)] = os.urandom(len(data) - 2 * 4096)     # header intact, pages destroyed
    path.write_bytes(bytes(data))
    with pytest.raises(ResultsError) as caught:
        ResultsDB(path)
    assert caught.value.kind == "corrupt" and caught.value.moved_to is not None
    assert ResultsDB(path).counts() == {"finished": 0, "abandoned": 0}


def test_the_recorder_starts_a_fresh_file_when_the_old_one_is_damaged(mini_scenario, tmp_path: Path):
    path = tmp_path / "r.sqlite"
    path.write_bytes(b"this is not a database, just some words typed into a file" * 20)
    recorder = ResultsFile(path, "text")
    message = record_once(recorder, play(mini_scenario, "guest", ["c-weather.cold"]), uid="u1")
    assert "set aside" in message and "not saved" not in message
    assert rows(path, "SELECT uid FROM sessions") == [("u1",)]
    assert len(list(tmp_path.glob("r.sqlite.corrupt-*"))) == 1


def test_a_recorder_checks_the_whole_file_only_when_it_shows_a_sign_of_damage(mini_scenario, tmp_path: Path,
                                                                             monkeypatch):
    path = tmp_path / "r.sqlite"
    for _ in range(30):
        record(path, mini_scenario)
    checks: list[bool] = []
    opened = ResultsDB.__init__

    def spying(self, *args, **kwargs):
        checks.append(kwargs.get("check", True))
        opened(self, *args, **kwargs)

    monkeypatch.setattr(ResultsDB, "__init__", spying)
    recorder = ResultsFile(path, "text")
    assert not results_db.needs_check(path)
    for uid in ("u1", "u2"):
        assert record_once(recorder, play(mini_scenario, "guest", ["c-weather.cold"]), uid=uid) == ""
    assert checks == [False, False]      # a healthy file: no write reads it whole
    path.with_name("r.sqlite-journal").write_bytes(b"")
    assert results_db.needs_check(path)  # a journal beside it: a write was cut off
    path.with_name("r.sqlite-journal").unlink()
    with path.open("ab") as handle:
        handle.write(b"\0" * 100)        # not whole pages
    assert results_db.needs_check(path)


def test_a_file_cut_short_is_checked_by_the_recorder_and_set_aside(mini_scenario, tmp_path: Path):
    path = tmp_path / "r.sqlite"
    for _ in range(30):
        record(path, mini_scenario)
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 4096 // 2 * 4096])    # whole pages, fewer than the header counts
    assert results_db.needs_check(path)
    message = record_once(ResultsFile(path, "text"), play(mini_scenario, "guest", ["c-weather.cold"]), uid="u1")
    assert "set aside" in message and "not saved" not in message
    assert rows(path, "SELECT uid FROM sessions") == [("u1",)]
    assert len(list(tmp_path.glob("r.sqlite.corrupt-*"))) == 1


def test_a_recorder_gives_the_records_of_just_the_sessions_asked_for(mini_scenario, tmp_path: Path):
    path = tmp_path / "r.sqlite"
    recorder = ResultsFile(path, "text")
    for uid, picks in (("u1", ["c-weather.cold"]), ("u2", ["c-weather.rude"]), ("u3", ["c-weather.cold"])):
        assert record_once(recorder, play(mini_scenario, "guest", picks), uid=uid) == ""
    assert record_once(recorder, play(mini_scenario, "guest", [], finish=False), uid="u4") == ""
    with ResultsDB(path, readonly=True) as db:
        every = {r.uid: r for r in db.sessions()}
    picked = recorder.sessions(["u3", "u1", "u4", "u1", "nobody"])
    assert sorted(r.uid for r in picked) == ["u1", "u3", "u4"]
    assert all(r == every[r.uid] for r in picked)               # each whole: choices, results, objectives
    assert [r.choices for r in picked if r.uid == "u1"] == [every["u1"].choices] and every["u1"].choices
    assert recorder.sessions([]) == []


def test_a_crash_inside_the_transaction_loses_nothing_else(mini_scenario, tmp_path: Path, monkeypatch):
    path = tmp_path / "r.sqlite"
    first, second = record(path, mini_scenario), record(path, mini_scenario, role="both",
                                                        picks=["c-weather.rude"])
    before = rows(path, "SELECT COUNT(*) FROM choices")[0][0]
    original = ResultsDB._insert_children

    def crash(self, conn, session_id, rec):
        original(self, conn, session_id, rec)     # the session and its choices are written …
        raise RuntimeError("power cut")           # … and then the lights go out

    monkeypatch.setattr(ResultsDB, "_insert_children", crash)
    with pytest.raises(RuntimeError):
        record(path, mini_scenario)
    monkeypatch.undo()
    assert sorted(rows(path, "SELECT uid FROM sessions")) == sorted([(first,), (second,)])
    assert rows(path, "SELECT COUNT(*) FROM choices")[0][0] == before
    assert rows(path, "PRAGMA quick_check") == [("ok",)]


def test_a_process_killed_mid_write_leaves_the_earlier_sessions(tmp_path: Path):
    """A real crash: the process dies inside the transaction, leaving a hot journal behind."""
    path = tmp_path / "r.sqlite"
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from datetime import UTC, datetime
        from pathlib import Path
        from game.engine.checked import load_scenario
        from game.engine.runner import ChoiceEvent, EndEvent, Runner
        from game.results.db import ResultsDB

        scenario = load_scenario(Path({str(ROOT / "tests" / "fixtures" / "mini")!r}))

        def session():
            runner = Runner(scenario, "guest")
            while not isinstance(event := runner.advance(), EndEvent):
                if isinstance(event, ChoiceEvent):
                    runner.choose_index(1)
            return runner

        with ResultsDB(Path({str(path)!r})) as db:
            for _ in range(3):
                db.record_session(session(), "kiosk", datetime.now(UTC), 5, "finished")
            def die(self, conn, session_id, record):
                conn.execute("INSERT INTO choices VALUES (?, 1, 'x', 'x', 'x', 'x', 0, 0)", (session_id,))
                os._exit(7)
            ResultsDB._insert_children = die
            db.record_session(session(), "kiosk", datetime.now(UTC), 5, "finished")
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 7, proc.stderr
    with ResultsDB(path) as db:       # the journal is rolled back on open
        assert db.counts() == {"finished": 3, "abandoned": 0}
        assert all(len(s.choices) == 2 for s in db.sessions())
    assert rows(path, "PRAGMA quick_check") == [("ok",)]
    assert rows(path, "SELECT COUNT(*) FROM sessions") == [(3,)]


def test_files_that_are_not_ours_are_left_untouched(tmp_path: Path):
    foreign = tmp_path / "other.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE pupils (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(ResultsError) as caught:
        ResultsDB(foreign)
    assert caught.value.kind == "foreign" and foreign.is_file()
    newer = tmp_path / "newer.sqlite"
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(ResultsError) as caught:
        ResultsDB(newer)
    assert caught.value.kind == "newer" and newer.is_file()
    with pytest.raises(ResultsError) as caught:
        ResultsDB(tmp_path / "missing.sqlite", readonly=True)
    assert caught.value.kind == "missing" and not (tmp_path / "missing.sqlite").exists()
    with pytest.raises(ResultsError):
        ResultsDB(tmp_path)    # a folder


def test_merge_reads_each_session_once(mini_scenario, tmp_path: Path):
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    shared = record(a, mini_scenario)
    b.write_bytes(a.read_bytes())               # the same laptop's file, copied twice
    record(a, mini_scenario, picks=["c-weather.rude"])
    record(b, mini_scenario, role="host", picks=["c-tea.tea"])
    merged = merge([a, b])
    try:
        uids = [s.uid for s in merged.db.sessions()]
        assert len(uids) == len(set(uids)) == 3 and shared in uids
        assert (merged.added, merged.duplicates) == (3, 1)
        assert [t.faced for t in visitors_vs_record(merged.db, "mini", "full")] == [2, 1]
    finally:
        merged.db.close()


def test_the_recorder_uses_the_data_folder_and_sessions_are_recorded_once(mini_scenario, tmp_path: Path,
                                                                           monkeypatch):
    from game.session.play import PlaySession

    monkeypatch.setenv("MOSCOW1956_HOME", str(tmp_path / "home"))
    now = [100.0]
    results = ResultsFile(None, "kiosk")
    assert results.db_path == tmp_path / "home" / "results.sqlite"
    visit = PlaySession(mini_scenario, "guest", results=results, clock=lambda: now[0])
    visit.begin()
    now[0] += 42
    assert visit.cut_short() == ""
    assert visit.cut_short() == "" and visit.finish() == ""   # already recorded: nothing more
    following = PlaySession(mini_scenario, "guest", results=results, clock=lambda: now[0])   # the next visitor
    following.begin()
    while not following.advance().choice:
        pass
    following.choose(following.shown.options[0])
    while not following.advance().ended:
        pass
    assert following.finish() == ""
    with ResultsDB(results.db_path) as db:
        sessions = db.sessions()
    assert sorted((s.status, s.mode, s.duration_s) for s in sessions) == [
        ("abandoned", "kiosk", 42.0), ("finished", "kiosk", 0.0)]
    assert any("1 finished, 1 cut short" in line for line in results.summary())


def test_read_only_opening_changes_nothing(mini_scenario, tmp_path: Path):
    path = tmp_path / "r.sqlite"
    record(path, mini_scenario)
    stamp = path.stat().st_mtime_ns, path.read_bytes()
    with ResultsDB(path, readonly=True) as db:
        assert len(db.sessions("finished")) == 1
        with pytest.raises(ResultsError):
            db.add([])
    assert (path.stat().st_mtime_ns, path.read_bytes()) == stamp
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    with ResultsDB(empty, readonly=True) as db:
        assert db.sessions() == [] and db.counts() == {"finished": 0, "abandoned": 0}


def test_every_kind_of_sqlite_error_is_explained_for_the_user(tmp_path: Path):
    """What a reader is told for each error SQLite may give (by its extended code), naming the file."""
    class Coded(sqlite3.OperationalError):
        def __init__(self, code: int):
            super().__init__("x")
            self.sqlite_errorcode = code

    path = tmp_path / "results.sqlite"
    ResultsDB(path).close()
    with ResultsDB(path, readonly=True) as db:     # read-only: a "damaged" file is only reported, not set aside
        said = {code: db.explain(Coded(code)) for code in (5, 261, 26, 14)}
    assert {code: error.kind for code, error in said.items()} == {
        5: "locked", 261: "locked", 26: "corrupt", 14: "unreadable"}     # 261: SQLITE_BUSY_RECOVERY
    assert all(str(path) in str(error) for error in said.values())
    assert "in use by another program" in str(said[5]) and "in use by another program" in str(said[261])
    assert "damaged" in str(said[26]) and path.is_file()


def test_results_never_import_pygame(tmp_path: Path):
    code = ("import sys; from game.results import db, recorder, report, minutes_html; db.default_path(); "
            "assert 'pygame' not in sys.modules, 'pygame imported'")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "MOSCOW1956_HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
