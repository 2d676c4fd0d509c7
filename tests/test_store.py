"""One suite for every Store: the same behaviour from the SQLite file and from PostgreSQL.

Each test runs on both (`backend`), so a page written against one store works on the other.
PostgreSQL runs in a throw-away cluster of the tests' own (pg_support.py); each test gets its own
schema in it. Tests that only PostgreSQL can pass (other processes hearing a publish) say so.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
import pytest
from psycopg_pool import PoolTimeout

from game.store.base import ClassRow, Conflict, PairRow, Store, player_key
from game.store.postgres import PostgresStore
from game.store.sqlite import MAX_LOG, SQLiteStore

if TYPE_CHECKING:
    from .pg_support import Cluster

pytest_plugins = ["tests.pg_support"]

ROOT = Path(__file__).resolve().parent.parent
HEARD_WITHIN_S = 1.0


@dataclass
class Backend:
    """How to open (again) one store, here and in a child process."""

    name: str
    spec: dict[str, str]
    opened: list[Store] = field(default_factory=list)

    def open(self) -> Store:
        store = open_store(self.spec)
        self.opened.append(store)
        return store

    def close_all(self) -> None:
        for store in self.opened:
            store.close()


def open_store(spec: dict[str, str]) -> Store:
    """A store from its description (also what a child process runs: see CHILD)."""
    if spec["kind"] == "sqlite":
        return SQLiteStore(spec["path"])
    return PostgresStore(spec["url"], schema=spec["schema"], min_size=1, max_size=4)


# A child process: opens the store described by argv[1], then runs argv[2] (a function of this text).
CHILD = textwrap.dedent("""
    import json, sys, time
    from game.store.postgres import PostgresStore
    from game.store.sqlite import SQLiteStore
    from game.store.base import ClassRow, PairRow

    spec = json.loads(sys.argv[1])
    if spec["kind"] == "sqlite":
        store = SQLiteStore(spec["path"])
    else:
        store = PostgresStore(spec["url"], schema=spec["schema"], min_size=1, max_size=2)

    def write_then_wait():
        store.create("k-child", "csrf-child")
        store.create_class(ClassRow("c-child", "Child", "CHLD", "t-child", "full", 1.0, 2.0))
        store.join("k-child", "c-child", "Kid")
        store.create_pair(PairRow("p-child", "c-child", {"shah": "k-child", "soviet": None}))
        assert store.update_pair("p-child", 0, log="decided\\n", ended=True)
        print("committed", flush=True)
        time.sleep(60)              # killed long before this ends

    def listen_then_report():
        heard = []
        store.listen(lambda class_id, what: heard.append([class_id, what]))
        print("ready", flush=True)
        deadline = time.monotonic() + 20
        while not heard and time.monotonic() < deadline:
            time.sleep(0.01)
        print(json.dumps(heard), flush=True)
        store.close()

    globals()[sys.argv[2]]()
""")


def child(backend: Backend, job: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD, json.dumps(backend.spec), job], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def read_line(proc: subprocess.Popen, timeout: float = 30) -> str:
    """The child's next line, or a failure that shows its errors (never a test that hangs)."""
    assert proc.stdout is not None
    result: list[str] = []
    reader = threading.Thread(target=lambda: result.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    if not result or not result[0]:
        proc.kill()
        raise AssertionError(f"the child said nothing in {timeout} s: {proc.communicate()[1]}")
    return result[0].strip()


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "sqlite":
        made = Backend("sqlite", {"kind": "sqlite", "path": str(tmp_path / "store.sqlite")})
    else:
        cluster: Cluster = request.getfixturevalue("postgres_cluster")
        made = Backend("postgres", {"kind": "postgres", "url": cluster.url(), "schema": "t_" + uuid.uuid4().hex[:12]})
    yield made
    made.close_all()


@pytest.fixture
def store(backend: Backend) -> Store:
    return backend.open()


@pytest.fixture
def pg_backend(postgres_cluster: Cluster) -> Iterator[Backend]:
    """PostgreSQL alone: for what an SQLite store, owned by one process, never does (notices across processes)."""
    made = Backend("postgres", {"kind": "postgres", "url": postgres_cluster.url(), "schema": "t_" + uuid.uuid4().hex[:12]})
    yield made
    made.close_all()


def a_class(n: int = 1, **changes: object) -> ClassRow:
    row = ClassRow(f"class-{n}", f"Class {n}", f"CODE{n}", f"token-hash-{n}", "full", 1000.0 + n, 5000.0 + n)
    for name, value in changes.items():
        setattr(row, name, value)
    return row


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.005)
    return condition()


