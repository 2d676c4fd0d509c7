"""The shared store: PostgreSQL, for several server processes or machines serving one school.

Same semantics as the SQLite store (sqlite.py), so the pages cannot tell them apart: players by
key, classes with a unique join code and token hash, pairs written with optimistic concurrency,
every write committed before the method returns (each statement runs in autocommit, and an
`UPDATE ... WHERE version = %s` is one statement). What SQLite cannot do across processes,
PostgreSQL's LISTEN/NOTIFY does: `publish` is a NOTIFY on one channel, and every process that
`listen`s hears every change, its own included, so a teacher's dashboard served by one process
sees a student whose page is served by another.

The tables live in their own schema (`moscow1956` unless told otherwise), so the database can be
shared with other programs. Every value goes to the server as a parameter; only identifiers we
choose (the schema, whitelisted column names) are composed into SQL, quoted by `psycopg.sql`.
Nothing but the server in the URL is ever contacted.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool

from .base import ClassRow, Conflict, Listener, PairRow, PlayerRow
from .sqlite import CLASS_FIELDS, MAX_LOG, PAIR_FIELDS

log = logging.getLogger(__name__)

DEFAULT_SCHEMA = "moscow1956"
APPLICATION = "moscow1956"                 # what pg_stat_activity shows for the pool's connections
LISTENER_APPLICATION = "moscow1956-listen-"  # ... and for the one that LISTENs (+ the schema)
MAX_PAYLOAD = 7999                          # NOTIFY's payload must be shorter than 8000 bytes
BOOLEAN_FIELDS = ("paused", "hold_debrief", "ended")
IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]{0,62}")
LIVENESS_S = 30.0          # the listener asks the server something this often (a silently dead link)
MOST_BACKOFF_S = 5.0       # the longest wait between two tries to reconnect the listener


def _schema_sql(schema: str) -> tuple[sql.Composable, ...]:
    """The tables, inside `schema` (the caller sets the search path to it)."""
    return (
        sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)),
        sql.SQL("""CREATE TABLE IF NOT EXISTS {}.players (
            id TEXT PRIMARY KEY,
            csrf TEXT NOT NULL,
            created DOUBLE PRECISION NOT NULL,
            updated DOUBLE PRECISION NOT NULL,
            prefs TEXT NOT NULL DEFAULT '{{}}',
            log TEXT,
            ended BOOLEAN NOT NULL DEFAULT FALSE,
            class_id TEXT,
            name TEXT NOT NULL DEFAULT '',
            seat TEXT,
            pair_id TEXT,
            joined BIGINT
        )""").format(sql.Identifier(schema)),
        # Join order from a sequence, not a clock: the servers' clocks need not agree.
        sql.SQL("CREATE SEQUENCE IF NOT EXISTS {}.players_joined").format(sql.Identifier(schema)),
        sql.SQL("CREATE INDEX IF NOT EXISTS players_by_class ON {}.players (class_id, joined)").format(
            sql.Identifier(schema)),
        sql.SQL("CREATE INDEX IF NOT EXISTS players_by_updated ON {}.players (updated)").format(
            sql.Identifier(schema)),
        sql.SQL("""CREATE TABLE IF NOT EXISTS {}.classes (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            code TEXT NOT NULL UNIQUE,
            token_hash TEXT NOT NULL UNIQUE,
            path TEXT NOT NULL,
            created DOUBLE PRECISION NOT NULL,
            expires DOUBLE PRECISION NOT NULL,
            paused BOOLEAN NOT NULL DEFAULT FALSE,
            hold_debrief BOOLEAN NOT NULL DEFAULT FALSE,
            ended BOOLEAN NOT NULL DEFAULT FALSE,
            assign TEXT NOT NULL DEFAULT 'free'
        )""").format(sql.Identifier(schema)),
        sql.SQL("""CREATE TABLE IF NOT EXISTS {}.pairs (
            id TEXT PRIMARY KEY,
            class_id TEXT NOT NULL,
            seats TEXT NOT NULL DEFAULT '{{}}',
            record TEXT NOT NULL DEFAULT '[]',
            log TEXT,
            version BIGINT NOT NULL DEFAULT 0,
            ended BOOLEAN NOT NULL DEFAULT FALSE,
            seq BIGINT GENERATED ALWAYS AS IDENTITY   -- the order pairs were made in
        )""").format(sql.Identifier(schema)),
        sql.SQL("CREATE INDEX IF NOT EXISTS pairs_by_class ON {}.pairs (class_id)").format(sql.Identifier(schema)),
    )


def checked_schema(name: str) -> str:
    """A schema name we accept: lower-case letters, digits and _, as PostgreSQL folds unquoted names."""
    if not IDENTIFIER.fullmatch(name) or name.startswith("pg_"):
        raise ValueError(f"a schema name is 1 to 63 of a-z, 0-9 and _, not starting with a digit or pg_: {name!r}")
    return name


def connection_options(url: str, application: str, timeout: float) -> dict[str, object]:
    """What every connection of ours sets (the URL's own connect_timeout is kept if it has one).

    TCP keepalives let a connection to a machine that vanished (a cable pulled) fail in about a
    minute instead of hanging; a unix socket ignores them.
    """
    given = conninfo_to_dict(url)
    options: dict[str, object] = {"autocommit": True, "application_name": application}
    if "connect_timeout" not in given:
        options["connect_timeout"] = max(1, round(timeout))
    if "keepalives" not in given:
        options.update(keepalives=1, keepalives_idle=30, keepalives_interval=10, keepalives_count=3)
    return options


def shown_url(url: str) -> str:
    """The URL as a message may show it: user, host and database, never the password."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.Error:
        return "the configured PostgreSQL server"
    user = f"{parts['user']}@" if parts.get("user") else ""
    host = str(parts.get("host") or "localhost")
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"postgresql://{user}{host}{port}/{parts.get('dbname') or ''}"


class PostgresStore:
    """A Store in a PostgreSQL database, for any number of server processes at once (thread-safe).

    `url` is a libpq URL or conninfo (postgresql://user:password@host/db). A pool of `min_size`
    to `max_size` connections serves the process's request threads; a `timeout` bounds the wait
    for one, and for the first connection (a server that cannot be reached fails at start, not at
    the first student). Listeners are called from the store's own listener thread.
    """

    def __init__(self, url: str, *, schema: str = DEFAULT_SCHEMA, min_size: int = 2, max_size: int = 10,
                 timeout: float = 10.0, statement_timeout_s: float = 30.0):
        self.url = url
        self.schema = checked_schema(schema)
        self.channel = self.schema            # one channel a store: stores in other schemas hear nothing
        self.timeout = timeout
        self._statement_timeout = f"{int(statement_timeout_s * 1000)}ms"
        self.pool = ConnectionPool(url, min_size=min_size, max_size=max_size, timeout=timeout, open=False,
                                   kwargs=connection_options(url, APPLICATION, timeout), configure=self._configure,
                                   check=ConnectionPool.check_connection, name=f"moscow1956-{schema}")
        self._listeners: list[Listener] = []
        self._listen_lock = threading.Lock()
        self._listening = threading.Event()    # set while the listener's LISTEN is in place
        self._closing = threading.Event()
        self._thread: threading.Thread | None = None
        try:
            self.pool.open(wait=True, timeout=timeout)
            self._create_tables()
        except BaseException:
            self.pool.close()
            raise

    # --- connections ---------------------------------------------------------------------------

    def _configure(self, conn: psycopg.Connection) -> None:
        """Each new connection: our schema first, and no statement may hold a request for ever."""
        conn.execute("SELECT set_config('search_path', %s, false), set_config('statement_timeout', %s, false)",
                     (sql.Identifier(self.schema).as_string(conn), self._statement_timeout))

    def _create_tables(self) -> None:
        """The schema and tables if missing; one process at a time (CREATE ... IF NOT EXISTS can race)."""
        with self.pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"moscow1956 store {self.schema}",))
            for statement in _schema_sql(self.schema):
                conn.execute(statement)

    @contextmanager
    def _conn(self) -> Iterator[psycopg.Connection]:
        with self.pool.connection() as conn:
            yield conn

    def _write(self, query: str | sql.Composable, params: tuple) -> int:
        """One statement, committed when it returns (autocommit); a taken id or code is a Conflict."""
        try:
            with self._conn() as conn:
                return conn.execute(query, params).rowcount
        except psycopg.errors.UniqueViolation as exc:
            raise Conflict(str(exc).splitlines()[0]) from exc

    def _rows(self, query: str | sql.Composable, params: tuple) -> list[tuple]:
        with self._conn() as conn:
            return conn.execute(query, params).fetchall()

    # --- players -------------------------------------------------------------------------------

    def create(self, key: str, csrf: str) -> PlayerRow:
        now = time.time()
        self._write("INSERT INTO players (id, csrf, created, updated) VALUES (%s, %s, %s, %s)", (key, csrf, now, now))
        return PlayerRow(key, csrf)

    def get(self, key: str) -> PlayerRow | None:
        rows = self._rows("SELECT csrf, prefs, log, ended, class_id, name, seat, pair_id FROM players WHERE id = %s",
                          (key,))
        if not rows:
            return None
        csrf, prefs, log_text, ended, class_id, name, seat, pair_id = rows[0]
        return PlayerRow(key, csrf, prefs, log_text, bool(ended), class_id, name or "", seat, pair_id)

    def start_log(self, key: str, header_line: str) -> None:
        self._write("UPDATE players SET log = %s, ended = FALSE, updated = %s WHERE id = %s",
                    (header_line, time.time(), key))

    def append_log(self, key: str, line: str) -> None:
        self._write("UPDATE players SET log = log || %s, updated = %s WHERE id = %s AND log IS NOT NULL "
                    "AND length(log) < %s", (line, time.time(), key, MAX_LOG))

    def end_log(self, key: str) -> None:
        self._write("UPDATE players SET ended = TRUE, updated = %s WHERE id = %s", (time.time(), key))

    def set_prefs(self, key: str, prefs: str) -> None:
        self._write("UPDATE players SET prefs = %s, updated = %s WHERE id = %s", (prefs, time.time(), key))

    def join(self, key: str, class_id: str, name: str) -> None:
        self._write("UPDATE players SET class_id = %s, name = %s, seat = NULL, pair_id = NULL, log = NULL, "
                    "ended = FALSE, joined = nextval('players_joined'), updated = %s WHERE id = %s",
                    (class_id, name, time.time(), key))

    def set_seat(self, key: str, seat: str | None, pair_id: str | None) -> None:
        self._write("UPDATE players SET seat = %s, pair_id = %s, updated = %s WHERE id = %s",
                    (seat, pair_id, time.time(), key))

    def class_players(self, class_id: str) -> list[PlayerRow]:
        """The class's students, in the order they joined."""
        rows = self._rows("SELECT id, csrf, prefs, log, ended, class_id, name, seat, pair_id FROM players "
                          "WHERE class_id = %s ORDER BY joined NULLS LAST, created, id", (class_id,))
        return [PlayerRow(i, c, p, lg, bool(e), ci, n or "", s, pi) for i, c, p, lg, e, ci, n, s, pi in rows]

    def forget_older_than(self, seconds: float) -> int:
        """Players not seen for `seconds` are removed (their results stay in the results database)."""
        return self._write("DELETE FROM players WHERE updated < %s", (time.time() - seconds,))

    # --- classes -------------------------------------------------------------------------------

    def create_class(self, row: ClassRow) -> None:
        self._write("INSERT INTO classes (id, name, code, token_hash, path, created, expires, paused, hold_debrief, "
                    "ended, assign) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    (row.id, row.name, row.code, row.token_hash, row.path, row.created, row.expires, bool(row.paused),
                     bool(row.hold_debrief), bool(row.ended), row.assign))

    def _class(self, column: str, value: str) -> ClassRow | None:
        rows = self._rows(sql.SQL("SELECT id, name, code, token_hash, path, created, expires, paused, hold_debrief, "
                                  "ended, assign FROM classes WHERE {} = %s").format(sql.Identifier(column)), (value,))
        if not rows:
            return None
        return ClassRow.from_row(rows[0])

    def get_class(self, class_id: str) -> ClassRow | None:
        return self._class("id", class_id)

    def class_by_code(self, code: str) -> ClassRow | None:
        return self._class("code", code)

    def class_by_token(self, token_hash: str) -> ClassRow | None:
        return self._class("token_hash", token_hash)

    def update_class(self, class_id: str, **changes: object) -> None:
        fields = [f for f in changes if f in CLASS_FIELDS]
        if fields:
            values = [bool(changes[f]) if f in BOOLEAN_FIELDS else changes[f] for f in fields]
            sets = sql.SQL(", ").join(sql.SQL("{} = %s").format(sql.Identifier(f)) for f in fields)
            self._write(sql.SQL("UPDATE classes SET {} WHERE id = %s").format(sets), (*values, class_id))

    # --- pairs ---------------------------------------------------------------------------------

    def create_pair(self, row: PairRow) -> None:
        self._write("INSERT INTO pairs (id, class_id, seats, record, log, version, ended) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    (row.id, row.class_id, json.dumps(row.seats), json.dumps(list(row.record)), row.log, row.version,
                     bool(row.ended)))

    @staticmethod
    def _pair(row: tuple) -> PairRow:
        i, ci, seats, record, log_text, version, ended = row
        return PairRow(i, ci, json.loads(seats), tuple(json.loads(record)), log_text, int(version), bool(ended))

    def get_pair(self, pair_id: str) -> PairRow | None:
        rows = self._rows("SELECT id, class_id, seats, record, log, version, ended FROM pairs WHERE id = %s",
                          (pair_id,))
        return self._pair(rows[0]) if rows else None

    def update_pair(self, pair_id: str, expected_version: int, **changes: object) -> bool:
        """Write `changes` if nobody wrote since `expected_version`; False if somebody did.

        One UPDATE that tests the version in its WHERE: under READ COMMITTED a second writer waits
        for the first one's row lock, then finds the version moved on and changes nothing.
        """
        fields = [f for f in changes if f in PAIR_FIELDS]
        values: list[object] = []
        for f in fields:
            value = changes[f]
            if f == "seats":
                values.append(json.dumps(value))
            elif f == "record":
                values.append(json.dumps(list(value)))  # a tuple or list of seats
            elif f == "ended":
                values.append(bool(value))
            else:
                values.append(value)
        sets = sql.SQL(", ").join([*(sql.SQL("{} = %s").format(sql.Identifier(f)) for f in fields),
                                   sql.SQL("version = version + 1")])
        return self._write(sql.SQL("UPDATE pairs SET {} WHERE id = %s AND version = %s").format(sets),
                           (*values, pair_id, expected_version)) == 1

    def class_pairs(self, class_id: str) -> list[PairRow]:
        rows = self._rows("SELECT id, class_id, seats, record, log, version, ended FROM pairs WHERE class_id = %s "
                          "ORDER BY seq", (class_id,))
        return [self._pair(r) for r in rows]

    # --- live updates --------------------------------------------------------------------------

    def publish(self, class_id: str, what: str) -> None:
        """Tell every listening process (this one too) that `what` changed in the class."""
        payload = json.dumps({"class": class_id, "what": what}, ensure_ascii=False)
        if len(payload.encode()) > MAX_PAYLOAD:
            raise ValueError(f"a notice must be shorter than 8000 bytes (class id and what: {len(payload.encode())})")
        self._write("SELECT pg_notify(%s, %s)", (self.channel, payload))

    def listen(self, listener: Listener) -> None:
        """Call `listener(class_id, what)` for every notice on the channel, from any process.

        The first call starts the listener thread; it returns once the LISTEN is in place (or after
        `timeout` if the server cannot be reached: the thread keeps trying), so a publish made
        after it is heard.
        """
        with self._listen_lock:
            self._listeners.append(listener)
            if self._thread is None:
                self._thread = threading.Thread(target=self._listen_loop, name=f"moscow1956-listen-{self.schema}",
                                                daemon=True)
                self._thread.start()
        self._listening.wait(self.timeout)

    def _listen_loop(self) -> None:
        """Listen until closed; a lost connection is made again (notices sent while it was down are lost)."""
        backoff = 0.1
        while not self._closing.is_set():
            try:
                options = connection_options(self.url, LISTENER_APPLICATION + self.schema, self.timeout)
                with psycopg.connect(self.url, **options) as conn:
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
                    self._listening.set()
                    backoff = 0.1
                    self._hear(conn)
            except Exception as exc:   # the thread must outlive any failure: live updates come back with the server
                if not self._closing.is_set():
                    log.warning("PostgreSQL listener lost its connection (%s); reconnecting", exc)
            finally:
                self._listening.clear()
            self._closing.wait(backoff)
            backoff = min(backoff * 2, MOST_BACKOFF_S)

    def _hear(self, conn: psycopg.Connection) -> None:
        """Deliver notices until closed; ask the server something now and then, so a dead link is noticed."""
        asked = time.monotonic()
        while not self._closing.is_set():
            for notice in conn.notifies(timeout=0.25):
                self._deliver(notice.payload)
            if time.monotonic() - asked > LIVENESS_S:
                conn.execute("SELECT 1")
                asked = time.monotonic()

    def _deliver(self, payload: str) -> None:
        try:
            notice = json.loads(payload)
            class_id, what = str(notice["class"]), str(notice["what"])
        except (ValueError, KeyError, TypeError):
            log.warning("ignored a notice that is not ours on channel %s: %.80r", self.channel, payload)
            return
        for listener in list(self._listeners):
            try:
                listener(class_id, what)
            except Exception:   # one broken listener must not deafen the others
                log.exception("a store listener failed")

    def close(self) -> None:
        self._closing.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.pool.close()
