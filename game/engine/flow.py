"""Which values each variable can hold where a node ends: a forward analysis from every path's start.

`end: <ending>` forces an ending and skips its `when`, so what the ending says about the objectives
(E515) must hold for whatever values the variables can have there. This works them out without
playing: each variable on its own (a set of values for bool and enum, a Span for int), through
every effect, narrowed by the conditions of branch arms, options and lines. It over-approximates:
it never misses a value a session can reach, but it does not know that two variables move
together, so a combination built from it may be one no session reaches.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Mapping

from .decide import Possible, Span, possible
from .expressions import Binary, Effect, Expr, Lit, Unary, Var, names_in
from .limits import MAX_FLOW_WORK
from .model import Scenario, Variable

State = dict[str, Possible]
WIDEN_AFTER = 4   # a node whose int values keep growing (a loop adding 1) after this many times: see _widen


def exit_values(scenario: Scenario, names: Collection[str] | None = None,
                budget: list[int] | None = None) -> dict[str, State] | None:
    """For each node reachable from a path's start: what the variables `names` (default: all)
    can hold once its effects and lines are done (where `end:` takes effect). Variables these are
    set from are followed too; a condition on one not followed may hold or not, so the values
    are as safe as when following all, if a little wider where such a condition decides. None when the
    work (node visits times variables followed) would pass `budget` (default MAX_FLOW_WORK):
    content is untrusted, and a graph of 100,000 nodes and 10,000 variables must not take hours
    or gigabytes."""
    variables = scenario.variables
    budget = budget if budget is not None else [MAX_FLOW_WORK]
    followed = set(variables) if names is None else _followed(scenario, names)
    start = {v.id: (Span(v.default, v.default) if v.type.kind == "int" else frozenset({v.default}))
             for v in variables.values() if v.id in followed}
    rank = _order(scenario)
    entry: dict[str, State] = {}
    grown: dict[str, int] = {}
    queue: list[tuple[int, str]] = []   # nodes in the order of the graph: most are done once
    queued: set[str] = set()

    def reach(node_id: str, state: State | None) -> None:
        if state is None or node_id not in rank:
            return
        old = entry.get(node_id)
        new = state if old is None else join(old, state)
        if new is old:
            return
        grown[node_id] = grown.get(node_id, 0) + 1
        if old is not None and grown[node_id] > WIDEN_AFTER:
            new = {n: _widen(variables[n], old[n], v) for n, v in new.items()}
        entry[node_id] = new
        if node_id not in queued:
            queued.add(node_id)
            heapq.heappush(queue, (rank[node_id], node_id))

    for path in scenario.paths.values():
        reach(path.start, dict(start))
    out: dict[str, State] = {}
    while queue:
        _, node_id = heapq.heappop(queue)
        queued.discard(node_id)
        node = scenario.nodes[node_id]
        budget[0] -= 1 + len(start) * (1 + len(node.lines) + len(node.branch) + len(node.choice.options if node.choice else ()))
        if budget[0] < 0:
            return None
        state = apply(entry[node.id], node.effects, variables)
        for line in node.lines:
            if line.condition is None:
                state = apply(state, line.effects, variables)
            else:
                said = narrow(state, line.condition.expr, True, variables)
                unsaid = narrow(state, line.condition.expr, False, variables)
                state = join_all([unsaid, apply(said, line.effects, variables) if said is not None else None]) or state
        out[node.id] = state
        if node.goto:
            reach(node.goto, state)
        for arm in node.branch:   # tried in order: an arm is taken when the earlier ones fail
            if arm.condition is None:
                reach(arm.goto, state)
                break
            reach(arm.goto, narrow(state, arm.condition.expr, True, variables))
            rest = narrow(state, arm.condition.expr, False, variables)
            if rest is None:
                break
            state = rest
        if node.choice:
            for option in node.choice.options:
                offered = state if option.condition is None else narrow(state, option.condition.expr, True, variables)
                if offered is not None:
                    reach(option.goto, apply(offered, option.effects, variables))
    return out


def _followed(scenario: Scenario, names: Collection[str]) -> set[str]:
    """`names` and every variable an effect sets one of them from (`x = y + 1` follows y too)."""
    sources: dict[str, set[str]] = {}
    for node in scenario.nodes.values():
        effects = [*node.effects, *(e for line in node.lines for e in line.effects)]
        if node.choice:
            effects += [e for option in node.choice.options for e in option.effects]
        for effect in effects:
            sources.setdefault(effect.target, set()).update(names_in(effect.value))
    out = {n for n in names if n in scenario.variables}
    todo = list(out)
    while todo:
        for source in sources.get(todo.pop(), ()):
            if source in scenario.variables and source not in out:
                out.add(source)
                todo.append(source)
    return out


def _order(scenario: Scenario) -> dict[str, int]:
    """Reverse postorder from the paths' starts (iterative: a long chain of nodes is no recursion)."""
    seen: set[str] = set()
    post: list[str] = []
    for path in scenario.paths.values():
        if path.start not in scenario.nodes or path.start in seen:
            continue
        seen.add(path.start)
        stack = [(path.start, iter(scenario.nodes[path.start].successors()))]
        while stack:
            node_id, successors = stack[-1]
            for nxt in successors:
                if nxt in scenario.nodes and nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, iter(scenario.nodes[nxt].successors())))
                    break
            else:
                stack.pop()
                post.append(node_id)
    return {node_id: i for i, node_id in enumerate(reversed(post))}


