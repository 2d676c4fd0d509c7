"""The teacher's report: a CSV row per finished session and a printable HTML summary.

Several results files (one per laptop, or a kiosk's) are merged first, each session once by its
anonymous id. The HTML prints on A4 and works offline: the class summary, one bar per choice
point for the share who chose what the record shows (with the record's words and ¶), and the
scenario's discussion questions. Compare, don't judge: nothing here grades a player.
"""

from __future__ import annotations

import csv
import io
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .db import ChoiceTally, Merged, SessionRecord, visitors_vs_record
from .page import TYPEWRITER, bar, esc, mark, page, percent

if TYPE_CHECKING:
    from ..engine.model import ChoicePoint, Option, Scenario

FIXED_COLUMNS = ("uid", "scenario", "started_at", "duration_s", "mode", "roles", "path", "autoplay",
                 "ending", "ending_historical")
# Where a spreadsheet may see the start of a cell: the cell's start, and after any separator it
# may split on (Excel's list separator is ";" in many locales, "," in others; tab on paste) or a
# line break. There, a formula start (= + - @, also after spaces), a tab or a CR is defused, also
# after quotes (which a careless reader drops).
_FORMULA_AT = re.compile(r"(^|[;,\t\r\n])(?=\"*[\t\r]|[\s\"]*[=+\-@])")


# --- CSV ---------------------------------------------------------------------------------------

def _defuse(text: str) -> str:
    """Put a ' before every piece a spreadsheet could run as a formula, whatever it splits on."""
    return _FORMULA_AT.sub(r"\1'", text)


def _cell(value: object) -> str:
    """A CSV cell: numbers as numbers, text defused (a results file may hold anything)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        return _defuse(f"{value:.1f}")
    return _defuse(str(value))


def role_columns(sessions: Iterable[SessionRecord]) -> list[str]:
    """Every role played, in the order first seen (e.g. shah, soviet)."""
    roles: list[str] = []
    for session in sessions:
        for result in session.role_results:
            if result.role not in roles:
                roles.append(result.role)
    return roles


def csv_text(sessions: list[SessionRecord]) -> str:
    """One row per session given (the report passes the finished ones), oldest first."""
    roles = role_columns(sessions)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = [*FIXED_COLUMNS]
    for role in roles:
        header += [f"{role}_matched", f"{role}_total"]
    writer.writerow([_cell(h) for h in [*header, "objectives", "app_version"]])
    for s in sessions:
        results = {r.role: r for r in s.role_results}
        row: list[object] = [s.uid, s.scenario, s.started_at, s.duration_s, s.mode, s.roles, s.path, s.autoplay,
                             s.ending, s.ending_historical]
        for role in roles:
            result = results.get(role)
            row += [result.matched, result.total] if result else ["", ""]
        row.append(";".join(f"{o.objective_id}={int(o.met)}" for o in s.objectives))
        row.append(s.app_version)
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


# --- content -------------------------------------------------------------------------------------

def load_scenarios(content: Path, ids: Iterable[str]) -> tuple[dict[str, Scenario | None], list[str]]:
    """The scenarios the sessions belong to; one that cannot be loaded is shown by ids, with a warning."""
    from ..engine.diagnostics import ContentError
    from ..engine.loader import load_scenario

    found: dict[str, Scenario | None] = {}
    warnings = []
    for scenario_id in sorted(set(ids)):
        try:
            found[scenario_id] = load_scenario(content, scenario_id)
        except ContentError as exc:
            found[scenario_id] = None
            first = exc.diagnostics[0] if exc.diagnostics else "not found"
            warnings.append(f"scenario {scenario_id!r} could not be loaded from {content} ({first}); "
                            "the report shows its choice points by id, without questions.")
    return found, warnings


# --- HTML --------------------------------------------------------------------------------------

CSS = f"""
@page {{ size: A4; margin: 15mm 14mm; }}
body {{ font-family: Georgia, "Times New Roman", "Liberation Serif", serif; color: #1d1a14; background: #fff;
  max-width: 190mm; margin: 1.5em auto; padding: 0 6mm; font-size: 10.5pt; line-height: 1.4; }}
