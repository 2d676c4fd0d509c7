"""Every session recorded exactly once: a game cut short and continued is one row, in a file and in a merge."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from game.engine.runner import ChoiceEvent, EndEvent, Runner
from game.results.db import ResultsDB, merge, session_record
from game.results.recorder import ResultsFile
from game.session.log import ChoiceLog, read_log
from game.session.play import PlaySession

START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
UID = "5e551011" * 4


def play(scenario, picks: list[str], role: str = "both") -> Runner:
    """Play the mini scenario with `picks`; stop at the next choice when they run out."""
    runner = Runner(scenario, role)
    picks = list(picks)
    while not isinstance(event := runner.advance(), EndEvent):
        if isinstance(event, ChoiceEvent):
            if not picks:
                return runner
            runner.choose_id(picks.pop(0))
    return runner


# Sessions of the mini scenario by how far they went: (status, picks).
CUT_AT_START = ("abandoned", [])
CUT_AFTER_ONE = ("abandoned", ["c-weather.cold"])
FINISHED_ONE = ("finished", ["c-weather.rude"])                 # one choice, then the host sends the guest away
FINISHED_TWO = ("finished", ["c-weather.cold", "c-tea.tea"])


def write(db: ResultsDB, scenario, kind: tuple[str, list[str]], uid: str = UID, mode: str = "window"):
    status, picks = kind
    return db.record_session(play(scenario, picks), mode, START, 30.0, status, uid=uid)


def dump(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {table: conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
                for table in ("sessions", "choices", "role_results", "objectives")}
    finally:
        conn.close()


def orphans(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return sum(conn.execute(f"SELECT COUNT(*) FROM {t} WHERE session_id NOT IN (SELECT id FROM sessions)")
                   .fetchone()[0] for t in ("choices", "role_results", "objectives"))
    finally:
        conn.close()


# (first write, second write, is the second written?, what the file ends with: status and choices)
STORE_CASES = {
    "cut short, then finished": (CUT_AFTER_ONE, FINISHED_TWO, True, ("finished", 2)),
    "cut at once, then finished": (CUT_AT_START, FINISHED_ONE, True, ("finished", 1)),
    "cut short, then cut later": (CUT_AT_START, CUT_AFTER_ONE, True, ("abandoned", 1)),
    "cut short twice at the same point": (CUT_AFTER_ONE, CUT_AFTER_ONE, False, ("abandoned", 1)),
    "cut short, then cut earlier (went back)": (CUT_AFTER_ONE, CUT_AT_START, False, ("abandoned", 1)),
    "finished, then cut short": (FINISHED_TWO, CUT_AFTER_ONE, False, ("finished", 2)),
    "finished, then finished again": (FINISHED_TWO, FINISHED_TWO, False, ("finished", 2)),
    "finished, then finished with more": (FINISHED_ONE, FINISHED_TWO, False, ("finished", 1)),
    "finished, then finished with fewer": (FINISHED_TWO, FINISHED_ONE, False, ("finished", 2)),
}


@pytest.mark.parametrize("case", list(STORE_CASES))
def test_a_session_written_twice_is_one_row(case, mini_scenario, tmp_path: Path):
    first, second, written, (status, choices) = STORE_CASES[case]
    path = tmp_path / "r.sqlite"
    with ResultsDB(path) as db:
        assert write(db, mini_scenario, first) == UID
        other = write(db, mini_scenario, FINISHED_TWO, uid="0" * 32)     # another session, never touched
        before = dump(path)
        assert write(db, mini_scenario, second) == (UID if written else None)
        assert db.counts()[status] >= 1
    after = dump(path)
    mine = [row for row in after["sessions"] if row[1] == UID]
    assert [(row[8], row[1]) for row in mine] == [(status, UID)]            # one row, with the winning status
    session_id = mine[0][0]
    assert len([c for c in after["choices"] if c[0] == session_id]) == choices
    assert len([r for r in after["role_results"] if r[0] == session_id]) == 2      # both sides played
    objectives = [o for o in after["objectives"] if o[0] == session_id]
    assert len(objectives) == (2 if status == "finished" else 0)
    assert orphans(path) == 0                                              # children replaced with their session
    if not written:
        assert after == before                                             # a no-op changes nothing at all
    kept = [row for row in after["sessions"] if row[1] == other]
    assert len(kept) == 1 and kept[0] in before["sessions"]


def test_a_replacement_is_one_transaction(mini_scenario, tmp_path: Path, monkeypatch):
    path = tmp_path / "r.sqlite"
    with ResultsDB(path) as db:
        write(db, mini_scenario, CUT_AFTER_ONE)
    before = dump(path)
    original = ResultsDB._insert_children

    def crash(self, conn, session_id, record):
        original(self, conn, session_id, record)
        raise RuntimeError("power cut")

    monkeypatch.setattr(ResultsDB, "_insert_children", crash)
    with ResultsDB(path) as db, pytest.raises(RuntimeError):
        write(db, mini_scenario, FINISHED_TWO)
    assert dump(path) == before                        # the cut-short session, whole, as it was


def to_choice_or_end(session: PlaySession) -> None:
    while True:
        shown = session.advance()
        if shown.choice is not None or shown.ended:
            return


def test_a_game_continued_from_its_autosave_ends_as_one_finished_row(mini_scenario, tmp_path: Path):
    """The session layer keeps the id in the autosave: cut short, continued another day, finished:
    one row, finished, with both runs' playing time."""
    path = tmp_path / "r.sqlite"
    log = tmp_path / "autosave.log"
    now = [0.0]
    first = PlaySession(mini_scenario, "both", log=ChoiceLog(log), results=ResultsFile(path, "window"),
                        clock=lambda: now[0])
    first.begin()
    to_choice_or_end(first)
    first.choose(next(o for o in first.shown.options if o.id == "c-weather.cold"))
    now[0] = 40.0
    assert first.cut_short() == "" and first.results.written
    # Another day, another process: the autosave gives back the uid, the start and the time played.
    now[0] = 5000.0
    later = PlaySession.resume(mini_scenario, read_log(log), ChoiceLog(log), ResultsFile(path, "window"),
                               clock=lambda: now[0])
    later.begin(fresh_log=False)
    assert later.uid == first.uid and later.started_at == first.started_at
    to_choice_or_end(later)
    later.choose(next(o for o in later.shown.options if o.id == "c-tea.tea"))
    to_choice_or_end(later)
    now[0] = 5060.0                                   # 60 more seconds of play
    assert later.finish() == "" and later.results.written
    with ResultsDB(path, readonly=True) as db:
        sessions = db.sessions()
    assert [(s.uid, s.status, len(s.choices), s.duration_s) for s in sessions] == [(first.uid, "finished", 2, 100.0)]
    assert not log.exists()                           # finished: nothing left to continue
    # Finished is final: the same session recorded again (a replay after a crash) writes nothing.
    again = ResultsFile(path, "window")
    assert again.write(later.runner, "abandoned", uid=first.uid, started_at=datetime.now(UTC), duration_s=1) == ""
    assert not again.written
    with ResultsDB(path, readonly=True) as db:
        assert [(s.status, len(s.choices)) for s in db.sessions()] == [("finished", 2)]


