"""The results file's tables, the upgrade of older files, and the check that a file holds only them.

Format 2 (this one) differs from format 1 only in the modes a session may have (`web` was added
for the browser edition). SQLite cannot change a CHECK constraint in place, so the upgrade
rebuilds the `sessions` table in one transaction, copying every row as it is (a row that was
already bad stays, for the reader to report), and keeps each row's id so the other tables still
point at the right session. docs/results.md describes every column.
"""

from __future__ import annotations

import sqlite3

from ..formats import RESULTS

SCHEMA_VERSION = RESULTS.current
READABLE_VERSIONS = tuple(range(RESULTS.oldest, RESULTS.current + 1))   # format 1 files are read as they are, and upgraded when written
MODES = ("text", "window", "kiosk", "web")
STATUSES = ("finished", "abandoned")
AUTOPLAYS = ("", "record", "random")
TABLES = ("sessions", "choices", "role_results", "objectives")


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join("'" + value.replace("'", "''") + "'" for value in values)


SESSION_COLUMNS = ("id", "uid", "scenario", "mode", "roles", "path", "started_at", "duration_s", "status", "ending",
                   "ending_historical", "app_version", "autoplay")


def sessions_table(name: str = "sessions") -> str:
    return f"""CREATE TABLE {name} (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        scenario TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ({_sql_list(MODES)})),
        roles TEXT NOT NULL,
        path TEXT NOT NULL,
        started_at TEXT NOT NULL,
        duration_s REAL NOT NULL,
        status TEXT NOT NULL CHECK (status IN ({_sql_list(STATUSES)})),
        ending TEXT,
        ending_historical INTEGER,
        app_version TEXT NOT NULL,
        autoplay TEXT NOT NULL DEFAULT ''
    )"""


SESSIONS_INDEX = "CREATE INDEX IF NOT EXISTS sessions_by_scenario ON sessions (scenario, path, status)"
CHILD_TABLES = (
    """CREATE TABLE choices (
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
    """CREATE TABLE role_results (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        matched INTEGER NOT NULL,
        total INTEGER NOT NULL,
        PRIMARY KEY (session_id, role)
    )""",
    """CREATE TABLE objectives (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        objective_id TEXT NOT NULL,
        met INTEGER NOT NULL,
        PRIMARY KEY (session_id, objective_id)
    )""",
    "CREATE INDEX choices_by_choice ON choices (choice_id)",
)
# The report's working copy (merging.py): the same tables and columns, without the constraints and
# the indexes a file keeps (every row was checked by rows.py on its way in, each session once), which
# cost the copy more than half its time; with an index on each child table's session, the one way
# the report looks rows up. A session's rows are found by that index in the order they were copied.
WORKING_TABLES = (
    """CREATE TABLE sessions (id INTEGER PRIMARY KEY, uid TEXT, scenario TEXT, mode TEXT, roles TEXT, path TEXT,
        started_at TEXT, duration_s REAL, status TEXT, ending TEXT, ending_historical INTEGER, app_version TEXT,
        autoplay TEXT)""",
    """CREATE TABLE choices (session_id INTEGER, seq INTEGER, role TEXT, choice_id TEXT, option_id TEXT,
        historical_option_id TEXT, followed INTEGER, auto INTEGER)""",
    "CREATE TABLE role_results (session_id INTEGER, role TEXT, matched INTEGER, total INTEGER)",
    "CREATE TABLE objectives (session_id INTEGER, role TEXT, objective_id TEXT, met INTEGER)",
)
WORKING_INDEXES = tuple(f"CREATE INDEX {table}_by_session ON {table} (session_id)"
                        for table in ("choices", "role_results", "objectives"))
# The columns the game reads; a table without them is not ours.
COLUMNS = {
    "sessions": SESSION_COLUMNS,
    "choices": ("session_id", "seq", "role", "choice_id", "option_id", "historical_option_id", "followed", "auto"),
    "role_results": ("session_id", "role", "matched", "total"),
    "objectives": ("session_id", "role", "objective_id", "met"),
}


def create(conn: sqlite3.Connection) -> None:
    """A new file's tables (inside the caller's transaction)."""
    conn.execute(sessions_table())
    conn.execute(SESSIONS_INDEX)
    for statement in CHILD_TABLES:
        conn.execute(statement)


def upgrade_from_1(conn: sqlite3.Connection) -> None:
    """Format 1 to 2, inside the caller's transaction, with foreign keys off (the caller's job:
    dropping the old `sessions` table must not cascade to the choices that point at it)."""
    columns = ", ".join(SESSION_COLUMNS)
    conn.execute(sessions_table("sessions_v2"))
    conn.execute("PRAGMA ignore_check_constraints = ON")   # copy even a row that was already bad: lose nothing
    try:
        conn.execute(f"INSERT INTO sessions_v2 ({columns}) SELECT {columns} FROM sessions")
    finally:
        conn.execute("PRAGMA ignore_check_constraints = OFF")
    copied = conn.execute("SELECT COUNT(*) FROM sessions_v2").fetchone()[0]
    if copied != conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0]:
        raise sqlite3.IntegrityError("the upgrade did not copy every session")
    conn.execute("DROP TABLE sessions")
    conn.execute("ALTER TABLE sessions_v2 RENAME TO sessions")
    conn.execute(SESSIONS_INDEX)


def foreign_objects(conn: sqlite3.Connection) -> str | None:
    """Why the file holds something this game never makes, or None: read nothing but our own tables.

    A view or trigger could run anything when read or written (a view named `sessions` that never
    ends); a virtual table or computed column is code too. Extra plain tables are left alone.
    """
    objects = conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    for kind, name, _ in objects:
        if kind in ("view", "trigger"):
            return f"it holds a {kind} named {name!r}, which this game never makes"
    tables = {str(name).lower(): (kind, sql or "") for kind, name, sql in objects if kind in ("table", "index")}
    for table in TABLES:
        kind, sql = tables.get(table, ("", ""))
        if kind != "table":
            return f"it has no table {table!r}" if not kind else f"{table!r} is an {kind}, not a table"
        if sql.lstrip().upper().startswith("CREATE VIRTUAL"):
            return f"{table!r} is a virtual table, which this game never makes"
        info = conn.execute(f"PRAGMA table_xinfo({table})").fetchall()
        if any(row[6] for row in info):
            return f"the table {table!r} has computed columns, which this game never makes"
        missing = set(COLUMNS[table]) - {row[1] for row in info}
        if missing:
            return f"the table {table!r} has no column {sorted(missing)[0]!r}"
    return None