def join(a: State, b: State) -> State:
    """Every value either state allows; `a` itself when `b` adds nothing (so callers can tell)."""
    if a is b:
        return a
    out: State | None = None
    for n, x in a.items():
        y = b[n]
        if x is y or x == y:
            continue
        z = _join(x, y)
        if z != x:
            if out is None:
                out = dict(a)
            out[n] = z
    return a if out is None else out


def join_all(states: list[State | None]) -> State | None:
    found = [s for s in states if s is not None]
    if not found:
        return None
    out = found[0]
    for s in found[1:]:
        out = join(out, s)
    return out


def _join(a: Possible, b: Possible) -> Possible:
    if isinstance(a, Span) and isinstance(b, Span):
        return Span(min(a.lo, b.lo), max(a.hi, b.hi))
    if isinstance(a, frozenset) and isinstance(b, frozenset):
        return a | b
    return b


def _whole(var: Variable) -> Span:
    return Span(var.minimum or 0, var.maximum or 0)


def _widen(var: Variable, old: Possible, new: Possible) -> Possible:
    """A bound that keeps moving goes straight to the end of the range (a loop adding 1 to a
    variable that runs to 10**14 is not followed step by step)."""
    if not isinstance(old, Span) or not isinstance(new, Span):
        return new
    whole = _whole(var)
    return Span(whole.lo if new.lo < old.lo else new.lo, whole.hi if new.hi > old.hi else new.hi)


def apply(state: State, effects: tuple[Effect, ...], variables: Mapping[str, Variable]) -> State:
    """The values after `effects`, clamped into each int variable's range as the runner clamps them."""
    if not effects:
        return state
    state = dict(state)
    for effect in effects:
        var = variables.get(effect.target)
        if var is None or var.id not in state:
            continue   # an undeclared target (reported by the type check), or one not followed
        value = possible(effect.value, variables, state)
        if var.type.kind != "int":
            state[var.id] = value if isinstance(value, frozenset) else _of(var)
            continue
        if not isinstance(value, Span):
            state[var.id] = _whole(var)
            continue
        now = state[var.id]
        if effect.op != "=" and isinstance(now, Span):
            value = Span(now.lo + value.lo, now.hi + value.hi) if effect.op == "+=" else \
                Span(now.lo - value.hi, now.hi - value.lo)
        state[var.id] = Span(var.clamp(value.lo), var.clamp(value.hi))
    return state


def _of(var: Variable) -> frozenset:
    return frozenset({False, True}) if var.type.kind == "bool" else frozenset(var.type.values)


_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}


def narrow(state: State, expr: Expr, truth: bool, variables: Mapping[str, Variable]) -> State | None:
    """The values for which `expr` can be `truth`; None when it cannot be. Comparisons of one
    variable with a constant, `and`, `or` and `not` narrow; anything else is only tested."""
    if isinstance(expr, Unary) and expr.op == "not":
        return narrow(state, expr.operand, not truth, variables)
    if isinstance(expr, Binary) and expr.op in ("and", "or"):
        if (expr.op == "and") == truth:   # both sides take `truth`
            left = narrow(state, expr.left, truth, variables)
            return None if left is None else narrow(left, expr.right, truth, variables)
        return join_all([narrow(state, expr.left, truth, variables), narrow(state, expr.right, truth, variables)])
    if isinstance(expr, Var) and expr.name in state and isinstance(state[expr.name], frozenset):
        held = state[expr.name]
        return {**state, expr.name: frozenset({truth})} if truth in held else None
    if isinstance(expr, Binary) and expr.op in _FLIP:
        simple = _simple(expr, truth, state)
        if simple is not None:
            name, kept = simple
            return {**state, name: kept} if kept is not None else None
    return state if truth in possible(expr, variables, state) else None


def _simple(expr: Binary, truth: bool, state: State) -> tuple[str, Possible | None] | None:
    """For `variable op constant` (either way round): the variable and the values it keeps when
    the comparison is `truth` (None: no value). None when the comparison is of another form."""
    if isinstance(expr.left, Var) and isinstance(expr.right, Lit):
        name, op, value = expr.left.name, expr.op, expr.right.value
    elif isinstance(expr.right, Var) and isinstance(expr.left, Lit):
        name, op, value = expr.right.name, _FLIP[expr.op], expr.left.value
    else:
        return None
    if name not in state:
        return None
    if not truth:
        op = _NEGATE[op]
    held = state[name]
    if isinstance(held, frozenset):
        if op not in ("==", "!="):
            return None
        kept = frozenset(v for v in held if (v == value) == (op == "=="))
        return name, (kept or None)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return name, _narrow_span(held, op, value)


def _narrow_span(held: Span, op: str, value: int) -> Span | None:
    lo, hi = held.lo, held.hi
    if op == "==":
        lo, hi = max(lo, value), min(hi, value)
    elif op == "!=":
        lo, hi = (lo + 1 if lo == value else lo), (hi - 1 if hi == value else hi)
    elif op == "<":
        hi = min(hi, value - 1)
    elif op == "<=":
        hi = min(hi, value)
    elif op == ">":
        lo = max(lo, value + 1)
    else:
        lo = max(lo, value)
    return Span(lo, hi) if lo <= hi else None
