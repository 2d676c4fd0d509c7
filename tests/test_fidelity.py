"""The record speaks only its own words, everywhere the game shows it.

Rules checked over the whole shipped content and every front end: the record's voice speaks only
record text and invented narration has a narrator of its own; historical options are moments the
record shows; adapted text adds no names, numbers or commitments; invented endings never close
in the memorandum's voice; every source shown is a real citation.
"""

from __future__ import annotations

import io
import random
import re
from pathlib import Path

import pytest

from game.engine.autoplay import RandomPolicy, RecordPolicy, play_out
from game.engine.citations import cite_list, sources_page
from game.engine.runner import BOTH, ChoiceEvent, EndEvent, Runner
from game.engine.scoring import build_debrief
from game.engine.source_text import normalise
from game.text import format as fmt
from game.text.play import TextSession

CLOSING = {104, 105, 106, 107}     # "At this, the meeting was closed." … "30.VI."


def spoken_items(scenario):
    for node in scenario.nodes.values():
        yield from node.lines
        if node.choice:
            yield from node.choice.options


def voice(scenario, speaker_id: str) -> str:
    speaker = scenario.speakers.get(speaker_id)
    return speaker.voice if speaker else "person"


def test_the_records_voice_speaks_only_record_text_and_the_narrator_never_does(shipped, mini_scenario):
    for scenario in (shipped, mini_scenario):
        voices = {s.voice for s in scenario.speakers.values()}
        assert {"record", "narrator"} <= voices
        for item in spoken_items(scenario):
            if voice(scenario, item.speaker) == "record":
                assert item.provenance == "record", item.id
            if voice(scenario, item.speaker) == "narrator":
                assert item.provenance != "record", item.id


def test_narrator_lines_are_marked_as_the_games_in_every_front_end(shipped, monkeypatch, tmp_path):
    """Text mode, the window, the minutes and the report all name the narrator as the game's."""
    from game.results.minutes_html import minutes_html

    narrators = [s.name for s in shipped.speakers.values() if s.voice == "narrator"]
    assert narrators and all("(game)" in name for name in narrators)   # every game voice says it is the game's
    narrator = shipped.speakers["narrator"].name
    # text mode: a session that hears the narrator (the short path's summaries)
    out = io.StringIO()
    TextSession(shipped, "shah", "short", out, io.StringIO(), RecordPolicy(), err=io.StringIO()).run()
    lines = [ln for ln in out.getvalue().splitlines() if ln.startswith(f"{narrator}: ")]
    assert lines and all(re.search(r"\[(adapted from ¶[\d, ¶]+|invented for the game)\]$", ln) for ln in lines)
    # the minutes of the same session
    runner = play(shipped, "shah", "short", RecordPolicy())
    page = minutes_html(build_debrief(runner))
    assert narrator in page
    # the window: the speaker's name on the memo, and the provenance line under it
    from game.session.play import OnScreen, PlaySession
    from game.ui.scenes.dialogue import DialogueScene

    from .ui_driver import make_app, rendered_texts

    app = make_app(shipped, monkeypatch, tmp_path, title=False)
    drawn = rendered_texts(app)
    for item in spoken_items(shipped):
        if voice(shipped, item.speaker) == "narrator" and not hasattr(item, "goto"):
            session = PlaySession(shipped, "shah")
            session.shown = OnScreen(line=item)
            app.push(DialogueScene(app, session))
            app.frame(0.05)
            mark = "INVENTED FOR THE GAME" if item.provenance == "invented" else "Adapted (shortened) from the record"
            assert narrator in drawn and any(mark in t for t in drawn), item.id
            drawn.clear()
            app.pop()


def play(scenario, role, path, policy) -> Runner:
    runner = Runner(scenario, role, path)
    play_out(runner, policy)
    return runner


def test_every_historical_option_is_a_moment_the_record_shows(shipped):
    for choice in shipped.choices().values():
        if choice.off_record:
            assert choice.historical is None and sum(o.default for o in choice.options) == 1, choice.id
        else:
            assert choice.historical.provenance in ("record", "adapted"), choice.id
            assert choice.historical.refs, choice.id


