""""Your minutes": the session laid out like the memorandum, with the record in a parallel column."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime
from pathlib import Path

from game.engine.autoplay import RecordPolicy
from game.engine.runner import ChoiceEvent, EndEvent, Runner
from game.engine.scoring import build_debrief
from game.engine.state import Spoken
from game.results.minutes_html import minutes_html, save_minutes


def finished(scenario, role: str, picks=None, policy=None) -> Runner:
    runner = Runner(scenario, role)
    picks = list(picks or [])
    while not isinstance(event := runner.advance(), EndEvent):
        if isinstance(event, ChoiceEvent):
            runner.choose(picks.pop(0) if picks else policy.pick(event))
    return runner


def rows(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<td class="session">(.*?)</td><td class="record">(.*?)</td>', page)


def test_a_departure_sits_beside_the_records_words(mini_scenario, tmp_path: Path):
    debrief = build_debrief(finished(mini_scenario, "guest", ["c-weather.rude"]))
    page = minutes_html(debrief, datetime(2026, 3, 2, 10, 15))
    assert "RECORD OF CONVERSATION" in page and "Your session — 2 March 2026." in page and "1 copy." in page
    assert "Moscow, 1 January 1956" in page and "Played by you as: The guest" in page
    table = rows(page)
    assert len(table) == len(debrief.minutes) == 4
    said, record = table[1]
    assert "Host:</span> Welcome. Shall we talk about the weather?" in said and "[¶2]" in said
    assert record == '<span class="mark">¶2</span> Host. Welcome. Shall we talk about the weather?'  # the ¶ itself
    said, record = table[2]
    assert "Left the record here" in said and "Your weather is dreadful." in said
    assert "[invented for the game]" in said
    assert "It is cold in Moscow, but the tea is warm." in record and "[¶3]" in record
    said, record = table[3]
    assert "Then you may leave." in said and "not in the record" in record
    assert "Ending: A cross parting — what really happened: Tea is served." in page
    assert "followed the record at 0 of 1 moments" in page
    out = save_minutes(debrief, tmp_path / "out" / "minutes.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_record_replayed_has_no_departures_and_every_line_a_source(shipped):
    page = minutes_html(build_debrief(finished(shipped, "both", policy=RecordPolicy())))
    table = rows(page)
    assert table and "Left the record here" not in page
    for said, record in table:
        assert re.search(r"\[(¶\d+(, ¶\d+)*|adapted from ¶\d+(, ¶\d+)*)\]</span>$", said), said
        assert record.startswith('<span class="mark">¶') or "as above" in record, record
    assert "Courier" in page and "@media print" in page and "size: A4" in page
    assert "<script" not in page and not re.search(r"(src|href)\s*=", page)


def test_everything_from_the_session_is_escaped(mini_scenario):
    debrief = build_debrief(finished(mini_scenario, "guest", ["c-weather.cold"]))
    planted = Spoken("x", "<b>host</b>", "<script>alert('x')</script> & more", "invented")
    page = minutes_html(dataclasses.replace(debrief, minutes=(*debrief.minutes, planted)))
    assert "<script>" not in page and "<b>host" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in page
