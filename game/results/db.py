"""The results file: one SQLite database of anonymous sessions, written one transaction a session.

Why SQLite: a kiosk runs for weeks and may lose power at any moment; SQLite's rollback journal
(`journal_mode=DELETE`, `synchronous=FULL`) means a crash loses at most the session being written,
and the file stays a single file a teacher can copy from each laptop and merge. A locked or
damaged file must never stop the game: every problem becomes a `ResultsError` with a message for
the player, and a damaged file is set aside (never deleted) so the next open starts a fresh one.
A file is read with suspicion (it may come from anywhere): only our own tables, only good rows
(rows.py), every statement stopped after a time limit. The schema is documented in docs/results.md.
"""

from __future__ import annotations

import json
import math
import os
import re
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from ..paths import data_dir
from .rows import MAX_DURATION_S, BadRow, bad_rows, good
from .schema import (
    AUTOPLAYS,
    MODES,
    READABLE_VERSIONS,
    SCHEMA_VERSION,
    SESSION_COLUMNS,
    STATUSES,
    TABLES,
    create,
    foreign_objects,
    upgrade_from_1,
)

if TYPE_CHECKING:
    from ..engine.runner import Runner

__all__ = ["AUTOPLAYS", "MODES", "SCHEMA_VERSION", "STATUSES", "BadRow", "ChoiceRecord", "ChoiceTally", "Merged",
           "ObjectiveRecord", "ResultsDB", "ResultsError", "RoleRecord", "SessionRecord", "Skipped", "merge",
           "session_record", "visitors_vs_record"]

FILE_NAME = "results.sqlite"
SQLITE_HEADER = b"SQLite format 3\x00"
SIDE_FILES = ("-journal", "-wal", "-shm")  # a hot journal must go with the file it belongs to
MEMORY = ":memory:"
# A private database in a temporary file that SQLite deletes when it is closed: a working copy that
# may grow beyond memory (its pages go to disk once its cache is full), e.g. a merge of many files.
TEMPORARY = ""
SCRATCH_CACHE_KIB = 16 * 1024
# No statement on a results file runs longer than 10 s plus 1 s for every 5 MB of the file: a real
# table reads at 15-40 MB/s here (10,000 sessions, 42 MB: 3 s for all of them), something else never ends.
READ_LIMIT_S = 10.0
READ_BYTES_PER_S = 5_000_000

# SQLite's primary result codes (the low byte of `sqlite_errorcode`).
_LOCKED_CODES = {5, 6}      # SQLITE_BUSY, SQLITE_LOCKED
_DAMAGED_CODES = {11, 26}   # SQLITE_CORRUPT, SQLITE_NOTADB
_INTERRUPTED = 9            # SQLITE_INTERRUPT: our time limit stopped the statement
_READONLY_ROLLBACK = 776    # SQLITE_READONLY_ROLLBACK: a hot journal that a read-only open cannot undo
# quick_check lines about one row's values (a NULL, a failed CHECK), not about the file's structure:
# such a row is skipped by the reader, and must never get the whole file set aside.
_ROW_LEVEL = re.compile(r"(NULL value in |CHECK constraint failed in )")

Outcome = Literal["added", "replaced", "kept"]
T = TypeVar("T")


class ResultsError(Exception):
    """The results file cannot be used now. The message is for the player; the game goes on.

    `kind` is one of: locked, corrupt, unreadable, foreign (an SQLite file that is not ours, or
    holds something we never make), newer (written by a newer version), missing, journal (a crash
    left an unfinished write that cannot be undone here), slow (stopped at the time limit).
    `moved_to` is where a damaged file was set aside.
    """

    def __init__(self, message: str, kind: str = "unreadable", path: Path | None = None,
                 moved_to: Path | None = None):
        super().__init__(message)
        self.kind = kind
        self.path = path
        self.moved_to = moved_to


class _Damaged(Exception):
    """Internal: the file failed a check; turned into a ResultsError once the connection is closed."""


class _HotJournal(Exception):
    """Internal: a read-only open met a crash's journal; the open recovers it, or explains."""


@dataclass(frozen=True)
class ChoiceRecord:
    seq: int
    role: str
    choice_id: str
    option_id: str
    historical_option_id: str
    followed: bool
    auto: bool


@dataclass(frozen=True)
class RoleRecord:
    role: str
    matched: int
    total: int