def off_record_session(scenario):
    """A two-player session that reaches the off-record moment (Khrushchev's invented demand,
    which the Shah's player must answer)."""
    for seed in range(3000):
        runner = Runner(scenario, BOTH, "full")
        rng = random.Random(seed)
        while not isinstance(event := runner.advance(), EndEvent):
            if isinstance(event, ChoiceEvent):
                runner.choose(rng.choice(event.options))
        if any(c.off_record and not c.auto for c in runner.state.chosen):
            return runner
    raise AssertionError("no random session reached an off-record moment")


def test_an_off_record_moment_is_never_called_the_record_in_any_debrief(shipped):
    runner = off_record_session(shipped)
    for decision in runner.state.chosen:
        if decision.off_record:
            assert not decision.followed
    report = build_debrief(runner)
    text = fmt.debrief(report)
    for result in report.roles:
        assert result.total == sum(1 for c in result.comparisons if not c.off_record)
    # the text mode never says "same as the record" / "as in the record" for it
    moments = {shipped.choices()[c.choice].moment for c in runner.state.chosen if c.off_record}
    for line in text.splitlines():
        if any(m in line for m in moments):
            assert "off the record" in line and "as in the record" not in line and "same as" not in line, line


@pytest.mark.parametrize("role", ["shah", "both"])
def test_the_window_debrief_says_off_record_moments_are_not_in_the_record(shipped, monkeypatch, tmp_path, role):
    from game.session.play import PlaySession
    from game.ui.scenes.debrief import DebriefScene

    from .ui_driver import document_text, make_app

    runner = off_record_session(shipped) if role == "both" else play(shipped, "shah", "full", RecordPolicy())
    app = make_app(shipped, monkeypatch, tmp_path, title=False)
    session = PlaySession(shipped, runner.state.role)
    session.runner = runner
    app.push(DebriefScene(app, session))
    app.scene.choose_tab(1)
    text = document_text(app)
    assert "The record (The record)" not in text and "(Narrator (game))" not in text
    if role == "both":
        assert "off the record" in text and "Not in the record" in text


REPORTING = {"Shah", "Moscow", "Soviet", "Iran", "Iranian", "USSR"}
KEY_TERMS = re.compile(r"\b(communiqu\w*|treat\w*|agreement\w*|document\w*|demand\w*|pact\w*|bases?|bomb\w*|declar\w*|"
                       r"promis\w*|guarantee\w*|statement\w*|threat\w*|leav\w*|withdraw\w*|insist\w*|accept\w*|"
                       r"refus\w*)\b", re.IGNORECASE)
ALLOWED: dict[str, set[str]] = {}   # id -> words an adapted line may add (none today: add one only with a reason)


def new_facts(text: str, cited: str) -> set[str]:
    """Names, numbers and commitment words of `text` that the cited paragraphs do not have."""
    source = re.sub(r"(?<=\d)[,.](?=\d{3})", "", normalise(cited).lower())   # 1,200 = 1200
    stems = {w[:6] for w in re.findall(r"[a-zà-ÿ']+", source)}
    body = re.sub(r"(?<=\d)[,.](?=\d{3})", "", normalise(text))
    found = set(re.findall(r"\d+", body))
    found |= {m.group(0) for m in KEY_TERMS.finditer(body)}
    # capitalised words that do not start a sentence (a name, a country, an institution)
    found |= {m.group(1) for m in re.finditer(r"(?<![.!?“\"]\s)(?<!^)\b([A-Z][a-zà-ÿ]+)", body)}
    out = set()
    for word in found:
        plain = word.lower().removesuffix("'s").rstrip(".,")
        if word in REPORTING or plain in source or plain[:6] in stems:
            continue
        out.add(word)
    return out


