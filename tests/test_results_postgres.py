"""Results on PostgreSQL: the same sessions give what the SQLite results file gives, by the same rules.

Every test writes to a throw-away PostgreSQL cluster of the tests' own (pg_support.py), each in
its own schema; the comparisons write the very same sessions to an SQLite results file too.
"""

from __future__ import annotations

import dataclasses
import random
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
import pytest

from game.engine.runner import ChoiceEvent, EndEvent, Runner
from game.results import postgres as results_postgres
from game.results.db import MODES, ObjectiveRecord, ResultsDB, ResultsError, visitors_vs_record
from game.results.postgres import PostgresResults
from game.results.recorder import ResultsFile

if TYPE_CHECKING:
    from .pg_support import Cluster

pytest_plugins = ["tests.pg_support"]

START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def play(scenario, role: str, path: str, seed: int, stop_after: int | None = None) -> Runner:
    """A random session; cut short after `stop_after` of the player's choices (None: to the end)."""
    rng = random.Random(seed)
    runner = Runner(scenario, role, path)
    made = 0
    while not isinstance(event := runner.advance(), EndEvent):
        if isinstance(event, ChoiceEvent):
            if stop_after is not None and made >= stop_after:
                return runner
            runner.choose(rng.choice(event.options))
            made += 1
    return runner


def write(writer, runner: Runner, uid: str, n: int = 0) -> str:
    status = "finished" if runner.ended else "abandoned"
    return writer.write(runner, status, uid=uid, started_at=START + timedelta(minutes=n), duration_s=30.0 + n)


@pytest.fixture
def schema() -> str:
    return "r_" + uuid.uuid4().hex[:12]


@pytest.fixture
def pg(postgres_cluster: Cluster, schema: str):
    """A PostgresResults for the web edition, and the means to open more (other modes, other servers)."""
    opened: list[PostgresResults] = []

    def open_results(mode: str = "web", **options) -> PostgresResults:
        results = PostgresResults(postgres_cluster.url(), mode, schema=schema, **options)
        opened.append(results)
        return results

    yield open_results
    for results in opened:
        results.close()


def stored(url: str, schema: str) -> dict[str, list[tuple]]:
    """What the PostgreSQL tables hold, session by session (by uid), in the SQLite reader's terms."""
    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('search_path', %s, false)", (schema,))
        sessions = conn.execute("SELECT uid, scenario, mode, roles, path, started_at, duration_s, status, ending, "
                                "ending_historical, app_version, autoplay FROM sessions ORDER BY uid").fetchall()
        choices = conn.execute("SELECT s.uid, c.seq, c.role, c.choice_id, c.option_id, c.historical_option_id, "
                               "c.followed, c.auto FROM choices c JOIN sessions s ON s.id = c.session_id "
                               "ORDER BY s.uid, c.seq").fetchall()
        roles = conn.execute("SELECT s.uid, r.role, r.matched, r.total FROM role_results r "
                             "JOIN sessions s ON s.id = r.session_id ORDER BY s.uid, r.role").fetchall()
        objectives = conn.execute("SELECT s.uid, o.role, o.objective_id, o.met FROM objectives o "
                                  "JOIN sessions s ON s.id = o.session_id ORDER BY s.uid, o.objective_id").fetchall()
    return {"sessions": sessions, "choices": choices, "roles": roles, "objectives": objectives}


def stored_sqlite(path: Path) -> dict[str, list[tuple]]:
    """The same, from an SQLite results file, through its reader."""
    with ResultsDB(path, readonly=True) as db:
        records = sorted(db.sessions(), key=lambda r: r.uid)
    return {
        "sessions": [(r.uid, r.scenario, r.mode, r.roles, r.path, r.started_at, r.duration_s, r.status, r.ending,
                      r.ending_historical, r.app_version, r.autoplay) for r in records],
        "choices": [(r.uid, c.seq, c.role, c.choice_id, c.option_id, c.historical_option_id, c.followed, c.auto)
                    for r in records for c in r.choices],
        "roles": sorted((r.uid, x.role, x.matched, x.total) for r in records for x in r.role_results),
        "objectives": sorted((r.uid, o.role, o.objective_id, o.met) for r in records for o in r.objectives),
    }


