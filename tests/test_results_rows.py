"""The read rules of rows.py: `good` is exactly "every rule holds", for any value in any column."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.results.rows import RULES, good

# Every kind of value SQLite can hold, with the edges of the rules (0, 1, 2, negative, too long, empty).
VALUES = st.one_of(
    st.none(), st.sampled_from([0, 1, 2, -1, 5, 100_000, 100_001, 2_592_000, 2_592_001]),
    st.integers(-(2**63), 2**63 - 1), st.floats(allow_nan=False), st.sampled_from([0.0, 1.0, 2.5, -5.0]),
    st.sampled_from(["", "x", "x" * 40, "x" * 41, "x" * 64, "x" * 65, "x" * 200, "x" * 201, "finished",
                     "abandoned", "web", "kiosk", "record", "random", "2026-03-02T09:30:00Z", "yesterday", "1", "0"]),
    st.text(max_size=5), st.binary(max_size=3),
)


def each_rule(table: str) -> str:
    """The rules with an IFNULL around each (the form `good` had): NULL counts as broken."""
    return "(" + " AND ".join(f"IFNULL(({rule.sql.format(t='')}), 0)" for rule in RULES[table]) + ")"


@pytest.fixture(scope="module")
def conn():
    """A table per results table, without types: a value is kept as it is given (no affinity)."""
    connection = sqlite3.connect(":memory:")
    for table, rules in RULES.items():
        columns = sorted({rule.column for rule in rules})
        connection.execute(f"CREATE TABLE {table} ({', '.join(columns)})")
    yield connection
    connection.close()


@pytest.mark.parametrize("table", list(RULES))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_good_is_every_rule_and_never_null(conn, table, data):
    columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
    row = [data.draw(VALUES, label=column) for column in columns]
    conn.execute(f"DELETE FROM {table}")
    conn.execute(f"INSERT INTO {table} VALUES ({', '.join('?' * len(columns))})", row)
    together, each = conn.execute(f"SELECT {good(table)}, {each_rule(table)} FROM {table}").fetchone()
    assert together is not None and together == each, dict(zip(columns, row, strict=True))
