"""A game session as the window sees it: the runner, autosave, locked choices and turns.

No drawing here: the scenes ask the session what to show and tell it what the player did.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..engine import saves
from ..engine.files import set_aside
from ..engine.model import ChoicePoint, Line, Option, Scenario
from ..engine.runner import BOTH, ChoiceEvent, EndEvent, Event, LineEvent, Runner
from ..engine.scoring import Debrief, build_debrief
from ..engine.state import StoryState
from .settings import data_dir


def autosave_path() -> Path:
    return data_dir() / "autosave.json"


@dataclass
class Shown:
    """What is on screen now: a line, a choice point (with its options) or the end."""

    line: Line | None = None
    choice: ChoicePoint | None = None
    options: tuple[Option, ...] = ()
    ended: bool = False
    auto: bool = False


class Session:
    def __init__(self, scenario: Scenario, role: str, path: str = "full", state: StoryState | None = None,
                 autosave: Path | None = None, lock_choices: bool = False, replay: bool = False):
        self.scenario = scenario
        self.role = role
        self.runner = Runner(scenario, role, path, state)
        self.autosave = autosave
        self.lock_choices = lock_choices
        self.replay = replay          # "replay the record": the record answers every choice
        self.shown = Shown()
        self.last_turn: str | None = None
        self.message = ""

    @property
    def two_players(self) -> bool:
        return self.role == BOTH

    def advance(self) -> Shown:
        event: Event = self.runner.advance()
        if isinstance(event, ChoiceEvent) and self.replay:
            event = self.runner.choose(next((o for o in event.options if o.historical), event.options[0]))
        self.shown = self._shown(event)
        return self.shown

    def _shown(self, event: Event) -> Shown:
        if isinstance(event, LineEvent):
            return Shown(line=event.line, auto=event.auto)
        if isinstance(event, ChoiceEvent):
            return Shown(choice=event.choice, options=event.options)
        assert isinstance(event, EndEvent)
        self.clear_autosave()
        return Shown(ended=True)

    def needs_handover(self) -> bool:
        """Two players: a different side's turn than the last choice's, so pass the keyboard."""
        choice = self.shown.choice
        return self.two_players and choice is not None and choice.by != self.last_turn

    def take_turn(self) -> None:
        if self.shown.choice is not None:
            self.last_turn = self.shown.choice.by

    def choose(self, option: Option) -> Shown:
        event = self.runner.choose(option)
        self.last_turn = event.choice.by if event.choice else self.last_turn
        self.save()
        self.shown = Shown(line=event.line)
        return self.shown

    @property
    def can_go_back(self) -> bool:
        state = self.runner.state
        needed = 2 if state.pending is not None else 1
        return not self.lock_choices and not self.replay and len(state.snapshots) >= needed

    def go_back(self) -> bool:
        # Two players: the keyboard stays with whoever went back, so the hand-over screen comes up
        # when the choice offered again is the other side's.
        turn = self.shown.choice.by if self.shown.choice is not None else self.last_turn
        if not self.can_go_back or not self.runner.rollback():
            return False
        self.last_turn = turn
        self.advance()
        self.save()  # the autosave must not keep the choice that was just taken back
        return True

    def save(self) -> None:
        if self.autosave is None or self.replay:
            return
        try:
            saves.save(self.runner.state, self.autosave)
        except OSError as exc:
            self.message = f"Could not save the game ({exc.strerror or exc}); play goes on."

    def clear_autosave(self) -> None:
        if self.autosave is not None:
            try:
                self.autosave.unlink(missing_ok=True)
            except OSError:
                pass

    def debrief(self) -> Debrief:
        return build_debrief(self.runner)

    def role_title(self, role_id: str) -> str:
        return self.scenario.roles[role_id].title


def continue_session(scenario: Scenario, path: Path, lock_choices: bool) -> tuple[Session | None, str]:
    """The autosaved session, or None with a message (a damaged save is set aside, not lost)."""
    if not path.is_file():
        return None, ""
    try:
        restored = saves.load(path, scenario)
    except saves.SaveError as exc:
        try:
            moved = set_aside(path)
            return None, f"The saved game could not be used and was set aside as {moved.name}. ({exc})"
        except OSError:
            return None, f"The saved game could not be used. ({exc})"
    state = restored.state
    session = Session(scenario, state.role, state.path, state, path, lock_choices)
    session.message = " ".join(restored.messages)
    if state.pending is None and state.ending is None and state.spoken:
        # The line on screen when the game was saved has already been said: show it again, so the
        # game goes on where it was left instead of one line (and maybe one node) further on.
        last = state.spoken[-1]
        session.shown = Shown(line=Line(last.id, last.speaker, last.text, last.provenance, last.refs))
    return session, session.message
