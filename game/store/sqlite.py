"""The embedded store: one SQLite file in WAL mode, for a teacher's laptop or a museum box.

WAL lets the pages read while a decision is written, and a committed transaction survives the
server being killed (`kill -9`) at any moment: every decision is committed before its page is
answered. `synchronous=NORMAL` in WAL can lose the last transactions only to a power cut of the
whole computer. Player ids are stored as hashes, so a copy of the file cannot be used to take over
a student's session. Live updates stay inside this process (one server owns the file).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

from .base import ClassRow, Conflict, Listener, PairRow, PlayerRow, player_key

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS players (
        id TEXT PRIMARY KEY,
        csrf TEXT NOT NULL,
        created REAL NOT NULL,
        updated REAL NOT NULL,
        prefs TEXT NOT NULL DEFAULT '{}',
        log TEXT,
        ended INTEGER NOT NULL DEFAULT 0,
        class_id TEXT,
        name TEXT NOT NULL DEFAULT '',
        seat TEXT,
        pair_id TEXT,
        joined INTEGER
    )""",
    "CREATE INDEX IF NOT EXISTS players_by_class ON players (class_id)",
    """CREATE TABLE IF NOT EXISTS classes (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        code TEXT NOT NULL UNIQUE,
        token_hash TEXT NOT NULL UNIQUE,
        path TEXT NOT NULL,
        created REAL NOT NULL,
        expires REAL NOT NULL,
        paused INTEGER NOT NULL DEFAULT 0,
        hold_debrief INTEGER NOT NULL DEFAULT 0,
        ended INTEGER NOT NULL DEFAULT 0,
        assign TEXT NOT NULL DEFAULT 'free'
    )""",
    """CREATE TABLE IF NOT EXISTS pairs (
        id TEXT PRIMARY KEY,
        class_id TEXT NOT NULL,
        seats TEXT NOT NULL DEFAULT '{}',
        record TEXT NOT NULL DEFAULT '[]',
        log TEXT,
        version INTEGER NOT NULL DEFAULT 0,
        ended INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX IF NOT EXISTS pairs_by_class ON pairs (class_id)",
)
MAX_LOG = 256 * 1024
CLASS_FIELDS = ("name", "path", "expires", "paused", "hold_debrief", "ended", "assign")
PAIR_FIELDS = ("seats", "record", "log", "ended")


key = player_key   # kept for callers of the first version of this module


class SQLiteStore:
    """A Store in one SQLite file (thread-safe: one connection, one lock)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []
        self.conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=5.0)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        with self._lock:
            for statement in SCHEMA:
                self.conn.execute(statement)
            self._add_columns()

    def _add_columns(self) -> None:
        """A store made by an earlier version (players only): add the class columns."""
        have = {row[1] for row in self.conn.execute("PRAGMA table_info(players)")}
        for name, kind in (("class_id", "TEXT"), ("name", "TEXT NOT NULL DEFAULT ''"), ("seat", "TEXT"),
                           ("pair_id", "TEXT"), ("joined", "INTEGER")):
            if name not in have:
                self.conn.execute(f"ALTER TABLE players ADD COLUMN {name} {kind}")

    def _write(self, sql: str, params: tuple) -> int:
        with self._lock:
            try:
                return self.conn.execute(sql, params).rowcount
            except sqlite3.IntegrityError as exc:
                raise Conflict(str(exc)) from exc

    def _rows(self, sql: str, params: tuple) -> list[tuple]:
        with self._lock:
            return self.conn.execute(sql, params).fetchall()

    # --- players -------------------------------------------------------------------------------

    def create(self, key: str, csrf: str) -> PlayerRow:
        now = time.time()
        self._write("INSERT INTO players (id, csrf, created, updated) VALUES (?, ?, ?, ?)", (key, csrf, now, now))
        return PlayerRow(key, csrf)

    def get(self, key: str) -> PlayerRow | None:
        rows = self._rows("SELECT csrf, prefs, log, ended, class_id, name, seat, pair_id FROM players WHERE id = ?",
                          (key,))
        if not rows:
            return None
        csrf, prefs, log, ended, class_id, name, seat, pair_id = rows[0]
        return PlayerRow(key, str(csrf), str(prefs), log if isinstance(log, str) else None, bool(ended),
                         class_id, name or "", seat, pair_id)

    def start_log(self, key: str, header_line: str) -> None:
        self._write("UPDATE players SET log = ?, ended = 0, updated = ? WHERE id = ?", (header_line, time.time(), key))

    def append_log(self, key: str, line: str) -> None:
        self._write("UPDATE players SET log = log || ?, updated = ? WHERE id = ? AND log IS NOT NULL "
                    f"AND length(log) < {MAX_LOG}", (line, time.time(), key))

    def end_log(self, key: str) -> None:
        self._write("UPDATE players SET ended = 1, updated = ? WHERE id = ?", (time.time(), key))

    def set_prefs(self, key: str, prefs: str) -> None:
        self._write("UPDATE players SET prefs = ?, updated = ? WHERE id = ?", (prefs, time.time(), key))

    def join(self, key: str, class_id: str, name: str) -> None:
        self._write("UPDATE players SET class_id = ?, name = ?, seat = NULL, pair_id = NULL, log = NULL, ended = 0, "
                    "joined = (SELECT IFNULL(MAX(joined), 0) + 1 FROM players), updated = ? WHERE id = ?",
                    (class_id, name, time.time(), key))

    def set_seat(self, key: str, seat: str | None, pair_id: str | None) -> None:
        self._write("UPDATE players SET seat = ?, pair_id = ?, updated = ? WHERE id = ?", (seat, pair_id, time.time(), key))

    def class_players(self, class_id: str) -> list[PlayerRow]:
        """The class's students, in the order they joined."""
        rows = self._rows("SELECT id, csrf, prefs, log, ended, class_id, name, seat, pair_id FROM players "
                          "WHERE class_id = ? ORDER BY joined, created", (class_id,))
        return [PlayerRow(i, c, p, lg if isinstance(lg, str) else None, bool(e), ci, n or "", s, pi)
                for i, c, p, lg, e, ci, n, s, pi in rows]

    # --- classes -------------------------------------------------------------------------------

    def create_class(self, row: ClassRow) -> None:
        self._write("INSERT INTO classes (id, name, code, token_hash, path, created, expires, paused, hold_debrief, "
                    "ended, assign) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (row.id, row.name, row.code, row.token_hash, row.path, row.created, row.expires, int(row.paused),
                     int(row.hold_debrief), int(row.ended), row.assign))

    def _class(self, where: str, value: str) -> ClassRow | None:
        rows = self._rows("SELECT id, name, code, token_hash, path, created, expires, paused, hold_debrief, ended, "
                          f"assign FROM classes WHERE {where} = ?", (value,))
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
            values = [int(v) if isinstance(v, bool) else v for v in (changes[f] for f in fields)]
            self._write(f"UPDATE classes SET {', '.join(f'{f} = ?' for f in fields)} WHERE id = ?", (*values, class_id))

    # --- pairs ---------------------------------------------------------------------------------

    def create_pair(self, row: PairRow) -> None:
        self._write("INSERT INTO pairs (id, class_id, seats, record, log, version, ended) VALUES (?,?,?,?,?,?,?)",
                    (row.id, row.class_id, json.dumps(row.seats), json.dumps(list(row.record)), row.log, row.version,
                     int(row.ended)))

    def _pair(self, row: tuple) -> PairRow:
        i, ci, seats, record, log, version, ended = row
        return PairRow(i, ci, json.loads(seats), tuple(json.loads(record)), log, int(version), bool(ended))

    def get_pair(self, pair_id: str) -> PairRow | None:
        rows = self._rows("SELECT id, class_id, seats, record, log, version, ended FROM pairs WHERE id = ?", (pair_id,))
        return self._pair(rows[0]) if rows else None

    def update_pair(self, pair_id: str, expected_version: int, **changes: object) -> bool:
        """Write `changes` if nobody wrote since `expected_version`; False if somebody did."""
        fields = [f for f in changes if f in PAIR_FIELDS]
        values = []
        for f in fields:
            value = changes[f]
            values.append(json.dumps(value if f == "seats" else list(value)) if f in ("seats", "record")
                          else int(value) if isinstance(value, bool) else value)
        sets = ", ".join([*(f"{f} = ?" for f in fields), "version = version + 1"])
        return self._write(f"UPDATE pairs SET {sets} WHERE id = ? AND version = ?",
                           (*values, pair_id, expected_version)) == 1

    def class_pairs(self, class_id: str) -> list[PairRow]:
        rows = self._rows("SELECT id, class_id, seats, record, log, version, ended FROM pairs WHERE class_id = ? "
                          "ORDER BY rowid", (class_id,))
        return [self._pair(r) for r in rows]

    # --- live updates --------------------------------------------------------------------------

    def publish(self, class_id: str, what: str) -> None:
        for listener in list(self._listeners):
            listener(class_id, what)

    def listen(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def forget_older_than(self, seconds: float) -> int:
        """Players not seen for `seconds` are removed (their results stay in the results file)."""
        return self._write("DELETE FROM players WHERE updated < ?", (time.time() - seconds,))

    def close(self) -> None:
        with self._lock:
            self.conn.close()