def many_sessions(shipped) -> list[tuple[str, Runner, str]]:
    """(mode, session, uid): every role and path, finished and cut short, some uids written twice."""
    out = []
    for n in range(36):
        role = ("shah", "soviet", "both")[n % 3]
        path = ("full", "class", "short")[(n // 3) % 3]
        cut = n % 4 == 3
        runner = play(shipped, role, path, seed=n, stop_after=1 + n % 5 if cut else None)
        out.append((MODES[n % len(MODES)], runner, f"uid-{n:02d}"))
    for n in (3, 7, 11):   # cut short, then the same session continued and finished
        out.append((MODES[n % len(MODES)], play(shipped, "shah", "full", seed=100 + n), f"uid-{n:02d}"))
    for n in (0, 1):       # finished, then a cut-short copy of the same uid: the finished row stays
        out.append(("web", play(shipped, "soviet", "short", seed=200 + n, stop_after=1), f"uid-{n:02d}"))
    return out


def test_the_same_sessions_give_the_same_rows_counts_and_tallies(shipped, pg, schema, postgres_cluster, tmp_path):
    sqlite_path = tmp_path / "results.sqlite"
    files = {mode: ResultsFile(sqlite_path, mode) for mode in MODES}
    databases = {mode: pg(mode) for mode in MODES}
    for n, (mode, runner, uid) in enumerate(many_sessions(shipped)):
        assert write(files[mode], runner, uid, n) == ""
        assert write(databases[mode], runner, uid, n) == ""
        assert databases[mode].written == files[mode].written

    assert stored(postgres_cluster.url(), schema) == stored_sqlite(sqlite_path)
    reader = databases["web"]
    with ResultsDB(sqlite_path, readonly=True) as db:
        assert reader.counts() == db.counts()
        assert sum(reader.counts().values()) == 36
        for path in (None, *shipped.paths):
            tallies = reader.tallies(shipped.id, path)
            assert tallies == visitors_vs_record(db, shipped.id, path), path
            assert tallies and any(len(t.options) > 1 for t in tallies)
        assert reader.tallies("no-such-scenario") == visitors_vs_record(db, "no-such-scenario") == []
    some = ["uid-03", "uid-00", "uid-20", "no-such-uid"]   # continued, finished twice, plain, missing
    picked = reader.sessions(some)
    assert picked == files["web"].sessions(some)
    assert sorted(r.uid for r in picked) == ["uid-00", "uid-03", "uid-20"]
    assert reader.sessions([]) == []


def test_summary_says_where_and_how_many_and_never_the_password(shipped, pg, postgres_cluster, schema):
    url = postgres_cluster.url().replace("postgres@", "postgres:s3cret-word@")
    results = PostgresResults(url, "kiosk", schema=schema)
    try:
        assert write(results, play(shipped, "shah", "short", seed=1), "a") == ""
        assert write(results, play(shipped, "shah", "short", seed=2, stop_after=1), "b") == ""
        lines = results.summary()
        assert lines[1] == "Sessions recorded: 1 finished, 1 cut short"
        assert lines[0].startswith("Results database: postgresql://postgres@")
        assert all("s3cret" not in line for line in lines)
        assert write(results, play(shipped, "shah", "short", seed=3), "c") == ""
        assert results.summary()[1] == "Sessions recorded: 2 finished, 1 cut short"   # its own write: counted again
    finally:
        results.close()


def stored_one(results: PostgresResults, uid: str) -> tuple[str, int, int]:
    """(status, choices, objectives) of the one row of `uid` (and there is exactly one)."""
    rows = results._query("SELECT s.status, (SELECT count(*) FROM choices WHERE session_id = s.id), "
                          "(SELECT count(*) FROM objectives WHERE session_id = s.id) FROM sessions s WHERE uid = %s",
                          (uid,))
    assert len(rows) == 1
    return rows[0]


CASES = {
    # name: the sessions written under one uid, in order (choices made before the cut; None: finished)
    "cut short, then finished": ((2, None), "finished", True),
    "finished, then cut short": ((None, 2), "finished", False),
    "finished twice": ((None, None), "finished", False),
    "cut short, then longer": ((1, 3), "abandoned", True),
    "cut short, then shorter": ((3, 1), "abandoned", False),
    "cut short twice the same": ((2, 2), "abandoned", False),
}


@pytest.mark.parametrize("case", CASES)
def test_one_row_a_uid_by_the_results_file_s_rules(case, shipped, pg, tmp_path):
    """Whatever the order of writes under one uid, PostgreSQL keeps the row the SQLite file keeps."""
    (first, second), status, replaced = CASES[case]
    results = pg("window")
    file = ResultsFile(tmp_path / "r.sqlite", "window")
    for n, stop in enumerate((first, second)):
        runner = play(shipped, "both", "full", seed=n, stop_after=stop)
        assert write(results, runner, "one-uid", n) == write(file, runner, "one-uid", n) == ""
        assert results.written == file.written == (n == 0 or replaced)
    got = stored_one(results, "one-uid")
    assert got[0] == status
    with ResultsDB(tmp_path / "r.sqlite", readonly=True) as db:
        [record] = db.sessions()
    assert got == (record.status, len(record.choices), len(record.objectives))
    assert (got[2] > 0) == (status == "finished")   # objectives only for a finished session


def test_a_replacement_that_fails_half_way_leaves_the_old_row_whole(shipped, pg, monkeypatch):
    results = pg()
    assert write(results, play(shipped, "both", "full", seed=1, stop_after=2), "u") == ""
    before = stored_one(results, "u")
    real = results_postgres.session_record

    def bad_objective(*args, **kwargs):
        record = real(*args, **kwargs)   # a good record, with one objective the database refuses (id too long)
        return dataclasses.replace(record, objectives=(*record.objectives, ObjectiveRecord("shah", "x" * 500, True)))

    monkeypatch.setattr(results_postgres, "session_record", bad_objective)
    message = write(results, play(shipped, "both", "full", seed=1), "u")
    assert "not saved" in message and not results.written
    assert stored_one(results, "u") == before
    monkeypatch.setattr(results_postgres, "session_record", real)
    assert write(results, play(shipped, "both", "full", seed=1), "u") == ""   # the same session, now whole
    assert stored_one(results, "u")[0] == "finished"


def test_a_database_that_is_down_gives_a_message_not_an_exception(shipped, tmp_path):
    url = f"postgresql://kiosk:pw@/museum?host={tmp_path}&port=5432"   # a folder where no server listens
    results = PostgresResults(url, "kiosk", timeout=2)
    began = time.monotonic()
    message = write(results, play(shipped, "shah", "short", seed=1), "u")
    assert "cannot be used now" in message and "not saved" in message and "pw" not in message
    assert not results.written
    lines = results.summary()
    assert lines[1].startswith("Results unavailable:") and lines[-1] == f"Last problem: {message}"
    assert results.summary() == lines                    # not asked again at once: the kiosk's frames go on
    with pytest.raises(ResultsError):
        results.counts()
    assert time.monotonic() - began < 10
    results.close()


def test_a_lost_connection_is_made_again_and_loses_no_session(shipped, pg, postgres_cluster):
    results = pg("kiosk")
    assert write(results, play(shipped, "shah", "short", seed=1), "first") == ""
    assert postgres_cluster.terminate(postgres_cluster.url(), "moscow1956-results") >= 1   # a server restart
    assert write(results, play(shipped, "shah", "short", seed=2), "second") == ""
    assert results.counts()["finished"] == 2


def race(writers: list[PostgresResults], runners: tuple[Runner, Runner], uid: str) -> list[str]:
    """Each writer writes its session under `uid`, both at the same moment; their messages."""
    start = threading.Barrier(2)
    messages: list[str] = []

    def run(writer: PostgresResults, runner: Runner) -> None:
        start.wait()
        messages.append(write(writer, runner, uid))

    threads = [threading.Thread(target=run, args=args) for args in zip(writers, runners, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return messages


def test_two_servers_writing_one_session_at_once_leave_one_row(shipped, pg):
    finished = play(shipped, "both", "full", seed=5)
    cut = play(shipped, "both", "full", seed=5, stop_after=1)
    for n in range(8):
        writers = [pg(), pg()]
        assert race(writers, (finished, cut), f"same-{n}") == ["", ""]
        assert stored_one(writers[0], f"same-{n}")[0] == "finished"   # whichever came first, the fuller one stays


def test_every_mode_is_accepted_and_no_other(shipped, pg):
    for mode in ("kiosk", "web", "window", "text"):
        assert write(pg(mode), play(shipped, "shah", "short", seed=1), f"m-{mode}") == ""
    assert sorted(r[0] for r in pg()._query("SELECT mode FROM sessions")) == ["kiosk", "text", "web", "window"]
    with pytest.raises(ValueError):
        PostgresResults("postgresql://x@/y", "arcade")
