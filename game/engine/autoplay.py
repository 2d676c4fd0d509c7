"""Players that choose by themselves: the record (replay what happened) or chance (tests, soak)."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Protocol

from .model import ChoicePoint, Option
from .runner import ChoiceEvent, EndEvent, Runner


class Policy(Protocol):
    def pick(self, event: ChoiceEvent) -> Option: ...


class RecordPolicy:
    """Always the historical option (off the record, the default one); where it is not offered, the first."""

    def pick(self, event: ChoiceEvent) -> Option:
        return event.choice.answer_from(event.options)


class RandomPolicy:
    """Uniformly random options from its own seeded generator: the same seed, the same session."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def pick(self, event: ChoiceEvent) -> Option:
        return self.rng.choice(event.options)


def policy_named(name: str, seed: int = 0) -> Policy:
    if name == "record":
        return RecordPolicy()
    if name == "random":
        return RandomPolicy(seed)
    raise ValueError(f"unknown autoplay '{name}' (record or random)")


def play_out(runner: Runner, policy: Policy, met: Callable[[ChoicePoint], None] | None = None) -> EndEvent:
    """Play the session to its end with `policy` answering every choice point it meets (each one
    told to `met` first, when given): the one loop behind the stats, the replays, the screenshots
    and the tests."""
    while not isinstance(event := runner.advance(), EndEvent):
        if isinstance(event, ChoiceEvent):
            if met is not None:
                met(event.choice)
            runner.choose(policy.pick(event))
    return event
