"""The results file: one SQLite database of anonymous sessions, written one transaction a session.

Why SQLite: a kiosk runs for weeks and may lose power at any moment; SQLite's rollback journal
(`journal_mode=DELETE`, `synchronous=FULL`) means a crash loses at most the session being written,
and the file stays a single file a teacher can copy from each laptop and merge. A locked or
damaged file must never stop the game: every problem becomes a `ResultsError` with a message for
the player, and a damaged file is set aside (never deleted) so the next open starts a fresh one.
The schema is documented in docs/results.md.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..engine.runner import Runner

SCHEMA_VERSION = 1
FILE_NAME = "results.sqlite"
MODES = ("text", "window", "kiosk")
STATUSES = ("finished", "abandoned")
AUTOPLAYS = ("", "record", "random")
SQLITE_HEADER = b"SQLite format 3\x00"
SIDE_FILES = ("-journal", "-wal", "-shm")  # a hot journal must go with the file it belongs to
MEMORY = ":memory:"

SCHEMA = (
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

# SQLite's primary result codes (the low byte of `sqlite_errorcode`).
_LOCKED_CODES = {5, 6}      # SQLITE_BUSY, SQLITE_LOCKED
_DAMAGED_CODES = {11, 26}   # SQLITE_CORRUPT, SQLITE_NOTADB


class ResultsError(Exception):
    """The results file cannot be used now. The message is for the player; the game goes on.

    `kind` is one of: locked, corrupt, unreadable, foreign (an SQLite file that is not ours),
    newer (written by a newer version), missing. `moved_to` is where a damaged file was set aside.
    """

    def __init__(self, message: str, kind: str = "unreadable", path: Path | None = None,
                 moved_to: Path | None = None):
        super().__init__(message)
        self.kind = kind
        self.path = path
        self.moved_to = moved_to


class _Damaged(Exception):
    """Internal: the file failed a check; turned into a ResultsError once the connection is closed."""


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
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {self.mode!r}")
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {self.status!r}")


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


def default_path() -> Path:
    """`results.sqlite` in the user's data folder (MOSCOW1956_HOME when set)."""
    from ..ui.settings import data_dir  # cheap: no pygame; imported here so the engine stays apart

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
        return "unreadable"
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return "locked"
    if "not a database" in text or "malformed" in text:
        return "corrupt"
    return "unreadable"