h1, h2, h3, h4, th, .meta, .figure, .mark {{ font-family: {TYPEWRITER}; }}
h1 {{ font-size: 17pt; letter-spacing: .08em; margin: .2em 0; }}
h2 {{ font-size: 13pt; border-bottom: 2px solid #1d1a14; padding-bottom: .15em; margin-top: 1.4em; }}
h3 {{ font-size: 11pt; margin: 1.2em 0 .4em; }}
h4 {{ font-size: 10pt; margin: 0 0 .25em; }}
.meta {{ font-size: 8.5pt; color: #4a4232; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: .2em .4em; border-bottom: 1px solid #d8d0bf; vertical-align: middle; }}
th {{ font-size: 8.5pt; text-transform: uppercase; letter-spacing: .06em; }}
td.n {{ text-align: right; white-space: nowrap; width: 5em; }}
td.barcell {{ width: 42%; }}
.choice {{ border: 1px solid #b8ab8c; border-radius: 3px; padding: .5em .7em; margin: .6em 0;
  break-inside: avoid; page-break-inside: avoid; }}
.who {{ font-weight: normal; color: #4a4232; }}
.record {{ margin: .2em 0 .4em; }}
.mark {{ font-size: 8.5pt; white-space: nowrap; }}
.figure {{ font-size: 9pt; margin: .2em 0; }}
.options td {{ font-size: 9pt; border: 0; padding: .05em .4em; }}
.hist {{ font-weight: bold; }}
svg.bar {{ display: block; max-width: 100%; }}
.scenario + .scenario {{ break-before: page; page-break-before: always; }}
.questions {{ break-before: page; page-break-before: always; }}
.questions li {{ margin: .5em 0 1.6em; }}
.note {{ font-size: 9pt; color: #4a4232; }}
@media print {{
  body {{ margin: 0; padding: 0; max-width: none; }}
  a {{ color: inherit; text-decoration: none; }}
}}
"""


@dataclass
class _Group:
    scenario_id: str
    scenario: Scenario | None
    finished: list[SessionRecord] = field(default_factory=list)
    abandoned: int = 0


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _counts_line(counter: Counter[str], names: dict[str, str] | None = None) -> str:
    names = names or {}
    return " · ".join(f"{esc(names.get(k, k) or '(none)')} {n}" for k, n in counter.most_common())


def _summary(group: _Group) -> str:
    scenario, sessions = group.scenario, group.finished
    n = len(sessions)
    role_names = {r: scenario.roles[r].title for r in scenario.roles} if scenario else {}
    path_names = {p: scenario.paths[p].title for p in scenario.paths} if scenario else {}
    minutes = statistics.mean(s.duration_s for s in sessions) / 60 if sessions else 0.0
    rows = [
        ("Finished sessions", str(n)),
        ("Sessions cut short (not counted below)", str(group.abandoned)),
        ("Mean duration", f"{minutes:.1f} min" if sessions else "–"),
        ("Played in", _counts_line(Counter(s.mode for s in sessions))),
        ("Roles", _counts_line(Counter(s.roles for s in sessions),
                               {**role_names, **{"+".join(role_names): "both sides (two players)"}})),
        ("Paths", _counts_line(Counter(s.path for s in sessions), path_names)),
    ]
    autoplayed = sum(1 for s in sessions if s.autoplay)
    if autoplayed:
        rows.append(("Played automatically (replay or test)", str(autoplayed)))
    out = ["<h3>The class</h3>", "<table>"]
    out += [f"<tr><th>{esc(k)}</th><td>{v}</td></tr>" for k, v in rows]
    out.append("</table>")

    out.append("<h3>Endings</h3><table><tr><th>Ending</th><th>Sessions</th><th></th></tr>")
    endings = Counter(s.ending or "" for s in sessions)
    known = [(e.id, e.title, e.historical) for e in scenario.endings] if scenario else []
    known_ids = {k for k, _, _ in known}
    historical_ids = {s.ending for s in sessions if s.ending_historical}
    known += [(e, e, e in historical_ids) for e in sorted(endings) if e not in known_ids]
    for ending_id, title, historical in known:
        count = endings.get(ending_id, 0)
        label = f"{esc(title)}" + (" <em>(what really happened)</em>" if historical else "")
        out.append(f'<tr><td>{label}</td><td class="n">{count} ({percent(count, n)})</td>'
                   f'<td class="barcell">{bar(count / n if n else 0, label=f"{title}: {count} of {n}")}</td></tr>')
    out.append("</table>")

    out.append("<h3>Record match</h3><table><tr><th>Side</th><th>Sessions</th><th>Followed the record "
               "(mean)</th><th></th></tr>")
    by_role: dict[str, list[tuple[int, int]]] = {}
    for s in sessions:
        for r in s.role_results:
            by_role.setdefault(r.role, []).append((r.matched, r.total))
    for role, pairs in by_role.items():
        shares = [m / t for m, t in pairs if t]
        share = statistics.mean(shares) if shares else 0.0
        mean_m = statistics.mean(m for m, _ in pairs)
        mean_t = statistics.mean(t for _, t in pairs)
        title = role_names.get(role, role)
        out.append(f"<tr><td>{esc(title)}</td><td class=\"n\">{len(pairs)}</td>"
                   f"<td>{round(100 * share)}% of moments ({_num(mean_m)} of {_num(mean_t)})</td>"
                   f'<td class="barcell">{bar(share, label=f"{title}: {round(100 * share)}%")}</td></tr>')
    out.append("</table>")
    out.append('<p class="note">Record match is not a grade: the record is what the people in the room did, '
               "not the right answer.</p>")

    met: dict[tuple[str, str], list[bool]] = {}
    for s in sessions:
        for o in s.objectives:
            met.setdefault((o.role, o.objective_id), []).append(o.met)
    if met:
        texts = {o.id: o.text for r in scenario.roles.values() for o in r.objectives} if scenario else {}
        out.append("<h3>Objectives</h3><table><tr><th>Side</th><th>Objective</th><th>Met</th><th></th></tr>")
        for (role, objective), flags in met.items():
            k = sum(flags)
            text = texts.get(objective, objective)
            out.append(f"<tr><td>{esc(role_names.get(role, role))}</td><td>{esc(text)}</td>"
                       f'<td class="n">{k} of {len(flags)}</td>'
                       f'<td class="barcell">{bar(k / len(flags), label=f"{text}: {k} of {len(flags)}")}</td></tr>')
        out.append("</table>")
    return "\n".join(out)


def _choices(group: _Group, merged: Merged) -> str:
    scenario = group.scenario
    out = []
    paths = sorted({s.path for s in group.finished},
                   key=lambda p: (list(scenario.paths).index(p) if scenario and p in scenario.paths else 99, p))
    choices = scenario.choices() if scenario else {}
    options = scenario.options() if scenario else {}
    for path in paths:
        tallies = visitors_vs_record(merged.db, group.scenario_id, path)
        if not tallies:
            continue
        title = scenario.paths[path].title if scenario and path in scenario.paths else path
        out.append(f"<h3>Choice by choice: {esc(title)}</h3>")
        out.append('<p class="note">Each bar: the share of sessions that chose what the record shows at that '
                   "moment. Choices the record made by itself, for a side nobody played, are not counted; at an "
                   "off-record moment (reached only after the talks had left the record) there is no bar.</p>")
        out += [_tally_html(scenario, number, tally, choices.get(tally.choice_id), options)
                for number, tally in enumerate(tallies, 1)]
    return "\n".join(out)


def _record_line(scenario: Scenario | None, tally: ChoiceTally, hist: Option | None) -> str:
    """What the record shows at this moment, with its speaker as the scenario names them (the narrator too)."""
    if hist is None:
        return f'<p class="record">The record’s option: {esc(tally.historical_option_id)}</p>'
    who = f"{esc(scenario.speaker_name(hist.speaker))}: " if scenario is not None else ""
    return (f'<p class="record">The record’s option — {who}“{esc(hist.text)}” '
            f'<span class="mark">[{esc(mark(hist.provenance, hist.refs))}]</span></p>')


def _tally_html(scenario: Scenario | None, number: int, tally: ChoiceTally, choice: ChoicePoint | None,
                options: dict[str, Option]) -> str:
    """One choice point: the record's option and how many followed it, or, off the record, only what was chosen."""
    who = scenario.roles[tally.role].title if scenario and tally.role in scenario.roles else tally.role
    moment = choice.moment if choice else tally.choice_id
    off_record = tally.off_record or (choice is not None and choice.historical is None)
    parts = [f'<div class="choice"><h4>{number}. {esc(moment)} <span class="who">— {esc(who)}</span></h4>']
    if off_record:
        parts.append('<p class="record">An off-record moment: the record never reached it, so there is nothing '
                     f"here to follow or to leave. {tally.faced} session(s) faced it.</p>")
    else:
        parts.append(_record_line(scenario, tally, options.get(tally.historical_option_id)))
        label = f"{tally.followed} of {tally.faced} sessions followed the record"
        parts.append(bar(tally.share, width=160, height=14, label=label))
        parts.append(f'<p class="figure">{esc(label)} ({percent(tally.followed, tally.faced)})</p>')
    parts.append('<table class="options">')
    for option_id, count in tally.options:
        option = options.get(option_id)
        name = option.label if option else option_id
        historical = not off_record and option_id == tally.historical_option_id
        css = ' class="hist"' if historical else ""
        suffix = " (the record)" if historical else ""
        parts.append(f"<tr><td{css}>{esc(name)}{suffix}</td><td class=\"n\">{count}</td>"
                     f"<td>{bar(count / tally.faced if tally.faced else 0, label=f'{name}: {count}')}</td></tr>")
    parts.append("</table></div>")
    return "\n".join(parts)


def _questions(scenario: Scenario | None) -> str:
    if scenario is None:
        return ""
    out = ['<section class="questions">', f"<h2>Questions to discuss — {esc(scenario.title)}</h2>"]
    if scenario.questions:
        out.append("<h3>For everyone</h3><ol>")
        out += [f"<li>{esc(q)}</li>" for q in scenario.questions]
        out.append("</ol>")
    for role in scenario.roles.values():
        if role.questions:
            out.append(f"<h3>From the chair of {esc(role.title)}</h3><ol>")
            out += [f"<li>{esc(q)}</li>" for q in role.questions]
            out.append("</ol>")
    out.append("</section>")
    return "\n".join(out)


def report_html(merged: Merged, scenarios: dict[str, Scenario | None], made: datetime | None = None) -> str:
    """The whole printable report for every scenario found in the merged sessions."""
    made = made or datetime.now()
    groups: dict[str, _Group] = {}
    for s in merged.db.sessions():
        group = groups.setdefault(s.scenario, _Group(s.scenario, scenarios.get(s.scenario)))
        if s.status == "finished":
            group.finished.append(s)
        else:
            group.abandoned += 1
    finished = sum(len(g.finished) for g in groups.values())
    files = ", ".join(p.name for p in merged.files)
    body = ["<h1>Class results</h1>",
            f'<p class="meta">Made {esc(f"{made.day} {made:%B %Y, %H:%M}")} from {len(merged.files)} results '
            f"file(s): {esc(files)}. {finished} finished session(s); {merged.duplicates} duplicate(s) skipped"
            + (f"; {merged.skipped_rows} damaged row(s) left out (listed when the report was made)"
               if merged.skipped_rows else "")
            + ". Anonymous: no names are stored.</p>"]
    if not groups:
        body.append("<p>No sessions recorded yet.</p>")
    for group in sorted(groups.values(), key=lambda g: (-len(g.finished), g.scenario_id)):
        scenario = group.scenario
        title = f"{scenario.title}: {scenario.subtitle}" if scenario and scenario.subtitle else (
            scenario.title if scenario else group.scenario_id)
        body.append(f'<section class="scenario"><h2>{esc(title)}</h2>')
        body.append(_summary(group))
        body.append(_choices(group, merged))
        body.append(_questions(scenario))
        body.append("</section>")
    return page("Class results", CSS, "\n".join(body))


def write_report(merged: Merged, csv_path: Path | None, html_path: Path | None, content: Path) -> list[str]:
    """Write what was asked for (atomically); returns warnings and what was written, for the user."""
    from ..engine.files import write_atomic

    messages: list[str] = []
    if csv_path is not None:
        write_atomic(csv_path, csv_text(merged.db.sessions("finished")))
        messages.append(f"wrote {csv_path}")
    if html_path is not None:
        scenarios, warnings = load_scenarios(content, {s.scenario for s in merged.db.sessions()})
        messages = warnings + messages
        write_atomic(html_path, report_html(merged, scenarios))
        messages.append(f"wrote {html_path}")
    return messages
