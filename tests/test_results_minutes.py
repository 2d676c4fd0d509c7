""""Your minutes": the session laid out like the memorandum, each paragraph of the record printed once."""

from __future__ import annotations

import dataclasses
import html
import re
from datetime import datetime
from pathlib import Path

import pytest
from markupsafe import escape

from game.cli import main
from game.engine.autoplay import RecordPolicy
from game.engine.runner import ChoiceEvent, EndEvent, Runner
from game.engine.scoring import build_debrief
from game.engine.source_text import ELLIPSIS, normalise
from game.engine.state import Spoken
from game.results.db import ResultsDB
from game.results.minutes_html import minutes_html, save_minutes


class Steer:
    """The record's options, except where `picks` says otherwise (choice id -> option id)."""

    def __init__(self, picks: dict[str, str] | None = None):
        self.picks = picks or {}

    def pick(self, event: ChoiceEvent):
        wanted = self.picks.get(event.choice.id)
        return next((o for o in event.options if o.id == wanted), None) or RecordPolicy().pick(event)


def finished(scenario, role: str, picks=None, policy=None, path: str | None = None) -> Runner:
    runner = Runner(scenario, role, path) if path else Runner(scenario, role)
    picks = list(picks or [])
    while not isinstance(event := runner.advance(), EndEvent):
        if isinstance(event, ChoiceEvent):
            runner.choose_id(picks.pop(0)) if picks else runner.choose(policy.pick(event))
    return runner


RUN = re.compile(r'<div class="(run[^"]*)"><div class="said">(.*?)</div>(?:<div class="record">(.*?)</div>)?</div>')