# --- players -----------------------------------------------------------------------------------

def test_a_new_player_is_found_by_its_key_and_starts_empty(store: Store):
    key = player_key("cookie-1")
    made = store.create(key, "csrf-1")
    found = store.get(key)
    assert found == made
    assert (found.prefs, found.log, found.ended, found.class_id, found.name, found.seat, found.pair_id) == (
        "{}", None, False, None, "", None, None)
    assert store.get(player_key("cookie-2")) is None


def test_a_player_key_is_taken_once(store: Store):
    store.create("k1", "csrf-a")
    with pytest.raises(Conflict):
        store.create("k1", "csrf-b")
    assert store.get("k1").csrf == "csrf-a"


def test_a_log_is_started_appended_ended_and_started_again(store: Store):
    store.create("k1", "c")
    store.append_log("k1", "lost\n")                 # no game yet: nothing to append to
    assert store.get("k1").log is None
    store.start_log("k1", "header\n")
    store.append_log("k1", "one\n")
    store.append_log("k1", "two\n")
    store.end_log("k1")
    player = store.get("k1")
    assert (player.log, player.ended) == ("header\none\ntwo\n", True)
    store.start_log("k1", "again\n")
    assert (store.get("k1").log, store.get("k1").ended) == ("again\n", False)


def test_a_log_stops_growing_at_its_limit(store: Store):
    store.create("k1", "c")
    store.start_log("k1", "x" * (MAX_LOG - 1))
    store.append_log("k1", "y" * 10)       # still under the limit before this line: written
    store.append_log("k1", "z")            # over it now: dropped
    assert store.get("k1").log == "x" * (MAX_LOG - 1) + "y" * 10


def test_prefs_and_values_with_quotes_are_kept_as_given(store: Store):
    store.create("k1", "c")
    prefs = json.dumps({"size": "large", "note": "it's; DROP TABLE players; --"})
    store.set_prefs("k1", prefs)
    store.join("k1", "class-1", "O'Brien \"Bobby\" ; --")
    assert store.get("k1").prefs == prefs
    assert store.get("k1").name == "O'Brien \"Bobby\" ; --"


def test_joining_a_class_clears_the_seat_pair_and_game(store: Store):
    store.create("k1", "c")
    store.start_log("k1", "old game\n")
    store.end_log("k1")
    store.set_seat("k1", "shah", "pair-1")
    assert (store.get("k1").seat, store.get("k1").pair_id) == ("shah", "pair-1")
    store.join("k1", "class-1", "Ana")
    player = store.get("k1")
    assert (player.class_id, player.name, player.seat, player.pair_id, player.log, player.ended) == (
        "class-1", "Ana", None, None, None, False)
    store.set_seat("k1", "soviet", None)
    assert (store.get("k1").seat, store.get("k1").pair_id) == ("soviet", None)


def test_class_players_come_in_the_order_they_joined_not_the_order_they_arrived(store: Store):
    for key in ("early", "middle", "late", "elsewhere", "never"):
        store.create(key, "c")
    store.join("late", "class-1", "Lea")
    store.join("elsewhere", "class-2", "Eli")
    store.join("early", "class-1", "Eve")
    store.join("middle", "class-1", "Max")
    assert [p.key for p in store.class_players("class-1")] == ["late", "early", "middle"]
    assert [p.name for p in store.class_players("class-2")] == ["Eli"]
    assert store.class_players("class-3") == []


def test_forgotten_players_are_the_ones_not_seen_lately(store: Store):
    store.create("old", "c")
    time.sleep(0.05)
    store.create("new", "c")
    assert store.forget_older_than(0.03) == 1
    assert (store.get("old"), store.get("new").key) == (None, "new")


# --- classes -----------------------------------------------------------------------------------

