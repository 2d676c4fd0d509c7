""""Your minutes": the session as a printable memorandum, with the record beside it.

Laid out like the source itself (a typed record of conversation, its end line "11 copies. N 831.
30.VI." becoming "Your session — <date>"): what was said in this session, each line with its
provenance, and the record at the same moment — the cited paragraph for record and adapted
lines, the record's own option where a player left it. On screen the record is a parallel column;
on paper it follows the lines it belongs to, indented, so that the page is not twice as long.

Each paragraph is printed in full once, where it is first cited; other lines link to it ("¶12,
quoted above"). When the lines say parts of one paragraph word for word, the paragraph is printed
once with what was said in ink and the rest in grey, instead of the lines and then the paragraph
again. Where the record shows nothing the lines do not (a link, an off-record moment, an invented
line) there is at most a short note under the lines.

This module works out what goes where, as plain data; the template print/minutes.html writes the
page (autoescaped: everything from content or a session is escaped there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import ClassVar, Literal

from ..engine.model import ChoicePoint, Option, Scenario
from ..engine.scoring import Debrief
from ..engine.source_text import ELLIPSIS, normalise
from ..engine.state import Spoken
from .page import mark, render


@dataclass(frozen=True)
class SaidLine:
    """A line as the minutes print it: who, what, and its mark ([¶12], [invented for the game])."""

    speaker: str
    text: str
    mark: str
    invented: bool
    left: bool = False        # where the session left the record


@dataclass(frozen=True)
class Segment:
    """A piece of a paragraph printed once for a run of lines: in ink where the session said it
    (or where it is only the space between two pieces said), in grey where it did not."""

    text: str
    said: bool


@dataclass(frozen=True)
class Quote:
    """One paragraph cited beside the lines: printed in full, or a link to where it is.

    quote: the paragraph here, in full; above/below: a link to it; whole: the lines say all of
    it, word for word; missing: the content cites a paragraph its source copy lacks."""

    kind: Literal["quote", "above", "below", "whole", "missing"]
    label: str                # ¶12
    anchor: str               # the id of the paragraph's one full printing (or of its mark)
    text: str = ""            # the paragraph, for a quote


@dataclass(frozen=True)
class RecordCell:
    """What the record has beside a run of lines: its own option, where the session left it; a
    note that the moment is off the record; and the paragraphs the lines cite."""

    historical: SaidLine | None = None
    off_record: bool = False
    quotes: tuple[Quote, ...] = ()

    @property
    def note(self) -> bool:
        """A link, an off-record note or nothing at all goes under the lines, across the page;
        only a quote or the record's own option gets a column of its own."""
        return self.historical is None and not any(q.kind == "quote" for q in self.quotes)

    @property
    def empty(self) -> bool:
        return self.historical is None and not self.off_record and not self.quotes


@dataclass(frozen=True)
class LinesRun:
    """Consecutive lines of the session and, beside or under them, the record's cell."""

    merged: ClassVar[bool] = False
    lines: tuple[SaidLine, ...]
    cell: RecordCell

    @property
    def left(self) -> bool:
        return any(line.left for line in self.lines)


@dataclass(frozen=True)
class MergedRun:
    """Lines that say parts of one paragraph word for word: the paragraph, once, marked."""

    merged: ClassVar[bool] = True
    speaker: str              # as the paragraph names them ("N. Khrushchev."), or "Name:"
    segments: tuple[Segment, ...]
    label: str
    anchor: str


@dataclass(frozen=True)
class SideLine:
    """One side's record match, for the summary under the minutes."""

    title: str
    matched: int
    total: int
    off_record: int


@dataclass(frozen=True)
class MinutesPage:
    """Everything the minutes template shows."""

    title: str
    heading: str
    place: str
    date: str                 # the scenario's
    played: str
    runs: tuple[LinesRun | MergedRun, ...]
    ending: str
    historical_ending: str    # empty when the session reached it
    sides: tuple[SideLine, ...]
    session_date: str
    citation: str


def _said_line(scenario: Scenario, speaker: str, text: str, provenance: str, refs: tuple[int, ...],
               left: bool = False) -> SaidLine:
    kind = mark(provenance, refs)
    return SaidLine(scenario.speaker_name(speaker), text, kind, kind == "invented for the game", left)


@dataclass
class _Row:
    """One line of the session, and what kind of thing the record has beside it."""

    entry: Spoken
    kind: str                 # "departure", "off-record", "cited" (its ¶s), or "none" (invented)
    historical: Option | None = None


def _row(entry: Spoken, choice: ChoicePoint | None) -> _Row:
    if choice is not None and choice.historical is None:
        return _Row(entry, "off-record")
    if choice is not None and choice.historical is not None and choice.historical.id != entry.id:
        return _Row(entry, "departure", choice.historical)
    if entry.provenance in ("record", "adapted") and entry.refs:
        return _Row(entry, "cited")
    return _Row(entry, "none")


