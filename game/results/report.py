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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from . import totals
from .db import ChoiceTally, Merged, ResultsDB, SessionRecord, visitors_vs_record
from .page import Bar, environment, mark, percent, render

if TYPE_CHECKING:
    from ..engine.model import ChoicePoint, Option, Scenario

REPORT_TEMPLATE = "print/report.html"
FIXED_COLUMNS = ("uid", "scenario", "started_at", "duration_s", "mode", "roles", "path", "autoplay",
                 "ending", "ending_historical")
# Where a spreadsheet may see the start of a cell: the cell's start, and after any separator it
# may split on (Excel's list separator is ";" in many locales, "," in others; tab on paste) or a
# line break. There, a formula start (= + - @, also after spaces), a tab or a CR is defused, also
# after quotes (which a careless reader drops).
_FORMULA_AT = re.compile(r"(^|[;,\t\r\n])(?=\"*[\t\r]|[\s\"]*[=+\-@])")
_SPLIT = re.compile(r"[;,\t\r\n]")   # the separators of _FORMULA_AT: after one, a piece of a cell begins
# A line of cells joined by commas that `_cell` and the csv module would write as it is: no quote,
# tab or line break, and every piece (at the start, after a comma or a semicolon) empty or begun
# by an ASCII letter or digit. The commas must also be only the separators (counted by the caller).
_PLAIN_LINE = re.compile(r"(?:[A-Za-z0-9][^\"\t\r\n,;]*)?(?:[,;](?:[A-Za-z0-9][^\"\t\r\n,;]*)?)*\Z")


# --- CSV ---------------------------------------------------------------------------------------

def _defuse(text: str) -> str:
    """Put a ' before every piece a spreadsheet could run as a formula, whatever it splits on."""
    if text[:1].isalnum() and _SPLIT.search(text) is None:
        return text   # begins with a letter or digit and has nowhere else a piece could begin: nothing to defuse
    return _FORMULA_AT.sub(r"\1'", text)


def _cell(value: object) -> str:
    """A CSV cell: numbers as numbers, text defused (a results file may hold anything)."""
    kind = type(value)
    if kind is str:
        return _defuse(value)
    if value is None:
        return ""
    if kind is bool:
        return "1" if value else "0"
    if kind is int and value >= 0:
        return str(value)       # digits only: nothing to defuse
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


def write_csv(out: TextIO, roles: list[str], rows: Iterable[list[object]]) -> None:
    """A header with a pair of columns for each of `roles`, then each row (`_row`), written as it comes."""
    writer = csv.writer(out, lineterminator="\n")
    header = [*FIXED_COLUMNS]
    for role in roles:
        header += [f"{role}_matched", f"{role}_total"]
    writer.writerow([_cell(h) for h in [*header, "objectives", "app_version"]])
    write_rows(writer, rows)


def write_rows(writer: Any, rows: Iterable[list[object]]) -> None:
    """Each row (`_row`) as CSV, its cells made safe (`writer`: a csv.writer)."""
    for row in rows:
        writer.writerow([_cell(v) for v in row])


def _row(values: Sequence[object], results: Iterable[tuple[str, int, int]], objectives: Iterable[tuple[str, str, object]],
         roles: list[str]) -> list[object]:
    """A session's CSV row from its columns (SESSION_COLUMNS without the id), results and objectives."""
    uid, scenario, mode, roles_played, path, started, duration, _status, ending, historical, version, auto = values
    by_role = {role: (matched, total) for role, matched, total in results}
    row: list[object] = [uid, scenario, started, float(duration), mode, roles_played, path, auto, ending,
                         None if historical is None else bool(historical)]
    for role in roles:
        row += by_role.get(role, ("", ""))
    row.append(";".join(f"{objective}={int(met)}" for _role, objective, met in objectives))
    row.append(version)
    return row


