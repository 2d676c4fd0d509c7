"""Assignments of values to try when a rule must hold in every state, not only in those a session meets.

Two checks enumerate the variables and calls their conditions read: can every option of a choice
be disabled at once (E403), and can an ending be reached while an objective it implies says
otherwise (E515)? Int ranges are not enumerated beyond MAX_CASES: the representative points of
decide.py stand for them, exactly when no comparison mixes two variables. Both checks draw on one
budget of work (MAX_CASE_WORK), so `validate` stays bounded whatever the content holds.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from .decide import Possible, Span, int_points, range_size
from .expressions import Expr, calls_in, names_in
from .limits import MAX_CASES
from .model import Variable


class Case:
    """One assignment of variable values and of call results (visited, chose, ends): an Env."""

    def __init__(self, values: dict[str, object], calls: dict[tuple[str, str], bool]):
        self.values = values
        self.calls = calls

    def var(self, name: str):
        return self.values[name]

    def visited(self, node_id: str) -> bool:
        return self.calls[("visited", node_id)]

    def chose(self, option_id: str) -> bool:
        return self.calls[("chose", option_id)]

    def ends(self, ending_id: str) -> bool:
        return self.calls[("ends", ending_id)]

    def shown(self) -> str:
        """The assignment as an author reads it: `tension = 5, press = 'cold', visited('x') is true`."""
        parts = [f"{n} = {show(v)}" for n, v in self.values.items()]
        parts += [f"{f}('{a}') is {str(v).lower()}" for (f, a), v in self.calls.items()]
        return ", ".join(parts) or "always"


def show(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f"'{value}'"
    return str(value)


@dataclass(frozen=True)
class Space:
    """The combinations worth trying for some conditions: one list of values per variable and call."""

    names: tuple[str, ...]
    calls: tuple[tuple[str, str], ...]
    domains: tuple[tuple[object, ...], ...]
    exact: bool   # trying these combinations decides the conditions for every combination there is
    full: int     # how many combinations there are in all (every value of every range)

    @property
    def size(self) -> int:
        size = 1
        for d in self.domains:
            size *= len(d)
        return size

    def cases(self) -> Iterator[Case]:
        split = len(self.names)
        for combo in itertools.product(*self.domains):
            yield Case(dict(zip(self.names, combo[:split], strict=True)),
                       dict(zip(self.calls, combo[split:], strict=True)))


@dataclass
class Reads:
    """What some conditions read: variables, calls, the int points worth trying, and their size.

    Worked out once per condition and then merged, because the objectives check tries each ending
    after every earlier one: walking all the earlier conditions again for each ending would take
    time that grows with the square of the endings (minutes for a few thousand)."""

    names: set[str] = field(default_factory=set)
    calls: set[tuple[str, str]] = field(default_factory=set)
    points: dict[str, set[int]] = field(default_factory=dict)   # int variable -> values to try, bounds included
    exact: bool = True    # the points decide every comparison (no comparison mixes two variables)
    chars: int = 0        # characters of the conditions: the cost of evaluating them once

    @classmethod
    def of(cls, exprs: Iterable[Expr], variables: Mapping[str, Variable], chars: int = 0) -> Reads:
        exprs = list(exprs)
        names: set[str] = set()
        calls: set[tuple[str, str]] = set()
        for expr in exprs:
            names |= names_in(expr)
            calls |= calls_in(expr)
        points, exact = int_points(exprs, variables)
        return cls({n for n in names if n in variables}, calls, {n: set(p) for n, p in points.items()}, exact, chars)

    @property
    def size(self) -> int:
        """The work of merging these or building their Space: one unit per name, call and point."""
        return 1 + len(self.names) + len(self.calls) + sum(len(p) for p in self.points.values())

    def add(self, other: Reads) -> None:
        """Merge `other` into these (in place: a running total costs only what is added)."""
        self.names |= other.names
        self.calls |= other.calls
        for name, found in other.points.items():
            self.points.setdefault(name, set()).update(found)
        self.exact = self.exact and other.exact
        self.chars += other.chars

    def plus(self, *others: Reads) -> Reads:
        out = Reads(set(self.names), set(self.calls), {n: set(p) for n, p in self.points.items()}, self.exact,
                    self.chars)
        for other in others:
            out.add(other)
        return out


def space(exprs: Iterable[Expr], variables: Mapping[str, Variable],
          within: Mapping[str, Possible] | None = None) -> Space:
    """The combinations for `exprs`. `within` narrows variables to the values they can hold at
    one place (flow.py); without it every declared value counts."""
    return space_of(Reads.of(exprs, variables), variables, within)


def space_of(reads: Reads, variables: Mapping[str, Variable], within: Mapping[str, Possible] | None = None) -> Space:
    """The combinations for conditions that read `reads` (see `space`)."""
    ordered = sorted(reads.names)
    ordered_calls = sorted(reads.calls)
    exact = reads.exact
    full = 1
    for name in ordered:
        full *= _size(variables[name], within.get(name) if within else None)
    domains: list[tuple[object, ...]] = []
    for name in ordered:
        var = variables[name]
        held = within.get(name) if within else None
        if var.type.kind == "int":
            lo, hi = var.minimum or 0, var.maximum or 0
            if isinstance(held, Span):
                lo, hi = max(lo, held.lo), min(hi, held.hi)
            if not exact and full <= MAX_CASES:
                domains.append(tuple(range(lo, hi + 1)))
            else:
                domains.append(tuple(sorted({lo, hi} | {p for p in reads.points.get(name, ()) if lo <= p <= hi})))
        else:
            values = [False, True] if var.type.kind == "bool" else list(var.type.values)
            if isinstance(held, frozenset):
                values = [v for v in values if v in held]
            domains.append(tuple(values))
    domains += [(False, True)] * len(ordered_calls)
    return Space(tuple(ordered), tuple(ordered_calls), tuple(domains), exact or full <= MAX_CASES,
                 full * 2 ** len(ordered_calls))


def _size(var: Variable, held: Possible | None) -> int:
    if var.type.kind == "int" and isinstance(held, Span):
        return max(0, min(var.maximum or 0, held.hi) - max(var.minimum or 0, held.lo) + 1)
    if var.type.kind != "int" and isinstance(held, frozenset):
        return len(held)
    return range_size(var)