def _runs(rows: list[_Row]) -> list[list[_Row]]:
    """Consecutive lines citing the same paragraphs share one record cell: the ¶ is beside all of them."""
    runs: list[list[_Row]] = []
    for row in rows:
        last = runs[-1][-1] if runs else None
        if (last is not None and row.kind == last.kind == "cited"
                and tuple(row.entry.refs) == tuple(last.entry.refs)):
            runs[-1].append(row)
        else:
            runs.append([row])
    return runs


def _anchor(ref: object) -> str:
    """An id for a paragraph's first citation (refs are ints from the content, but never trusted)."""
    return "para-" + "".join(ch if ch.isalnum() else "-" for ch in str(ref))


def _normalised_map(text: str) -> tuple[str, list[int]]:
    """`normalise(text)`, and for each of its characters the index in `text` it comes from."""
    out: list[str] = []
    where: list[int] = []
    space = False
    for i, ch in enumerate(text):
        folded = normalise(ch)
        if not folded:                 # white space: runs become one space, none at either end
            space = bool(out)
            continue
        if space:
            out.append(" ")
            where.append(i)
            space = False
        out.extend(folded)
        where.extend([i] * len(folded))
    return "".join(out), where


def _said_spans(paragraph: str, run: list[_Row]) -> list[tuple[int, int]] | None:
    """Where in the paragraph each verbatim piece of the run's lines is (start, end), in order;
    None unless every line is record text of this one paragraph, by one speaker, found in it."""
    if any(row.entry.provenance != "record" or len(row.entry.refs) != 1 or row.entry.speaker != run[0].entry.speaker
           for row in run):
        return None
    haystack, where = _normalised_map(paragraph)
    if haystack != normalise(paragraph):
        return None
    spans = []
    pos = 0
    for row in run:
        for raw in ELLIPSIS.split(" " + row.entry.text.strip() + " "):
            piece = normalise(raw).removeprefix("...").removesuffix("...").strip()
            if not piece:
                continue
            found = haystack.find(piece, pos)
            if found < 0:
                return None
            spans.append((where[found], where[found + len(piece) - 1] + 1))
            pos = found + len(piece)
    return spans


def _merged(scenario: Scenario, paragraph: str, spans: list[tuple[int, int]], run: list[_Row],
            anchor: str, label: str) -> MergedRun:
    """The paragraph once, in full: what the session said in ink, the rest of the record in grey."""
    speaker = scenario.speaker_name(run[0].entry.speaker)
    own = re.match(re.escape(speaker) + r"[.:]\s*", paragraph)
    start = own.end() if own and spans and spans[0][0] >= own.end() else 0
    segments = []
    at = start
    for begin, end in spans:
        if begin > at:
            gap = paragraph[at:begin]
            segments.append(Segment(gap, said=not gap.strip()))
        segments.append(Segment(paragraph[max(at, begin):end], said=True))
        at = max(at, end)
    if at < len(paragraph):
        segments.append(Segment(paragraph[at:], said=False))
    name = paragraph[:start].rstrip() if start else f"{speaker}:"
    return MergedRun(name, tuple(segments), label, anchor)


def _body(scenario: Scenario, paragraph: str) -> str:
    """The paragraph without the name the record puts before a speech ("N. Khrushchev. …")."""
    for speaker in scenario.speakers.values():
        own = re.match(re.escape(speaker.name) + r"[.:]\s+", paragraph)
        if own:
            return paragraph[own.end():]
    return paragraph


def _said_in(scenario: Scenario, paragraph: str, run: list[_Row]) -> bool:
    """Whether the run's record lines already say the whole paragraph, word for word."""
    said = normalise(" ".join(row.entry.text for row in run if row.entry.provenance == "record"))
    return bool(said) and normalise(_body(scenario, paragraph)) in said


@dataclass
class _Quotes:
    """Which paragraphs are on the page so far (`done`, by anchor), and which a later run will print
    with its lines marked in it (`merge_at`: anchor -> that run's index); `at` is the current run."""

    done: set[str] = field(default_factory=set)
    merge_at: dict[str, int] = field(default_factory=dict)
    at: int = 0