def csv_text(sessions: list[SessionRecord]) -> str:
    """One row per session given (the report passes the finished ones), oldest first."""
    out = io.StringIO()
    roles = role_columns(sessions)
    write_csv(out, roles, (_row((s.uid, s.scenario, s.mode, s.roles, s.path, s.started_at, s.duration_s, s.status,
                                 s.ending, s.ending_historical, s.app_version, s.autoplay),
                                [(r.role, r.matched, r.total) for r in s.role_results],
                                [(o.role, o.objective_id, o.met) for o in s.objectives], roles) for s in sessions))
    return out.getvalue()


def write_merged_csv(out: TextIO, merged: Merged) -> None:
    """The CSV of the merged finished sessions, streamed: a row is written as its session is read.

    SQL joins each row's cells (totals.csv_pieces); a line whose every cell is plain (no comma,
    quote, tab or line break in it, and every piece a spreadsheet could see begins with a letter
    or digit: what `_cell` and the csv module leave as they are) is written as it is, and any other
    row is written from its values, as `csv_text` writes it. The same bytes either way, at a
    fraction of the cost of making each cell in Python (about 20 cells a row).
    """
    db = merged.db
    roles = totals.roles(db)
    write_csv(out, roles, ())
    writer = csv.writer(out, lineterminator="\n")
    commas = len(FIXED_COLUMNS) + 2 * len(roles) + 1
    for session_id, head, duration, tail in totals.csv_pieces(db, roles):
        line = None if head is None or tail is None else f"{head},{_cell(float(duration))},{tail}"
        if line is not None and line.count(",") == commas and _PLAIN_LINE.match(line):
            out.write(line + "\n")
        else:
            rows = totals.session_rows(db, session_id)
            write_rows(writer, [_row(rows.values, rows.results, rows.objectives, roles)])


# --- content -------------------------------------------------------------------------------------

def load_scenarios(content: Path, ids: Iterable[str]) -> tuple[dict[str, Scenario | None], list[str]]:
    """The scenarios the sessions belong to; one that cannot be loaded is shown by ids, with a warning."""
    from ..engine.checked import load_scenario
    from ..engine.diagnostics import ContentError

    found: dict[str, Scenario | None] = {}
    warnings = []
    for scenario_id in sorted(set(ids)):
        try:
            found[scenario_id] = load_scenario(content, scenario_id, cached=True)   # as the game loads it
        except ContentError as exc:
            found[scenario_id] = None
            first = exc.diagnostics[0] if exc.diagnostics else "not found"
            warnings.append(f"scenario {scenario_id!r} could not be loaded from {content} ({first}); "
                            "the report shows its choice points by id, without questions.")
    return found, warnings


# --- HTML ---------------------------------------------------------------------------------------
# What the printable report shows, as plain data; the template print/report.html writes the page
# (autoescaped: everything from content or a results file is escaped there).

@dataclass(frozen=True)
class Fact:
    """A line of the class's summary table."""

    label: str
    value: str


@dataclass(frozen=True)
class EndingRow:
    """How many sessions reached one ending (every ending is listed, reached or not)."""

    title: str
    historical: bool          # the ending the record shows
    count: int
    share: str                # "40%"
    bar: Bar


@dataclass(frozen=True)
class SideRow:
    """How closely one side followed the record, over the sessions that played it."""

    title: str
    sessions: int
    percent: int
    mean_matched: str
    mean_total: str
    bar: Bar


@dataclass(frozen=True)
class ObjectiveRow:
    """How many of the sessions that played a side met one of its objectives."""

    side: str
    text: str
    met: int
    of: int
    bar: Bar


@dataclass(frozen=True)
class RecordOption:
    """What the record says at a moment: its option's words, or only its id when the content is missing."""

    option_id: str
    speaker: str = ""         # as the scenario names them (the narrator too); empty without the content
    text: str = ""
    mark: str = ""
    known: bool = False       # the option was found in the content


