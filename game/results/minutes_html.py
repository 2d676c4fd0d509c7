""""Your minutes": the session as a printable memorandum, with the record in a parallel column.

Laid out like the source itself (a typed record of conversation, its end line "11 copies. N 831.
30.VI." becoming "Your session — <date>"): on the left what was said in this session, each line
with its provenance; on the right what the record has at the same moment — the cited paragraph
for record and adapted lines, the record's own option where a player left it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..engine.model import ChoicePoint, Scenario
from ..engine.scoring import Debrief
from ..engine.state import Spoken
from .page import TYPEWRITER, esc, mark, page, refs_text

CSS = f"""
@page {{ size: A4; margin: 16mm 14mm 18mm 14mm; }}
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
table {{ width: 100%; border-collapse: collapse; table-layout: fixed; }}
th {{ text-align: left; font-size: 9pt; letter-spacing: .12em; text-transform: uppercase;
  border-bottom: 2px solid #1d1a14; padding: .3em .5em; }}
td {{ vertical-align: top; padding: .45em .5em; border-bottom: 1px dotted #8a7b5c; overflow-wrap: anywhere; }}
td.record {{ font-size: 9pt; color: #3a3428; border-left: 1px solid #8a7b5c; }}
tr {{ break-inside: avoid; page-break-inside: avoid; }}
tr.left-record td.session {{ border-left: 4px solid #8b1e1e; }}
.speaker {{ font-weight: bold; }}
.mark {{ white-space: nowrap; font-size: 8.5pt; }}
.invented {{ font-style: italic; }}
.absent {{ color: #6b604b; }}
.departure {{ display: block; font-size: 8pt; letter-spacing: .08em; text-transform: uppercase;
  color: #8b1e1e; margin-bottom: .2em; }}
.summary {{ margin-top: 1.6em; }}
.summary p {{ margin: .2em 0; }}
.endline {{ margin-top: 2em; }}
.endline p {{ margin: .1em 0; }}
.source {{ font-size: 8.5pt; margin-top: 1.5em; }}
@media print {{
  html, body {{ background: #fff; }}
  body {{ box-shadow: none; margin: 0; padding: 0; max-width: none; }}
  tr.left-record td.session {{ border-left: 3px solid #000; }}
}}
"""


def _session_cell(scenario: Scenario, entry: Spoken, left: bool) -> str:
    kind = mark(entry.provenance, entry.refs)
    css = "mark invented" if kind == "invented for the game" else "mark"
    flag = '<span class="departure">Left the record here</span>' if left else ""
    return (f'{flag}<span class="speaker">{esc(scenario.speaker_name(entry.speaker))}:</span> {esc(entry.text)} '
            f'<span class="{css}">[{esc(kind)}]</span>')


def _record_cell(scenario: Scenario, entry: Spoken, choice: ChoicePoint | None, shown_before: tuple[int, ...]) -> str:
    if choice is not None and choice.historical is not None and choice.historical.id != entry.id:
        hist = choice.historical
        out = (f'<span class="speaker">{esc(scenario.speaker_name(hist.speaker))}:</span> {esc(hist.text)} '
               f'<span class="mark">[{esc(mark(hist.provenance, hist.refs))}]</span>')
        return out
    if entry.provenance in ("record", "adapted") and entry.refs:
        if tuple(entry.refs) == shown_before:
            return f'<span class="absent">({esc(refs_text(entry.refs))}, as above)</span>'
        parts = []
        for ref in entry.refs:
            paragraph = scenario.source.paragraphs.get(ref)
            text = paragraph.text if paragraph else "(this paragraph is not in the source copy)"
            parts.append(f'<span class="mark">¶{esc(ref)}</span> {esc(text)}')
        return "<br>".join(parts)
    return '<span class="absent">— not in the record —</span>'


def minutes_html(debrief: Debrief, when: datetime | None = None) -> str:
    """The whole page, as a string. `when` is the session's date (default: now)."""
    scenario = debrief.scenario
    when = when or datetime.now()
    date = f"{when.day} {when:%B %Y}"
    choices = scenario.choices()
    played = " and ".join(r.role.title for r in debrief.roles)
    rows = []
    shown: tuple[int, ...] = ()
    for entry in debrief.minutes:
        choice = choices.get(entry.choice)
        left = choice is not None and choice.historical is not None and choice.historical.id != entry.id
        rows.append(f'<tr class="{"left-record" if left else "same"}">'
                    f'<td class="session">{_session_cell(scenario, entry, left)}</td>'
                    f'<td class="record">{_record_cell(scenario, entry, choice, shown)}</td></tr>')
        shown = tuple(entry.refs) if entry.provenance in ("record", "adapted") and not left else ()
    summary = [f"<p>Ending: {esc(debrief.ending.title)}"
               + (" — the ending the record shows.</p>" if debrief.ending_is_historical
                  else f" — what really happened: {esc(debrief.historical_ending.title)}.</p>")]
    for result in debrief.roles:
        summary.append(f"<p>{esc(result.role.title)}: followed the record at {result.matched} of "
                       f"{result.total} moments.</p>")
    heading = scenario.subtitle or scenario.title
    body = f"""<header>
<h1>RECORD OF CONVERSATION</h1>
<p class="between">{esc(heading)}</p>
<p class="dateplace">{esc(scenario.place)}, {esc(scenario.date)}</p>
<p class="played">Played by you as: {esc(played)}</p>
</header>
<p class="legend">Left: what was said in your session. Right: the record at the same moment.
[¶12] is paragraph 12 of the record, word for word; [adapted from ¶12] is shortened or reworded
from it; [invented for the game] did not happen.</p>
<table>
<colgroup><col style="width:50%"><col style="width:50%"></colgroup>
<thead><tr><th>Said in your session</th><th>The record</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<section class="summary">
{chr(10).join(summary)}
<p>This is not a grade: the record is what the people in the room did, not the right answer.</p>
</section>
<section class="endline">
<p>1 copy.</p>
<p>Your session — {esc(date)}.</p>
</section>
<p class="source">The record: {esc(scenario.source.citation)}</p>"""
    return page(f"{scenario.title} — your minutes, {date}", CSS, body)


def save_minutes(debrief: Debrief, path: Path, when: datetime | None = None) -> Path:
    """Write the page atomically (a half-written file never replaces a good one)."""
    from ..engine.files import write_atomic

    write_atomic(path, minutes_html(debrief, when))
    return path