class ResultsDB:
    """An open results file. `readonly=True` (the report) never creates, changes or moves a file."""

    def __init__(self, path: Path | str | None = None, *, timeout: float = 2.0, readonly: bool = False,
                 check: bool = True):
        self.memory = str(path) == MEMORY
        self.path = Path(path) if path is not None else default_path()
        self.timeout = timeout
        self.readonly = readonly and not self.memory
        self.check = check and not self.memory   # PRAGMA quick_check reads the whole file: once is enough
        self.empty = False   # a read-only file with no tables yet (a 0-byte file): no sessions
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
            conn = sqlite3.connect(MEMORY, isolation_level=None)
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
            if self.readonly:
                conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True,
                                       timeout=self.timeout, isolation_level=None)
            else:
                conn = sqlite3.connect(str(path), timeout=self.timeout, isolation_level=None)
        except _Damaged as exc:
            raise self._damaged(str(exc)) from None
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        try:
            self._prepare(conn)
        except (sqlite3.Error, _Damaged, ResultsError) as exc:
            conn.close()
            if isinstance(exc, ResultsError):
                raise
            raise (self._damaged(str(exc)) if isinstance(exc, _Damaged) else self._error(exc)) from None
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
        """Check the file, then (read-write) set the journal and create the schema if it is new."""
        conn.execute("PRAGMA foreign_keys=ON")
        if self.check:
            problems = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
            if problems != ["ok"]:
                raise _Damaged("integrity check: " + "; ".join(problems[:3]))
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise ResultsError(f"The results file {self.path} was written by a newer version of the game "
                               f"(results format {version}); it is left untouched.", "newer", self.path)
        if version != SCHEMA_VERSION:
            tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            if version != 0 or tables:
                raise ResultsError(f"{self.path} is an SQLite database, but not a results file of this game; "
                                   "it is left untouched.", "foreign", self.path)
        if self.readonly:
            self.empty = version == 0
            return
        conn.execute("PRAGMA journal_mode=DELETE")   # one file, a rollback journal: copyable, crash-safe
        conn.execute("PRAGMA synchronous=FULL")
        if version == SCHEMA_VERSION:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] == 0:   # nobody created it meanwhile
                for statement in SCHEMA:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            _rollback(conn)
            raise

    # --- failures ------------------------------------------------------------------------------

    def _error(self, exc: sqlite3.Error) -> ResultsError:
        kind = _kind_of(exc)
        if kind == "corrupt":
            return self._damaged(str(exc))
        if kind == "locked":
            return ResultsError(f"The results file {self.path} is in use by another program (locked; "
                                f"waited {self.timeout:g} s).", "locked", self.path)
        return ResultsError(f"The results file {self.path} cannot be used ({exc}).", kind, self.path)

    def _damaged(self, detail: str) -> ResultsError:
        """A damaged file: set it aside (read-write only) so that the next open starts a fresh one."""
        self.close()
        if self.readonly or self.memory:
            return ResultsError(f"The results file {self.path} is damaged or not a results file ({detail}).",
                                "corrupt", self.path)
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

    # --- writing -------------------------------------------------------------------------------

    def record_session(self, runner: Runner, mode: str, started_at: datetime, duration_s: float,
                       status: str, *, autoplay: str = "") -> str:
        """Write one session (all of it or nothing); returns its anonymous id."""
        record = session_record(runner, mode, started_at, duration_s, status, autoplay=autoplay)
        self.add([record])
        return record.uid

    def add(self, records: Iterable[SessionRecord]) -> int:
        """Insert sessions in ONE transaction, skipping ids already stored; returns how many were new."""
        if self.readonly:
            raise ResultsError(f"The results file {self.path} was opened read-only.", "unreadable", self.path)
        records = list(records)
        for record in records:
            record.check()
        conn = self._connection()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        added = 0
        try:
            for record in records:
                cursor = conn.execute(
                    "INSERT OR IGNORE INTO sessions (uid, scenario, mode, roles, path, started_at, duration_s, "
                    "status, ending, ending_historical, app_version, autoplay) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (record.uid, record.scenario, record.mode, record.roles, record.path, record.started_at,
                     float(record.duration_s), record.status, record.ending,
                     None if record.ending_historical is None else int(record.ending_historical),
                     record.app_version, record.autoplay))
                if cursor.rowcount == 1:
                    self._insert_children(conn, int(cursor.lastrowid or 0), record)
                    added += 1
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            _rollback(conn)
            raise self._error(exc) from None
        except BaseException:
            _rollback(conn)
            raise
        return added

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
        try:
            return self._connection().execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def sessions(self, status: str | None = None) -> list[SessionRecord]:
        """Every stored session (or those with `status`), oldest first, with its choices and results."""
        where, params = ("WHERE status = ?", (status,)) if status else ("", ())
        rows = self._query(
            "SELECT id, uid, scenario, mode, roles, path, started_at, duration_s, status, ending, ending_historical, "
            f"app_version, autoplay FROM sessions {where} ORDER BY started_at, uid", params)
        choices: dict[int, list[ChoiceRecord]] = {}
        for sid, *values in self._query("SELECT session_id, seq, role, choice_id, option_id, historical_option_id, "
                                        "followed, auto FROM choices ORDER BY session_id, seq"):
            seq, role, choice_id, option_id, historical, followed, auto = values
            choices.setdefault(sid, []).append(ChoiceRecord(seq, role, choice_id, option_id, historical,
                                                            bool(followed), bool(auto)))
        results: dict[int, list[RoleRecord]] = {}
        for sid, role, matched, total in self._query("SELECT session_id, role, matched, total FROM role_results "
                                                     "ORDER BY session_id, rowid"):
            results.setdefault(sid, []).append(RoleRecord(role, matched, total))
        objectives: dict[int, list[ObjectiveRecord]] = {}
        for sid, role, objective_id, met in self._query("SELECT session_id, role, objective_id, met FROM objectives "
                                                        "ORDER BY session_id, rowid"):
            objectives.setdefault(sid, []).append(ObjectiveRecord(role, objective_id, bool(met)))
        out = []
        for sid, uid, scenario, mode, roles, path, started, duration, st, ending, historical, version, auto in rows:
            out.append(SessionRecord(
                uid, scenario, mode, roles, path, started, float(duration), st, ending,
                None if historical is None else bool(historical), version, auto or "",
                tuple(choices.get(sid, ())), tuple(results.get(sid, ())), tuple(objectives.get(sid, ()))))
        return out

    def counts(self) -> dict[str, int]:
        """Sessions by status, e.g. {'finished': 12, 'abandoned': 3} (the kiosk's admin screen)."""
        counts = dict.fromkeys(STATUSES, 0)
        counts.update({status: n for status, n in self._query("SELECT status, COUNT(*) FROM sessions GROUP BY status")})
        return counts