def test_adapted_text_adds_no_names_numbers_or_commitments(shipped):
    """An adapted line shortens or rewords its ¶; a name, a number or a word like "communiqué",
    "treaty" or "demand" that its ¶ does not have would add meaning."""
    problems = {}
    for item in spoken_items(shipped):
        if item.provenance != "adapted":
            continue
        cited = " ".join(shipped.source.paragraphs[r].text for r in item.refs)
        extra = new_facts(item.text, cited) - ALLOWED.get(item.id, set())
        if extra:
            problems[item.id] = sorted(extra)
    assert not problems, problems


def test_the_adapted_check_catches_the_faults_it_is_for():
    cited = "K. Voroshilov: Your statement is quite sufficient for us."
    assert new_facts("Our joint communiqué will let everybody read it.", cited) == {"communiqué"}
    assert new_facts("We demand your statement.", cited) == {"demand"}
    assert new_facts("Your statement is sufficient, says Voroshilov.", cited) == set()
    assert "1907" in new_facts("Since 1907 your statement is sufficient.", cited)


@pytest.mark.parametrize("role", ["shah", "soviet", BOTH])
@pytest.mark.parametrize("path", ["full", "short"])
def test_invented_endings_never_close_in_the_memorandums_voice(shipped, role, path):
    """The memorandum's closing lines (¶104–¶107) are spoken only in a session that ends as the
    record does; any other ending hears the narrator say how the real record closes."""
    endings_seen = set()
    for seed in range(150):
        runner = play(shipped, role, path, RandomPolicy(seed) if seed else RecordPolicy())
        ending = runner.state.ending
        endings_seen.add(ending)
        closing = [s for s in runner.state.spoken if voice(shipped, s.speaker) == "record" and CLOSING & set(s.refs)]
        if ending == shipped.historical_ending.id:
            continue
        assert not closing, (seed, ending, [c.text for c in closing])
    assert len(endings_seen) >= 3


def test_every_source_shown_is_a_real_citation(shipped):
    """No file name players do not have, no bare "US diplomatic cables": each work on the Sources
    page has a title and a date, volume or number, and every list a player sees resolves to it."""
    entries = sources_page(shipped)
    assert len(entries) >= 40
    for entry in entries:
        cite = entry.citation.cite
        assert not re.search(r"HISTORY|\.(md|ya?ml|py|txt)\b|(^|\s)[/~]\w|\w:\\", cite), cite   # no file of ours
        reference_work = re.search(r"Encyclop|Britannica|Oxford Reference|Treccani|Wikipedia|Dizionario", cite)
        assert reference_work or re.search(r"\d", cite), f"no date, volume or number: {cite}"
        assert re.search(r"“|\"|vol\.|doc\.|Encyclop|Britannica|Treaty|TIME|Flight|Yle|Wikipedia", cite), cite
        assert entry.used_in, f"{entry.citation.id} is cited nowhere"
    lists = [g.sources for g in shipped.glossary] + [e.sources for e in shipped.endings]
    lists += [h.sources for h in shipped.history] + [c.sources for c in shipped.choices().values() if c.sources]
    assert len(lists) > 80
    on_page = {e.citation.id for e in entries}
    for refs in lists:
        text = cite_list(shipped, refs)
        for ref in refs:
            if ref.startswith("¶"):
                assert re.search(rf"¶{ref[1:]}\b", text)
            else:
                assert ref in on_page and shipped.citations[ref].cite in text, ref


def test_the_sources_page_is_reached_from_the_glossary_and_the_debrief(shipped, monkeypatch, tmp_path):
    from game.session.play import PlaySession
    from game.ui.scenes.debrief import DebriefScene
    from game.ui.scenes.glossary import GlossaryScene

    from .ui_driver import click, document_text, make_app

    app = make_app(shipped, monkeypatch, tmp_path)
    app.push(GlossaryScene(app))
    click(app, "Sources")
    assert app.scene.name == "sources"
    page = document_text(app)
    assert shipped.source.citation.split()[0] in page
    assert all(c.cite.split()[0] in page for c in shipped.citations.values())
    app.pop()
    app.pop()
    session = PlaySession(shipped, "shah")
    session.runner = play(shipped, "shah", "full", RecordPolicy())
    app.push(DebriefScene(app, session))
    click(app, "Sources")
    assert app.scene.name == "sources"