@dataclass(frozen=True)
class ObjectiveRecord:
    role: str
    objective_id: str
    met: bool


@dataclass(frozen=True)
class SessionRecord:
    """One session as stored: ids and numbers only, never a name or anything a player typed."""

    uid: str
    scenario: str
    mode: str
    roles: str
    path: str
    started_at: str
    duration_s: float
    status: str
    ending: str | None
    ending_historical: bool | None
    app_version: str
    autoplay: str = ""
    choices: tuple[ChoiceRecord, ...] = ()
    role_results: tuple[RoleRecord, ...] = ()
    objectives: tuple[ObjectiveRecord, ...] = ()

    def check(self) -> None:
        """The rules a writer must keep (each is also a read rule, so a record read back passes)."""
        if not isinstance(self.uid, str) or not 1 <= len(self.uid) <= 64:
            raise ValueError(f"uid must be text of 1 to 64 characters, not {self.uid!r}")
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {self.mode!r}")
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {self.status!r}")
        if self.autoplay not in AUTOPLAYS:
            raise ValueError(f"autoplay must be one of {AUTOPLAYS}, not {self.autoplay!r}")


@dataclass(frozen=True)
class ChoiceTally:
    """One choice point across finished sessions: how many faced it, how many followed the record."""

    choice_id: str
    role: str
    historical_option_id: str
    faced: int
    followed: int
    options: tuple[tuple[str, int], ...] = ()   # (option id, sessions that chose it), most chosen first

    @property
    def share(self) -> float:
        return self.followed / self.faced if self.faced else 0.0

    @property
    def off_record(self) -> bool:
        """A moment the record does not have: there is nothing to follow, so nothing to count as followed."""
        return not self.historical_option_id


def default_path() -> Path:
    """`results.sqlite` in the user's data folder (MOSCOW1956_HOME when set)."""
    return data_dir() / FILE_NAME


def iso_utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _kind_of(exc: sqlite3.Error) -> str:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        primary = code & 0xFF
        if primary in _LOCKED_CODES:
            return "locked"
        if primary in _DAMAGED_CODES:
            return "corrupt"
        if primary == _INTERRUPTED:
            return "slow"
        return "journal" if code == _READONLY_ROLLBACK else "unreadable"
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return "locked"
    if "not a database" in text or "malformed" in text:
        return "corrupt"
    return "slow" if "interrupted" in text else "unreadable"


def needs_check(path: Path) -> bool:
    """Whether a write should check the whole file first (PRAGMA quick_check: 0.7-1.4 s at 100,000 sessions here).

    Yes when a sign of damage is there without reading the file: a journal beside it (a write was
    cut off), or a size that its header does not account for (not whole pages, or other than the
    page count the header gives when that count is valid: a file cut short or grown behind SQLite's
    back). Damage that leaves no such sign is found when a write meets it (SQLite reports it, and
    the file is set aside) or when the report reads it (`merge` checks every file).
    """
    try:
        size = path.stat().st_size
        if size == 0:
            return False
        if any(path.with_name(path.name + suffix).exists() for suffix in SIDE_FILES):
            return True
        with path.open("rb") as handle:
            head = handle.read(100)
    except OSError:
        return True
    if len(head) < 100:
        return True
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or size % page_size:
        return True
    pages, changes, valid_for = (int.from_bytes(head[at:at + 4], "big") for at in (28, 24, 92))
    return bool(pages) and changes == valid_for and pages * page_size != size


def structural_damage(quick_check: Sequence[tuple]) -> str | None:
    """What PRAGMA quick_check's rows say is wrong with the file's structure (None: nothing).

    Its lines about one row's values are left to the read rules (rows.py), which skip that row."""
    damage = [str(row[0]) for row in quick_check if row[0] != "ok" and not _ROW_LEVEL.match(str(row[0]))]
    return "integrity check: " + "; ".join(damage[:3]) if damage else None


