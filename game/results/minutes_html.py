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
line) there is at most a short note under the lines. Everything from content or a session goes
through esc.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..engine.model import ChoicePoint, Option, Scenario
from ..engine.scoring import Debrief
from ..engine.source_text import ELLIPSIS, normalise
from ..engine.state import Spoken
from .page import TYPEWRITER, esc, mark, page

CSS = f"""
@page {{ size: A4; margin: 12mm 12mm 14mm 12mm; }}
html {{ background: #d9cfb8; }}
body {{ font-family: {TYPEWRITER}; color: #1d1a14; background: #f6efdc; max-width: 190mm;
  margin: 1.5em auto; padding: 14mm 12mm; font-size: 10.5pt; line-height: 1.45;
  box-shadow: 0 0 0 1px #b8ab8c, 0 6px 18px rgba(0, 0, 0, .18); }}
header {{ text-align: center; margin-bottom: 1.4em; }}
h1 {{ font-size: 14pt; letter-spacing: .18em; margin: .2em 0 .5em; font-weight: bold; }}
.between {{ margin: 0 auto .4em; max-width: 40em; }}
.dateplace, .played {{ margin: .2em 0; }}
.legend {{ font-size: 8.5pt; border-top: 1px solid #8a7b5c; border-bottom: 1px solid #8a7b5c;
  padding: .3em 0; margin: 1em 0; }}
.run, .heads {{ display: grid; grid-template-columns: 1fr 1fr; }}
.heads {{ font-size: 9pt; letter-spacing: .12em; text-transform: uppercase; font-weight: bold;
  border-bottom: 2px solid #1d1a14; }}
.heads span {{ padding: .3em .5em; }}
.run {{ border-bottom: 1px dotted #8a7b5c; }}
.said {{ padding: .45em .5em; overflow-wrap: anywhere; }}
.run.wide .said {{ grid-column: 1 / 3; }}
.said p {{ margin: 0 0 .35em; break-inside: avoid; page-break-inside: avoid; }}
.said p:last-child {{ margin-bottom: 0; }}
.record {{ font-size: 9pt; color: #3a3428; border-left: 1px solid #8a7b5c; padding: .45em .5em;
  overflow-wrap: anywhere; }}
.record .label {{ display: none; }}
.note {{ font-size: 8.5pt; color: #3a3428; }}
.run.left-record .said {{ border-left: 4px solid #8b1e1e; }}
.speaker {{ font-weight: bold; }}
.mark {{ font-size: 8.5pt; }}
a.mark {{ color: inherit; }}
.invented {{ font-style: italic; }}
.absent {{ color: #6b604b; }}
.unsaid {{ color: #5f5441; font-style: italic; }}
.departure {{ display: block; font-size: 8pt; letter-spacing: .08em; text-transform: uppercase;
  color: #8b1e1e; margin-bottom: .2em; }}
.summary {{ margin-top: 1.6em; }}
.summary p {{ margin: .2em 0; }}
.endline {{ margin-top: 2em; }}
.endline p {{ margin: .1em 0; }}
.source {{ font-size: 8.5pt; margin-top: 1.5em; }}
@media screen and (max-width: 720px) {{
  body {{ margin: 0; padding: 5mm 4mm; box-shadow: none; }}
  .heads {{ display: none; }}
  .run {{ display: block; }}
  .record {{ border-left: 2px solid #8a7b5c; margin: .1em 0 .45em 1em; }}
  .record .label {{ display: inline; }}
}}
@media print {{
  html, body {{ background: #fff; }}
  body {{ box-shadow: none; margin: 0; padding: 0; max-width: none; font-size: 9pt; line-height: 1.25; }}
  .heads {{ display: none; }}
  .run {{ display: block; border-bottom: 0; }}
  .said {{ padding: .15em 0; }}
  .said p {{ margin-bottom: .2em; }}
  .run.left-record .said {{ border-left: 3px solid #000; padding-left: .5em; }}
  .record {{ font-family: Georgia, "Times New Roman", "Liberation Serif", serif; font-size: 9pt; line-height: 1.25;
    border-left: 2px solid #8a7b5c; margin: .1em 0 .45em 1.5em; padding: .1em 0 .1em .6em; }}
  .record .label {{ display: inline; font-family: {TYPEWRITER}; font-size: 8pt; letter-spacing: .08em;
    text-transform: uppercase; }}
}}
"""