def test_the_text_debrief_and_glossary_show_citations_not_ids(shipped):
    out = io.StringIO()
    TextSession(shipped, "shah", "short", out, io.StringIO("g\n1\n" * 40), err=io.StringIO()).run()
    text = out.getvalue()
    assert "SOURCES" in text and "Sources: " in text
    for cid in shipped.citations:
        assert not re.search(rf"(Sources: |; ){re.escape(cid)}\b", text), cid


def _quoted(text: str) -> list[str]:
    return [a or b for a, b in re.findall(r'"([^"]+)"|“([^”]+)”', text)]


def _plain_words(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').lower().split())


def test_every_quotation_inside_an_adapted_line_is_word_for_word_in_the_paragraphs_it_cites(shipped):
    """An adapted line or summary may reword, but what it puts in quotation marks is the record's
    own words (each piece between '…' found in a cited ¶), so a summary never puts words in a mouth."""
    wrong, checked = [], 0
    for node in shipped.nodes.values():
        for item in (*node.lines, *(node.choice.options if node.choice else ())):
            if item.provenance != "adapted":
                continue
            cited = _plain_words(" ".join(shipped.source.paragraphs[r].text for r in item.refs))
            for quote in _quoted(item.text):
                pieces = [p.strip(" .,;:") for p in re.split(r"…|\.\.\.", quote) if p.strip(" .,;:")]
                checked += 1
                if not all(_plain_words(p) in cited for p in pieces):
                    wrong.append(f"{item.id}: {quote!r}")
    assert checked >= 10 and not wrong, wrong


def test_the_quotation_check_catches_a_word_put_in_a_mouth():
    assert _quoted('He said "all differences" and “the pact”') == ["all differences", "the pact"]
    assert _plain_words("settled all differences") not in _plain_words("We have settled all financial and border differences")


# What earlier notes got wrong and HISTORY.md corrects: none of it may come back in anything a
# player or a teacher reads (the record's own words excepted: the Shah's ¶59 is his claim).
CORRECTED = {
    r"first day of (the )?talks": "these were the second day's talks (¶8, ¶40, ¶60 say 'yesterday')",
    r"copy register": "'N 831' has no source that calls it a copy register number",
    r"just (come )?back from Karachi|Mikoyan[^.]{0,60}just back": "Mikoyan was in Karachi in late March, three months before",
    r"four most powerful": "Voroshilov's post was largely ceremonial",
    r"British (troops )?(had )?(all )?(left|withdrew|were gone)[^.]{0,40}1945": "British troops stayed into early 1946",
}


def _readable_texts(project_root: Path, shipped) -> list[tuple[str, str]]:
    """(where, text) of everything but the record's own words: lines and options not marked
    record, the manifest, glossary, witnesses, sources, and the teacher's kit."""
    out = []
    for node in shipped.nodes.values():
        for item in (*node.lines, *(node.choice.options if node.choice else ())):
            if item.provenance != "record":
                out.append((item.id, item.text))
    folder = project_root / "scenarios" / "moscow-1956"
    for name in ("scenario.yaml", "glossary.yaml", "witnesses.yaml", "sources.yaml"):
        if (folder / name).is_file():
            out.append((name, (folder / name).read_text(encoding="utf-8")))
    for page in sorted((project_root / "docs" / "teachers").glob("*.md")):
        out.append((f"docs/teachers/{page.name}", page.read_text(encoding="utf-8")))
    return out


@pytest.mark.parametrize("wrong", sorted(CORRECTED))
def test_nothing_a_reader_sees_repeats_what_history_md_corrects(project_root, shipped, wrong):
    found = [where for where, text in _readable_texts(project_root, shipped)
             if re.search(wrong, " ".join(text.split()), re.IGNORECASE)]
    assert not found, f"{CORRECTED[wrong]}: {found}"
