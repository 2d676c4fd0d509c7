"""The runner: walks a scenario for one or two players, one event at a time.

In the manner of Ink's `Story`: the front end asks `advance()` for the next thing (a line, a
choice point, or the end), shows it however it likes, and answers choice points with `choose()`.
Choice points that belong to a side nobody is playing are answered by the record: the runner
takes the historical option and speaks it as an ordinary line, so one spine of content serves
every role. Nothing here is random; the same content and the same choices give the same session.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .expressions import Effect, evaluate, holds
from .limits import MAX_LINES_WITHOUT_CHOICE
from .model import ChoicePoint, Ending, Line, Option, Scenario
from .roles import BOTH
from .state import Chosen, Snapshot, Spoken, StoryState

MAX_SILENT_STEPS = 10_000


@dataclass(frozen=True)
class LineEvent:
    line: Line
    choice: ChoicePoint | None = None
    auto: bool = False


@dataclass(frozen=True)
class ChoiceEvent:
    choice: ChoicePoint
    options: tuple[Option, ...]


@dataclass(frozen=True)
class EndEvent:
    ending: Ending


Event = LineEvent | ChoiceEvent | EndEvent


class Phase(Enum):
    """Where the runner stands in its node: what `advance()` does next. It is read from the saved
    state (node entered, next line id, pending choice, ending), so saves need no new field."""

    ENTER = "enter"        # the node's effects are not applied yet (it was just reached by a jump)
    SPEAK = "speak"        # lines of the node are left to try, from the one the state names
    LEAVE = "leave"        # its lines are done: its goto, branch, end or choice point comes next
    CHOOSE = "choose"      # a player's choice point waits for `choose()`
    ENDED = "ended"


class RunnerError(Exception):
    """A request the runner cannot honour (unknown role, path or option)."""


class RunawayError(RunnerError):
    """The content talks on and on without offering the player a choice: a loop that `validate`
    could not decide. The session is stopped rather than left to fill the screen and the memory."""


def players_for(scenario: Scenario, role: str) -> frozenset[str]:
    if role == BOTH:
        return frozenset(scenario.roles)
    if role not in scenario.roles:
        names = ", ".join([*scenario.roles, BOTH])
        raise RunnerError(f"unknown role '{role}' (this scenario has: {names})")
    return frozenset({role})


def new_state(scenario: Scenario, role: str, path: str = "full") -> StoryState:
    players_for(scenario, role)
    if path not in scenario.paths:
        raise RunnerError(f"unknown path '{path}' (this scenario has: {', '.join(scenario.paths)})")
    return StoryState(
        scenario=scenario.id, role=role, path=path, node=scenario.paths[path].start,
        variables={v.id: v.default for v in scenario.variables.values()},
    )


class Runner:
    """One session. `state` is plain data: save it, load it, hand it to another runner."""

    def __init__(self, scenario: Scenario, role: str, path: str = "full", state: StoryState | None = None):
        self.scenario = scenario
        self.players = players_for(scenario, role)
        self.state = state if state is not None else new_state(scenario, role, path)
        self._visited = set(self.state.visited)
        self._chosen = {c.option for c in self.state.chosen}
        self._talk = 0   # lines since the player last had a choice
        self._lines: dict[str, dict[str, int]] = {}

    # --- Env for expressions -----------------------------------------------------------------

    def var(self, name: str) -> int | bool | str:
        return self.state.variables[name]

    def visited(self, node_id: str) -> bool:
        return node_id in self._visited

    def chose(self, option_id: str) -> bool:
        return option_id in self._chosen

    def ends(self, ending_id: str) -> bool:
        """Would the talks, as they stand, reach this ending? (The endings are tried in order.)"""
        return self._ending("auto").id == ending_id

    # --- the loop ------------------------------------------------------------------------------

    @property
    def ended(self) -> bool:
        return self.state.ending is not None

    @property
    def phase(self) -> Phase:
        st = self.state
        if st.ending is not None:
            return Phase.ENDED
        if st.pending is not None and self.scenario.nodes[st.node].choice is not None:
            return Phase.CHOOSE
        if not st.entered:
            return Phase.ENTER
        return Phase.SPEAK if st.next_line else Phase.LEAVE

    def advance(self) -> Event:
        """The next line, the pending choice point, or the end. Calling again at a choice is safe."""
        st = self.state
        jumps = 0
        while True:
            match self.phase:
                case Phase.ENDED:
                    return EndEvent(self.scenario.ending(st.ending or ""))
                case Phase.CHOOSE:
                    self._talk = 0
                    choice = self.scenario.nodes[st.node].choice
                    assert choice is not None
                    return ChoiceEvent(choice, self.enabled(choice))
                case Phase.ENTER:
                    self._enter(st.node)
                case Phase.SPEAK:
                    line = self._next_line()
                    if line is not None:
                        return self._talked(LineEvent(line))
                case Phase.LEAVE:
                    jumps += 1
                    if jumps > MAX_SILENT_STEPS:
                        raise RunnerError(f"the content jumps {MAX_SILENT_STEPS} times without saying anything "
                                          f"near '{st.node}'")
                    event = self._exit()
                    if isinstance(event, ChoiceEvent):
                        self._talk = 0
                        return event
                    if event is not None:
                        return self._talked(event) if isinstance(event, LineEvent) else event

    def _talked(self, event: LineEvent) -> LineEvent:
        self._talk += 1
        if self._talk > MAX_LINES_WITHOUT_CHOICE:
            raise RunawayError(f"the content said {MAX_LINES_WITHOUT_CHOICE:,} lines without a choice (near node "
                               f"'{self.state.node}'), so the session stops here; run 'python main.py validate'")
        return event

    def enabled(self, choice: ChoicePoint) -> tuple[Option, ...]:
        return tuple(o for o in choice.options if holds(o.condition, self))

    def choose(self, option: Option) -> LineEvent:
        """Answer the pending choice point with one of the options it offers; returns the chosen
        option spoken as a line. (By its number on screen: `choose_index`; by id: `choose_id`.)"""
        if not isinstance(option, Option):
            raise TypeError(f"choose() takes an Option, not {type(option).__name__}: use choose_index or choose_id")
        return self._choose(lambda enabled: option if option in enabled else None, option.id)

    def choose_index(self, number: int) -> LineEvent:
        """Answer with the option numbered `number` (1 is the first offered), as a player types it."""
        return self._choose(lambda enabled: enabled[number - 1] if 1 <= number <= len(enabled) else None, number)

    def choose_id(self, option_id: str) -> LineEvent:
        """Answer with the option of this id (test plans and saved logs name options so)."""
        return self._choose(lambda enabled: next((o for o in enabled if o.id == option_id), None), option_id)

    def _choose(self, find, asked: object) -> LineEvent:
        st = self.state
        if st.pending is None:
            raise RunnerError("there is no choice to make now")
        choice = self.scenario.nodes[st.node].choice
        assert choice is not None
        picked = find(self.enabled(choice))
        if picked is None:
            raise RunnerError(f"option {asked!r} is not offered here")
        st.pending = None
        return self._take(choice, picked, auto=False)

    def rollback(self) -> bool:
        """Go back to the previous choice point (or re-open the current one's last decision)."""
        st = self.state
        if not st.snapshots:
            return False
        if st.pending is not None:
            if len(st.snapshots) < 2:
                return False
            st.snapshots.pop()
        snap = st.snapshots[-1]
        st.node = snap.node
        st.variables = dict(snap.variables)
        del st.visited[snap.visited:]
        del st.chosen[snap.chosen:]
        del st.spoken[snap.spoken:]
        st.entered, st.next_line, st.ending = True, "", None
        node = self.scenario.nodes[snap.node]
        st.pending = node.choice.id if node.choice else None
        self._visited = set(st.visited)
        self._chosen = {c.option for c in st.chosen}
        return True

    # --- steps ---------------------------------------------------------------------------------

    def _enter(self, node_id: str) -> None:
        st = self.state
        node = self.scenario.nodes[node_id]
        st.entered = True
        st.next_line = node.lines[0].id if node.lines else ""
        if node_id not in self._visited:
            self._visited.add(node_id)
            st.visited.append(node_id)
        self._apply(node.effects)

    def _move(self, node_id: str) -> None:
        st = self.state
        st.node, st.entered, st.next_line, st.pending = node_id, False, None, None

    def _line_index(self, node_id: str) -> dict[str, int]:
        """Where each line of a node is: the state names the next line by id (saves survive edits),
        and a node may hold thousands of lines, so they are not searched for one by one."""
        index = self._lines.get(node_id)
        if index is None:
            index = self._lines[node_id] = {ln.id: i for i, ln in enumerate(self.scenario.nodes[node_id].lines)}
        return index

    def _next_line(self) -> Line | None:
        st = self.state
        if not st.next_line:
            return None
        lines = self.scenario.nodes[st.node].lines
        start = self._line_index(st.node).get(st.next_line, len(lines))
        for i in range(start, len(lines)):
            line = lines[i]
            if holds(line.condition, self):
                st.next_line = lines[i + 1].id if i + 1 < len(lines) else ""
                self._apply(line.effects)
                self._say(line)
                return line
        st.next_line = ""
        return None

    def _exit(self) -> Event | None:
        st = self.state
        node = self.scenario.nodes[st.node]
        if node.goto:
            self._move(node.goto)
            return None
        if node.branch:
            arm = next((a for a in node.branch if holds(a.condition, self)), node.branch[-1])
            self._move(arm.goto)
            return None
        if node.end:
            st.ending = self._ending(node.end).id
            return EndEvent(self.scenario.ending(st.ending))
        choice = node.choice
        assert choice is not None
        enabled = self.enabled(choice)
        if choice.by in self.players:
            st.pending = choice.id
            st.snapshots.append(Snapshot(node.id, dict(st.variables), len(st.visited), len(st.chosen), len(st.spoken)))
            return ChoiceEvent(choice, enabled)
        return self._take(choice, choice.answer_from(enabled), auto=True)

    def _take(self, choice: ChoicePoint, option: Option, auto: bool) -> LineEvent:
        st = self.state
        historical = choice.historical
        st.chosen.append(Chosen(choice.id, option.id, choice.by, historical.id if historical else "", auto))
        self._chosen.add(option.id)
        self._apply(option.effects)
        line = option.as_line()
        self._say(line, choice)
        self._move(option.goto)
        return LineEvent(line, choice, auto)

    def _say(self, line: Line, choice: ChoicePoint | None = None) -> None:
        self.state.spoken.append(Spoken(
            line.id, line.speaker, line.text, line.provenance, line.refs,
            choice.id if choice else "", choice.by if choice else "",
        ))

    def _apply(self, effects: tuple[Effect, ...]) -> None:
        variables = self.state.variables
        for effect in effects:
            var = self.scenario.variables[effect.target]
            value = evaluate(effect.value, self)
            if effect.op == "+=":
                value = int(variables[effect.target]) + int(value)
            elif effect.op == "-=":
                value = int(variables[effect.target]) - int(value)
            variables[effect.target] = var.clamp(value)

    def _ending(self, name: str) -> Ending:
        if name != "auto":
            return self.scenario.ending(name)
        return next(e for e in self.scenario.endings if e.when is None or holds(e.when, self))