def _may_write(path: Path) -> bool:
    """Whether this program may change the file and create and delete files beside it (a journal)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


class ResultsDB:
    """An open results file. `readonly=True` (the report, the kiosk's screens) never creates, changes or
    moves a file, with one exception: a journal left by a crash is rolled back first, as SQLite itself
    would on any read-write open (see `_roll_back_journal`)."""

    def __init__(self, path: Path | str | None = None, *, timeout: float = 2.0, readonly: bool = False,
                 check: bool = True, read_limit: float | None = None):
        self.memory = path is not None and str(path) in (MEMORY, TEMPORARY)   # a working copy, not a file of ours
        self._name = str(path) if self.memory else ""
        self.path = Path(path or "(temporary)") if path is not None else default_path()
        self.timeout = timeout
        self.readonly = readonly and not self.memory
        self.check = check and not self.memory   # PRAGMA quick_check reads the whole file (see needs_check)
        self.read_limit = read_limit if read_limit is not None else self._default_limit()
        self.empty = False   # a read-only file with no tables yet (a 0-byte file): no sessions
        self._deadline = math.inf
        self.conn: sqlite3.Connection | None = None
        self.conn = self._open()

    def __enter__(self) -> ResultsDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    # --- opening -------------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        if self.memory:
            conn = sqlite3.connect(self._name, uri=True, isolation_level=None)   # uri: files are ATTACHed read-only
            if self._name == TEMPORARY:
                conn.execute("PRAGMA journal_mode = OFF")   # a working copy: nothing to keep after a crash
                conn.execute("PRAGMA synchronous = OFF")
                conn.execute(f"PRAGMA cache_size = -{SCRATCH_CACHE_KIB}")
            self._prepare(conn)
            return conn
        path = self.path
        if path.is_dir():
            raise ResultsError(f"The results file {path} is a folder, not a file.", "unreadable", path)
        if self.readonly and not path.is_file():
            raise ResultsError(f"The results file {path} does not exist.", "missing", path)
        if not self.readonly:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ResultsError(f"Cannot create the folder for the results file {path} "
                                   f"({exc.strerror or exc}).", "unreadable", path) from None
        try:
            self._check_header()
        except _Damaged as exc:
            raise self._damaged(str(exc)) from None
        try:
            return self._connect_and_prepare()
        except _HotJournal:
            pass
        self._roll_back_journal()
        try:
            return self._connect_and_prepare()
        except _HotJournal:
            raise self._journal_error("it was still there after it was undone once") from None

    def _connect_and_prepare(self) -> sqlite3.Connection:
        """One connection, checked and ready; raises _HotJournal if a read-only open met a crash's journal."""
        try:
            if self.readonly:
                conn = sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro", uri=True,
                                       timeout=self.timeout, isolation_level=None)
            else:
                conn = sqlite3.connect(str(self.path), timeout=self.timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        conn.set_progress_handler(self._past_deadline, 1000)
        try:
            self._prepare(conn)
        except BaseException as exc:
            conn.close()
            if isinstance(exc, sqlite3.Error) and getattr(exc, "sqlite_errorcode", None) == _READONLY_ROLLBACK:
                raise _HotJournal from None
            if isinstance(exc, _Damaged):
                raise self._damaged(str(exc)) from None
            if isinstance(exc, sqlite3.Error):
                raise self._error(exc) from None
            raise
        return conn

    def _check_header(self) -> None:
        """Random bytes are caught here, before SQLite is even asked (an empty file is a new database)."""
        try:
            with self.path.open("rb") as handle:
                head = handle.read(len(SQLITE_HEADER))
        except FileNotFoundError:
            return
        except OSError as exc:
            raise ResultsError(f"Cannot read the results file {self.path} ({exc.strerror or exc}).",
                               "unreadable", self.path) from None
        if head and head != SQLITE_HEADER:
            raise _Damaged("it is not an SQLite database")

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """Check the file is ours, then (read-write) set the journal and create or upgrade the tables."""
        self._start_clock()
        conn.execute("PRAGMA trusted_schema = OFF")   # nothing in the file's schema may call functions with effects
        conn.execute("PRAGMA foreign_keys = ON")
        if self.memory:
            self._create_or_upgrade(conn)
            return
        if self.check:
            damage = structural_damage(conn.execute("PRAGMA quick_check").fetchall())
            if damage:
                raise _Damaged(damage)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise ResultsError(f"The results file {self.path} was written by a newer version of the game "
                               f"(results format {version}); it is left untouched.", "newer", self.path)
        if version == 0:
            problem = "it already holds tables" if conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] \
                else None
        else:
            problem = foreign_objects(conn) if version in READABLE_VERSIONS else f"its format number is {version}"
        if problem:
            raise ResultsError(f"{self.path} is an SQLite database, but not a results file of this game ({problem}); "
                               "it is left untouched.", "foreign", self.path)
        if self.readonly:
            self.empty = version == 0
            return
        conn.execute("PRAGMA journal_mode=DELETE")   # one file, a rollback journal: copyable, crash-safe
        conn.execute("PRAGMA synchronous=FULL")
        if version != SCHEMA_VERSION:
            self._create_or_upgrade(conn)

    def _create_or_upgrade(self, conn: sqlite3.Connection) -> None:
        """Make a new file's tables, or bring a format-1 file to this format: one transaction, all or nothing."""
        conn.execute("PRAGMA foreign_keys = OFF")   # the upgrade drops the old sessions table: no cascade
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]   # again: another program may have
                if version == 0:                                               # done it meanwhile
                    create(conn)
                elif version == 1:
                    upgrade_from_1(conn)
                if version != SCHEMA_VERSION:
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                conn.execute("COMMIT")
            except BaseException:
                _rollback(conn)
                raise
        except sqlite3.Error as exc:
            if _kind_of(exc) != "unreadable":
                raise
            raise ResultsError(f"The results file {self.path} could not be brought to results format "
                               f"{SCHEMA_VERSION} ({exc}); it is left as it was.", "unreadable", self.path) from None
        finally:
            conn.execute("PRAGMA foreign_keys = ON")

    def _roll_back_journal(self) -> None:
        """A crash left a hot journal (an unfinished write) that a read-only connection cannot undo.

        Undo it the way SQLite always does, by one read-write open (the file goes back to its last
        complete state, the journal is deleted), when this program may write there; else explain.
        """
        if not _may_write(self.path):
            raise self._journal_error("this program may not write in its folder")
        try:
            conn = sqlite3.connect(self.path.resolve().as_uri() + "?mode=rw", uri=True, timeout=self.timeout,
                                   isolation_level=None)
            try:
                conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()   # the first read rolls it back
            finally:
                conn.close()
        except sqlite3.Error as exc:
            if _kind_of(exc) in ("locked", "corrupt"):
                raise self._error(exc) from None
            raise self._journal_error(f"undoing it failed ({exc})") from None

    # --- time limit ----------------------------------------------------------------------------

    def _default_limit(self) -> float:
        try:
            size = 0 if self.memory else self.path.stat().st_size
        except OSError:
            size = 0
        return READ_LIMIT_S + size / READ_BYTES_PER_S

    def _start_clock(self) -> None:
        self._deadline = time.monotonic() + self.read_limit

    def _past_deadline(self) -> int:
        """SQLite's progress handler: a non-zero answer interrupts the statement (a file must never hang us)."""
        return 1 if time.monotonic() > self._deadline else 0

    # --- failures ------------------------------------------------------------------------------

    def damaged(self, detail: str) -> ResultsError:
        """The error for damage found by a check made on another connection (the report's count)."""
        return self._damaged(detail)

    def explain(self, exc: sqlite3.Error) -> ResultsError:
        """What an SQLite error met while reading this file means, for the user (as every read here says it)."""
        return self._error(exc)

    def _error(self, exc: sqlite3.Error) -> ResultsError:
        kind = _kind_of(exc)
        if kind == "corrupt":
            return self._damaged(str(exc))
        if kind == "locked":
            return ResultsError(f"The results file {self.path} is in use by another program (locked; "
                                f"waited {self.timeout:g} s).", "locked", self.path)
        if kind == "slow":
            return ResultsError(f"Reading the results file {self.path} took longer than {self.read_limit:.0f} s "
                                "and was stopped; a results file of this game reads far faster, so this one is "
                                "probably damaged or not one of ours.", "slow", self.path)
        if kind == "journal":
            return self._journal_error("it appeared while the file was open")
        return ResultsError(f"The results file {self.path} cannot be used ({exc}).", kind, self.path)

    def _journal_error(self, reason: str) -> ResultsError:
        journal = self.path.name + "-journal"
        return ResultsError(
            f"The results file {self.path} was cut off in the middle of a write (a crash or a power cut): "
            f"{journal} beside it holds the unfinished change, which must be undone before the file can be "
            f"read, and {reason}. Open the file once with the game where it was made, or copy it together "
            f"with {journal} into a folder you can write, then try again.", "journal", self.path)

    def _damaged(self, detail: str) -> ResultsError:
        """A damaged file: set it aside (read-write only) so that the next open starts a fresh one.

        A read-only file is left open (its owner closes it): the report's counting thread says so
        of a file whose connection belongs to another thread."""
        if self.readonly or self.memory:
            return ResultsError(f"The results file {self.path} is damaged or not a results file ({detail}).",
                                "corrupt", self.path)
        self.close()
        from ..engine.files import set_aside

        try:
            moved = set_aside(self.path)
            for suffix in SIDE_FILES:
                side = self.path.with_name(self.path.name + suffix)
                if side.exists():
                    set_aside(side)
        except OSError as exc:
            return ResultsError(f"The results file {self.path} is damaged ({detail}) and could not be set "
                                f"aside ({exc.strerror or exc}).", "corrupt", self.path)
        return ResultsError(f"The results file {self.path} was damaged ({detail}); it was set aside as "
                            f"{moved.name} and a fresh file is started.", "corrupt", self.path, moved)

    def _connection(self) -> sqlite3.Connection:
        if self.conn is None:
            raise ResultsError(f"The results file {self.path} is closed.", "unreadable", self.path)
        return self.conn

    def _guarded(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run statements on the file within the time limit; SQLite's errors become a ResultsError."""
        conn = self._connection()
        self._start_clock()
        try:
            return work(conn)
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    # --- writing -------------------------------------------------------------------------------

    def record_session(self, runner: Runner, mode: str, started_at: datetime, duration_s: float,
                       status: str, *, autoplay: str = "", uid: str | None = None) -> str | None:
        """Write one session (all of it or nothing) under `uid` (a new one if None).

        Returns the uid when the session was written: new, or replacing the same session stored as
        cut short (a game continued from its autosave). Returns None when nothing was written: the
        file already holds that session finished (never rewritten), or cut short with as many choices.
        """
        record = session_record(runner, mode, started_at, duration_s, status, autoplay=autoplay, uid=uid)
        return record.uid if self._write_all([record], merging=False)[0] != "kept" else None

    def add(self, records: Iterable[SessionRecord]) -> int:
        """Write sessions in ONE transaction, by the rules of `record_session`; returns how many were new."""
        return self._write_all(records, merging=False).count("added")

    def _write_all(self, records: Iterable[SessionRecord], *, merging: bool) -> list[Outcome]:
        if self.readonly:
            raise ResultsError(f"The results file {self.path} was opened read-only.", "unreadable", self.path)
        records = list(records)
        for record in records:
            record.check()
        conn = self._connection()
        self._start_clock()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        try:
            outcomes = [self._write(conn, record, merging) for record in records]
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            _rollback(conn)
            raise self._error(exc) from None
        except BaseException:
            _rollback(conn)
            raise
        return outcomes

    def _write(self, conn: sqlite3.Connection, record: SessionRecord, merging: bool) -> Outcome:
        """One session: inserted, or replacing the stored one with the same uid whole, or (kept) left alone."""
        self._start_clock()   # the limit is a statement's, not a whole import's
        stored = conn.execute("SELECT id, status, (SELECT COUNT(*) FROM choices WHERE session_id = sessions.id) "
                              "FROM sessions WHERE uid = ?", (record.uid,)).fetchone()
        if stored is not None:
            session_id, status, choices = stored
            if not _replaces(record, status, choices, merging):
                return "kept"
            for table in TABLES[1:]:
                conn.execute(f"DELETE FROM {table} WHERE session_id = ?", (session_id,))
            conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        cursor = conn.execute(
            "INSERT INTO sessions (uid, scenario, mode, roles, path, started_at, duration_s, status, ending, "
            "ending_historical, app_version, autoplay) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (record.uid, record.scenario, record.mode, record.roles, record.path, record.started_at,
             float(record.duration_s), record.status, record.ending,
             None if record.ending_historical is None else int(record.ending_historical),
             record.app_version, record.autoplay))
        self._insert_children(conn, int(cursor.lastrowid or 0), record)
        return "added" if stored is None else "replaced"

    def _insert_children(self, conn: sqlite3.Connection, session_id: int, record: SessionRecord) -> None:
        conn.executemany(
            "INSERT INTO choices (session_id, seq, role, choice_id, option_id, historical_option_id, followed, auto) "
            "VALUES (?,?,?,?,?,?,?,?)",
            [(session_id, c.seq, c.role, c.choice_id, c.option_id, c.historical_option_id, int(c.followed),
              int(c.auto)) for c in record.choices])
        conn.executemany("INSERT INTO role_results (session_id, role, matched, total) VALUES (?,?,?,?)",
                         [(session_id, r.role, r.matched, r.total) for r in record.role_results])
        conn.executemany("INSERT INTO objectives (session_id, role, objective_id, met) VALUES (?,?,?,?)",
                         [(session_id, o.role, o.objective_id, int(o.met)) for o in record.objectives])

    # --- reading -------------------------------------------------------------------------------

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        if self.empty:
            return []
        return self._guarded(lambda conn: conn.execute(sql, params).fetchall())

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        """All the rows of one read (a few: a count, a total), within the time limit; raises ResultsError."""
        return self._query(sql, params)

    def each(self, sql: str, params: Sequence[object] = ()) -> Iterator[tuple]:
        """The rows of one read one at a time, for a reader that must not hold them all (the report's CSV).

        The whole read is held to the time limit of one statement; raises ResultsError.
        """
        if self.empty:
            return
        conn = self._connection()
        self._start_clock()
        try:
            yield from conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def sessions(self, status: str | None = None, uids: Iterable[str] | None = None) -> list[SessionRecord]:
        """Every good session (or those with `status`, or with one of `uids`), oldest first, with its good
        choices and results.

        Rows that break a rule of rows.py are left out; `skipped()` says which. With `uids`, only
        those sessions' rows are read (a class's few among a file's thousands).
        """
        where, params = good("sessions"), []
        if status:
            where += " AND status = ?"
            params.append(status)
        if uids is not None:
            where += " AND uid IN (SELECT value FROM json_each(?))"   # any number of uids, one parameter
            params.append(json.dumps(sorted(set(uids))))
        rows = self._query(f"SELECT {', '.join(SESSION_COLUMNS)} FROM sessions WHERE {where} "
                           "ORDER BY started_at, uid", params)
        # Only the rows of the sessions read: all of them when every session is (no IN to build).
        mine = "" if status is None and uids is None else f" AND session_id IN (SELECT id FROM sessions WHERE {where})"
        child_params = params if mine else []
        choices: dict[int, list[ChoiceRecord]] = {}
        for sid, *values in self._query("SELECT session_id, seq, role, choice_id, option_id, historical_option_id, "
                                        f"followed, auto FROM choices WHERE {good('choices')}{mine} "
                                        "ORDER BY session_id, seq", child_params):
            seq, role, choice_id, option_id, historical, followed, auto = values
            choices.setdefault(sid, []).append(ChoiceRecord(seq, role, choice_id, option_id, historical,
                                                            bool(followed), bool(auto)))
        results: dict[int, list[RoleRecord]] = {}
        for sid, role, matched, total in self._query("SELECT session_id, role, matched, total FROM role_results "
                                                     f"WHERE {good('role_results')}{mine} ORDER BY session_id, rowid",
                                                     child_params):
            results.setdefault(sid, []).append(RoleRecord(role, matched, total))
        objectives: dict[int, list[ObjectiveRecord]] = {}
        for sid, role, objective_id, met in self._query("SELECT session_id, role, objective_id, met FROM objectives "
                                                        f"WHERE {good('objectives')}{mine} ORDER BY session_id, rowid",
                                                        child_params):
            objectives.setdefault(sid, []).append(ObjectiveRecord(role, objective_id, bool(met)))
        out = []
        for sid, uid, scenario, mode, roles, path, started, duration, st, ending, historical, version, auto in rows:
            out.append(SessionRecord(
                uid, scenario, mode, roles, path, started, float(duration), st, ending,
                None if historical is None else bool(historical), version, auto,
                tuple(choices.get(sid, ())), tuple(results.get(sid, ())), tuple(objectives.get(sid, ()))))
        return out

    def skipped(self, limit: int = 1000) -> tuple[list[BadRow], int]:
        """The rows a read leaves out (at most `limit` of them, in table order), and how many there are."""
        if self.empty:
            return [], 0
        found: list[BadRow] = []
        total = 0
        for table in TABLES:
            room = max(0, limit - len(found))
            rows, count = self._guarded(lambda conn, table=table, room=room: bad_rows(conn, table, room))
            found += rows
            total += count
        return found, total

    def counts(self) -> dict[str, int]:
        """Good sessions by status, e.g. {'finished': 12, 'abandoned': 3} (the kiosk's admin screen)."""
        counts = dict.fromkeys(STATUSES, 0)
        counts.update({status: n for status, n in self._query(
            f"SELECT status, COUNT(*) FROM sessions WHERE {good('sessions')} GROUP BY status")})
        return counts


