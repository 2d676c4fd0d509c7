"""Diagnostics: every problem in content is reported as `path:line:col: CODE message`.

Codes are stable so that authors, tests and tools can rely on them, in the manner of Yarn
Spinner's numbered diagnostics. Each is defined once, in diagnostic_codes.py: its message
templates, its severity (an error: the content cannot be used; a warning: something was skipped
or looks like a mistake, and the content can still be played) and its page in docs/diagnostics.md.
That table is imported only when a diagnostic is made: clean content never needs it.

Paths, messages and the values quoted in them come from untrusted files, so a diagnostic is always
printed as one line with every control character, bidi override and undecodable byte spelt out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .safe_text import shorten, visible

if TYPE_CHECKING:
    from .diagnostic_codes import Code

MAX_MESSAGE = 400   # characters: a message quotes content, never a whole file
MAX_DIAGNOSTICS = 1_000   # kept per run; a file of 200,000 typos gets these and a count of the rest


def definition(code: str) -> Code:
    """The definition of a code that is issued; ValueError for one that is unknown or retired."""
    from .diagnostic_codes import BY_CODE

    found = BY_CODE.get(code)
    if found is None or found.retired:
        raise ValueError(f"diagnostic code {code} is {'retired' if found else 'unknown'}")
    return found


def is_warning(code: str) -> bool:
    from .diagnostic_codes import WARNING

    return definition(code).severity == WARNING


def __getattr__(name: str) -> dict[str, str]:
    """`CODES`, every code issued and its title, made from the table when first asked for."""
    if name == "CODES":
        from .diagnostic_codes import DEFINITIONS

        return {c.code: c.title for c in DEFINITIONS if not c.retired}
    raise AttributeError(name)


@dataclass(frozen=True, order=True)
class Origin:
    """Where something was written: a file (as shown to the user), a 1-based line and column."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{visible(self.path)}:{self.line}:{self.col}"


@dataclass(frozen=True, order=True)
class Diagnostic:
    origin: Origin
    code: str
    message: str

    @property
    def warning(self) -> bool:
        return is_warning(self.code)

    def __str__(self) -> str:
        return f"{self.origin}: {self.code} {visible(self.message)}"


@dataclass
class Diagnostics:
    """Collects diagnostics; the loader keeps going after an error so authors see them all (the
    first MAX_DIAGNOSTICS of them, and how many more there were: E015)."""

    items: list[Diagnostic] = field(default_factory=list)
    dropped: int = 0
    dropped_errors: int = 0
    first_dropped: Origin | None = None

    def add(self, origin: Origin, code: str, variant: str = "", /, **fields: object) -> None:
        """Report `code` at `origin`, its message the template `variant` of the code's definition
        filled in with `fields` (a code with one message needs no variant)."""
        found = definition(code)
        if len(self.items) >= MAX_DIAGNOSTICS:
            self._drop(origin, is_warning(code))
            return
        message = found.template(variant).format_map(fields)
        self.items.append(Diagnostic(origin, code, shorten(message, MAX_MESSAGE)))

    def _drop(self, origin: Origin, warning: bool) -> None:
        self.dropped += 1
        self.dropped_errors += not warning
        self.first_dropped = self.first_dropped or origin

    @property
    def full(self) -> bool:
        """True once no more diagnostics are kept: costly hints are not worth working out."""
        return len(self.items) >= MAX_DIAGNOSTICS

    def extend(self, other: Diagnostics) -> None:
        room = max(0, MAX_DIAGNOSTICS - len(self.items))
        self.items.extend(other.items[:room])
        for d in other.items[room:]:
            self._drop(d.origin, d.warning)
        self.dropped += other.dropped
        self.dropped_errors += other.dropped_errors
        self.first_dropped = self.first_dropped or other.first_dropped

    def __bool__(self) -> bool:
        return bool(self.items)

    @property
    def has_errors(self) -> bool:
        """True when the content cannot be used (warnings alone do not stop it)."""
        return self.dropped_errors > 0 or any(not d.warning for d in self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Diagnostic]:
        unique = sorted(dict.fromkeys(self.items))
        if self.dropped and self.first_dropped is not None:
            message = definition("E015").template().format(count=self.dropped, kept=MAX_DIAGNOSTICS)
            unique.append(Diagnostic(self.first_dropped, "E015", message))
        return unique


class ContentError(Exception):
    """Raised when content cannot be used; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))