@dataclass(frozen=True)
class OptionRow:
    """How many sessions chose one option at a choice point."""

    name: str
    count: int
    historical: bool          # the record's option (never at an off-record moment)
    bar: Bar


@dataclass(frozen=True)
class TallyBlock:
    """One choice point: the record's option and how many followed it, or, off the record, only what was chosen."""

    number: int
    moment: str
    who: str
    faced: int
    record: RecordOption | None     # None at an off-record moment: nothing there to follow or to leave
    followed: str                   # "3 of 5 sessions followed the record"
    share: str
    bar: Bar
    options: tuple[OptionRow, ...]


@dataclass(frozen=True)
class PathChoices:
    """The choice points met on one path, numbered from 1 in story order."""

    title: str
    tallies: tuple[TallyBlock, ...]


@dataclass(frozen=True)
class QuestionList:
    """Discussion questions, for everyone or from one side's chair."""

    heading: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class ScenarioPart:
    """All the report says of one scenario."""

    title: str
    facts: tuple[Fact, ...]
    endings: tuple[EndingRow, ...]
    sides: tuple[SideRow, ...]
    objectives: tuple[ObjectiveRow, ...]
    paths: tuple[PathChoices, ...]
    questions_title: str            # empty when the scenario could not be loaded
    questions: tuple[QuestionList, ...]


@dataclass(frozen=True)
class ReportPage:
    """Everything the report template shows: where the figures come from, then each scenario."""

    made: str
    files: tuple[str, ...]
    finished: int
    duplicates: int
    damaged_rows: int             # rows of the results files left out (the command lists them)
    scenarios: tuple[ScenarioPart, ...]


@dataclass(frozen=True)
class _Group:
    """One scenario's sessions in the merged database (its figures are asked of the database)."""

    scenario_id: str
    scenario: Scenario | None
    finished: int
    abandoned: int


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _counts_line(counts: list[tuple[str, int]], names: dict[str, str] | None = None) -> str:
    names = names or {}
    return " · ".join(f"{names.get(k, k) or '(none)'} {n}" for k, n in counts)


def _role_names(scenario: Scenario | None) -> dict[str, str]:
    return {r: scenario.roles[r].title for r in scenario.roles} if scenario else {}


def _facts(db: ResultsDB, group: _Group) -> tuple[Fact, ...]:
    scenario, scenario_id = group.scenario, group.scenario_id
    role_names = _role_names(scenario)
    path_names = {p: scenario.paths[p].title for p in scenario.paths} if scenario else {}
    minutes = totals.mean_minutes(db, scenario_id)
    facts = [
        Fact("Finished sessions", str(group.finished)),
        Fact("Sessions cut short (not counted below)", str(group.abandoned)),
        Fact("Mean duration", f"{minutes:.1f} min" if minutes is not None else "–"),
        Fact("Played in", _counts_line(totals.counted(db, scenario_id, "mode"))),
        Fact("Roles", _counts_line(totals.counted(db, scenario_id, "roles"),
                                   {**role_names, **{"+".join(role_names): "both sides (two players)"}})),
        Fact("Paths", _counts_line(totals.counted(db, scenario_id, "path"), path_names)),
    ]
    autoplayed = totals.autoplayed(db, scenario_id)
    if autoplayed:
        facts.append(Fact("Played automatically (replay or test)", str(autoplayed)))
    return tuple(facts)


def _endings(db: ResultsDB, group: _Group) -> tuple[EndingRow, ...]:
    """Every ending of the scenario, reached or not, then any the content does not know."""
    scenario, n = group.scenario, group.finished
    reached = totals.endings(db, group.scenario_id)
    known = [(e.id, e.title, e.historical) for e in scenario.endings] if scenario else []
    known_ids = {k for k, _, _ in known}
    known += [(e, e, reached[e][1]) for e in sorted(reached) if e not in known_ids]
    rows = []
    for ending_id, title, historical in known:
        count = reached.get(ending_id, (0, False))[0]
        rows.append(EndingRow(title, historical, count, percent(count, n),
                              Bar(count / n if n else 0, f"{title}: {count} of {n}")))
    return tuple(rows)