def _replaces(record: SessionRecord, status: object, choices: int, merging: bool) -> bool:
    """Whether `record` takes the place of the stored session with its uid (status, number of choices).

    A session cut short and continued later is the same session: the fuller record wins. A finished
    session is final in a file; when merging files, two finished copies keep the one with more choices.
    """
    if status == "finished":
        return merging and record.status == "finished" and len(record.choices) > choices
    if status == "abandoned":
        return record.status == "finished" or len(record.choices) > choices
    return True   # the stored row is damaged (a status no version writes): the good record takes its place


def _rollback(conn: sqlite3.Connection) -> None:
    try:
        conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass  # no transaction left to undo (SQLite rolled it back itself) or the connection is gone


def session_record(runner: Runner, mode: str, started_at: datetime, duration_s: float, status: str,
                   *, autoplay: str = "", uid: str | None = None) -> SessionRecord:
    """What is stored of a session: ids, numbers, the ending. Objectives only when it finished.

    `uid` names the session across a cut and a continuation (the autosave keeps it); None: a new one.
    """
    from .. import __version__
    from ..engine.scoring import build_debrief

    if status == "finished" and not runner.ended:
        raise ValueError("a session can be recorded as finished only once it has reached an ending")
    scenario = runner.scenario
    state = runner.state
    role_order = list(scenario.roles)
    roles = sorted(runner.players, key=role_order.index)
    debrief = build_debrief(runner)
    finished = status == "finished"
    ending = state.ending if finished else None
    record = SessionRecord(
        uid=uuid.uuid4().hex if uid is None else uid, scenario=scenario.id, mode=mode, roles="+".join(roles),
        path=state.path, started_at=iso_utc(started_at),
        duration_s=min(float(MAX_DURATION_S), round(max(0.0, float(duration_s)), 3)), status=status,
        ending=ending, ending_historical=(ending == scenario.historical_ending.id) if finished else None,
        app_version=__version__, autoplay=autoplay,
        choices=tuple(ChoiceRecord(seq, c.by, c.choice, c.option, c.historical, c.followed, c.auto)
                      for seq, c in enumerate(state.chosen, 1)),
        role_results=tuple(RoleRecord(r.role.id, r.matched, r.total) for r in debrief.roles),
        objectives=tuple(ObjectiveRecord(r.role.id, o.objective.id, o.met)
                         for r in debrief.roles for o in r.objectives) if finished else (),
    )
    record.check()
    return record


