"""What a good row of a results file is, written once as SQL, for reading and for reporting.

A results file comes from a laptop or a kiosk, and may have been edited by hand or by another
program: text where a number belongs, NULLs, a mode no version of the game has, a negative time.
Each rule below is a SQL condition on one column. Every read keeps only the rows that meet all of
their table's rules (in SQLite itself, so a big file is still read fast), and `bad_rows` names the
others, with the column and value at fault, so the report can say which row of which file it
skipped. One bad row never costs the rest of the file.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from .schema import AUTOPLAYS, MODES, STATUSES

MAX_DURATION_S = 30 * 24 * 3600     # a window left open for a month is the most a session can be
MAX_COUNT = 100_000                  # more choices than any scenario could have
MAX_ID = 200                         # characters in an id (content ids, ending ids, versions)


@dataclass(frozen=True)
class Rule:
    column: str
    sql: str        # true for a good value; {t} stands for the table's alias and a dot, or nothing
    want: str       # what a good value is, for the message


def _text(column: str, low: int = 1, high: int = MAX_ID) -> Rule:
    return Rule(column, f"typeof({{t}}{column}) = 'text' AND length({{t}}{column}) BETWEEN {low} AND {high}",
                f"text of {low} to {high} characters")


def _one_of(column: str, values: tuple[str, ...]) -> Rule:
    listed = ", ".join("'" + v + "'" for v in values)
    shown = ", ".join(repr(v) for v in values)
    return Rule(column, f"typeof({{t}}{column}) = 'text' AND {{t}}{column} IN ({listed})", f"one of {shown}")


def _flag(column: str) -> Rule:
    return Rule(column, f"typeof({{t}}{column}) = 'integer' AND {{t}}{column} IN (0, 1)", "0 or 1")


def _count(column: str, low: int = 0) -> Rule:
    return Rule(column, f"typeof({{t}}{column}) = 'integer' AND {{t}}{column} BETWEEN {low} AND {MAX_COUNT}",
                f"a whole number from {low} to {MAX_COUNT}")


def _row_id(column: str) -> Rule:
    """A reference to a session's row id: any positive whole number (a file may hold millions)."""
    return Rule(column, f"typeof({{t}}{column}) = 'integer' AND {{t}}{column} >= 1", "a whole number from 1")


RULES: dict[str, tuple[Rule, ...]] = {
    "sessions": (
        _text("uid", high=64), _text("scenario"), _one_of("mode", MODES), _text("roles"), _text("path"),
        Rule("started_at", "typeof({t}started_at) = 'text' AND length({t}started_at) <= 40 "
                           "AND julianday({t}started_at) IS NOT NULL", "a date and time like 2026-03-02T09:30:00Z"),
        Rule("duration_s", "typeof({t}duration_s) IN ('integer', 'real') "
                           f"AND {{t}}duration_s BETWEEN 0 AND {MAX_DURATION_S}",
             f"seconds, from 0 to {MAX_DURATION_S}"),
        _one_of("status", STATUSES),
        Rule("ending", "CASE WHEN {t}status = 'finished' THEN typeof({t}ending) = 'text' "
                       f"AND length({{t}}ending) BETWEEN 1 AND {MAX_ID} ELSE {{t}}ending IS NULL END",
             "an ending id for a finished session, empty for one cut short"),
        Rule("ending_historical", "CASE WHEN {t}status = 'finished' THEN typeof({t}ending_historical) = 'integer' "
                                  "AND {t}ending_historical IN (0, 1) ELSE {t}ending_historical IS NULL END",
             "0 or 1 for a finished session, empty for one cut short"),
        _text("app_version", high=40), _one_of("autoplay", AUTOPLAYS),
    ),
    "choices": (
        _row_id("session_id"), _count("seq", 1), _text("role"), _text("choice_id"), _text("option_id"),
        _text("historical_option_id", low=0), _flag("followed"), _flag("auto"),
    ),
    "role_results": (
        _row_id("session_id"), _text("role"), _count("matched"), _count("total"),
        Rule("matched", "{t}matched <= {t}total", "no more than total"),
    ),
    "objectives": (_row_id("session_id"), _text("role"), _text("objective_id"), _flag("met")),
}


def good(table: str, alias: str = "", columns: tuple[str, ...] | None = None) -> str:
    """A SQL condition true for the rows of `table` that meet every rule (`alias`: e.g. "s"), or
    every rule on one of `columns`.

    The rules are joined as they are, without an IFNULL around each: a rule is NULL only where a
    value it compares is NULL (`matched <= total`), and then that column's own rule is false, so
    the whole condition is never NULL (0 or 1, as `bad_rows` counts). Left bare, SQLite stops at
    the first rule a row breaks instead of building a value for each rule: a read of every row
    takes about a third less time. tests/test_results_rows.py holds this form equal to the one with
    an IFNULL around each rule, on every kind of value in every column.
    """
    t = f"{alias}." if alias else ""
    rules = [rule for rule in RULES[table] if columns is None or rule.column in columns]
    return "(" + " AND ".join(f"({rule.sql.format(t=t)})" for rule in rules) + ")"


@dataclass(frozen=True)
class BadRow:
    """A row that was skipped: which table, which row (its rowid), and what was wrong with it."""

    table: str
    rowid: int
    problems: tuple[str, ...]

    def describe(self) -> str:
        return f"{self.table} row {self.rowid}: " + "; ".join(self.problems)


def _shown(kind: str, start: object) -> str:
    """A value as the message shows it: its type, and at most its first 40 characters."""
    if kind == "null":
        return "empty (NULL)"
    if kind == "blob":
        return "binary data"
    if kind in ("integer", "real"):
        return f"{start} ({kind})"
    text = str(start)
    return f"{text[:40]!r}{'…' if len(text) > 40 else ''} ({kind})"


def bad_rows(conn: sqlite3.Connection, table: str, limit: int = 1000) -> tuple[list[BadRow], int]:
    """The first `limit` rows of `table` that break a rule, and how many break one in all."""
    rules = RULES[table]
    total = conn.execute(f"SELECT COUNT(*) FROM {table} WHERE NOT {good(table)}").fetchone()[0]
    if not total:
        return [], 0
    checks = ", ".join(f"IFNULL(({rule.sql.format(t='')}), 0), typeof({rule.column}), substr({rule.column}, 1, 41)"
                       for rule in rules)
    found = []
    for rowid, *values in conn.execute(f"SELECT rowid, {checks} FROM {table} WHERE NOT {good(table)} "
                                       f"ORDER BY rowid LIMIT ?", (limit,)):
        problems = []
        for rule, (ok, kind, start) in zip(rules, zip(values[::3], values[1::3], values[2::3], strict=True),
                                           strict=True):
            if not ok:
                problems.append(f"{rule.column} is {_shown(kind, start)}, not {rule.want}")
        found.append(BadRow(table, rowid, tuple(problems)))
    return found, total