def _session_cell(scenario: Scenario, entry: Spoken, left: bool) -> str:
    kind = mark(entry.provenance, entry.refs)
    css = "mark invented" if kind == "invented for the game" else "mark"
    flag = '<span class="departure">Left the record here</span>' if left else ""
    return (f'{flag}<span class="speaker">{esc(scenario.speaker_name(entry.speaker))}:</span> {esc(entry.text)} '
            f'<span class="{css}">[{esc(kind)}]</span>')


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


def _merged_html(scenario: Scenario, paragraph: str, spans: list[tuple[int, int]], run: list[_Row],
                 anchor: str, label: str) -> str:
    """The paragraph once, in full: what the session said in ink, the rest of the record in grey."""
    speaker = scenario.speaker_name(run[0].entry.speaker)
    own = re.match(re.escape(speaker) + r"[.:]\s*", paragraph)
    start = own.end() if own and spans and spans[0][0] >= own.end() else 0
    out = [f'<span class="speaker">{esc(paragraph[:start].rstrip())}</span> ' if start
           else f'<span class="speaker">{esc(speaker)}:</span> ']
    at = start
    for begin, end in spans:
        if begin > at:
            gap = paragraph[at:begin]
            out.append(f'<span class="unsaid">{esc(gap)}</span>' if gap.strip() else esc(gap))
        out.append(esc(paragraph[max(at, begin):end]))
        at = max(at, end)
    if at < len(paragraph):
        out.append(f'<span class="unsaid">{esc(paragraph[at:])}</span>')
    out.append(f' <span class="mark" id="{anchor}">[{label}]</span>')
    return "".join(out)


@dataclass
class _Cell:
    """What the record column has beside a run of lines. A `note` (a link back to a quote, "off the
    record", or nothing at all beside an invented line) goes under the lines, across the page; only a
    quote or the record's own option gets a column of its own."""

    html: str
    note: bool


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


def _citations(scenario: Scenario, refs: tuple[int, ...], run: list[_Row], quotes: _Quotes) -> _Cell:
    """Each ¶ in full once: here if it is first cited here (unless the lines say it whole, or a
    later run prints it with what was said marked in it); a link to it everywhere else."""
    parts = []
    note = True
    for ref in refs:
        anchor = _anchor(ref)
        label = f"¶{esc(ref)}"
        paragraph = scenario.source.paragraphs.get(ref) if isinstance(ref, int) else None
        if anchor in quotes.done:
            parts.append(f'<a class="mark" href="#{anchor}">[{label}, quoted above]</a>')
        elif paragraph is not None and _said_in(scenario, paragraph.text, run):
            quotes.done.add(anchor)
            parts.append(f'<span class="mark" id="{anchor}">[the whole of {label} is said here, word for word]</span>')
        elif quotes.merge_at.get(anchor, -1) > quotes.at:
            parts.append(f'<a class="mark" href="#{anchor}">[{label}, quoted below]</a>')
        elif paragraph is None:
            quotes.done.add(anchor)
            parts.append(f'<span class="mark" id="{anchor}">[{label}: not in the source copy]</span>')
        else:
            quotes.done.add(anchor)
            note = False
            parts.append(f'<span class="mark" id="{anchor}">{label}</span> {esc(paragraph.text)}')
    return _Cell(("<br>" if not note else " ").join(parts), note)


def _record_cell(scenario: Scenario, run: list[_Row], quotes: _Quotes) -> _Cell:
    first = run[0]
    if first.kind == "departure" and first.historical is not None:
        hist = first.historical
        return _Cell(f'<span class="speaker">{esc(scenario.speaker_name(hist.speaker))}:</span> {esc(hist.text)} '
                     f'<span class="mark">[{esc(mark(hist.provenance, hist.refs))}]</span>', False)
    if first.kind == "off-record":
        note = '<span class="absent">[an off-record moment: the record never reached it]</span>'
        if first.entry.provenance not in ("record", "adapted") or not first.entry.refs:
            return _Cell(note, True)
        cited = _citations(scenario, tuple(first.entry.refs), run, quotes)
        return _Cell(f"{note}{' ' if cited.note else '<br>'}The line draws on {cited.html}", cited.note)
    if first.kind == "cited":
        return _citations(scenario, tuple(first.entry.refs), run, quotes)
    return _Cell("", True)   # an invented line: its own mark says so, the record has nothing beside it


