"""The report's figures, asked of a merged database by SQL (db.merge): counts by GROUP BY, rows streamed.

The report never holds every session: each figure is asked of the working database by SQL
(GROUP BY, a few rows back), and the CSV's rows are read one session at a time. Where the report lists things in the order they
were first seen (roles, objectives, ties between counts), "first" is the session numbered first:
a merged database numbers its sessions in the report's order (by start, then uid), and keeps a
session's rows in the order of the file they came from. Means of measured values (durations,
shares) are exact, as `statistics.mean` takes them of a list (SQLite's AVG rounds at every step),
so no figure changes by a rounding.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction

from .db import ResultsDB

FINISHED = "s.status = 'finished'"
COUNTED_COLUMNS = ("mode", "roles", "path")   # the columns `counted` may group by (never a caller's text)
_SESSION_VALUES = ("s.id, s.uid, s.scenario, s.mode, s.roles, s.path, s.started_at, s.duration_s, s.status, "
                   "s.ending, s.ending_historical, s.app_version, s.autoplay")
_FINEST = 2 ** 1074     # the denominator of the smallest float: every float is a whole number of its inverse
# Where a side's row stands among the rows of the first session that played it (g: role, first session).
_FIRST_ROLE_ROW = "(SELECT r.rowid FROM role_results r WHERE r.session_id = g.first AND r.role = g.role)"


@dataclass(frozen=True)
class ScenarioCount:
    scenario_id: str
    finished: int
    abandoned: int


@dataclass(frozen=True)
class SideTotal:
    """One side's results over the finished sessions that played it."""

    role: str
    sessions: int
    share: float          # the mean share of the record matched, over sessions with moments to match
    matched: int          # summed over the sessions
    total: int


@dataclass(frozen=True)
class ObjectiveTotal:
    role: str
    objective_id: str
    met: int
    of: int


def exact_mean(values: Iterable[float]) -> float | None:
    """The mean of `values` rounded once, as `statistics.mean` gives it (None: no values), in one pass.

    Every finite float is a whole multiple of 2**-1074, so the sum is kept exactly as a whole
    number of those (a big int: far quicker than the Fractions statistics.mean adds).
    """
    return exact_weighted_mean((value, 1) for value in values)