def test_a_class_is_found_by_id_code_and_token(store: Store):
    row = a_class(1, paused=True, assign="pairs")
    store.create_class(row)
    store.create_class(a_class(2))
    assert store.get_class("class-1") == row
    assert store.class_by_code("CODE1") == row
    assert store.class_by_token("token-hash-1") == row
    assert store.class_by_code("CODE2").id == "class-2"
    assert (store.get_class("nope"), store.class_by_code("code1"), store.class_by_token("token-hash-3")) == (
        None, None, None)


@pytest.mark.parametrize("taken", ["id", "code", "token_hash"])
def test_a_class_id_code_or_token_is_taken_once(store: Store, taken: str):
    store.create_class(a_class(1))
    second = a_class(2, **{taken: getattr(a_class(1), taken)})
    with pytest.raises(Conflict):
        store.create_class(second)
    assert store.get_class("class-2") is None
    assert store.get_class("class-1") == a_class(1)


def test_a_class_update_changes_what_it_names_and_nothing_else(store: Store):
    store.create_class(a_class(1))
    store.create_class(a_class(2))
    store.update_class("class-1", paused=True, hold_debrief=True, assign="random", expires=9999.5, name="Room 4",
                       code="HACKED", token_hash="stolen")      # the code and token are not for changing
    changed = store.get_class("class-1")
    assert (changed.paused, changed.hold_debrief, changed.ended, changed.assign, changed.expires, changed.name) == (
        True, True, False, "random", 9999.5, "Room 4")
    assert (changed.code, changed.token_hash) == ("CODE1", "token-hash-1")
    store.update_class("class-1", paused=False, ended=True)
    assert (store.get_class("class-1").paused, store.get_class("class-1").ended) == (False, True)
    store.update_class("class-1")          # nothing to change
    assert store.get_class("class-2") == a_class(2)


# --- pairs -------------------------------------------------------------------------------------

def test_a_pair_comes_back_as_it_was_made(store: Store):
    row = PairRow("pair-1", "class-1", {"shah": "k1", "soviet": None}, ("soviet",), "line\n", 0, False)
    store.create_pair(row)
    assert store.get_pair("pair-1") == row
    assert store.get_pair("pair-2") is None
    with pytest.raises(Conflict):
        store.create_pair(PairRow("pair-1", "class-2"))


def test_a_pair_is_written_only_by_one_who_saw_the_latest_version(store: Store):
    store.create_pair(PairRow("pair-1", "class-1", {"shah": None, "soviet": None}))
    assert store.update_pair("pair-1", 0, seats={"shah": "k1", "soviet": None}, nonsense="ignored")
    assert not store.update_pair("pair-1", 0, seats={"shah": "k2", "soviet": None})   # stale: someone wrote
    assert store.update_pair("pair-1", 1, record=["soviet"], log="a\n", ended=True)
    assert not store.update_pair("pair-2", 0, log="no such pair")
    pair = store.get_pair("pair-1")
    assert (pair.seats, pair.record, pair.log, pair.version, pair.ended) == (
        {"shah": "k1", "soviet": None}, ("soviet",), "a\n", 2, True)