def _sides(db: ResultsDB, group: _Group) -> tuple[SideRow, ...]:
    role_names = _role_names(group.scenario)
    rows = []
    for side in totals.sides(db, group.scenario_id):
        title = role_names.get(side.role, side.role)
        rows.append(SideRow(title, side.sessions, round(100 * side.share), _num(side.matched / side.sessions),
                            _num(side.total / side.sessions), Bar(side.share, f"{title}: {round(100 * side.share)}%")))
    return tuple(rows)


def _objectives(db: ResultsDB, group: _Group) -> tuple[ObjectiveRow, ...]:
    scenario = group.scenario
    role_names = _role_names(scenario)
    texts = {o.id: o.text for r in scenario.roles.values() for o in r.objectives} if scenario else {}
    rows = []
    for total in totals.objectives(db, group.scenario_id):
        text = texts.get(total.objective_id, total.objective_id)
        rows.append(ObjectiveRow(role_names.get(total.role, total.role), text, total.met, total.of,
                                 Bar(total.met / total.of, f"{text}: {total.met} of {total.of}")))
    return tuple(rows)


def _paths(group: _Group, merged: Merged) -> tuple[PathChoices, ...]:
    scenario = group.scenario
    paths = sorted(totals.paths(merged.db, group.scenario_id),
                   key=lambda p: (list(scenario.paths).index(p) if scenario and p in scenario.paths else 99, p))
    choices = scenario.choices() if scenario else {}
    options = scenario.options() if scenario else {}
    out = []
    for path in paths:
        if merged.tallies is not None:     # counted while merging (the choices were not copied)
            tallies = merged.tallies.get((group.scenario_id, path), [])
        else:
            tallies = visitors_vs_record(merged.db, group.scenario_id, path)
        if not tallies:
            continue
        title = scenario.paths[path].title if scenario and path in scenario.paths else path
        out.append(PathChoices(title, tuple(_tally(scenario, number, tally, choices.get(tally.choice_id), options)
                                            for number, tally in enumerate(tallies, 1))))
    return tuple(out)


def _record_option(scenario: Scenario | None, tally: ChoiceTally, hist: Option | None) -> RecordOption:
    """What the record shows at this moment, with its speaker as the scenario names them (the narrator too)."""
    if hist is None:
        return RecordOption(tally.historical_option_id)
    who = scenario.speaker_name(hist.speaker) if scenario is not None else ""
    return RecordOption(tally.historical_option_id, who, hist.text, mark(hist.provenance, hist.refs), known=True)


def _tally(scenario: Scenario | None, number: int, tally: ChoiceTally, choice: ChoicePoint | None,
           options: dict[str, Option]) -> TallyBlock:
    who = scenario.roles[tally.role].title if scenario and tally.role in scenario.roles else tally.role
    moment = choice.moment if choice else tally.choice_id
    off_record = tally.off_record or (choice is not None and choice.historical is None)
    rows = []
    for option_id, count in tally.options:
        option = options.get(option_id)
        name = option.label if option else option_id
        rows.append(OptionRow(name, count, not off_record and option_id == tally.historical_option_id,
                              Bar(count / tally.faced if tally.faced else 0, f"{name}: {count}")))
    followed = f"{tally.followed} of {tally.faced} sessions followed the record"
    return TallyBlock(
        number, moment, who, tally.faced,
        None if off_record else _record_option(scenario, tally, options.get(tally.historical_option_id)),
        followed, percent(tally.followed, tally.faced), Bar(tally.share, followed, width=160, height=14), tuple(rows))


def _questions(scenario: Scenario | None) -> tuple[QuestionList, ...]:
    if scenario is None:
        return ()
    lists = [QuestionList("For everyone", tuple(scenario.questions))] if scenario.questions else []
    lists += [QuestionList(f"From the chair of {role.title}", tuple(role.questions))
              for role in scenario.roles.values() if role.questions]
    return tuple(lists)