def _rollback(conn: sqlite3.Connection) -> None:
    try:
        conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass  # no transaction left to undo (SQLite rolled it back itself) or the connection is gone


def session_record(runner: Runner, mode: str, started_at: datetime, duration_s: float, status: str,
                   *, autoplay: str = "") -> SessionRecord:
    """What is stored of a session: ids, numbers, the ending. Objectives only when it finished."""
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
        uid=uuid.uuid4().hex, scenario=scenario.id, mode=mode, roles="+".join(roles), path=state.path,
        started_at=iso_utc(started_at), duration_s=round(max(0.0, float(duration_s)), 3), status=status,
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

    Choices the record answered by itself (the side nobody played) are not counted. The list is in
    story order (by the average position of the choice in the sessions); `path=None` counts all paths.
    """
    where = "s.status = 'finished' AND s.scenario = ? AND c.auto = 0"
    params: list[object] = [scenario_id]
    if path is not None:
        where += " AND s.path = ?"
        params.append(path)
    rows = db._query(
        "SELECT c.choice_id, MIN(c.role), MAX(c.historical_option_id), COUNT(DISTINCT s.id), "
        "COUNT(DISTINCT CASE WHEN c.followed THEN s.id END), AVG(c.seq) "
        f"FROM choices c JOIN sessions s ON s.id = c.session_id WHERE {where} "
        "GROUP BY c.choice_id ORDER BY AVG(c.seq), c.choice_id", params)
    options: dict[str, list[tuple[str, int]]] = {}
    for choice_id, option_id, n in db._query(
            "SELECT c.choice_id, c.option_id, COUNT(DISTINCT s.id) AS n "
            f"FROM choices c JOIN sessions s ON s.id = c.session_id WHERE {where} "
            "GROUP BY c.choice_id, c.option_id ORDER BY c.choice_id, n DESC, c.option_id", params):
        options.setdefault(choice_id, []).append((option_id, n))
    return [ChoiceTally(choice_id, role, historical, faced, followed, tuple(options.get(choice_id, ())))
            for choice_id, role, historical, faced, followed, _ in rows]


@dataclass
class Merged:
    """Several results files read into one in-memory database, each session once (by its uid)."""

    db: ResultsDB
    files: list[Path] = field(default_factory=list)
    added: int = 0
    duplicates: int = 0


def merge(paths: Sequence[Path]) -> Merged:
    """Read every file (read-only) into one in-memory database; a ResultsError names the bad file."""
    merged = Merged(ResultsDB(MEMORY))
    try:
        for path in paths:
            with ResultsDB(path, readonly=True) as source:
                records = source.sessions()
            added = merged.db.add(records)
            merged.files.append(Path(path))
            merged.added += added
            merged.duplicates += len(records) - added
    except BaseException:
        merged.db.close()
        raise
    return merged
