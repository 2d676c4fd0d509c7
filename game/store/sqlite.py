"""The embedded store: one SQLite file in WAL mode, for a teacher's laptop or a museum box.

WAL lets the pages read while a decision is written, and `synchronous=NORMAL` in WAL still never
loses a committed transaction to a crash of the server (only to a power cut, the last few): every
decision is committed before its page is answered. Player ids are stored as hashes, so a copy of
the file cannot be used to take over a student's session.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from pathlib import Path

from .base import PlayerRow

SCHEMA = """
CREATE TABLE IF NOT EXISTS players (
    id TEXT PRIMARY KEY,
    csrf TEXT NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    prefs TEXT NOT NULL DEFAULT '{}',
    log TEXT,
    ended INTEGER NOT NULL DEFAULT 0
)
"""
MAX_LOG = 256 * 1024


def key(player_id: str) -> str:
    return hashlib.sha256(player_id.encode()).hexdigest()


class SQLiteStore:
    """A PlayerStore in one SQLite file (thread-safe: one connection, one lock)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self.conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=5.0)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute(SCHEMA)

    def _write(self, sql: str, params: tuple) -> None:
        with self._lock:
            self.conn.execute(sql, params)

    def create(self, player_id: str, csrf: str) -> PlayerRow:
        now = time.time()
        self._write("INSERT INTO players (id, csrf, created, updated) VALUES (?, ?, ?, ?)",
                    (key(player_id), csrf, now, now))
        return PlayerRow(player_id, csrf)

    def get(self, player_id: str) -> PlayerRow | None:
        with self._lock:
            row = self.conn.execute("SELECT csrf, prefs, log, ended FROM players WHERE id = ?",
                                    (key(player_id),)).fetchone()
        if row is None:
            return None
        csrf, prefs, log, ended = row
        return PlayerRow(player_id, str(csrf), str(prefs), log if isinstance(log, str) else None, bool(ended))

    def start_log(self, player_id: str, header_line: str) -> None:
        self._write("UPDATE players SET log = ?, ended = 0, updated = ? WHERE id = ?",
                    (header_line, time.time(), key(player_id)))

    def append_log(self, player_id: str, line: str) -> None:
        self._write("UPDATE players SET log = log || ?, updated = ? WHERE id = ? AND log IS NOT NULL "
                    f"AND length(log) < {MAX_LOG}", (line, time.time(), key(player_id)))

    def end_log(self, player_id: str) -> None:
        self._write("UPDATE players SET ended = 1, updated = ? WHERE id = ?", (time.time(), key(player_id)))

    def set_prefs(self, player_id: str, prefs: str) -> None:
        self._write("UPDATE players SET prefs = ?, updated = ? WHERE id = ?", (prefs, time.time(), key(player_id)))

    def forget_older_than(self, seconds: float) -> int:
        """Players not seen for `seconds` are removed (their results stay in the results file)."""
        with self._lock:
            return self.conn.execute("DELETE FROM players WHERE updated < ?", (time.time() - seconds,)).rowcount

    def close(self) -> None:
        with self._lock:
            self.conn.close()