def visitors_vs_record(db: ResultsDB, scenario_id: str, path: str | None = None) -> list[ChoiceTally]:
    """Per choice point a player faced in finished sessions: how many sessions, how many took the record's option.

    Choices the record answered by itself (the side nobody played) are not counted, nor rows that
    break a rule (rows.py). At an off-record moment nothing can be followed (`off_record`). The
    list is in story order (by the average position of the choice in the sessions); `path=None`
    counts all paths.
    """
    finished = f"SELECT id FROM sessions WHERE {good('sessions')} AND status = 'finished' AND scenario = ?"
    params: list[object] = [scenario_id]
    if path is not None:
        finished += " AND path = ?"
        params.append(path)
    # The good finished sessions are picked once (SQLite builds a set for IN), then their good choices.
    where = f"c.session_id IN ({finished}) AND {good('choices', 'c')} AND c.auto = 0"
    rows = db._query(
        "SELECT c.choice_id, MIN(c.role), MAX(c.historical_option_id), COUNT(DISTINCT c.session_id), "
        "COUNT(DISTINCT CASE WHEN c.followed THEN c.session_id END), AVG(c.seq) "
        f"FROM choices c WHERE {where} GROUP BY c.choice_id ORDER BY AVG(c.seq), c.choice_id", params)
    return choice_tallies(rows, db._query(
        "SELECT c.choice_id, c.option_id, COUNT(DISTINCT c.session_id) AS n "
        f"FROM choices c WHERE {where} "
        "GROUP BY c.choice_id, c.option_id ORDER BY c.choice_id, n DESC, c.option_id", params))