def exact_weighted_mean(counted: Iterable[tuple[float, int]]) -> float | None:
    """As `exact_mean`, of each value taken as many times as it is counted (the same float, bit for bit).

    The report's shares are few distinct values (matched of total) over many sessions: SQL counts
    them, and the sum is made of a few hundred products instead of a term a session.
    """
    total = count = 0
    for value, times in counted:
        numerator, denominator = value.as_integer_ratio()
        total += numerator * (_FINEST // denominator) * times
        count += times
    return float(Fraction(total, _FINEST * count)) if count else None


def scenarios(db: ResultsDB) -> list[ScenarioCount]:
    """Every scenario with a session, and how many of its sessions finished and were cut short."""
    return [ScenarioCount(*row) for row in db.rows(
        f"SELECT s.scenario, SUM({FINISHED}), SUM(NOT {FINISHED}) FROM sessions s GROUP BY s.scenario")]


def counted(db: ResultsDB, scenario_id: str, column: str) -> list[tuple[str, int]]:
    """The finished sessions by `column`'s value, most first; a tie in the order first seen (Counter.most_common)."""
    if column not in COUNTED_COLUMNS:
        raise ValueError(f"column must be one of {COUNTED_COLUMNS}, not {column!r}")
    return [(value, n) for value, n in db.rows(
        f"SELECT s.{column}, COUNT(*) AS n FROM sessions s WHERE s.scenario = ? AND {FINISHED} "
        f"GROUP BY s.{column} ORDER BY n DESC, MIN(s.id)", (scenario_id,))]


def mean_minutes(db: ResultsDB, scenario_id: str) -> float | None:
    """The mean duration of the finished sessions in minutes (None: there are none)."""
    mean = exact_mean(float(d) for (d,) in db.each(
        f"SELECT s.duration_s FROM sessions s WHERE s.scenario = ? AND {FINISHED}", (scenario_id,)))
    return None if mean is None else mean / 60


def autoplayed(db: ResultsDB, scenario_id: str) -> int:
    """Finished sessions played by the computer (a replay of the record, a test)."""
    return db.rows(f"SELECT COUNT(*) FROM sessions s WHERE s.scenario = ? AND {FINISHED} AND s.autoplay != ''",
                   (scenario_id,))[0][0]


def endings(db: ResultsDB, scenario_id: str) -> dict[str, tuple[int, bool]]:
    """Per ending reached by finished sessions: how many reached it, and whether a session called it the record's."""
    return {ending: (n, bool(historical)) for ending, n, historical in db.rows(
        f"SELECT IFNULL(s.ending, ''), COUNT(*), MAX(s.ending_historical) FROM sessions s "
        f"WHERE s.scenario = ? AND {FINISHED} GROUP BY s.ending", (scenario_id,))}


def paths(db: ResultsDB, scenario_id: str) -> list[str]:
    """The paths of the finished sessions (in no order: the report puts them in the scenario's)."""
    return [path for (path,) in db.rows(f"SELECT DISTINCT s.path FROM sessions s WHERE s.scenario = ? AND {FINISHED}",
                                        (scenario_id,))]


def _in_finished(table: str, scenario: bool) -> str:
    """`table`'s rows (alias t) that belong to finished sessions (of the scenario given as `?`, if `scenario`)."""
    where = f"s.scenario = ? AND {FINISHED}" if scenario else FINISHED
    return f"{table} t JOIN sessions s ON s.id = t.session_id WHERE {where}"


def sides(db: ResultsDB, scenario_id: str) -> list[SideTotal]:
    """Each side played in the finished sessions, in the order first seen."""
    out = []
    for role, sessions, matched, total in db.rows(
            "SELECT g.role, g.n, g.matched, g.total FROM (SELECT t.role, COUNT(*) AS n, SUM(t.matched) AS matched, "
            f"SUM(t.total) AS total, MIN(t.session_id) AS first FROM {_in_finished('role_results', True)} "
            f"GROUP BY t.role) g ORDER BY g.first, {_FIRST_ROLE_ROW}", (scenario_id,)):
        share = exact_weighted_mean((m / n, times) for m, n, times in db.each(
            f"SELECT t.matched, t.total, COUNT(*) FROM {_in_finished('role_results', True)} "
            "AND t.role = ? AND t.total > 0 GROUP BY t.matched, t.total", (scenario_id, role)))
        out.append(SideTotal(role, sessions, 0.0 if share is None else share, matched, total))
    return out


def objectives(db: ResultsDB, scenario_id: str) -> list[ObjectiveTotal]:
    """Each objective of the finished sessions: how many met it, of how many that had it, in the order first seen."""
    return [ObjectiveTotal(*row) for row in db.rows(
        "SELECT g.role, g.objective_id, g.met, g.n FROM (SELECT t.role, t.objective_id, SUM(t.met) AS met, "
        f"COUNT(*) AS n, MIN(t.session_id) AS first FROM {_in_finished('objectives', True)} "
        "GROUP BY t.role, t.objective_id) g ORDER BY g.first, (SELECT o.rowid FROM objectives o "
        "WHERE o.session_id = g.first AND o.role = g.role AND o.objective_id = g.objective_id)", (scenario_id,))]


def roles(db: ResultsDB) -> list[str]:
    """Every role played in the finished sessions, in the order first seen (the CSV's columns)."""
    return [role for (role,) in db.rows(
        f"SELECT g.role FROM (SELECT t.role, MIN(t.session_id) AS first FROM {_in_finished('role_results', False)} "
        f"GROUP BY t.role) g ORDER BY g.first, {_FIRST_ROLE_ROW}")]


@dataclass(frozen=True)
class SessionRows:
    """One session's rows as read: its columns (SESSION_COLUMNS without the id), results and objectives."""

    values: tuple
    results: list[tuple]       # (role, matched, total), in the file's order
    objectives: list[tuple]    # (role, objective id, met)


def csv_pieces(db: ResultsDB, roles: list[str]) -> Iterator[tuple[int, str | None, float, str | None]]:
    """Per finished session in the report's order: (id, the CSV cells before its duration, the duration,
    the cells after it), the cells joined by commas as they are, by SQL, its objectives by semicolons.

    The cells are the values as stored, not made safe: the report writes a line so made only where
    nothing in it needs quoting or defusing, and otherwise writes that session's row from its values
    (`session_rows`). A role a session did not play is two empty cells. A session's objectives are
    found by the index on their session, so in the order they were copied (the file's), which the
    subquery's ORDER BY asks for without a sort; SQLite feeds group_concat the rows of such a
    subquery in its order (an aggregate over an ORDER BY subquery is never flattened).
    """
    role_cells = "".join(" || ',' || IFNULL((SELECT r.matched || ',' || r.total FROM role_results r "
                         "WHERE r.session_id = s.id AND r.role = ?), ',')" for _ in roles)
    yield from db.each(
        "SELECT s.id, s.uid || ',' || s.scenario || ',' || s.started_at, s.duration_s, "
        "s.mode || ',' || s.roles || ',' || s.path || ',' || s.autoplay || ',' || s.ending || ',' "
        f"|| s.ending_historical{role_cells} || ',' || IFNULL((SELECT group_concat(cell, ';') FROM "
        "(SELECT o.objective_id || '=' || o.met AS cell FROM objectives o WHERE o.session_id = s.id "
        f"ORDER BY o.rowid)), '') || ',' || s.app_version FROM sessions s WHERE {FINISHED} ORDER BY s.id", roles)


def session_rows(db: ResultsDB, session_id: int) -> SessionRows:
    """One session's columns, results and objectives (in the order they were copied)."""
    values = db.rows(f"SELECT {_SESSION_VALUES} FROM sessions s WHERE s.id = ?", (session_id,))[0][1:]
    results = db.rows("SELECT role, matched, total FROM role_results WHERE session_id = ? ORDER BY rowid",
                      (session_id,))
    met = db.rows("SELECT role, objective_id, met FROM objectives WHERE session_id = ? ORDER BY rowid", (session_id,))
    return SessionRows(tuple(values), results, met)
