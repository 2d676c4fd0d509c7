"""Results on PostgreSQL: every kiosk of a museum and every server of a school in one database.

The same four tables as the SQLite results file (schema.py, docs/results.md), and the same rules:
one row a session uid; a cut-short row is replaced whole by the finished one or by a longer
cut-short one; a finished row is never rewritten (db._replaces decides, for both). A session is
written in one transaction. The rules that the file's reader must check row by row (rows.py: a
file may come from anywhere) are CHECK constraints here, so every stored row is a good one and the
tallies need no filter. Text ids use the "C" collation, so they sort as SQLite sorts them and the
tallies come out in the same order.

`PostgresResults` keeps `ResultsFile`'s promise: `write` never raises for a database problem (a
server that is down, a lost connection, a full disk); it returns a message for the player, and
the game or kiosk goes on. One connection is held and made again when it breaks, with one retry
of the session, so a server restarted overnight costs the kiosk nothing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

import psycopg
from psycopg import sql

from ..store.postgres import DEFAULT_SCHEMA, checked_schema, connection_options, shown_url
from .db import (
    AUTOPLAYS,
    MODES,
    STATUSES,
    ChoiceRecord,
    ChoiceTally,
    ObjectiveRecord,
    ResultsError,
    RoleRecord,
    SessionRecord,
    _replaces,
    choice_tallies,
    session_record,
)
from .rows import MAX_COUNT, MAX_DURATION_S, MAX_ID
from .schema import SCHEMA_VERSION

if TYPE_CHECKING:
    from ..engine.runner import Runner

APPLICATION = "moscow1956-results"
SUMMARY_EVERY_S = 5.0        # an admin screen asks every frame; the database is asked at most this often
SUMMARY_AFTER_FAILURE_S = 30.0
T = TypeVar("T")


def _text(column: str, low: int = 1, high: int = MAX_ID) -> sql.Composable:
    return sql.SQL('{} TEXT COLLATE "C" NOT NULL CHECK (length({}) BETWEEN {} AND {})').format(
        sql.Identifier(column), sql.Identifier(column), sql.Literal(low), sql.Literal(high))


def _one_of(column: str, values: tuple[str, ...]) -> sql.Composable:
    return sql.SQL('{} TEXT COLLATE "C" NOT NULL CHECK ({} IN ({}))').format(
        sql.Identifier(column), sql.Identifier(column), sql.SQL(", ").join(sql.Literal(v) for v in values))


def _tables(schema: str) -> tuple[sql.Composable, ...]:
    """The tables of schema.py with the read rules of rows.py as constraints (values quoted by psycopg)."""
    s = sql.Identifier(schema)
    return (
        sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(s),
        sql.SQL("CREATE TABLE IF NOT EXISTS {}.results_format (version INTEGER NOT NULL)").format(s),
        sql.SQL("""CREATE TABLE IF NOT EXISTS {s}.sessions (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            {uid} UNIQUE, {scenario}, {mode}, {roles}, {path},
            started_at TEXT NOT NULL CHECK (started_at ~ '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}T[0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}Z$'),
            duration_s DOUBLE PRECISION NOT NULL CHECK (duration_s BETWEEN 0 AND {most}),
            {status},
            ending TEXT COLLATE "C" CHECK (length(ending) BETWEEN 1 AND {id}),
            ending_historical BOOLEAN,
            {version},
            {autoplay},
            CHECK (CASE WHEN status = 'finished' THEN ending IS NOT NULL AND ending_historical IS NOT NULL
                        ELSE ending IS NULL AND ending_historical IS NULL END)
        )""").format(s=s, uid=_text("uid", high=64), scenario=_text("scenario"), mode=_one_of("mode", MODES),
                     roles=_text("roles"), path=_text("path"), most=sql.Literal(MAX_DURATION_S),
                     status=_one_of("status", STATUSES), id=sql.Literal(MAX_ID),
                     version=_text("app_version", high=40), autoplay=_one_of("autoplay", AUTOPLAYS)),
        sql.SQL("CREATE INDEX IF NOT EXISTS sessions_by_scenario ON {}.sessions (scenario, path, status)").format(s),
        sql.SQL("""CREATE TABLE IF NOT EXISTS {s}.choices (
            session_id BIGINT NOT NULL REFERENCES {s}.sessions (id) ON DELETE CASCADE,
            seq INTEGER NOT NULL CHECK (seq BETWEEN 1 AND {count}),
            {role}, {choice}, {option}, {historical},
            followed BOOLEAN NOT NULL,
            auto BOOLEAN NOT NULL,
            PRIMARY KEY (session_id, seq)
        )""").format(s=s, count=sql.Literal(MAX_COUNT), role=_text("role"), choice=_text("choice_id"),
                     option=_text("option_id"), historical=_text("historical_option_id", low=0)),
        sql.SQL("CREATE INDEX IF NOT EXISTS choices_by_choice ON {}.choices (choice_id)").format(s),
        sql.SQL("""CREATE TABLE IF NOT EXISTS {s}.role_results (
            session_id BIGINT NOT NULL REFERENCES {s}.sessions (id) ON DELETE CASCADE,
            {role},
            matched INTEGER NOT NULL CHECK (matched BETWEEN 0 AND {count}),
            total INTEGER NOT NULL CHECK (total BETWEEN 0 AND {count}),
            CHECK (matched <= total),
            PRIMARY KEY (session_id, role)
        )""").format(s=s, role=_text("role"), count=sql.Literal(MAX_COUNT)),
        sql.SQL("""CREATE TABLE IF NOT EXISTS {s}.objectives (
            session_id BIGINT NOT NULL REFERENCES {s}.sessions (id) ON DELETE CASCADE,
            {role}, {objective},
            met BOOLEAN NOT NULL,
            PRIMARY KEY (session_id, objective_id)
        )""").format(s=s, role=_text("role"), objective=_text("objective_id")),
    )


class PostgresResults:
    """Records sessions in a PostgreSQL database, with `ResultsFile`'s contract (write, summary, message).

    `url` is a libpq URL (postgresql://user:password@host/db); nothing else is ever contacted.
    `timeout` bounds the wait for the server, so a server that cannot be reached costs a kiosk
    at most that long at the end of a session.
    """

    def __init__(self, url: str, mode: str = "web", *, autoplay: str = "", schema: str = DEFAULT_SCHEMA,
                 timeout: float = 3.0, statement_timeout_s: float = 10.0):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        if autoplay not in AUTOPLAYS:
            raise ValueError(f"autoplay must be one of {AUTOPLAYS}, not {autoplay!r}")
        self.url = url
        self.where = shown_url(url)
        self.mode = mode
        self.autoplay = autoplay
        self.schema = checked_schema(schema)
        self.timeout = timeout
        self._statement_timeout = f"{int(statement_timeout_s * 1000)}ms"
        self.message = ""
        self.written = False     # whether the last write changed the database (False: it held that already)
        self._conn: psycopg.Connection | None = None
        self._lock = threading.Lock()
        self._summary: tuple[float, list[str]] | None = None   # (when it may be asked again, lines)

    def __enter__(self) -> PostgresResults:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            self._drop()

    # --- the connection ------------------------------------------------------------------------

    def _connect(self) -> psycopg.Connection:
        conn = psycopg.connect(self.url, **connection_options(self.url, APPLICATION, self.timeout))
        try:
            conn.execute("SELECT set_config('search_path', %s, false), set_config('statement_timeout', %s, false)",
                         (sql.Identifier(self.schema).as_string(conn), self._statement_timeout))
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"moscow1956 results {self.schema}",))
                for statement in _tables(self.schema):
                    conn.execute(statement)
                if conn.execute("SELECT count(*) FROM results_format").fetchone()[0] == 0:
                    conn.execute("INSERT INTO results_format (version) VALUES (%s)", (SCHEMA_VERSION,))
        except BaseException:
            conn.close()
            raise
        return conn

    def _drop(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None

    def _with_connection(self, work: Callable[[psycopg.Connection], T]) -> T:
        """Run `work` on the held connection (made if need be). A connection found broken is made again
        and `work` tried once more: its transaction was rolled back with the old connection."""
        with self._lock:
            for attempt in (1, 2):
                fresh = self._conn is None
                if fresh:
                    self._conn = self._connect()
                conn = self._conn
                try:
                    return work(conn)
                except psycopg.Error:
                    if conn.broken or conn.closed:
                        self._drop()
                        if not fresh and attempt == 1:
                            continue
                    raise
            raise AssertionError("unreachable")

    def _failure(self, exc: Exception) -> ResultsError:
        detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return ResultsError(f"The results database {self.where} cannot be used now ({detail}).", "unreadable")

    # --- writing -------------------------------------------------------------------------------

    def write(self, runner: Runner, status: str, *, uid: str, started_at: datetime, duration_s: float) -> str:
        """Record one session (or replace its cut-short row); returns "" or a message for the player."""
        self.written = False
        try:
            record = session_record(runner, self.mode, started_at, max(0.0, duration_s), status,
                                    autoplay=self.autoplay, uid=uid)
            self.written = self._with_connection(lambda conn: self._store(conn, record)) != "kept"
            self.message = ""
        except psycopg.Error as exc:
            self.message = f"{self._failure(exc)} This session's results were not saved."
        except Exception as exc:  # a results bug must never stop a game or a kiosk
            self.message = f"The results could not be saved ({type(exc).__name__}: {exc})."
        self._summary = None   # the next summary counts again (this write, or the failure)
        return self.message

    def add(self, records: list[SessionRecord]) -> int:
        """Write records (one transaction each) by the rules of `write`; how many were new. Raises ResultsError."""
        def all_of(conn: psycopg.Connection) -> int:
            return [self._store(conn, record) for record in records].count("added")

        for record in records:
            record.check()
        try:
            return self._with_connection(all_of)
        except psycopg.Error as exc:
            raise self._failure(exc) from None

    @staticmethod
    def _store(conn: psycopg.Connection, record: SessionRecord) -> str:
        """One session, in one transaction: added, replacing the stored one whole, or (kept) left alone.

        A lock on the uid makes two servers that write the same session at once take turns.
        """
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", ("moscow1956 session " + record.uid,))
            stored = conn.execute("SELECT id, status, (SELECT count(*) FROM choices WHERE session_id = s.id) "
                                  "FROM sessions s WHERE uid = %s FOR UPDATE", (record.uid,)).fetchone()
            if stored is not None:
                session_id, status, choices = stored
                if not _replaces(record, status, choices, merging=False):
                    return "kept"
                conn.execute("DELETE FROM sessions WHERE id = %s", (session_id,))   # its rows go with it (CASCADE)
            new_id = conn.execute(
                "INSERT INTO sessions (uid, scenario, mode, roles, path, started_at, duration_s, status, ending, "
                "ending_historical, app_version, autoplay) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                "RETURNING id",
                (record.uid, record.scenario, record.mode, record.roles, record.path, record.started_at,
                 float(record.duration_s), record.status, record.ending, record.ending_historical, record.app_version,
                 record.autoplay)).fetchone()[0]
            with conn.cursor() as cur:
                cur.executemany("INSERT INTO choices (session_id, seq, role, choice_id, option_id, "
                                "historical_option_id, followed, auto) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                                [(new_id, c.seq, c.role, c.choice_id, c.option_id, c.historical_option_id,
                                  c.followed, c.auto) for c in record.choices])
                cur.executemany("INSERT INTO role_results (session_id, role, matched, total) VALUES (%s, %s, %s, %s)",
                                [(new_id, r.role, r.matched, r.total) for r in record.role_results])
                cur.executemany("INSERT INTO objectives (session_id, role, objective_id, met) VALUES (%s, %s, %s, %s)",
                                [(new_id, o.role, o.objective_id, o.met) for o in record.objectives])
        return "added" if stored is None else "replaced"

    # --- reading -------------------------------------------------------------------------------

    def _query(self, query: str, params: tuple = ()) -> list[tuple]:
        try:
            return self._with_connection(lambda conn: conn.execute(query, params).fetchall())
        except psycopg.Error as exc:
            raise self._failure(exc) from None

    def counts(self) -> dict[str, int]:
        """Sessions by status, e.g. {'finished': 12, 'abandoned': 3}, as ResultsDB.counts. Raises ResultsError."""
        counts = dict.fromkeys(STATUSES, 0)
        counts.update({status: n for status, n in self._query("SELECT status, count(*) FROM sessions GROUP BY status")})
        return counts

    def sessions(self, uids: Iterable[str]) -> list[SessionRecord]:
        """The records of just these sessions (a class's), oldest first, as ResultsFile.sessions. Raises ResultsError.

        A session's results and objectives come in the order they are stored (ctid), which is the
        order they were written in unless the table was reorganised (VACUUM FULL, CLUSTER): rows
        here are never updated, only deleted with their session.
        """
        wanted = sorted(set(uids))
        if not wanted:
            return []
        picked = "SELECT id FROM sessions WHERE uid = ANY(%s)"
        rows = self._query("SELECT id, uid, scenario, mode, roles, path, started_at, duration_s, status, ending, "
                           "ending_historical, app_version, autoplay FROM sessions WHERE uid = ANY(%s) "
                           "ORDER BY started_at, uid", (wanted,))
        choices: dict[int, list[ChoiceRecord]] = {}
        for sid, *values in self._query("SELECT session_id, seq, role, choice_id, option_id, historical_option_id, "
                                        f"followed, auto FROM choices WHERE session_id IN ({picked}) "
                                        "ORDER BY session_id, seq", (wanted,)):
            choices.setdefault(sid, []).append(ChoiceRecord(*values))
        results: dict[int, list[RoleRecord]] = {}
        for sid, *values in self._query("SELECT session_id, role, matched, total FROM role_results "
                                        f"WHERE session_id IN ({picked}) ORDER BY session_id, ctid", (wanted,)):
            results.setdefault(sid, []).append(RoleRecord(*values))
        objectives: dict[int, list[ObjectiveRecord]] = {}
        for sid, *values in self._query("SELECT session_id, role, objective_id, met FROM objectives "
                                        f"WHERE session_id IN ({picked}) ORDER BY session_id, ctid", (wanted,)):
            objectives.setdefault(sid, []).append(ObjectiveRecord(*values))
        return [SessionRecord(uid, scenario, mode, roles, path, started, float(duration), status, ending, historical,
                              version, auto, tuple(choices.get(sid, ())), tuple(results.get(sid, ())),
                              tuple(objectives.get(sid, ())))
                for sid, uid, scenario, mode, roles, path, started, duration, status, ending, historical, version, auto
                in rows]

    def tallies(self, scenario_id: str, path: str | None = None) -> list[ChoiceTally]:
        """What db.visitors_vs_record says of the same sessions: per choice point a player faced in finished
        sessions, how many faced it and how many took the record's option, in story order. Raises ResultsError."""
        finished = "SELECT id FROM sessions WHERE status = 'finished' AND scenario = %s"
        params: tuple = (scenario_id,)
        if path is not None:
            finished += " AND path = %s"
            params += (path,)
        where = f"c.session_id IN ({finished}) AND NOT c.auto"
        # AVG over float8 as SQLite averages (its AVG is a double), so ties in story order fall the same way
        rows = self._query(
            "SELECT c.choice_id, MIN(c.role), MAX(c.historical_option_id), COUNT(DISTINCT c.session_id), "
            "COUNT(DISTINCT CASE WHEN c.followed THEN c.session_id END), AVG(c.seq::float8) AS place "
            f"FROM choices c WHERE {where} GROUP BY c.choice_id ORDER BY place, c.choice_id", params)
        return choice_tallies(rows, self._query(
            "SELECT c.choice_id, c.option_id, COUNT(DISTINCT c.session_id) AS n "
            f"FROM choices c WHERE {where} "
            "GROUP BY c.choice_id, c.option_id ORDER BY c.choice_id, n DESC, c.option_id", params))

    def summary(self) -> list[str]:
        """A few lines for an admin screen: where results go and how many there are.

        The screen may ask every frame; the database is counted again only every few seconds, or
        after a write from here (and, when it cannot be reached, only every half minute).
        """
        lines = [f"Results database: {self.where}", *self._counted()]
        if self.message:
            lines.append(f"Last problem: {self.message}")
        return lines

    def _counted(self) -> list[str]:
        now = time.monotonic()
        if self._summary is not None and now < self._summary[0]:
            return self._summary[1]
        try:
            counts = self.counts()
        except ResultsError as exc:
            lines, wait = [f"Results unavailable: {exc}"], SUMMARY_AFTER_FAILURE_S
        else:
            lines = [f"Sessions recorded: {counts['finished']} finished, {counts['abandoned']} cut short"]
            wait = SUMMARY_EVERY_S
        self._summary = (now + wait, lines)
        return lines
