"""The report's CSV, joined by SQL, is byte for byte the CSV written from each session's values (`csv_text`)."""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.results.db import ObjectiveRecord, ResultsDB, RoleRecord, SessionRecord, merge
from game.results.report import csv_text, write_merged_csv

# Text made mostly of what a CSV cell or a spreadsheet treats specially, the rest of Unicode mixed in
# (not NUL: SQLite ends text there, so the reader skips such a row as bad; tests/test_results_reader.py).
TRICKY = (st.text(alphabet=st.sampled_from("=+-@\t\r\n;,'\" x1éÉ\x1f\u00a0"), min_size=1, max_size=12)
          | st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1, max_size=12) | st.sampled_from(["shah", "soviet", "a.b-c", "x1"]))
# Halves at one decimal, where a rounding would show (SQLite keeps no -0.0: it reads back as 0.0).
DURATIONS = st.floats(0, 30 * 24 * 3600, allow_nan=False) | st.sampled_from([0.05, 0.25, 2.45, 0.15, 59.95])
ROLES = st.sampled_from(["shah", "soviet", "=cmd", "a,b", "É"])


@st.composite
def sessions(draw, number: int) -> SessionRecord:
    roles = draw(st.lists(ROLES, unique=True, max_size=3))
    objective_ids = draw(st.lists(TRICKY, unique=True, max_size=4))
    finished = draw(st.booleans()) or number == 0
    return SessionRecord(
        uid=f"{draw(st.sampled_from(['', '=', 'é', '-']))}{number:04d}{draw(st.sampled_from(['', ',x', ';y']))}",
        scenario=draw(TRICKY), mode=draw(st.sampled_from(["text", "window", "kiosk", "web"])),
        roles=draw(TRICKY), path=draw(TRICKY),
        started_at=f"2026-03-{draw(st.integers(1, 28)):02d}T{draw(st.integers(0, 23)):02d}:00:00Z",
        duration_s=draw(DURATIONS), status="finished" if finished else "abandoned",
        ending=draw(TRICKY) if finished else None, ending_historical=draw(st.booleans()) if finished else None,
        app_version=draw(TRICKY), autoplay=draw(st.sampled_from(["", "record", "random"])),
        role_results=tuple(RoleRecord(role, matched, matched + extra) for role, matched, extra in
                           ((role, draw(st.integers(0, 9)), draw(st.integers(0, 9))) for role in roles)),
        objectives=tuple(ObjectiveRecord(draw(ROLES), objective, draw(st.booleans())) for objective in objective_ids))


@st.composite
def classes(draw) -> list[SessionRecord]:
    return [draw(sessions(n)) for n in range(draw(st.integers(1, 12)))]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(classes(), st.integers(0, 12))
def test_the_csv_joined_by_sql_is_the_csv_of_each_session(tmp_path: Path, records, split):
    """Every kind of value in every cell: a plain line is written as SQL joined it, any other from its values."""
    files = [tmp_path / "a.sqlite", tmp_path / "b.sqlite"]
    for path in files:
        path.unlink(missing_ok=True)
    for path, part in zip(files, (records[:split], records[split:]), strict=True):
        with ResultsDB(path) as db:
            db.add(part)
    merged = merge(files, with_choices=False)
    try:
        out = io.StringIO()
        write_merged_csv(out, merged)
    finally:
        merged.close()
    finished = sorted((r for r in records if r.status == "finished"), key=lambda r: (r.started_at, r.uid))
    assert out.getvalue() == csv_text(finished)


def test_a_plain_line_is_written_as_joined_and_a_formula_is_defused(tmp_path: Path):
    """The two ways a row is written, side by side in one file."""
    plain = SessionRecord("u1", "moscow-1956", "web", "shah", "full", "2026-03-02T09:00:00Z", 61.25, "finished",
                          "pact", True, "0.1.0", role_results=(RoleRecord("shah", 3, 5),),
                          objectives=(ObjectiveRecord("shah", "shah.trade", True),
                                      ObjectiveRecord("shah", "shah.ease", False)))
    formula = SessionRecord("u2", "moscow-1956", "web", "shah", "full", "2026-03-02T10:00:00Z", 30.0, "finished",
                            "=HYPERLINK(1)", False, "0.1.0", role_results=(RoleRecord("shah", 1, 5),))
    path = tmp_path / "results.sqlite"
    with ResultsDB(path) as db:
        db.add([plain, formula])
    merged = merge([path], with_choices=False)
    try:
        out = io.StringIO()
        write_merged_csv(out, merged)
    finally:
        merged.close()
    assert out.getvalue().splitlines()[1:] == [
        "u1,moscow-1956,2026-03-02T09:00:00Z,61.2,web,shah,full,,pact,1,3,5,shah.trade=1;shah.ease=0,0.1.0",
        "u2,moscow-1956,2026-03-02T10:00:00Z,30.0,web,shah,full,,'=HYPERLINK(1),0,1,5,,0.1.0",
    ]