def choice_tallies(rows: Iterable[tuple], option_rows: Iterable[tuple]) -> list[ChoiceTally]:
    """The tallies from the two queries every store makes for them: per choice point (id, least
    role, record option, faced, followed, story place) and per option (choice id, option id, count)."""
    options: dict[str, list[tuple[str, int]]] = {}
    for choice_id, option_id, n in option_rows:
        options.setdefault(choice_id, []).append((option_id, n))
    return [ChoiceTally(choice_id, role, historical, faced, followed, tuple(options.get(choice_id, ())))
            for choice_id, role, historical, faced, followed, _ in rows]


@dataclass(frozen=True)
class Skipped:
    """The rows of one file that were left out: the first ones, and how many in all."""

    path: Path
    rows: tuple[BadRow, ...]
    total: int

    def lines(self, most: int = 10) -> list[str]:
        """One line a row, naming the file and the row; the rest counted (a file may hold thousands)."""
        out = [f"{self.path}: {row.describe()}; skipped" for row in self.rows[:most]]
        if self.total > len(out):
            out.append(f"{self.path}: {self.total - len(out)} more bad row(s) skipped")
        return out


class Merged:
    """Several results files read into one working database, each session once (by its uid).

    The sessions are numbered in the report's order (by start, then uid), and a session's rows
    follow one another in the order of the file they came from: the report reads them in that order.
    `tallies`, when the choices were counted instead of copied (`merge(with_choices=False)`): what
    `visitors_vs_record` gives for each (scenario, path) of finished sessions. That count may still
    be going on in a thread of its own while the sessions are read (the report writes its CSV
    meanwhile): `tallies` and `skipped` wait for it, and raise the ResultsError it met.
    """

    def __init__(self, db: ResultsDB, files: list[Path] | None = None, added: int = 0, duplicates: int = 0,
                 skipped: list[Skipped] | None = None,
                 tallies: dict[tuple[str, str], list[ChoiceTally]] | None = None):
        self.db = db
        self.files: list[Path] = files if files is not None else []
        self.added = added              # sessions
        self.duplicates = duplicates    # records of a session already read from another file (or copy)
        self._skipped: list[Skipped] = skipped if skipped is not None else []
        self._tallies = tallies
        self.pending: Callable[[Merged], None] | None = None   # finishes the count, once (merging.py)

    def settle(self) -> None:
        """Wait for the count of the choices, if it is still going on; its ResultsError is raised here."""
        pending, self.pending = self.pending, None
        if pending is not None:
            pending(self)

    @property
    def skipped(self) -> list[Skipped]:
        self.settle()
        return self._skipped

    @skipped.setter
    def skipped(self, value: list[Skipped]) -> None:
        self._skipped = value

    @property
    def tallies(self) -> dict[tuple[str, str], list[ChoiceTally]] | None:
        self.settle()
        return self._tallies

    @tallies.setter
    def tallies(self, value: dict[tuple[str, str], list[ChoiceTally]] | None) -> None:
        self._tallies = value

    @property
    def skipped_rows(self) -> int:
        return sum(s.total for s in self.skipped)

    def close(self) -> None:
        """Close the working database once the count (if any) has ended: no thread outlives it.

        An error of the count is not raised again here: a caller that needed the count had it
        raised by `tallies` or `skipped` already."""
        try:
            self.settle()
        except ResultsError:
            pass
        finally:
            self.db.close()


def merge(paths: Sequence[Path], *, with_choices: bool = True) -> Merged:
    """Read every file (read-only) into one temporary database by SQL; a ResultsError names the bad file.

    A session found in several files (a copy, or a copy taken before the game was continued and
    finished) is one session: finished beats cut short, then the record with more choices; on a
    tie, the first file given. Bad rows are skipped and listed in `skipped`. With `with_choices=False`
    the choices are counted into `Merged.tallies` instead of copied (the report needs no more).
    """
    from .merging import merge_files

    return merge_files(paths, with_choices=with_choices)