def _citations(scenario: Scenario, refs: tuple[int, ...], run: list[_Row], quotes: _Quotes) -> tuple[Quote, ...]:
    """Each ¶ in full once: here if it is first cited here (unless the lines say it whole, or a
    later run prints it with what was said marked in it); a link to it everywhere else."""
    out = []
    for ref in refs:
        anchor = _anchor(ref)
        label = f"¶{ref}"
        paragraph = scenario.source.paragraphs.get(ref) if isinstance(ref, int) else None
        if anchor in quotes.done:
            out.append(Quote("above", label, anchor))
        elif paragraph is not None and _said_in(scenario, paragraph.text, run):
            quotes.done.add(anchor)
            out.append(Quote("whole", label, anchor))
        elif quotes.merge_at.get(anchor, -1) > quotes.at:
            out.append(Quote("below", label, anchor))
        elif paragraph is None:
            quotes.done.add(anchor)
            out.append(Quote("missing", label, anchor))
        else:
            quotes.done.add(anchor)
            out.append(Quote("quote", label, anchor, paragraph.text))
    return tuple(out)


def _record_cell(scenario: Scenario, run: list[_Row], quotes: _Quotes) -> RecordCell:
    first = run[0]
    if first.kind == "departure" and first.historical is not None:
        hist = first.historical
        return RecordCell(historical=_said_line(scenario, hist.speaker, hist.text, hist.provenance, hist.refs))
    if first.kind == "off-record":
        if first.entry.provenance not in ("record", "adapted") or not first.entry.refs:
            return RecordCell(off_record=True)
        return RecordCell(off_record=True, quotes=_citations(scenario, tuple(first.entry.refs), run, quotes))
    if first.kind == "cited":
        return RecordCell(quotes=_citations(scenario, tuple(first.entry.refs), run, quotes))
    return RecordCell()   # an invented line: its own mark says so, the record has nothing beside it


def _mergeable(scenario: Scenario, run: list[_Row]) -> tuple[str, str, list[tuple[int, int]], str] | None:
    """(anchor, paragraph, spans, label) when the run says parts of one paragraph word for word, so
    that the paragraph can be printed once with what was said marked in it."""
    if run[0].kind != "cited" or len(run[0].entry.refs) != 1:
        return None
    ref = run[0].entry.refs[0]
    paragraph = scenario.source.paragraphs.get(ref) if isinstance(ref, int) else None
    spans = _said_spans(paragraph.text, run) if paragraph is not None else None
    return (_anchor(ref), paragraph.text, spans, f"¶{ref}") if paragraph is not None and spans else None


def _blocks(scenario: Scenario, minutes: tuple[Spoken, ...]) -> tuple[LinesRun | MergedRun, ...]:
    """One block a run: its lines and the record's cell, or its paragraph with the lines marked in it."""
    choices = scenario.choices()
    runs = _runs([_row(entry, choices.get(entry.choice)) for entry in minutes])
    plans = [_mergeable(scenario, run) for run in runs]
    quotes = _Quotes()
    for i, plan in enumerate(plans):
        if plan is not None:
            quotes.merge_at.setdefault(plan[0], i)
    out: list[LinesRun | MergedRun] = []
    for i, (run, plan) in enumerate(zip(runs, plans, strict=True)):
        quotes.at = i
        if plan is not None and plan[0] not in quotes.done and quotes.merge_at[plan[0]] == i:
            anchor, paragraph, spans, label = plan
            quotes.done.add(anchor)
            out.append(_merged(scenario, paragraph, spans, run, anchor, label))
            continue
        cell = _record_cell(scenario, run, quotes)
        lines = tuple(_said_line(scenario, row.entry.speaker, row.entry.text, row.entry.provenance,
                                 tuple(row.entry.refs), left=row.kind == "departure") for row in run)
        out.append(LinesRun(lines, cell))
    return tuple(out)


def minutes_page(debrief: Debrief, when: datetime | None = None) -> MinutesPage:
    """What the page shows. `when` is the session's date (default: now)."""
    scenario = debrief.scenario
    when = when or datetime.now()
    date = f"{when.day} {when:%B %Y}"
    sides = tuple(SideLine(r.role.title, r.matched, r.total, len(r.off_record)) for r in debrief.roles)
    return MinutesPage(
        title=f"{scenario.title} — your minutes, {date}", heading=scenario.subtitle or scenario.title,
        place=scenario.place, date=scenario.date, played=" and ".join(r.role.title for r in debrief.roles),
        runs=_blocks(scenario, debrief.minutes), ending=debrief.ending.title,
        historical_ending="" if debrief.ending_is_historical else debrief.historical_ending.title,
        sides=sides, session_date=date, citation=scenario.source.citation)


def minutes_html(debrief: Debrief, when: datetime | None = None) -> str:
    """The whole page, as a string. `when` is the session's date (default: now)."""
    return render("print/minutes.html", page=minutes_page(debrief, when))


def save_minutes(debrief: Debrief, path: Path, when: datetime | None = None) -> Path:
    """Write the page atomically (a half-written file never replaces a good one)."""
    from ..engine.files import write_atomic

    write_atomic(path, minutes_html(debrief, when))
    return path
