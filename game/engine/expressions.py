"""The condition and effect language: a small, closed, typed language. Never `eval`.

Conditions decide which lines and options appear and which ending is reached; effects change the
declared variables. Both are parsed and type-checked when content is loaded, so a typo in a
variable name is an author's error at `validate` time, not a surprise in a classroom.

    condition := or
    or        := and ("or" and)*
    and       := not ("and" not)*
    not       := "not" not | compare
    compare   := sum (("==" | "!=" | "<" | "<=" | ">" | ">=") sum)?
    sum       := unary (("+" | "-") unary)*
    unary     := "-" unary | atom
    atom      := INT | "true" | "false" | STRING | NAME | NAME "(" STRING ")" | "(" condition ")"
    effect    := NAME ("=" | "+=" | "-=") sum-or-condition

An expression is at most MAX_EXPR_CHARS characters long (E307), nests parentheses, `not` and
unary minus at most MAX_EXPR_DEPTH deep (E306), and its numbers have at most MAX_DIGITS digits
(E107): so parsing, checking and evaluating never recurse without bound and never meet an
integer Python refuses to convert.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from .limits import MAX_DIGITS, MAX_EXPR_CHARS, MAX_EXPR_DEPTH

if TYPE_CHECKING:
    from .diagnostics import Diagnostics, Origin

Value = int | bool | str

# Numbers are ASCII digits only: `\d` would read `１` (a full-width one) as 1.
_TOKEN = re.compile(
    r"\s*(?:(?P<num>[0-9]+)|(?P<str>'[^'\\]*'|\"[^\"\\]*\")|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>==|!=|<=|>=|\+=|-=|[<>=+\-()]))"
)
KEYWORDS = {"and", "or", "not", "true", "false"}


@dataclass(frozen=True)
class Function:
    """A function content may call: its name, the kind of id its one argument names (checked by
    `validate` against the scenario's ids), and how an `Env` answers it."""

    name: str
    argument: str
    call: Callable[[Env, str], bool]
    doc: str


class Library:
    """The functions of the condition language, by name: the type check, `evaluate` and the
    reserved words all read this one table (as Yarn Spinner's `Library.RegisterFunction`)."""

    def __init__(self, *functions: Function):
        self._by_name: dict[str, Function] = {}
        for function in functions:
            self.register(function)

    def register(self, function: Function) -> None:
        if function.name in self._by_name or function.name in KEYWORDS:
            raise ValueError(f"the function name '{function.name}' is taken")
        self._by_name[function.name] = function

    def get(self, name: str) -> Function | None:
        return self._by_name.get(name)

    def names(self) -> tuple[str, ...]:
        return tuple(self._by_name)


LIBRARY = Library(
    Function("visited", "node", lambda env, arg: env.visited(arg), "whether the talks have passed through that node"),
    Function("chose", "option", lambda env, arg: env.chose(arg), "whether that option was chosen"),
    # Content uses ends() to give the memorandum's closing lines only to a session that ends as the record does.
    Function("ends", "ending", lambda env, arg: env.ends(arg),
             "whether the talks, as they stand now, would reach that ending (the endings' own conditions, in order)"),
)
FUNCTIONS = {name: LIBRARY.get(name).argument for name in LIBRARY.names()}   # name -> the kind of id it takes


class ExprError(Exception):
    """A syntax or type error: its code, the variant of the code's message and that message's
    fields (diagnostic_codes.py), and the 1-based column inside the expression text."""

    def __init__(self, code: str, variant: str, column: int = 1, **fields: object):
        super().__init__(f"{code} {variant} at column {column}")
        self.code = code
        self.variant = variant
        self.column = column
        self.fields = fields

    def report(self, diags: Diagnostics, origin: Origin, kind: str, source: str, column: bool = True) -> None:
        """Add this error to `diags`, saying in which `kind` of expression ('condition', 'effect')
        it is; the column is shown only where the whole expression is the one written."""
        at = f" (column {self.column})" if column else ""
        diags.add(origin, self.code, self.variant, kind=kind, source=source, at=at, **self.fields)


@dataclass(frozen=True)
class VarType:
    """The type of a value: `bool`, `int`, `enum` (with its allowed values) or `str` (a literal)."""

    kind: str
    values: tuple[str, ...] = ()
    literal: str | None = None

    def __str__(self) -> str:
        if self.kind == "enum":
            return "one of " + ", ".join(f"'{v}'" for v in self.values)
        if self.kind == "str":
            return f"text '{self.literal}'"
        return self.kind


BOOL = VarType("bool")
INT = VarType("int")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    column: int


# --- syntax tree ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Lit:
    value: Value


@dataclass(frozen=True)
class Var:
    name: str
    column: int


@dataclass(frozen=True)
class Unary:
    op: str
    operand: Expr
    column: int


@dataclass(frozen=True)
class Binary:
    op: str
    left: Expr
    right: Expr
    column: int


@dataclass(frozen=True)
class Call:
    name: str
    arg: str
    column: int


Expr = Lit | Var | Unary | Binary | Call


@dataclass(frozen=True)
class Effect:
    """One assignment: `target op value`, op being `=`, `+=` or `-=`."""

    target: str
    op: str
    value: Expr
    source: str


@dataclass(frozen=True)
class Condition:
    expr: Expr
    source: str


# --- parsing -------------------------------------------------------------------------------


def tokenize(text: str) -> list[Token]:
    if len(text) > MAX_EXPR_CHARS:
        raise ExprError("E307", "length", MAX_EXPR_CHARS + 1, length=len(text), limit=MAX_EXPR_CHARS)
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ExprError("E301", "character", pos + 1, char=text[pos:].lstrip()[:1])
        kind = m.lastgroup or "op"
        start = m.start(kind)
        if kind == "num" and len(m.group(kind)) > MAX_DIGITS:
            raise ExprError("E107", "expression", start + 1, digits=len(m.group(kind)), limit=MAX_DIGITS)
        tokens.append(Token(kind, m.group(kind), start + 1))
        pos = m.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    def deeper(self, tok: Token) -> None:
        """One more level of parentheses, `not` or unary minus; E306 past the cap."""
        self.depth += 1
        if self.depth > MAX_EXPR_DEPTH:
            raise ExprError("E306", "depth", tok.column, limit=MAX_EXPR_DEPTH)

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def accept(self, text: str) -> Token | None:
        tok = self.peek()
        if tok.text == text and tok.kind in ("op", "name"):
            self.i += 1
            return tok
        return None

    def expect_end(self) -> None:
        tok = self.peek()
        if tok.kind != "end":
            raise ExprError("E301", "unexpected", tok.column, token=tok.text)

    def condition(self) -> Expr:
        left = self.and_()
        while tok := self.accept("or"):
            left = Binary("or", left, self.and_(), tok.column)
        return left

    def and_(self) -> Expr:
        left = self.not_()
        while tok := self.accept("and"):
            left = Binary("and", left, self.not_(), tok.column)
        return left

    def not_(self) -> Expr:
        if tok := self.accept("not"):
            self.deeper(tok)
            inner = self.not_()
            self.depth -= 1
            return Unary("not", inner, tok.column)
        return self.compare()

    def compare(self) -> Expr:
        left = self.sum()
        tok = self.peek()
        if tok.kind == "op" and tok.text in ("==", "!=", "<", "<=", ">", ">="):
            self.take()
            return Binary(tok.text, left, self.sum(), tok.column)
        if tok.kind == "op" and tok.text == "=":
            raise ExprError("E301", "assign", tok.column)
        return left

    def sum(self) -> Expr:
        left = self.unary()
        while self.peek().kind == "op" and self.peek().text in ("+", "-"):
            tok = self.take()
            left = Binary(tok.text, left, self.unary(), tok.column)
        return left

    def unary(self) -> Expr:
        if tok := self.accept("-"):
            self.deeper(tok)
            inner = self.unary()
            self.depth -= 1
            return Unary("-", inner, tok.column)
        return self.atom()

    def atom(self) -> Expr:
        tok = self.take()
        if tok.kind == "num":
            return Lit(int(tok.text))
        if tok.kind == "str":
            return Lit(tok.text[1:-1])
        if tok.kind == "name":
            if tok.text == "true":
                return Lit(True)
            if tok.text == "false":
                return Lit(False)
            if tok.text in KEYWORDS:
                raise ExprError("E301", "keyword", tok.column, token=tok.text)
            if self.accept("("):
                arg = self.take()
                if arg.kind != "str":
                    raise ExprError("E304", "argument", arg.column, name=tok.text)
                if not self.accept(")"):
                    raise ExprError("E301", "bracket", self.peek().column)
                return Call(tok.text, arg.text[1:-1], tok.column)
            return Var(tok.text, tok.column)
        if tok.kind == "op" and tok.text == "(":
            self.deeper(tok)
            inner = self.condition()
            if not self.accept(")"):
                raise ExprError("E301", "bracket", self.peek().column)
            self.depth -= 1
            return inner
        if tok.kind == "end":
            raise ExprError("E301", "early", tok.column)
        raise ExprError("E301", "unexpected", tok.column, token=tok.text)


@lru_cache(maxsize=4096)
def parse_condition(text: str) -> Condition:
    """Parsed once per distinct text: content repeats the same conditions many times."""
    parser = _Parser(text)
    expr = parser.condition()
    parser.expect_end()
    return Condition(expr, text)


@lru_cache(maxsize=4096)
def parse_effect(text: str) -> Effect:
    parser = _Parser(text)
    target = parser.take()
    if target.kind != "name" or target.text in KEYWORDS:
        raise ExprError("E301", "target", target.column)
    op = parser.take()
    if op.kind != "op" or op.text not in ("=", "+=", "-="):
        raise ExprError("E301", "operator", op.column)
    value = parser.condition()
    parser.expect_end()
    return Effect(target.text, op.text, value, text)


# --- type checking -------------------------------------------------------------------------

KnownIds = Callable[[str, str], bool]


def type_of(expr: Expr, types: Mapping[str, VarType], known: KnownIds) -> VarType:
    """The type of `expr`, or ExprError (E302 undeclared, E303 mismatch, E304 bad call)."""
    if isinstance(expr, Lit):
        if isinstance(expr.value, bool):
            return BOOL
        if isinstance(expr.value, int):
            return INT
        return VarType("str", literal=expr.value)
    if isinstance(expr, Var):
        if expr.name not in types:
            raise ExprError("E302", "variable", expr.column, name=expr.name)
        return types[expr.name]
    if isinstance(expr, Call):
        function = LIBRARY.get(expr.name)
        if function is None:
            names = ", ".join(f"{n}()" for n in LIBRARY.names())
            raise ExprError("E304", "unknown", expr.column, name=expr.name, names=names)
        kind = function.argument
        if not known(kind, expr.arg):
            raise ExprError("E304", "id", expr.column, name=expr.name, arg=expr.arg, arg_kind=kind)
        return BOOL
    if isinstance(expr, Unary):
        inner = type_of(expr.operand, types, known)
        want = BOOL if expr.op == "not" else INT
        if inner.kind != want.kind:
            raise ExprError("E303", "operand", expr.column, op=expr.op, want=want, found=inner)
        return want
    left = type_of(expr.left, types, known)
    right = type_of(expr.right, types, known)
    op = expr.op
    if op in ("and", "or"):
        for side in (left, right):
            if side.kind != "bool":
                raise ExprError("E303", "sides", expr.column, op=op, want="bool", found=side)
        return BOOL
    if op in ("+", "-", "<", "<=", ">", ">="):
        for side in (left, right):
            if side.kind != "int":
                raise ExprError("E303", "sides", expr.column, op=op, want="int", found=side)
        return INT if op in ("+", "-") else BOOL
    _check_equality(left, right, expr.column)
    return BOOL


def _check_equality(left: VarType, right: VarType, column: int) -> None:
    pair = {left.kind, right.kind}
    if pair == {"enum", "str"}:
        enum, lit = (left, right) if left.kind == "enum" else (right, left)
        if lit.literal not in enum.values:
            raise ExprError("E303", "enum", column, value=lit.literal, enum=enum)
        return
    if left.kind != right.kind:
        raise ExprError("E303", "compare", column, left=left, right=right)
    if left.kind == "enum" and left.values != right.values:
        raise ExprError("E303", "enums", column)


def check_condition(cond: Condition, types: Mapping[str, VarType], known: KnownIds) -> None:
    found = type_of(cond.expr, types, known)
    if found.kind != "bool":
        raise ExprError("E303", "condition", 1, found=found)


def check_effect(effect: Effect, types: Mapping[str, VarType], known: KnownIds) -> None:
    if effect.target not in types:
        raise ExprError("E302", "variable", 1, name=effect.target)
    target = types[effect.target]
    value = type_of(effect.value, types, known)
    if effect.op != "=" and target.kind != "int":
        raise ExprError("E303", "target", op=effect.op, name=effect.target, found=target)
    if effect.op != "=":
        if value.kind != "int":
            raise ExprError("E303", "operand", op=effect.op, want="an int value", found=value)
        return
    _check_equality(target, value, 1)


# --- evaluation ----------------------------------------------------------------------------


class Env(Protocol):
    """What an expression can read: the variables, and what has happened so far."""

    def var(self, name: str) -> Value: ...

    def visited(self, node_id: str) -> bool: ...

    def chose(self, option_id: str) -> bool: ...

    def ends(self, ending_id: str) -> bool: ...


def evaluate(expr: Expr, env: Env) -> Value:
    if isinstance(expr, Lit):
        return expr.value
    if isinstance(expr, Var):
        return env.var(expr.name)
    if isinstance(expr, Call):
        function = LIBRARY.get(expr.name)
        if function is None:            # type_of refuses these before anything is evaluated
            raise ExprError("E304", "unknown", expr.column, name=expr.name, names=", ".join(f"{n}()" for n in LIBRARY.names()))
        return function.call(env, expr.arg)
    if isinstance(expr, Unary):
        inner = evaluate(expr.operand, env)
        return (not inner) if expr.op == "not" else -int(inner)
    op = expr.op
    if op == "and":
        return bool(evaluate(expr.left, env)) and bool(evaluate(expr.right, env))
    if op == "or":
        return bool(evaluate(expr.left, env)) or bool(evaluate(expr.right, env))
    a, b = evaluate(expr.left, env), evaluate(expr.right, env)
    if op == "+":
        return int(a) + int(b)
    if op == "-":
        return int(a) - int(b)
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    if op == "<":
        return int(a) < int(b)
    if op == "<=":
        return int(a) <= int(b)
    if op == ">":
        return int(a) > int(b)
    return int(a) >= int(b)


def holds(cond: Condition | None, env: Env) -> bool:
    return True if cond is None else bool(evaluate(cond.expr, env))


def names_in(expr: Expr) -> set[str]:
    """Variable names an expression reads (for the static 'all options disabled' check)."""
    if isinstance(expr, Var):
        return {expr.name}
    if isinstance(expr, Unary):
        return names_in(expr.operand)
    if isinstance(expr, Binary):
        return names_in(expr.left) | names_in(expr.right)
    return set()


def calls_in(expr: Expr) -> set[tuple[str, str]]:
    if isinstance(expr, Call):
        return {(expr.name, expr.arg)}
    if isinstance(expr, Unary):
        return calls_in(expr.operand)
    if isinstance(expr, Binary):
        return calls_in(expr.left) | calls_in(expr.right)
    return set()
