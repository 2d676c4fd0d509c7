"""What the validator can decide about a condition without playing: values, not enumerations.

Two questions, both answered in time proportional to the size of the expressions, whatever the
ranges of the variables (an int variable may range over 0..10**14):

- `possible`: which values can an expression take, given each variable's declared range? A
  condition whose only possible value is false can never hold (`if: "false"`, `warmth > 5` when
  warmth runs from -2 to 2), so the jump behind it never happens (E402 finds the loops it leaves
  without an exit).
- `int_points`: which values of each int variable are worth trying when looking for a moment where
  every option of a choice is disabled (E403)? A comparison of one variable with constants changes
  its truth only at one threshold, so the bounds and the integers around each threshold stand for
  the whole range.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from math import ceil, floor

from .expressions import Binary, Call, Expr, Lit, Unary, Var
from .model import Variable

BOTH = frozenset({False, True})
_COMPARE = ("==", "!=", "<", "<=", ">", ">=")


@dataclass(frozen=True)
class Span:
    """The possible values of an int expression: every integer from lo to hi."""

    lo: int
    hi: int


Possible = frozenset | Span


def possible(expr: Expr, variables: Mapping[str, Variable], held: Mapping[str, Possible] | None = None) -> Possible:
    """An over-approximation of the values `expr` can take: a set (bool, text) or a Span (int).
    `held` narrows variables to the values they can hold at one place (flow.py)."""
    if isinstance(expr, Lit):
        return Span(expr.value, expr.value) if _is_int(expr.value) else frozenset({expr.value})
    if isinstance(expr, Var):
        if held is not None and expr.name in held:
            return held[expr.name]
        return _of_variable(variables.get(expr.name))
    if isinstance(expr, Call):
        return BOTH
    if isinstance(expr, Unary):
        inner = possible(expr.operand, variables, held)
        if isinstance(inner, Span):
            return Span(-inner.hi, -inner.lo)
        return frozenset(not v for v in inner) if expr.op == "not" else BOTH
    left, right = possible(expr.left, variables, held), possible(expr.right, variables, held)
    return _binary(expr.op, left, right)


def never_holds(expr: Expr | None, variables: Mapping[str, Variable]) -> bool:
    return expr is not None and possible(expr, variables) == frozenset({False})


def always_holds(expr: Expr | None, variables: Mapping[str, Variable]) -> bool:
    return expr is None or possible(expr, variables) == frozenset({True})


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _of_variable(var: Variable | None) -> Possible:
    if var is None or var.type.kind == "bool":
        return BOTH
    if var.type.kind == "int":
        return Span(var.minimum or 0, var.maximum or 0)
    return frozenset(var.type.values)


def _binary(op: str, left: Possible, right: Possible) -> Possible:
    if op in ("+", "-"):
        if not isinstance(left, Span) or not isinstance(right, Span):
            return Span(0, 0)   # a type error, reported by the type check
        if op == "+":
            return Span(left.lo + right.lo, left.hi + right.hi)
        return Span(left.lo - right.hi, left.hi - right.lo)
    if op in ("and", "or"):
        if isinstance(left, Span) or isinstance(right, Span):
            return BOTH
        if op == "and":
            return frozenset(bool(a) and bool(b) for a in left for b in right)
        return frozenset(bool(a) or bool(b) for a in left for b in right)
    if isinstance(left, Span) and isinstance(right, Span):
        return _compare_spans(op, left, right)
    if isinstance(left, Span) or isinstance(right, Span):
        return BOTH
    same_possible = bool(left & right)
    differ_possible = not (len(left) == len(right) == 1 and left == right)
    if op == "==":
        return frozenset({v for v, ok in ((True, same_possible), (False, differ_possible)) if ok})
    if op == "!=":
        return frozenset({v for v, ok in ((False, same_possible), (True, differ_possible)) if ok})
    return BOTH


def _compare_spans(op: str, a: Span, b: Span) -> frozenset:
    """Which truth values `a op b` can take for some a in A and some b in B."""
    can = {
        "<": (a.lo < b.hi, a.hi >= b.lo),
        "<=": (a.lo <= b.hi, a.hi > b.lo),
        ">": (a.hi > b.lo, a.lo <= b.hi),
        ">=": (a.hi >= b.lo, a.lo < b.hi),
        "==": (a.lo <= b.hi and b.lo <= a.hi, not (a.lo == a.hi == b.lo == b.hi)),
        "!=": (not (a.lo == a.hi == b.lo == b.hi), a.lo <= b.hi and b.lo <= a.hi),
    }[op]
    return frozenset(v for v, ok in zip((True, False), can, strict=True) if ok)


# --- representative values for the E403 check ---------------------------------------------------

def _linear(expr: Expr) -> tuple[dict[str, int], int] | None:
    """An int expression as (coefficient per variable, constant); None if it is not one."""
    if isinstance(expr, Lit):
        return ({}, expr.value) if _is_int(expr.value) else None
    if isinstance(expr, Var):
        return {expr.name: 1}, 0
    if isinstance(expr, Unary) and expr.op == "-":
        inner = _linear(expr.operand)
        return None if inner is None else ({k: -c for k, c in inner[0].items()}, -inner[1])
    if isinstance(expr, Binary) and expr.op in ("+", "-"):
        left, right = _linear(expr.left), _linear(expr.right)
        if left is None or right is None:
            return None
        sign = 1 if expr.op == "+" else -1
        coefs = dict(left[0])
        for name, c in right[0].items():
            coefs[name] = coefs.get(name, 0) + sign * c
        return coefs, left[1] + sign * right[1]
    return None


def _comparisons(expr: Expr) -> Iterable[Binary]:
    """Every comparison inside a condition (iteratively: no recursion on long conditions)."""
    stack = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, Binary):
            if e.op in _COMPARE:
                yield e
            stack += [e.left, e.right]   # a comparison may compare comparisons: `(x > 1) == flag`
        elif isinstance(e, Unary):
            stack.append(e.operand)


def int_points(conditions: Iterable[Expr], variables: Mapping[str, Variable]) -> tuple[dict[str, list[int]], bool]:
    """For each int variable in `conditions`: the values worth trying (bounds, and the integers
    around every threshold where a comparison of it with constants changes). The second value is
    True when these points decide every comparison exactly (no comparison mixes two variables)."""
    ints = {n for n, v in variables.items() if v.type.kind == "int"}
    points: dict[str, set[int]] = {}
    exact = True
    for cond in conditions:
        for cmp in _comparisons(cond):
            left, right = _linear(cmp.left), _linear(cmp.right)
            if left is None or right is None:
                continue   # not an int comparison: bool or enum, tried in full
            coefs = {n: left[0].get(n, 0) - right[0].get(n, 0) for n in {*left[0], *right[0]}}
            coefs = {n: c for n, c in coefs.items() if c and n in ints}
            for name in coefs:
                points.setdefault(name, set())
            if len(coefs) > 1:
                exact = False
            elif len(coefs) == 1:
                (name, coef), = coefs.items()
                threshold = Fraction(right[1] - left[1], coef)
                points[name] |= {floor(threshold) - 1, floor(threshold), ceil(threshold), ceil(threshold) + 1}
    out = {}
    for name, found in points.items():
        var = variables[name]
        lo, hi = var.minimum or 0, var.maximum or 0
        out[name] = sorted({lo, hi} | {p for p in found if lo <= p <= hi})
    return out, exact


def range_size(var: Variable) -> int:
    """How many values a variable can hold, computed (never enumerated)."""
    if var.type.kind == "bool":
        return 2
    if var.type.kind == "enum":
        return len(var.type.values)
    return (var.maximum or 0) - (var.minimum or 0) + 1