def runs(page: str) -> list[tuple[str, str, str]]:
    """(css classes, what was said, the record beside it) for each block of the minutes."""
    return RUN.findall(page)


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_a_departure_sits_beside_the_records_words(mini_scenario, tmp_path: Path):
    debrief = build_debrief(finished(mini_scenario, "guest", ["c-weather.rude"]))
    page = minutes_html(debrief, datetime(2026, 3, 2, 10, 15))
    assert "RECORD OF CONVERSATION" in page and "Your session — 2 March 2026." in page and "1 copy." in page
    assert "Moscow, 1 January 1956" in page and "Played by you as: The guest" in page
    blocks = runs(page)
    assert len(blocks) == len(debrief.minutes) == 4
    css, said, record = blocks[1]             # the host's line: ¶2 said whole, printed once, in ink
    assert "merged" in css and not record
    assert text_of(said) == "Host. Welcome. Shall we talk about the weather? [¶2]" and "unsaid" not in said
    css, said, record = blocks[2]
    assert "left-record" in css and "Left the record here" in said and "Your weather is dreadful." in said
    assert "[invented for the game]" in said
    assert text_of(record) == "The record: Guest: It is cold in Moscow, but the tea is warm. [¶3]"
    css, said, record = blocks[3]             # an invented reply: its mark says so, nothing beside it
    assert "wide" in css and not record and "Then you may leave." in said and "record" not in text_of(said).lower()
    assert "Ending: A cross parting — what really happened: Tea is served." in page
    assert "followed the record at 0 of 1 moments" in page
    out = save_minutes(debrief, tmp_path / "out" / "minutes.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# The full record path of each side, both sides, and the short path: every line from the record.
RECORD_PATHS = [("shah", "full"), ("soviet", "full"), ("both", "full"), ("shah", "short"), ("both", "short")]


@pytest.mark.parametrize(("role", "path"), RECORD_PATHS)
def test_each_paragraph_of_the_record_is_printed_once(shipped, role, path):
    debrief = build_debrief(finished(shipped, role, policy=RecordPolicy(), path=path))
    page = minutes_html(debrief)
    body = text_of(page.split('<div class="minutes">', 1)[1].split('<section class="summary">', 1)[0])
    cited = {ref for entry in debrief.minutes for ref in entry.refs}
    texts = {ref: shipped.source.paragraphs[ref].text for ref in cited}
    for ref, text in texts.items():        # in full, or (said whole in a line) without the speaker's name
        words = re.sub(r"^(?:[A-Z]\.\s?)*[A-Z][a-z]+\.\s+", "", text)
        inside_others = sum(other.count(words) for r, other in texts.items() if r != ref)
        assert body.count(words) - inside_others <= 1, f"¶{ref} is printed {body.count(words)} times"
        assert page.count(f'id="para-{ref}"') == 1           # and it is on the page, where a link can find it
    shown = normalise(body)
    for entry in debrief.minutes:                # and everything said is on the page, word for word
        for piece in ELLIPSIS.split(" " + entry.text + " "):
            piece = normalise(piece).removeprefix("...").removesuffix("...").strip()
            assert not piece or piece in shown, (entry.id, piece)
    assert "Left the record here" not in page


@pytest.mark.parametrize(("role", "path"), RECORD_PATHS)
def test_every_link_leads_to_its_paragraph(shipped, role, path):
    debrief = build_debrief(finished(shipped, role, policy=RecordPolicy(), path=path))
    page = minutes_html(debrief)
    ids = [(m.start(), m.group(1)) for m in re.finditer(r'id="([^"]+)"', page)]
    cited = {ref for entry in debrief.minutes for ref in entry.refs}
    assert sorted(name for _, name in ids) == sorted(f"para-{ref}" for ref in cited)   # each paragraph once
    for link in re.finditer(r'href="#([^"]+)"', page):
        text = page[link.end():page.index("</a>", link.end())]
        above = text.endswith("quoted above]")
        assert above or text.endswith("quoted below]"), text
        assert any((at < link.start()) == above and name == link.group(1) for at, name in ids), link.group(1)
    assert "<script" not in page and not re.search(r"src\s*=|href\s*=\s*\"(?!#)", page)   # nothing fetched
    assert "Courier" in page and "@media print" in page and "size: A4" in page


# Planted minutes of the mini scenario: (refs, provenance) of each line; a ¶ cited again later is a link.
PLANTED = {
    "cited again after another": ([((2,), "record"), ((3,), "record"), ((2,), "record")], {2: 1}),
    "adapted, then cited again": ([((3,), "adapted"), ((4,), "adapted"), ((3,), "adapted")], {3: 1}),
    "two at once, then each": ([((2, 3), "adapted"), ((2,), "record"), ((3,), "adapted")], {2: 1, 3: 1}),
    "three times": ([((4,), "adapted"), ((2,), "record"), ((4,), "record"), ((2,), "adapted"), ((4,), "adapted")],
                    {4: 2, 2: 1}),
}


@pytest.mark.parametrize("case", list(PLANTED))
def test_a_paragraph_cited_again_is_linked_not_repeated(mini_scenario, case):
    lines, links = PLANTED[case]
    debrief = build_debrief(finished(mini_scenario, "guest", ["c-weather.cold"]))
    minutes = tuple(Spoken(f"x{i}", "host", f"Words {i}.", provenance, refs) for i, (refs, provenance) in enumerate(lines))
    page = minutes_html(dataclasses.replace(debrief, minutes=minutes))
    body = text_of(page)
    for ref in {r for refs, _ in lines for r in refs}:
        assert body.count(mini_scenario.source.paragraphs[ref].text) == 1
        assert page.count(f'href="#para-{ref}"') == links.get(ref, 0)


def demand_path(shipped, role: str) -> Runner:
    """The Soviet side asks Iran to leave the pact: the Shah answers at a moment the record never had."""
    return finished(shipped, role, policy=Steer({"act3.c-punish": "act3.c-punish.demand",
                                                 "act3.c-demand": "act3.c-demand.study"}))


@pytest.mark.parametrize("role", ["soviet", "both"])     # the Shah's answer: by the game, or by a player
def test_nothing_claims_the_record_at_an_off_record_moment(shipped, role):
    debrief = build_debrief(demand_path(shipped, role))
    choice = shipped.choices()["act3.c-demand"]
    assert choice.historical is None
    entry = next(e for e in debrief.minutes if e.choice == choice.id)
    page = minutes_html(debrief)
    block = next(b for b in runs(page) if str(escape(entry.text)) in b[1])
    css, said, record = block
    assert "off-record moment" in said and not record and "Left the record here" not in said
    assert "The record:" not in text_of(said)
    assert "off-record moment" in page.split("summary", 1)[1] or role == "soviet"   # not counted for a player


def test_speakers_are_named_as_the_scenario_names_them(shipped, mini_scenario, tmp_path: Path):
    """In the minutes and in the report: the game's narrator as "Narrator (game)", never as the record."""
    results = tmp_path / "r.sqlite"
    with ResultsDB(results) as db:
        db.record_session(finished(shipped, "shah", policy=RecordPolicy()), "text", datetime(2026, 3, 2), 60, "finished")
    assert main(["report", "--results-db", str(results), "--html", str(tmp_path / "r.html")]) == 0
    report = (tmp_path / "r.html").read_text(encoding="utf-8")
    narrated = shipped.options()["act1.c-turkey-reply.record"]
    assert narrated.speaker == "narrator"
    assert f"The record’s option — Narrator (game): “{escape(narrated.text)}”" in report
    page = minutes_html(build_debrief(finished(mini_scenario, "host", ["c-tea.none"])))
    assert "Narrator (game):</span> The conversation ends." in page          # the game's narrator, by its name
    debrief = build_debrief(finished(shipped, "shah", policy=RecordPolicy()))
    page = minutes_html(debrief)
    names = {s.name for s in shipped.speakers.values()}
    for label in re.findall(r'<span class="speaker">(.*?)</span>', page):
        assert html.unescape(label).rstrip(":.") in names, label
    narrated = [e for e in debrief.minutes if e.speaker == "narrator"]
    assert narrated and all(f"Narrator (game):</span> {escape(e.text)}" in page for e in narrated)


def test_everything_from_the_session_is_escaped(mini_scenario):
    debrief = build_debrief(finished(mini_scenario, "guest", ["c-weather.cold"]))
    planted = Spoken("x", "<b>host</b>", "<script>alert('x')</script> & more", "invented")
    page = minutes_html(dataclasses.replace(debrief, minutes=(*debrief.minutes, planted)))
    assert "<script>" not in page and "<b>host" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more" in page
