"""What the pages show, as plain data for the templates: lines with their marks, options, the
debrief. Nothing here writes HTML except `linked`, which escapes everything it does not link."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from ..engine.citations import cite_list
from ..engine.glossary import GlossaryIndex
from ..engine.model import Line, Option, Scenario
from ..engine.presentation import not_said
from ..engine.state import Spoken
from ..session.play import PlaySession


@dataclass(frozen=True)
class Mark:
    """Where a spoken line comes from, as the player sees it."""

    kind: str          # record | adapted | invented
    text: str
    href: str = ""     # the source reader at the first cited paragraph


def mark_of(provenance: str, refs: tuple[int, ...], scenario: Scenario) -> Mark:
    cited = ", ".join(f"¶{r}" for r in refs)
    href = f"/source#p{refs[0]}" if refs else ""
    if provenance == "record" and refs:
        return Mark("record", f"From the record, {cited}", href)
    if provenance == "adapted" and refs:
        return Mark("adapted", f"Adapted from the record, {cited}", href)
    return Mark("invented", f"Invented for the game: {not_said(scenario)}")


@dataclass(frozen=True)
class ShownLine:
    speaker: str
    person: bool
    text: Markup
    mark: Mark
    mine: bool = False       # said by a player's choice


@dataclass(frozen=True)
class ShownOption:
    number: int
    label: str


class Glossed:
    """Glossary links in spoken text (one compiled index a scenario)."""

    def __init__(self, scenario: Scenario):
        self.index = GlossaryIndex(scenario.glossary)
        self._done: dict[str, Markup] = {}   # the scenario's lines are few and fixed: each linked once

    def linked(self, text: str) -> Markup:
        """`text` escaped, with glossary terms as links to their entry."""
        done = self._done.get(text)
        if done is None:
            done = self._link(text)
            if len(self._done) < 50_000:
                self._done[text] = done
        return done

    def _link(self, text: str) -> Markup:
        out, pos = [], 0
        for match in self.index.find(text):
            out.append(escape(text[pos:match.start]))
            out.append(Markup('<a class="term" href="/glossary#{}">{}</a>').format(match.entry.id,
                                                                                text[match.start:match.end]))
            pos = match.end
        out.append(escape(text[pos:]))
        return Markup("").join(out)


def shown_line(scenario: Scenario, glossed: Glossed, spoken: Spoken | Line) -> ShownLine:
    return ShownLine(scenario.speaker_name(spoken.speaker), scenario.is_person(spoken.speaker),
                     glossed.linked(spoken.text), mark_of(spoken.provenance, tuple(spoken.refs), scenario),
                     bool(getattr(spoken, "choice", "")))


def recent_lines(session: PlaySession, glossed: Glossed) -> list[ShownLine]:
    """What was said since the players' last decision (that decision's line first)."""
    spoken = session.runner.state.spoken
    players = session.runner.players
    start = len(spoken)
    while start > 0 and not (spoken[start - 1].choice and spoken[start - 1].by in players):
        start -= 1
    return [shown_line(session.scenario, glossed, s) for s in spoken[max(0, start - 1):]]


def all_lines(session: PlaySession, glossed: Glossed) -> list[ShownLine]:
    return [shown_line(session.scenario, glossed, s) for s in session.runner.state.spoken]


def options_of(session: PlaySession) -> list[ShownOption]:
    """The options while choosing: no provenance, and only a person's name before an option
    (the record's voice or the narrator would give the record away)."""
    scenario = session.scenario
    options: tuple[Option, ...] = session.shown.options
    several = len({o.speaker for o in options if scenario.is_person(o.speaker)}) > 1
    out = []
    for number, option in enumerate(options, 1):
        label = option.label
        if several and scenario.is_person(option.speaker):
            label = f"{scenario.speaker_name(option.speaker)}: {label}"
        out.append(ShownOption(number, label))
    return out


def sources_text(scenario: Scenario, refs: tuple[str, ...]) -> str:
    return cite_list(scenario, refs) if refs else ""
