"""Scoring as data: compare, don't judge.

Three things side by side, never one grade (docs/design.md §3): how often each side followed the record,
which of its objectives it met, and the ending reached beside what really happened. Every choice
point the players faced is listed with their option and the record's, for the debrief.
"""

from __future__ import annotations

from dataclasses import dataclass

from .expressions import holds
from .model import ChoicePoint, Ending, Objective, Option, Role, Scenario
from .runner import Runner
from .state import Spoken


@dataclass(frozen=True)
class Comparison:
    """One choice point: what the player chose beside what the record shows."""

    number: int
    choice: ChoicePoint
    chosen: Option | None
    historical: Option | None   # None at an off-record moment: there is nothing to compare with

    @property
    def off_record(self) -> bool:
        return self.historical is None

    @property
    def followed(self) -> bool:
        return self.historical is not None and self.chosen is not None and self.chosen.id == self.historical.id


@dataclass(frozen=True)
class ObjectiveResult:
    objective: Objective
    met: bool


@dataclass(frozen=True)
class RoleResult:
    role: Role
    comparisons: tuple[Comparison, ...]
    objectives: tuple[ObjectiveResult, ...]

    @property
    def matched(self) -> int:
        return sum(1 for c in self.comparisons if c.followed)

    @property
    def total(self) -> int:
        """Moments the record has: off-record moments are not counted either way."""
        return sum(1 for c in self.comparisons if not c.off_record)

    @property
    def departures(self) -> tuple[Comparison, ...]:
        """Where this side left the record: the timeline of the debrief."""
        return tuple(c for c in self.comparisons if not c.followed and not c.off_record)

    @property
    def off_record(self) -> tuple[Comparison, ...]:
        """Moments that exist only because the talks had left the record."""
        return tuple(c for c in self.comparisons if c.off_record)


@dataclass(frozen=True)
class Debrief:
    scenario: Scenario
    ending: Ending
    historical_ending: Ending
    roles: tuple[RoleResult, ...]
    minutes: tuple[Spoken, ...]
    questions: tuple[str, ...]

    @property
    def ending_is_historical(self) -> bool:
        return self.ending.id == self.historical_ending.id


def build_debrief(runner: Runner) -> Debrief:
    """The debrief of a finished (or, for a preview, unfinished) session."""
    scenario = runner.scenario
    state = runner.state
    choices = scenario.choices()
    options = scenario.options()
    roles = []
    questions: list[str] = []
    for role_id in sorted(runner.players, key=list(scenario.roles).index):
        role = scenario.roles[role_id]
        comparisons = []
        for decision in state.chosen:
            if decision.auto or decision.by != role_id or decision.choice not in choices:
                continue
            choice = choices[decision.choice]
            comparisons.append(Comparison(len(comparisons) + 1, choice, options.get(decision.option), choice.historical))
        objectives = tuple(ObjectiveResult(o, holds(o.met, runner)) for o in role.objectives)
        roles.append(RoleResult(role, tuple(comparisons), objectives))
        questions.extend(role.questions)
    questions.extend(scenario.questions)
    ending = scenario.ending(state.ending) if state.ending else scenario.endings[-1]
    return Debrief(scenario, ending, scenario.historical_ending, tuple(roles), tuple(state.spoken), tuple(questions))
