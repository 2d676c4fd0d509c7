"""Diagnostics: every problem in content is reported as `path:line:col: CODE message`.

Codes are stable (docs/diagnostics.md has one entry per code) so that authors, tests and tools can
rely on them, in the manner of Yarn Spinner's numbered diagnostics. Codes that start with `E` are
errors: the content cannot be used. Codes that start with `W` are warnings: something was skipped
or looks like a mistake, and the content can still be played.

Paths, messages and the values quoted in them come from untrusted files, so a diagnostic is always
printed as one line with every control character, bidi override and undecodable byte spelt out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .safe_text import shorten, visible

CODES: dict[str, str] = {
    "E001": "file cannot be read",
    "E002": "file is not UTF-8 text",
    "E003": "YAML syntax error",
    "E004": "file too large",
    "E005": "duplicate key",
    "E006": "nesting too deep",
    "E007": "too many values (alias expansion)",
    "E008": "unsupported YAML tag",
    "E009": "empty file",
    "E010": "more than one YAML document",
    "E011": "not a regular file",
    "E012": "file outside the content folder",
    "E013": "content folder too large",
    "E014": "file name is not UTF-8",
    "E015": "too many problems",
    "E016": "not a usable PNG image",
    "E101": "wrong type",
    "E102": "unknown key",
    "E103": "missing required key",
    "E104": "invalid id",
    "E105": "duplicate id",
    "E106": "invalid value",
    "E107": "number too long",
    "E108": "control or invisible character in text",
    "E109": "text too long",
    "E201": "unknown jump target",
    "E202": "unknown speaker",
    "E203": "unknown paragraph",
    "E204": "record text not verbatim in the source",
    "E205": "missing paragraph reference",
    "E206": "unknown role",
    "E207": "provenance does not fit the voice",
    "E301": "expression syntax error",
    "E302": "undeclared variable",
    "E303": "type mismatch",
    "E304": "unknown function or bad argument",
    "E305": "invalid variable declaration",
    "E306": "expression nested too deeply",
    "E307": "expression too long",
    "E401": "unreachable node",
    "E402": "no ending reachable",
    "E403": "all options can be disabled",
    "E404": "not exactly one historical option",
    "E405": "too few options",
    "E406": "node exit missing or ambiguous",
    "E407": "labels on some options only",
    "E409": "branch without a fallback",
    "E410": "loop with nothing to say",
    "E412": "historical option not from the record",
    "E501": "scenario missing",
    "E502": "source file missing",
    "E503": "clean source differs from the received source",
    "E504": "endings malformed",
    "E505": "path malformed",
    "E506": "source.md malformed",
    "E507": "scenario id does not match its folder",
    "E508": "unknown ending",
    "E509": "no dialogue",
    "E510": "unsupported format version",
    "E511": "glossary entry matches no line",
    "E512": "unknown source",
    "E513": "presentation does not fit the scenario",
    "E514": "image missing",
    "E515": "ending contradicts an objective",
    "E516": "unknown objective",
    "W001": "junk file skipped",
    "W002": "file name almost a content file",
    "W003": "objectives of an ending not fully checked",
}
MAX_MESSAGE = 400   # characters: a message quotes content, never a whole file
MAX_DIAGNOSTICS = 1_000   # kept per run; a file of 200,000 typos gets these and a count of the rest


def is_warning(code: str) -> bool:
    return code.startswith("W")


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

    def add(self, origin: Origin, code: str, message: str) -> None:
        if code not in CODES:
            raise ValueError(f"unknown diagnostic code {code}")
        if len(self.items) >= MAX_DIAGNOSTICS:
            self._drop(origin, is_warning(code))
            return
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
            unique.append(Diagnostic(self.first_dropped, "E015", f"{self.dropped:,} more problem(s) from here on are not "
                                     f"shown (only the first {MAX_DIAGNOSTICS:,} are kept); fix these and run validate again"))
        return unique


class ContentError(Exception):
    """Raised when content cannot be used; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))
