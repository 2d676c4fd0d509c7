"""One play session, for every front end: the runner, whose turn it is, going back, the lock,
the autosave log and the results row.

The window, the kiosk, the terminal and the browser all drive a session through this class and
only draw what `shown` holds. Its lifecycle is the same everywhere:

    session = PlaySession(scenario, role, path, log=…, recording=…)
    session.begin()            # the talks begin: the clock starts and the saved game is replaced
    session.advance() / choose(option) / go_back()
    session.finish()           # reached the end: recorded as finished, the saved game removed
    session.cut_short()        # left early (menu, window closed, kiosk reset): recorded as cut short

`finish` and `cut_short` record at most once each, and a session cut short and later resumed
from its log keeps its id, so the results hold one row for it: finished if it was finished.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from ..engine.model import ChoicePoint, Line, Option, Scenario
from ..engine.runner import BOTH, ChoiceEvent, EndEvent, Event, LineEvent, Runner, RunnerError
from ..engine.scoring import Debrief, build_debrief
from .log import ChoiceLog, Entry, Header, LogError, SavedGame, read_log

MAX_REPLAY_STEPS = 200_000


@dataclass
class OnScreen:
    """What is on screen now: a line, a choice point (with its options) or the end."""

    line: Line | None = None
    choice: ChoicePoint | None = None
    options: tuple[Option, ...] = ()
    ended: bool = False
    auto: bool = False


class ResultsWriter(Protocol):
    """Where finished and cut-short sessions go (the results store); returns a message or ""."""

    def write(self, runner: Runner, status: str, *, uid: str, started_at: datetime, duration_s: float) -> str: ...


def iso_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class PlaySession:
    def __init__(self, scenario: Scenario, role: str, path: str = "full", *, replay: bool = False,
                 lock: bool = False, log: ChoiceLog | None = None, results: ResultsWriter | None = None,
                 uid: str | None = None, started_at: str | None = None, seconds: float = 0.0,
                 clock: Callable[[], float] = time.monotonic):
        self.scenario = scenario
        self.role = role
        self.runner = Runner(scenario, role, path)
        self.replay = replay          # "replay the record": the record answers every choice
        self.lock_choices = lock
        self.log = None if replay else log
        self.results = None if replay else results
        self.uid = uid or uuid.uuid4().hex
        self.started_at = started_at or iso_now()
        self.clock = clock
        self._seconds_before = seconds   # active play time of earlier runs (a resumed session)
        self._t0: float | None = None
        self.shown = OnScreen()
        self.last_turn: str | None = None
        self.message = ""
        self.recorded: str | None = None   # "finished" or "abandoned" once written this run

    # --- lifecycle -----------------------------------------------------------------------------

    @property
    def began(self) -> bool:
        return self._t0 is not None

    def begin(self, fresh_log: bool = True) -> None:
        """The talks begin: start the clock; a new game replaces the saved one now, not before."""
        self._t0 = self.clock()
        self.recorded = None
        if self.log is not None and fresh_log:
            self.log.start(Header(self.scenario.id, self.role, self.runner.state.path, self.uid,
                                  self.started_at, self.lock_choices))
            self._note(self.log.error)

    @property
    def seconds(self) -> float:
        """Active play time, this run and earlier ones."""
        return self._seconds_before + (self.clock() - self._t0 if self._t0 is not None else 0.0)

    @property
    def ended(self) -> bool:
        return self.runner.ended

    def finish(self) -> str:
        """The talks reached their end: record the session as finished (once) and drop the saved game."""
        if self.log is not None:
            self.log.clear()
        return self._record("finished")

    def cut_short(self) -> str:
        """Leaving before the end (menu, window closed, kiosk reset): record it as cut short, once.
        The saved game stays, so "Continue" can resume it; a finished session is left alone."""
        if self.ended or not self.began:
            return ""
        if self.log is not None and self.recorded is None:
            self.log.append(Entry("time", seconds=self.seconds))
        return self._record("abandoned")

    def _record(self, status: str) -> str:
        if self.results is None or self.recorded is not None or not self.began:
            return ""
        if status == "finished" and not self.ended:
            status = "abandoned"
        self.recorded = status
        message = self.results.write(self.runner, status, uid=self.uid, started_at=_parse_iso(self.started_at),
                                     duration_s=self.seconds)
        self._note(message)
        return message

    def _note(self, message: str) -> None:
        if message:
            self.message = message

    # --- the talks -----------------------------------------------------------------------------

    @property
    def two_players(self) -> bool:
        return self.role == BOTH

    def advance(self) -> OnScreen:
        event: Event = self.runner.advance()
        if isinstance(event, ChoiceEvent) and self.replay:
            event = self.runner.choose(event.choice.answer_from(event.options))
        self.shown = self._shown(event)
        return self.shown

    def _shown(self, event: Event) -> OnScreen:
        if isinstance(event, LineEvent):
            return OnScreen(line=event.line, auto=event.auto)
        if isinstance(event, ChoiceEvent):
            return OnScreen(choice=event.choice, options=event.options)
        assert isinstance(event, EndEvent)
        return OnScreen(ended=True)

    def advance_to_stop(self, limit: int = 100_000) -> OnScreen:
        """Say every line up to the next choice point or the end (the browser shows such a stretch
        as one page of the conversation log; the window shows it a line at a time)."""
        shown = self.shown
        for _ in range(limit):
            if shown.choice is not None or shown.ended:
                return shown
            shown = self.advance()
        raise RunnerError("the talks go on without a choice or an end")

    def needs_handover(self) -> bool:
        """Two players: a different side's turn than the last choice's, so pass the device."""
        choice = self.shown.choice
        return self.two_players and choice is not None and choice.by != self.last_turn

    def take_turn(self) -> None:
        if self.shown.choice is not None:
            self.last_turn = self.shown.choice.by

    def choose(self, option: Option) -> OnScreen:
        event = self.runner.choose(option)
        self.last_turn = event.choice.by if event.choice else self.last_turn
        if self.log is not None:
            self.log.append(Entry("choose", option.id, self.seconds))
            self._note(self.log.error)
        self.shown = OnScreen(line=event.line)
        return self.shown

    @property
    def can_go_back(self) -> bool:
        state = self.runner.state
        needed = 2 if state.pending is not None else 1
        return not self.lock_choices and not self.replay and len(state.snapshots) >= needed

    def go_back(self) -> bool:
        # Two players: the device stays with whoever went back, so the hand-over screen comes up
        # when the choice offered again is the other side's.
        turn = self.shown.choice.by if self.shown.choice is not None else self.last_turn
        if not self.can_go_back or not self.runner.rollback():
            return False
        self.last_turn = turn
        if self.log is not None:
            self.log.append(Entry("back"))
            self._note(self.log.error)
        self.advance()
        return True

    def set_lock(self, on: bool) -> None:
        if on == self.lock_choices:
            return
        self.lock_choices = on
        if self.log is not None and self.began:
            self.log.append(Entry("lock", on=on))

    def debrief(self) -> Debrief:
        return build_debrief(self.runner)

    def role_title(self, role_id: str) -> str:
        return self.scenario.roles[role_id].title

    def who_plays(self) -> str:
        """Who is at the table, as every front end heads the talks: for two players, whose turn
        it is (it changes at each choice)."""
        if self.replay:
            return "Replaying the record"
        if self.two_players:
            turn = self.shown.choice.by if self.shown.choice else self.last_turn
            return "Two players" + (f": {self.role_title(turn)}'s turn" if turn else "")
        return f"You: {self.role_title(self.role)}"

    # --- resuming ------------------------------------------------------------------------------

    @classmethod
    def resume(cls, scenario: Scenario, saved: SavedGame, log: ChoiceLog | None,
               results: ResultsWriter | None = None, clock: Callable[[], float] = time.monotonic) -> PlaySession:
        """Replay a saved game's decisions. Decisions the content no longer offers end the replay
        there (the session goes on from the last one that fits), with a message."""
        head = saved.header
        if head.scenario != scenario.id:
            raise LogError(f"it belongs to another scenario ('{head.scenario}')")
        if head.role != BOTH and head.role not in scenario.roles:
            raise LogError(f"its role '{head.role}' is not in this version of the game")
        if head.path not in scenario.paths:
            raise LogError(f"its path '{head.path}' is not in this version of the game")
        session = cls(scenario, head.role, head.path, lock=head.lock, log=log, results=results, uid=head.uid,
                      started_at=head.started_at, seconds=saved.seconds, clock=clock)
        problem = session._replay(saved.entries)
        if problem:
            session.message = problem
        session.last_turn = next((c.by for c in reversed(session.runner.state.chosen) if not c.auto), None)
        spoken = session.runner.state.spoken
        if spoken and not session.runner.ended and session.runner.state.pending is None:
            # The line on screen when the game was saved has been said: show it again, so the game
            # goes on where it was left instead of one line further on.
            last = spoken[-1]
            session.shown = OnScreen(line=Line(last.id, last.speaker, last.text, last.provenance, last.refs))
        return session

    def _replay(self, entries: list[Entry]) -> str:
        runner = self.runner
        steps = 0
        for number, entry in enumerate(entries, 1):
            if entry.kind == "time":
                continue
            if entry.kind == "lock":
                self.lock_choices = entry.on
                continue
            if entry.kind == "back":
                runner.rollback()
                continue
            while True:
                steps += 1
                if steps > MAX_REPLAY_STEPS:
                    return "The saved game could not be replayed to its end; it goes on from where it stopped."
                try:
                    event = runner.advance()
                except RunnerError:
                    return "The saved game could not be replayed; it goes on from where it stopped."
                if isinstance(event, EndEvent):
                    return ""
                if isinstance(event, ChoiceEvent):
                    break
            picked = next((o for o in event.options if o.id == entry.option), None)
            if picked is None:
                return (f"The game has changed since it was saved: decision {number} is no longer offered, so it "
                        "goes on from the last decision that still fits.")
            runner.choose(picked)
        return ""


def _parse_iso(text: str) -> datetime:
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return datetime.now(UTC)


def load_saved(path: Path) -> tuple[SavedGame | None, str]:
    """The saved game at `path`, or None and why not. A damaged file is set aside, never deleted."""
    if not path.exists() and not path.is_symlink():
        return None, ""
    try:
        return read_log(path), ""
    except LogError as exc:
        from ..engine.files import set_aside

        try:
            moved = set_aside(path)
            return None, f"The saved game could not be used ({exc}); it was set aside as {moved.name}."
        except OSError:
            return None, f"The saved game could not be used ({exc})."