def test_each_new_session_gets_its_own_uid(mini_scenario, tmp_path: Path):
    results = ResultsFile(tmp_path / "r.sqlite", "kiosk")
    uids = []
    for _ in range(3):                               # three visitors, each walking away
        visit = PlaySession(mini_scenario, "guest", results=results)
        visit.begin()
        to_choice_or_end(visit)
        uids.append(visit.uid)
        visit.cut_short()
    assert len(set(uids)) == 3
    with ResultsDB(tmp_path / "r.sqlite", readonly=True) as db:
        assert sorted(s.uid for s in db.sessions()) == sorted(uids)


def record(scenario, kind: tuple[str, list[str]], **changes):
    status, picks = kind
    return dataclasses.replace(session_record(play(scenario, picks), "text", START, 5.0, status, uid=UID), **changes)


# (the session's record in file A, in file B, the one the merge keeps: status and choices)
MERGE_CASES = {
    "cut short in A, finished in B": (CUT_AFTER_ONE, FINISHED_TWO, ("finished", 2)),
    "finished in A, cut short in B": (FINISHED_ONE, CUT_AFTER_ONE, ("finished", 1)),
    "finished with fewer choices beats cut short with more": (CUT_AFTER_ONE, FINISHED_ONE, ("finished", 1)),
    "both cut short, B further": (CUT_AT_START, CUT_AFTER_ONE, ("abandoned", 1)),
    "both cut short, A further": (CUT_AFTER_ONE, CUT_AT_START, ("abandoned", 1)),
    "both finished, B with more choices": (FINISHED_ONE, FINISHED_TWO, ("finished", 2)),
    "both finished, A with more choices": (FINISHED_TWO, FINISHED_ONE, ("finished", 2)),
    "the same in both": (FINISHED_TWO, FINISHED_TWO, ("finished", 2)),
}


@pytest.mark.parametrize("case", list(MERGE_CASES))
@pytest.mark.parametrize("order", ["A then B", "B then A"])
def test_merging_keeps_one_session_per_uid(case, order, mini_scenario, tmp_path: Path):
    in_a, in_b, (status, choices) = MERGE_CASES[case]
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    with ResultsDB(a) as db:
        db.add([record(mini_scenario, in_a), record(mini_scenario, FINISHED_TWO, uid="a" * 32)])
    with ResultsDB(b) as db:
        db.add([record(mini_scenario, in_b), record(mini_scenario, CUT_AT_START, uid="b" * 32)])
    merged = merge([a, b] if order == "A then B" else [b, a])
    try:
        sessions = {s.uid: s for s in merged.db.sessions()}
        assert (merged.added, merged.duplicates) == (3, 1)
        assert sorted(sessions) == sorted([UID, "a" * 32, "b" * 32])
        assert (sessions[UID].status, len(sessions[UID].choices)) == (status, choices)
        assert merged.db.counts() == {"finished": 1 + (status == "finished"), "abandoned": 1 + (status == "abandoned")}
    finally:
        merged.db.close()
