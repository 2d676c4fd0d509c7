"""The terminal session: lines as `SPEAKER: text`, numbered options, one number per input line.

Reads standard input line by line; a bad entry re-prompts, end of input ends cleanly, and nothing
ever waits for Enter between lines. With an autoplay policy it prints the options and the pick
exactly as a human session would look. Everything printed passes `terminal_safe`: no escape
sequence, bidi override or invisible character in the content ever reaches the terminal.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..engine.autoplay import Policy
from ..engine.model import Option, Scenario
from ..engine.runner import BOTH, ChoiceEvent, EndEvent, LineEvent, RunawayError
from ..engine.safe_text import one_line, terminal_safe
from ..engine.scoring import Debrief, build_debrief
from ..session.play import PlaySession
from . import format as fmt

if TYPE_CHECKING:
    from ..session.play import ResultsWriter


def small_number(text: str) -> int | None:
    """A number typed by the player: ASCII digits only (`int` would take `١` or fail on `²`), and few
    of them (`int` refuses 4,300 digits)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else None


class TextSession:
    def __init__(
        self, scenario: Scenario, role: str, path: str, out: TextIO, inp: TextIO,
        policy: Policy | None = None, results: ResultsWriter | None = None, minutes: Path | None = None,
        err: TextIO | None = None,
    ):
        self.scenario = scenario
        # results: the session is recorded when it ends, however it ends (once)
        self.session = PlaySession(scenario, role, path, results=results)
        self.runner = self.session.runner
        self.out = out
        self.inp = inp
        self.policy = policy
        self.role = role
        self.minutes = minutes        # "your minutes": a printable HTML written at the end
        self.err = err if err is not None else sys.stderr

    def say(self, text: str = "") -> None:
        self.out.write(terminal_safe(text) + "\n")

    def run(self) -> int:
        self.session.begin()
        try:
            return self._play()
        except (KeyboardInterrupt, BrokenPipeError):
            self.record(finished=False)   # Ctrl-C or a closed pipe: kept as cut short
            raise

    def _play(self) -> int:
        roles = list(self.scenario.roles) if self.role == BOTH else [self.role]
        path = self.scenario.paths[self.runner.state.path]
        self.say(fmt.intro(self.scenario, roles, path.title))
        while True:
            try:
                event = self.runner.advance()
            except RunawayError as exc:
                self.say("")
                self.say(f"(The session stops here: {exc}.)")
                self.record(finished=False)
                return 1
            if isinstance(event, LineEvent):
                self.say(fmt.spoken(self.scenario, event.line))
            elif isinstance(event, ChoiceEvent):
                picked = self.ask(event)
                if picked is None:
                    self.say("")
                    self.say("Session ended before the end of the talks.")
                    self.record(finished=False)
                    if self.minutes is not None:
                        self.note(f"no minutes written to {self.minutes}: the talks did not reach their end.")
                    return 0
                if picked == "back":
                    continue
                self.say(fmt.spoken(self.scenario, self.session.choose(picked).line))
            else:
                assert isinstance(event, EndEvent)
                report = build_debrief(self.runner)
                self.say(fmt.debrief(report))
                self.out.flush()
                self.record(finished=True)
                self.write_minutes(report)
                return 0

    def note(self, text: str) -> None:
        """A message about files (results, minutes): on standard error, apart from the transcript."""
        self.err.write(f"main.py: {text}\n")
        self.err.flush()

    def record(self, finished: bool) -> None:
        message = self.session.finish() if finished else self.session.cut_short()
        if message:
            self.note(message)

    def write_minutes(self, report: Debrief) -> None:
        if self.minutes is None:
            return
        from ..results.minutes_html import save_minutes

        try:
            save_minutes(report, self.minutes)
        except OSError as exc:
            self.note(f"could not write your minutes to {self.minutes} ({exc.strerror or exc}).")
            return
        self.note(f"your minutes: {self.minutes}")

    def ask(self, event: ChoiceEvent) -> Option | str | None:
        choice = event.choice
        role = self.scenario.roles[choice.by]
        self.say("")
        turn = f"{role.title}'s turn" if self.role == BOTH else f"Your turn ({role.title})"
        self.say(one_line(f"--- {turn}: {choice.prompt or 'What do you say?'} ---"))
        for i, option in enumerate(event.options, 1):
            self.say(f"{i}) {one_line(option.label)}")
        if self.policy is not None:
            picked = self.policy.pick(event)
            self.say(f"> {event.options.index(picked) + 1}")
            self.say("")
            return picked
        while True:
            self.out.write("> ")
            self.out.flush()
            raw = self.inp.readline()
            if raw == "":
                self.say("")
                self.say("(Input ended.)")
                return None
            answer = raw.strip().lower()
            if answer in ("q", "quit"):
                return None
            if answer in ("b", "back"):
                if self.session.go_back():
                    self.say("(Back to the previous choice.)")
                    return "back"
                self.say("(This is the first choice; there is nothing to go back to.)")
                continue
            number = small_number(answer)
            if number is not None and 1 <= number <= len(event.options):
                self.say("")
                return event.options[number - 1]
            if answer == "s" or (answer.startswith("s ") and small_number(answer[2:].strip().lstrip("¶")) is not None):
                self.show_source(answer[2:].strip().lstrip("¶"))
                continue
            if answer in ("g", "glossary"):
                self.show_glossary()
                continue
            self.say(f"Please type a number from 1 to {len(event.options)} "
                     "(or b to go back, s for the source, g for the glossary, q to stop).")

    def _recent(self) -> list:
        """What was said since the player's previous choice (the other side's answers included)."""
        spoken = self.runner.state.spoken
        start = len(spoken)
        while start > 0 and not (spoken[start - 1].choice and spoken[start - 1].by in self.runner.players):
            start -= 1
        return spoken[max(0, start - 1):]

    def show_source(self, number: str) -> None:
        """`s`: the paragraphs behind the lines since the last choice; `s 12`: paragraph ¶12."""
        paragraphs = self.scenario.source.paragraphs
        wanted = [int(number)] if number else sorted({r for s in self._recent() for r in s.refs})
        if not wanted:
            self.say("(The lines since the last choice were invented for the game: no paragraph to show.)")
        for ref in wanted:
            if ref in paragraphs:
                self.say(fmt.wrap(f"¶{ref} {paragraphs[ref].text}"))
            else:
                self.say(f"(There is no ¶{ref}; the record has ¶1–¶{max(paragraphs)}.)")
        self.say("")

    def show_glossary(self) -> None:
        """`g`: glossary entries for the names and terms in the lines since the last choice."""
        from ..engine.citations import cite_list
        from ..engine.glossary import GlossaryIndex

        index = GlossaryIndex(self.scenario.glossary)
        entries = {m.entry.id: m.entry for s in self._recent() for m in index.find(s.text)}
        if not entries:
            self.say("(No glossary terms in the lines since the last choice.)")
        for entry in entries.values():
            self.say(fmt.wrap(f"{entry.term}: {entry.text}"))
            if entry.uncertain:
                self.say(fmt.wrap(f"Uncertain: {entry.uncertain}", "  "))
            if entry.sources:
                self.say(fmt.wrap(f"Sources: {cite_list(self.scenario, entry.sources)}", "  "))
        self.say("")
