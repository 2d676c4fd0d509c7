"""What reading a scenario gives before the semantic checks: the scenario, and what those checks
still need (the expressions to type-check once every variable, node and option is known).

Its own module so the readers (manifest_reader, dialogue_reader), the loader and the validator can
share it without importing each other."""

from __future__ import annotations

from dataclasses import dataclass, field

from .diagnostics import Origin
from .expressions import Condition, Effect
from .model import Scenario


@dataclass
class Pending:
    """Expressions to type-check once every variable, node and option is known."""

    conditions: list[tuple[Condition, Origin]] = field(default_factory=list)
    effects: list[tuple[Effect, Origin]] = field(default_factory=list)
    sources: list[tuple[str, Origin]] = field(default_factory=list)   # every `sources` item, to resolve


@dataclass
class Loaded:
    """A scenario as read, before the semantic checks, with what those checks need."""

    scenario: Scenario
    pending: Pending
