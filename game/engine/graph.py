"""The dialogue as a graph: what can be reached from where, for which players.

Shared by the validator (unreachable nodes, dead ends, silent loops) and by `--stats` (what a
role's path contains). Conditions are ignored here, with one exception: `can_end(decided=True)`
leaves out the jumps behind conditions that can never hold (decide.py), so a loop whose only
exit is `if: "false"` is found before it runs forever in a classroom.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from .decide import always_holds, never_holds
from .limits import MAX_CYCLES
from .model import Node, Scenario


def successors(node: Node, players: frozenset[str] | None = None) -> list[str]:
    """Next nodes; with `players`, another side's choice only follows the option the record (or,
    off the record, the game) gives when nobody plays that side."""
    if node.choice and players is not None and node.choice.by not in players:
        return [node.choice.fallback.goto]
    return node.successors()


def reachable(scenario: Scenario, starts: Iterable[str], players: frozenset[str] | None = None) -> list[str]:
    """Nodes reachable from `starts`, in breadth-first order (stable, for reports)."""
    seen: dict[str, None] = {}
    queue = deque(s for s in starts if s in scenario.nodes)
    for s in queue:
        seen[s] = None
    while queue:
        node = scenario.nodes[queue.popleft()]
        for nxt in successors(node, players):
            if nxt in scenario.nodes and nxt not in seen:
                seen[nxt] = None
                queue.append(nxt)
    return list(seen)


def taken(scenario: Scenario, node: Node) -> list[str]:
    """Next nodes that can really follow `node`: options and branch arms whose condition can never
    hold are left out, and so are the arms after one whose condition always holds."""
    variables = scenario.variables
    if node.choice:
        options = [o for o in node.choice.options if not never_holds(o.condition and o.condition.expr, variables)]
        return [o.goto for o in options] or [node.choice.fallback.goto]   # none offered: the runner takes the fallback
    if node.branch:
        out = []
        for arm in node.branch:
            expr = arm.condition.expr if arm.condition else None
            if not never_holds(expr, variables):
                out.append(arm.goto)
            if always_holds(expr, variables):
                break
        return out or [node.branch[-1].goto]
    return node.successors()


def can_end(scenario: Scenario, decided: bool = False) -> set[str]:
    """Nodes from which some `end` can be reached (with `decided`, along jumps that can happen)."""
    back: dict[str, list[str]] = {}
    for node in scenario.nodes.values():
        for nxt in (taken(scenario, node) if decided else node.successors()):
            back.setdefault(nxt, []).append(node.id)
    done = {n.id for n in scenario.nodes.values() if n.end}
    queue = deque(done)
    while queue:
        for prev in back.get(queue.popleft(), ()):
            if prev not in done:
                done.add(prev)
                queue.append(prev)
    return done


def silent_cycles(scenario: Scenario) -> list[list[str]]:
    """Cycles made only of nodes that say nothing and offer no choice: the runner would spin."""
    silent = {n.id for n in scenario.nodes.values() if not n.lines and not n.choice and not n.end}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    for start in sorted(silent):
        if state.get(start):
            continue
        stack: list[tuple[str, Iterable[str]]] = [(start, iter(scenario.nodes[start].successors()))]
        path = [start]
        state[start] = 1
        while stack:
            current, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                path.pop()
                state[current] = 2
                continue
            if nxt not in silent:
                continue
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt])
                if len(cycles) >= MAX_CYCLES:      # each costs the length of the path; a few are enough
                    return cycles
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, iter(scenario.nodes[nxt].successors())))
    return cycles
