"""How the text front end writes lines, marks and the debrief: plain, greppable, screen-reader friendly.

Content is untrusted: every content text goes through `one_line` (or `wrap`, which does the same),
so a line break inside a line can never print a second, forged `Speaker: … [¶3]` line, and the
session's `say` replaces whatever control character is left before it reaches the terminal.
"""

from __future__ import annotations

import textwrap

from ..engine.citations import cite_list
from ..engine.model import Line, Scenario
from ..engine.safe_text import one_line
from ..engine.scoring import Comparison, Debrief, RoleResult

WIDTH = 78


def refs_text(refs: tuple[int, ...]) -> str:
    return ", ".join(f"¶{r}" for r in refs)


def provenance_mark(line: Line) -> str:
    """The visible source of a spoken line: its ¶, 'adapted from ¶', or the invented mark."""
    if line.provenance == "record":
        return f"[{refs_text(line.refs)}]"
    if line.provenance == "adapted":
        return f"[adapted from {refs_text(line.refs)}]"
    return "[invented for the game]"


def spoken(scenario: Scenario, line: Line) -> str:
    return f"{one_line(scenario.speaker_name(line.speaker))}: {one_line(line.text)} {provenance_mark(line)}"


def wrap(text: str, indent: str = "", width: int = WIDTH) -> str:
    return textwrap.fill(one_line(text), width, initial_indent=indent, subsequent_indent=indent)


def intro(scenario: Scenario, roles: list[str], path_title: str) -> str:
    """The head of a session: the title sheet's words (the scenario's `presentation`), the roles
    and objectives, and how to read the marks and answer."""
    shown = scenario.presentation
    title = one_line(scenario.title.upper())
    date = f"{scenario.date} · {shown.record_date}" if shown.record_date else scenario.date
    parts = [
        "=" * WIDTH,
        f"{title}: {one_line(scenario.subtitle)}" if scenario.subtitle else title,
        *([one_line(shown.memo)] if shown.memo else []),
        one_line(f"{scenario.place}, {date} — {path_title}"),
        "=" * WIDTH,
    ]
    if shown.blurb:
        parts += [wrap(shown.blurb), ""]
    if scenario.date_note:
        parts += [wrap("About the date: " + scenario.date_note), ""]
    for role_id in roles:
        role = scenario.roles[role_id]
        parts += [f"YOUR ROLE: {one_line(role.title.upper())}", wrap(role.intro), "", "Your objectives:"]
        parts += [wrap(f"- {o.text}", "  ") for o in role.objectives]
        parts.append("")
    narrator = scenario.speakers.get(shown.narrator)
    voice = f" {narrator.name} is the game's own voice, never the record." if narrator is not None else ""
    parts += [
        wrap("Every line shows where it comes from: [¶12] is paragraph 12 of the record, word for word; "
             f"[adapted from ¶12] is shortened from it; [invented for the game] did not happen.{voice}"),
        wrap("At a choice, type its number and press Enter. Type b to go back to the previous choice, "
             "s to read the source of the last lines (s 12 for paragraph 12), g for the glossary, q to stop."),
        "",
    ]
    return "\n".join(parts)


def _comparison(scenario: Scenario, c: Comparison) -> list[str]:
    if c.off_record:
        mark = "off the record: this moment is not in the record"
    else:
        mark = "as in the record" if c.followed else "you left the record here"
    out = [wrap(f"{c.number}. {c.choice.moment} — {mark}", "  ")]
    if c.chosen is None:
        out.append("     You: (an option that no longer exists in this version)")
    elif not c.followed:
        you = c.chosen.as_line()
        out.append(wrap(f"You said: \"{you.text}\" {provenance_mark(you)}", "     "))
    if c.historical is None:
        out.append(wrap("The record: nothing to set beside it. This moment happened only because the talks "
                        "had already left the record.", "     "))
    else:
        hist = c.historical.as_line()
        who = f" ({scenario.speaker_name(hist.speaker)})" if scenario.is_person(hist.speaker) else ""
        out.append(wrap(f"The record{who}: \"{hist.text}\" {provenance_mark(hist)}", "     "))
    if c.choice.note:
        out.append(wrap(f"Why: {c.choice.note}", "     "))
    return out


