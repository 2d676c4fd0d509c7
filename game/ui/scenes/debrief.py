"""The debrief: the three comparisons of docs/design.md §3 side by side, never one grade.

Outcome (your ending beside what happened), your choices beside the record (with ¶ links and why
the historical person may have said it, and a timeline of where you left the record), what
happened next, questions to discuss with the source criticism, and for two players the minutes.
"""

from __future__ import annotations

from pathlib import Path

from ...engine.citations import cite_list
from ...engine.presentation import what_happened
from ...engine.scoring import Debrief
from ..wording import provenance_caption
from .document import Block, DocumentScene


class DebriefScene(DocumentScene):
    name = "debrief"
    has_back = False

    def __init__(self, app, session, report: Debrief | None = None, tab: int = 0):
        super().__init__(app)
        self.tab = tab
        self.session = session
        self.report = report or session.debrief()
        self.message = session.message if session is not None else ""
        self.saved_minutes: Path | None = None

    def tabs(self) -> list[str]:
        tabs = ["Outcome", "Your choices", "What came next", "Discuss"]
        return tabs + ["The minutes"] if len(self.report.roles) > 1 else tabs

    def extra_buttons(self):
        flow = self.app.flow
        buttons = [(flow.after_debrief_label, self.to_title)]
        if flow.saves:
            if self.saved_minutes is None:
                buttons.append(("Save your minutes", self.save_minutes))
            else:
                buttons.append(("Open your minutes", self.open_minutes))
        if self.app.results is not None:
            buttons.append((f"How {flow.players} chose", self.visitors))
        buttons.append(("Sources", self.open_sources))
        return buttons

    def banner(self) -> list[Block]:
        """A message that must be seen on whichever tab is open (where the minutes were saved)."""
        return [Block("link" if self.saved_minutes else "meta", self.message,
                      action=self.open_minutes if self.saved_minutes else None)] if self.message else []

    def save_minutes(self) -> None:
        """A printable page of this session beside the record, in a folder the player can find."""
        from ...results.minutes_html import save_minutes
        from ..files_out import minutes_path

        path = minutes_path()
        try:
            save_minutes(self.report, path)
            self.saved_minutes = path
            self.message = f"Your minutes are saved as {path}. Open them to read or print."
        except OSError as exc:
            self.message = f"Could not save the minutes ({exc.strerror or exc})."
        self.layout()

    def open_minutes(self) -> None:
        from ..files_out import open_file

        if self.saved_minutes is None:
            return
        problem = open_file(self.saved_minutes)
        if problem:
            self.message = f"{problem} The file is {self.saved_minutes}."
            self.layout()

    def visitors(self) -> None:
        self.app.go("visitors", path=self.session.runner.state.path)

    def to_title(self) -> None:
        """Where "Title screen" (the window) or "Finish" (the kiosk) leads is the flow's to say."""
        self.app.flow.after_debrief(self.app)

    def back(self) -> None:
        self.to_title()

    def blocks(self) -> list[Block]:
        return self.banner() + [self._outcome, self._choices, self._next, self._discuss, self._minutes][self.tab]()

    def _sources(self, refs: tuple[str, ...]) -> list[Block]:
        return [Block("link", "Sources: " + cite_list(self.report.scenario, refs), action=self.open_sources)] if refs else []

    def _outcome(self) -> list[Block]:
        """The three comparisons of docs/design.md §3, ending first, then each side, then the history."""
        r = self.report
        out = [Block("title", "The end of the talks"), Block("heading", f"Your ending: {r.ending.title}"),
               Block("body", r.ending.summary)]
        if r.ending_is_historical:
            out.append(Block("subheading", "This is the ending the record shows."))
        else:
            out.append(Block("subheading", f"The record's ending: {r.historical_ending.title}"))
        for result in r.roles:
            out.append(Block("heading", f"{result.role.title}: the record at {result.matched} of {result.total} moments"))
            if result.comparisons:
                out.append(Block("timeline", "", marks=tuple(
                    "off" if c.off_record else ("followed" if c.followed else "left") for c in result.comparisons)))
                out.append(Block("meta", "Your moments in order: a red ring where you left the record (see “Your "
                                         "choices”), a dot where you followed it, a grey square for a moment the "
                                         "record does not have. Not a grade: the record is what one person did, not "
                                         "the right answer."))
            for objective in result.objectives:
                state = "Met" if objective.met else "Not met"
                out.append(Block("body", f"{state}: {objective.objective.text}"))
                if objective.objective.why:
                    out.append(Block("meta", objective.objective.why))
        out += [Block("heading", what_happened(r.scenario)), Block("body", r.scenario.outcome),
                Block("body", r.ending.epilogue)]
        out += self._sources(r.ending.sources)
        return out

    def _choices(self) -> list[Block]:
        out = [Block("title", "Your choices beside the record")]
        for result in self.report.roles:
            out.append(Block("heading", f"{result.role.title}: {result.matched} of {result.total} as in the record"))
            if result.departures:
                out.append(Block("meta", "Where you left the record: " + " · ".join(
                    f"{c.number}. {c.choice.moment}" for c in result.departures)))
            scenario = self.report.scenario
            for c in result.comparisons:
                state = "  — off the record" if c.off_record else ("" if c.followed else "  — you left the record")
                out.append(Block("subheading", f"{c.number}. {c.choice.moment}{state}"))
                if c.chosen is not None and not c.followed:
                    out.append(Block("body", f"You: “{c.chosen.text}”"))
                    out.append(Block("invented" if c.chosen.provenance == "invented" else "meta",
                                     provenance_caption(c.chosen.provenance, c.chosen.refs)))
                hist = c.historical
                if hist is None:
                    out.append(Block("meta", "Not in the record: this moment happened only because the talks had "
                                             "already left the record, so there is nothing to set beside it."))
                else:
                    who = f" ({scenario.speaker_name(hist.speaker)})" if scenario.is_person(hist.speaker) else ""
                    out.append(Block("quote", f"The record{who}: “{hist.text}”"))
                    action = (lambda p=hist.refs[0]: self.open_source(p)) if hist.refs else None
                    out.append(Block("link", provenance_caption(hist.provenance, hist.refs) + ("  — read it in the source" if action else ""),
                                     action=action))
                out.append(Block("body", f"Why: {c.choice.note}"))
                out += self._sources(c.choice.sources)
        return out

    def _next(self) -> list[Block]:
        out = [Block("title", "What happened next")]
        for item in self.report.scenario.history:
            out.append(Block("subheading", item.date))
            out.append(Block("body", item.text))
            if item.uncertain:
                out.append(Block("invented", f"Uncertain: {item.uncertain}"))
            out += self._sources(item.sources)
        return out

    def _discuss(self) -> list[Block]:
        scenario = self.report.scenario
        out = [Block("title", "Questions to discuss")]
        out += [Block("body", f"{i}. {q}") for i, q in enumerate(self.report.questions, 1)]
        out += [Block("heading", "About this source"), Block("body", scenario.source_note or scenario.source.note),
                Block("meta", scenario.source.citation)]
        if scenario.witnesses:
            out.append(Block("link", f"What others wrote: {len(scenario.witnesses)} other accounts of the same "
                                     "moments, set beside the record", action=self.open_witnesses))
        if scenario.date_note:
            out += [Block("heading", "When was this?"), Block("body", scenario.date_note)]
        return out

    def _minutes(self) -> list[Block]:
        scenario = self.report.scenario
        choices = scenario.choices()
        out = [Block("title", "The minutes of your session"),
               Block("meta", "What was said at your table, in order; where a player left the record, the record's words follow.")]
        for entry in self.report.minutes:
            out.append(Block("subheading", scenario.speaker_name(entry.speaker)))
            out.append(Block("body", entry.text))
            out.append(Block("invented" if entry.provenance == "invented" else "meta", provenance_caption(entry.provenance, entry.refs)))
            choice = choices.get(entry.choice)
            hist = choice.historical if choice is not None else None
            if hist is not None and hist.id != entry.id:
                who = f" ({scenario.speaker_name(hist.speaker)})" if scenario.is_person(hist.speaker) else ""
                out.append(Block("quote", f"The record{who}: “{hist.text}”"))
        return out