def _part(group: _Group, merged: Merged) -> ScenarioPart:
    """All of a scenario's part but its choice points (`paths`), which need the choices counted."""
    scenario, db = group.scenario, merged.db
    title = f"{scenario.title}: {scenario.subtitle}" if scenario and scenario.subtitle else (
        scenario.title if scenario else group.scenario_id)
    return ScenarioPart(title, _facts(db, group), _endings(db, group), _sides(db, group), _objectives(db, group),
                        (), f"Questions to discuss — {scenario.title}" if scenario else "", _questions(scenario))


@dataclass(frozen=True)
class PageDraft:
    """The report page without what the count of the choices gives (each scenario's choice points and
    the bad rows found): what can be read while the choices are still being counted."""

    page: ReportPage
    groups: tuple[_Group, ...]


def draft_page(merged: Merged, scenarios: dict[str, Scenario | None], made: datetime | None = None) -> PageDraft:
    """The figures of every scenario found in the merged sessions (most played first), but the choices."""
    made = made or datetime.now()
    groups = [_Group(c.scenario_id, scenarios.get(c.scenario_id), c.finished, c.abandoned)
              for c in totals.scenarios(merged.db)]
    ordered = tuple(sorted(groups, key=lambda g: (-g.finished, g.scenario_id)))
    return PageDraft(ReportPage(f"{made.day} {made:%B %Y, %H:%M}", tuple(p.name for p in merged.files),
                                sum(g.finished for g in groups), merged.duplicates, 0,
                                tuple(_part(g, merged) for g in ordered)), ordered)


def finish_page(draft: PageDraft, merged: Merged) -> ReportPage:
    """The draft with the choice points and the bad rows (waiting for the count, if it is still going on)."""
    parts = tuple(replace(part, paths=_paths(group, merged))
                  for part, group in zip(draft.page.scenarios, draft.groups, strict=True))
    return replace(draft.page, damaged_rows=merged.skipped_rows, scenarios=parts)


def report_page(merged: Merged, scenarios: dict[str, Scenario | None], made: datetime | None = None) -> ReportPage:
    """What the report shows, for every scenario found in the merged sessions (most played first)."""
    return finish_page(draft_page(merged, scenarios, made), merged)


def report_html(merged: Merged, scenarios: dict[str, Scenario | None], made: datetime | None = None) -> str:
    """The whole printable report, as a string."""
    return render(REPORT_TEMPLATE, page=report_page(merged, scenarios, made))


def write_report(merged: Merged, csv_path: Path | None, html_path: Path | None, content: Path) -> list[str]:
    """Write what was asked for (atomically); returns warnings and what was written, for the user.

    The choices may still be being counted (merging.py) while the CSV is written and the HTML's
    other figures are read, its scenarios loaded and its template made ready: only then does the
    report wait for the count. Its error, if any, leaves neither output behind.
    """
    from ..engine.files import write_atomic, write_atomic_with

    messages: list[str] = []
    draft: PageDraft | None = None

    def meanwhile() -> None:
        nonlocal draft
        if html_path is not None:
            scenarios, warnings = load_scenarios(content, [c.scenario_id for c in totals.scenarios(merged.db)])
            messages.extend(warnings)
            draft = draft_page(merged, scenarios)
            environment().get_template(REPORT_TEMPLATE)
        merged.settle()

    def csv_then_wait(out: TextIO) -> None:
        write_merged_csv(out, merged)
        meanwhile()

    if csv_path is not None:
        write_atomic_with(csv_path, csv_then_wait)
        messages.append(f"wrote {csv_path}")
    else:
        meanwhile()
    if html_path is not None and draft is not None:
        write_atomic(html_path, render(REPORT_TEMPLATE, page=finish_page(draft, merged)))
        messages.append(f"wrote {html_path}")
    return messages