def role_result(scenario: Scenario, result: RoleResult) -> list[str]:
    out = [
        "-" * WIDTH,
        one_line(result.role.title.upper()),
        f"Record match: {result.matched} of {result.total}",
        wrap(f"You followed the record at {result.matched} of {result.total} moments. "
             "This is not a grade: the record is what one person did, not the right answer."),
        "",
        "Objectives:",
    ]
    for r in result.objectives:
        out.append(wrap(f"[{'met' if r.met else 'not met'}] {r.objective.text}", "  "))
    if result.departures:
        out += ["", one_line("Where you left the record: " + ", ".join(f"{c.number}. {c.choice.moment}"
                                                                      for c in result.departures))]
    out += ["", "Your choices beside the record:"]
    for c in result.comparisons:
        out += _comparison(scenario, c)
    return out


def minutes(report: Debrief) -> list[str]:
    """The session's own minutes, in order, with the record's words wherever a player left it."""
    scenario = report.scenario
    choices = scenario.choices()
    out = ["-" * WIDTH, "THE MINUTES OF YOUR SESSION, BESIDE THE RECORD"]
    for entry in report.minutes:
        name = scenario.speaker_name(entry.speaker)
        mark = provenance_mark(Line(entry.id, entry.speaker, entry.text, entry.provenance, entry.refs))
        out.append(wrap(f"{name}: {entry.text} {mark}", "  "))
        choice = choices.get(entry.choice)
        if choice is not None and choice.historical is not None and choice.historical.id != entry.id:
            hist = choice.historical.as_line()
            out.append(wrap(f"[the record: {scenario.speaker_name(hist.speaker)}: \"{hist.text}\" "
                            f"{provenance_mark(hist)}]", "      "))
    return out


def debrief_sources(report: Debrief) -> list:
    """The works this debrief cites (its ending, the moments met, what came next), once each."""
    scenario = report.scenario
    refs = [*report.ending.sources, *scenario.outcome_sources]
    for result in report.roles:
        refs += [ref for c in result.comparisons for ref in c.choice.sources]
        refs += [ref for o in result.objectives for ref in o.objective.sources]
    refs += [ref for item in scenario.history for ref in item.sources]
    ordered = [scenario.citations[r] for r in dict.fromkeys(refs) if r in scenario.citations]
    return sorted(ordered, key=lambda c: c.cite.casefold())


def debrief(report: Debrief) -> str:
    scenario = report.scenario
    out = [
        "",
        "=" * WIDTH,
        "THE END",
        "=" * WIDTH,
        f"Ending: {one_line(report.ending.title)}",
        wrap(report.ending.summary, "  "),
        "",
    ]
    if report.ending_is_historical:
        out.append("This is the ending the record shows.")
    else:
        out.append(f"What really happened: {one_line(report.historical_ending.title)}")
    out += [wrap(scenario.outcome, "  "), "", wrap(report.ending.epilogue), ""]
    for result in report.roles:
        out += role_result(scenario, result)
    if len(report.roles) > 1:
        out += minutes(report)
    if scenario.history:
        out += ["-" * WIDTH, "WHAT HAPPENED NEXT"]
    for item in scenario.history:
        note = f" (uncertain: {item.uncertain})" if item.uncertain else ""
        out.append(wrap(f"{item.date}: {item.text}{note}", "  "))
        if item.sources:
            out.append(wrap(f"Sources: {cite_list(scenario, item.sources)}", "      "))
    out += ["-" * WIDTH, "ABOUT THE SOURCE", wrap(scenario.source_note or scenario.source.note),
            wrap("Source: " + scenario.source.citation)]
    if report.questions:
        out += ["-" * WIDTH, "QUESTIONS TO DISCUSS"]
        out += [wrap(f"{i}. {q}", "  ") for i, q in enumerate(report.questions, 1)]
    cited = debrief_sources(report)
    out += ["-" * WIDTH, "SOURCES", wrap(f"The record: {scenario.source.citation}", "  ")]
    for citation in cited:
        uncertain = f" (uncertain: {citation.uncertain})" if citation.uncertain else ""
        out.append(wrap(f"{citation.cite}{uncertain}", "  "))
    out.append("")
    return "\n".join(out)