def test_of_two_writers_with_the_same_version_exactly_one_wins(backend: Backend):
    """Each round, two writers (two store objects: two processes' worth) race on one version."""
    first, second = backend.open(), backend.open()
    rounds = 15
    for n in range(rounds):
        first.create_pair(PairRow(f"pair-{n}", "class-1", {"shah": None}))
    wins: list[tuple[int, str]] = []
    start = threading.Barrier(2)

    def writer(store: Store, who: str) -> None:
        for n in range(rounds):
            start.wait()
            if store.update_pair(f"pair-{n}", 0, seats={"shah": who}, log=f"{who}\n"):
                wins.append((n, who))

    threads = [threading.Thread(target=writer, args=(s, w)) for s, w in ((first, "a"), (second, "b"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(n for n, _ in wins) == list(range(rounds))      # one winner a round, never two, never none
    for n, who in wins:
        pair = first.get_pair(f"pair-{n}")
        assert (pair.seats, pair.log, pair.version) == ({"shah": who}, f"{who}\n", 1)   # the winner's write, whole


def test_class_pairs_are_the_class_s_in_the_order_made(store: Store):
    for n, class_id in ((3, "class-1"), (1, "class-2"), (2, "class-1")):
        store.create_pair(PairRow(f"pair-{n}", class_id))
    assert [p.id for p in store.class_pairs("class-1")] == ["pair-3", "pair-2"]
    assert [p.id for p in store.class_pairs("class-2")] == ["pair-1"]
    assert store.class_pairs("class-9") == []


# --- durability --------------------------------------------------------------------------------

def test_a_write_is_there_for_a_new_store_even_if_the_old_one_was_never_closed(backend: Backend):
    first = open_store(backend.spec)
    first.create("k1", "c")
    first.create_class(a_class(1))
    first.join("k1", "class-1", "Ana")
    first.create_pair(PairRow("pair-1", "class-1"))
    assert first.update_pair("pair-1", 0, log="x\n")
    # `first` is dropped, not closed (a server that dies leaves its connections as they are)
    second = backend.open()
    assert second.get("k1").class_id == "class-1"
    assert second.class_by_code("CODE1") == a_class(1)
    assert second.get_pair("pair-1").version == 1
    first.close()    # only now, so that the test leaves no connection behind


def test_a_write_reported_committed_survives_the_process_killed_at_once(backend: Backend):
    proc = child(backend, "write_then_wait")
    try:
        assert read_line(proc) == "committed"
        proc.send_signal(signal.SIGKILL)      # the moment it said so: no close, no cleanup
        proc.wait(10)
    finally:
        proc.kill()
        proc.communicate()
    store = backend.open()
    player = store.get("k-child")
    assert (player.csrf, player.class_id, player.name) == ("csrf-child", "c-child", "Kid")
    assert store.class_by_token("t-child").code == "CHLD"
    pair = store.get_pair("p-child")
    assert (pair.seats, pair.log, pair.ended, pair.version) == ({"shah": "k-child", "soviet": None}, "decided\n",
                                                                True, 1)


# --- live updates ------------------------------------------------------------------------------

def test_a_listener_hears_its_own_process_s_notices(store: Store):
    heard: list[tuple[str, str]] = []
    also: list[tuple[str, str]] = []
    store.listen(lambda c, w: heard.append((c, w)))
    store.listen(lambda c, w: also.append((c, w)))
    store.publish("class-1", "players")
    store.publish("class-2", "pairs")
    assert wait_for(lambda: len(heard) == 2 and len(also) == 2, HEARD_WITHIN_S)
    assert heard == also == [("class-1", "players"), ("class-2", "pairs")]


def test_a_broken_listener_does_not_deafen_the_others(pg_backend: Backend):
    """(The SQLite store calls its listeners in the publisher's thread: a failure there is the caller's.)"""
    store = pg_backend.open()
    heard: list[str] = []

    def broken(class_id: str, what: str) -> None:
        raise RuntimeError("a bug in one dashboard")

    store.listen(broken)
    store.listen(lambda c, w: heard.append(w))
    store.publish("class-1", "one")
    store.publish("class-1", "two")
    assert wait_for(lambda: heard == ["one", "two"], HEARD_WITHIN_S)


def test_a_second_store_hears_the_first_one_s_publish_within_a_second(pg_backend: Backend):
    speaker, hearer = pg_backend.open(), pg_backend.open()
    heard: list[tuple[str, str, float]] = []
    hearer.listen(lambda c, w: heard.append((c, w, time.monotonic())))
    sent = time.monotonic()
    speaker.publish("class-1", "seats")
    assert wait_for(lambda: bool(heard), HEARD_WITHIN_S), "not heard within a second"
    assert heard[0][:2] == ("class-1", "seats")
    assert heard[0][2] - sent < HEARD_WITHIN_S


def test_another_process_hears_a_publish(pg_backend: Backend):
    proc = child(pg_backend, "listen_then_report")
    try:
        assert read_line(proc) == "ready"
        pg_backend.open().publish("class-7", "ended")
        assert json.loads(read_line(proc)) == [["class-7", "ended"]]
        assert proc.wait(30) == 0
    finally:
        proc.kill()
        proc.communicate()


def test_stores_in_other_schemas_hear_nothing(pg_backend: Backend):
    other = Backend("postgres", {**pg_backend.spec, "schema": pg_backend.spec["schema"] + "_other"})
    try:
        mine: list[str] = []
        theirs: list[str] = []
        pg_backend.open().listen(lambda c, w: mine.append(w))
        other.open().listen(lambda c, w: theirs.append(w))
        pg_backend.open().publish("class-1", "mine")
        assert wait_for(lambda: mine == ["mine"], HEARD_WITHIN_S)
        time.sleep(0.2)
        assert theirs == []
    finally:
        other.close_all()


def test_the_listener_comes_back_after_its_connection_is_cut(pg_backend: Backend, postgres_cluster: Cluster):
    store = pg_backend.open()
    heard: list[str] = []
    store.listen(lambda c, w: heard.append(w))
    store.publish("class-1", "before")
    assert wait_for(lambda: heard == ["before"], HEARD_WITHIN_S)
    assert postgres_cluster.terminate(pg_backend.spec["url"], f"moscow1956-listen-{store.schema}") == 1
    # the listener notices, reconnects and LISTENs again; notices sent from then on are heard
    assert wait_for(lambda: postgres_cluster_listening(pg_backend), 10)
    store.publish("class-1", "after")
    assert wait_for(lambda: heard[-1:] == ["after"], HEARD_WITHIN_S + 1)


def postgres_cluster_listening(backend: Backend) -> bool:
    """Whether a listener connection of the backend's schema is in place on the server."""
    with psycopg.connect(backend.spec["url"], autocommit=True) as conn:
        channels = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
                                "AND query LIKE 'LISTEN%%'", (f"moscow1956-listen-{backend.spec['schema']}",))
        return channels.fetchone()[0] == 1


def test_a_notice_is_heard_whole_up_to_the_limit_and_refused_beyond_it(pg_backend: Backend):
    store = pg_backend.open()
    heard: list[str] = []
    store.listen(lambda c, w: heard.append(w))
    long = "é" * 3900                      # 7,800 bytes: two bytes a letter
    store.publish("class-1", long)
    assert wait_for(lambda: heard == [long], HEARD_WITHIN_S)
    with pytest.raises(ValueError):
        store.publish("class-1", "x" * 8000)


# --- PostgreSQL's own --------------------------------------------------------------------------

def test_several_stores_starting_at_once_may_all_create_the_tables(pg_backend: Backend):
    """As several server processes started together do: CREATE ... IF NOT EXISTS alone can race."""
    made: list[Store] = []
    failures: list[BaseException] = []
    start = threading.Barrier(4)

    def opener() -> None:
        start.wait()
        try:
            made.append(pg_backend.open())
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == [] and len(made) == 4
    made[0].create("k1", "c")
    assert made[3].get("k1").csrf == "c"


def test_the_default_schema_holds_the_tables(postgres_cluster: Cluster):
    url = postgres_cluster.new_database()
    store = PostgresStore(url, min_size=1, max_size=2)
    try:
        store.create("k1", "c")
        with psycopg.connect(url) as conn:
            tables = conn.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
                                  "ORDER BY table_name", ("moscow1956",)).fetchall()
            public = conn.execute("SELECT count(*) FROM information_schema.tables "
                                  "WHERE table_schema = 'public'").fetchone()[0]
        assert tables == [("classes",), ("pairs",), ("players",)]
        assert public == 0
    finally:
        store.close()


def test_a_bad_schema_name_is_refused_before_anything_is_sent(postgres_cluster: Cluster):
    for name in ('x"; DROP SCHEMA public; --', "Upper", "pg_catalog", "1st", ""):
        with pytest.raises(ValueError):
            PostgresStore(postgres_cluster.url(), schema=name)


def test_a_server_that_cannot_be_reached_fails_the_start_quickly(tmp_path: Path):
    url = f"postgresql://nobody@/none?host={tmp_path}&port=5432"   # a folder where no server listens
    began = time.monotonic()
    with pytest.raises((PoolTimeout, psycopg.OperationalError)):
        PostgresStore(url, timeout=2)
    assert time.monotonic() - began < 10
