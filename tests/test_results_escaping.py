"""What comes from content or a results file cannot become markup in a page or a formula in a spreadsheet."""

from __future__ import annotations

import csv
import dataclasses
import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape

from game.engine.runner import ChoiceEvent, EndEvent, Runner
from game.engine.scoring import build_debrief
from game.engine.state import Spoken
from game.results.db import ChoiceRecord, ObjectiveRecord, RoleRecord, SessionRecord
from game.results.minutes_html import minutes_html
from game.results.report import _FORMULA_AT, _cell, _defuse, csv_text

SEPARATORS = (",", ";", "\t")                   # what a spreadsheet may split a line or a cell on
DANGER = ("=", "+", "-", "@", "\t", "\r")
# Text that is mostly the characters that matter, with the rest of Unicode mixed in.
TRICKY = st.text(alphabet=st.sampled_from("=+-@\t\r\n;,'\" x1é"), max_size=24) | st.text(max_size=24)


def unsafe_pieces(cell: str) -> list[str]:
    """Pieces of a cell, split on each separator in turn, that a spreadsheet could run as a formula."""
    pieces = [cell]
    for sep in SEPARATORS:
        pieces += cell.split(sep)
    for line_break in ("\r", "\n"):
        pieces += cell.split(line_break)[1:]
    return [p for p in pieces if p.startswith(DANGER) or p.lstrip().startswith(DANGER[:4])]


@settings(max_examples=1500, deadline=None)
@given(TRICKY)
def test_no_piece_of_a_cell_starts_like_a_formula(text):
    assert unsafe_pieces(_cell(text)) == []


@settings(max_examples=1500, deadline=None)
@given(TRICKY)
def test_a_cell_left_as_it_is_is_one_the_full_rule_leaves_alone(text):
    """The shortcut for plain text (most cells) gives what the whole rule gives."""
    assert _defuse(text) == _FORMULA_AT.sub(r"\1'", text)


@settings(max_examples=200, deadline=None)
@given(st.lists(TRICKY, min_size=9, max_size=9))
def test_a_whole_csv_opened_in_any_locale_has_no_formula_cell(texts):
    uid, scenario, roles, path, started, ending, version, role, objective = texts
    session = SessionRecord(uid, scenario, "text", roles, path, started, 12.5, "finished", ending, True, version,
                            "", (ChoiceRecord(1, role, "c", "o", "o", True, False),),
                            (RoleRecord(role, 1, 1),), (ObjectiveRecord(role, objective, True),))
    text = csv_text([session])
    for delimiter in SEPARATORS:                 # the file read as a spreadsheet in each locale would read it
        for cell in read_cells(text, delimiter):
            assert unsafe_pieces(cell) == [], (delimiter, cell)


def read_cells(text: str, delimiter: str) -> list[str]:
    """The cells of a CSV file read with `delimiter`: by a careful reader, and by a naive one (quotes ignored)."""
    cells = []
    try:
        cells += [cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) for cell in row]
    except csv.Error:
        pass      # a line break inside a field quoted for another delimiter: only the naive reading applies
    for line in re.split(r"\r\n|\r|\n", text):
        cells += [cell.strip('"') for cell in line.split(delimiter)]
    return cells


@pytest.mark.parametrize("text", [
    'x;=HYPERLINK("http://example.com","click")', "x,=1+1", "x\t=1+1", "a;b;@SUM(A1)", "ok; -2+3", "x;\t=1",
    "\t=1", "\r=1", "line\n=cmd|' /C calc'!A0", " =1+1", '"=1', 'x;"=1', '"\t_matched', "=1", "+1", "-1", "@x",
])
def test_formula_pieces_are_defused(text):
    cell = _cell(text)
    assert unsafe_pieces(cell) == [] and cell.replace("'", "") == text.replace("'", "")   # nothing else changes


@pytest.mark.parametrize("value", ["shah", "guest+host", "guest.warm=1;host.tea=0", "2026-03-02T09:30:00Z",
                                   "moscow-1956", "0.1.0", "act1.c-turkey-reply.record", 300.0, 0, 7])
def test_ordinary_values_are_unchanged(value):
    assert _cell(value) == (f"{value:.1f}" if isinstance(value, float) else str(value))


def finished(scenario, role: str, picks: list[str]) -> Runner:
    runner = Runner(scenario, role)
    while not isinstance(event := runner.advance(), EndEvent):
        if isinstance(event, ChoiceEvent):
            runner.choose_id(picks.pop(0))
    return runner


@pytest.mark.parametrize("ref", ["<img src=x onerror=alert(1)>", '1" onmouseover="alert(1)', "2</span><script>x</script>",
                                 "&lt;b&gt;"])
@pytest.mark.parametrize("provenance", ["record", "adapted"])
def test_every_ref_in_the_minutes_is_escaped(mini_scenario, ref, provenance):
    debrief = build_debrief(finished(mini_scenario, "guest", ["c-weather.cold"]))
    planted = Spoken("x", "host", "Some words.", provenance, (ref,))      # refs as an untrusted source could give
    page = minutes_html(dataclasses.replace(debrief, minutes=(*debrief.minutes, planted)))
    body = page.split("<body>", 1)[1]
    assert not re.search(r"<(img|script|b)\b", body) and 'onmouseover="' not in body
    assert str(escape(ref)) in body                        # shown, as text