def _mergeable(scenario: Scenario, run: list[_Row]) -> tuple[str, str, list[tuple[int, int]], str] | None:
    """(anchor, paragraph, spans, label) when the run says parts of one paragraph word for word, so
    that the paragraph can be printed once with what was said marked in it."""
    if run[0].kind != "cited" or len(run[0].entry.refs) != 1:
        return None
    ref = run[0].entry.refs[0]
    paragraph = scenario.source.paragraphs.get(ref) if isinstance(ref, int) else None
    spans = _said_spans(paragraph.text, run) if paragraph is not None else None
    return (_anchor(ref), paragraph.text, spans, f"¶{esc(ref)}") if paragraph is not None and spans else None


def _runs_html(scenario: Scenario, minutes: tuple[Spoken, ...]) -> list[str]:
    """One block a run: its lines, then the record's cell (or a note under the lines)."""
    choices = scenario.choices()
    runs = _runs([_row(entry, choices.get(entry.choice)) for entry in minutes])
    plans = [_mergeable(scenario, run) for run in runs]
    quotes = _Quotes()
    for i, plan in enumerate(plans):
        if plan is not None:
            quotes.merge_at.setdefault(plan[0], i)
    out = []
    for i, (run, plan) in enumerate(zip(runs, plans, strict=True)):
        quotes.at = i
        if plan is not None and plan[0] not in quotes.done and quotes.merge_at[plan[0]] == i:
            anchor, paragraph, spans, label = plan
            quotes.done.add(anchor)
            merged = _merged_html(scenario, paragraph, spans, run, anchor, label)
            out.append(f'<div class="run wide merged"><div class="said"><p>{merged}</p></div></div>')
            continue
        cell = _record_cell(scenario, run, quotes)
        left = any(row.kind == "departure" for row in run)
        lines = [f"<p>{_session_cell(scenario, row.entry, row.kind == 'departure')}</p>" for row in run]
        css = "run" + (" left-record" if left else "") + (" wide" if cell.note else "")
        if cell.note:
            lines += [f'<p class="note">{cell.html}</p>'] if cell.html else []
            record = ""
        else:
            record = f'<div class="record"><span class="label">The record: </span>{cell.html}</div>'
        out.append(f'<div class="{css}"><div class="said">{"".join(lines)}</div>{record}</div>')
    return out


def minutes_html(debrief: Debrief, when: datetime | None = None) -> str:
    """The whole page, as a string. `when` is the session's date (default: now)."""
    scenario = debrief.scenario
    when = when or datetime.now()
    date = f"{when.day} {when:%B %Y}"
    played = " and ".join(r.role.title for r in debrief.roles)
    rows = _runs_html(scenario, debrief.minutes)
    summary = [f"<p>Ending: {esc(debrief.ending.title)}"
               + (" — the ending the record shows.</p>" if debrief.ending_is_historical
                  else f" — what really happened: {esc(debrief.historical_ending.title)}.</p>")]
    for result in debrief.roles:
        off = len(result.off_record)
        summary.append(f"<p>{esc(result.role.title)}: followed the record at {result.matched} of "
                       f"{result.total} moments"
                       + (f" ({off} off-record moment{'s' if off > 1 else ''} not counted)" if off else "") + ".</p>")
    heading = scenario.subtitle or scenario.title
    body = f"""<header>
<h1>RECORD OF CONVERSATION</h1>
<p class="between">{esc(heading)}</p>
<p class="dateplace">{esc(scenario.place)}, {esc(scenario.date)}</p>
<p class="played">Played by you as: {esc(played)}</p>
</header>
<main>
<p class="legend">What was said in your session, and beside it (on paper, under it) the record at
the same moment. [¶12] is paragraph 12 of the record, word for word; [adapted from ¶12] is
shortened or reworded from it; [invented for the game] did not happen. Each paragraph of the
record is printed in full once, where it is first cited: when your session said parts of it word
for word, they are in ink and <span class="unsaid">the rest of the paragraph is in grey</span>.</p>
<div class="minutes">
<div class="heads"><span>Said in your session</span><span>The record</span></div>
{chr(10).join(rows)}
</div>
<section class="summary">
{chr(10).join(summary)}
<p>This is not a grade: the record is what the people in the room did, not the right answer.</p>
</section>
<section class="endline">
<p>1 copy.</p>
<p>Your session — {esc(date)}.</p>
</section>
<p class="source">The record: {esc(scenario.source.citation)}</p>
</main>"""
    return page(f"{scenario.title} — your minutes, {date}", CSS, body)


def save_minutes(debrief: Debrief, path: Path, when: datetime | None = None) -> Path:
    """Write the page atomically (a half-written file never replaces a good one)."""
    from ..engine.files import write_atomic

    write_atomic(path, minutes_html(debrief, when))
    return path
