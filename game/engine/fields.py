"""Typed access to one YAML map, reporting every missing, unknown or mistyped key.

The loader reads every manifest and dialogue map through this, so all schema problems come out in
one consistent form (`E101`–`E109`) with the position of the offending key or value. Every text
is checked here too: no control, bidi or invisible characters (E108), line breaks only in the
prose fields that are shown as paragraphs, and a length cap per field (E109).
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import Any

from .diagnostics import Diagnostics, Origin
from .expressions import FUNCTIONS, KEYWORDS, Condition, Effect, ExprError, parse_condition, parse_effect
from .ids import ID, VAR_ID
from .limits import MAX_BLURB, MAX_DIGITS, MAX_REFS, MAX_SHORT_TEXT, MAX_TEXT
from .safe_text import char_name, first_unsafe, shorten
from .source_text import REF
from .yaml_reader import YList, YMap

# Words of the condition language: a variable named `true` or `and` would make `true` mean two things.
RESERVED = frozenset(KEYWORDS) | frozenset(FUNCTIONS)
# Fields shown as one short line (titles, names, buttons); all other texts may be longer.
SHORT_KEYS = frozenset({"title", "subtitle", "name", "full_name", "label", "moment", "prompt", "date", "place",
                        "term", "side", "voice", "provenance", "type", "received", "clean", "aliases", "sources",
                        "memo", "short_subtitle", "record_date", "credit", "room_note", "caption", "tagline",
                        "flag", "emblem", "stamp"})
# Fields with a cap of their own: the title screens' paragraph must fit beside the emblem.
KEY_LIMITS = {"blurb": MAX_BLURB}
# Prose shown as paragraphs: the only fields where a line break is allowed (and kept).
MULTILINE_KEYS = frozenset({"intro", "epilogue", "summary", "note", "source_note", "date_note", "why",
                            "description", "uncertain"})
_SUGGEST = 40   # keys longer than this get no "did you mean" (difflib is slow on long strings)
_HINTS = 20     # nor do the unknown keys of a map after its first twenty


def type_name(value: Any) -> str:
    if isinstance(value, YMap) or isinstance(value, dict):
        return "a map"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a decimal number"
    if value is None:
        return "nothing (null)"
    return "text"


@lru_cache(maxsize=64)
def _allowed(required: tuple[str, ...], optional: tuple[str, ...]) -> frozenset[str]:
    return frozenset(required) | frozenset(optional)


class Fields:
    """One map with the keys it may hold; unknown keys and missing required keys are reported."""

    def __init__(
        self, data: YMap, diags: Diagnostics, what: str,
        required: tuple[str, ...], optional: tuple[str, ...] = (),
    ):
        self.data = data
        self.diags = diags
        self.what = what
        allowed = _allowed(required, optional)
        if not allowed.issuperset(data):
            hints = _HINTS
            for key in data:
                if key not in allowed:
                    name = str(key)
                    hints -= 1
                    worth = hints >= 0 and len(name) <= _SUGGEST and not diags.full
                    close = difflib.get_close_matches(name, sorted(allowed), n=1) if worth else []
                    hint = f" (did you mean '{close[0]}'?)" if close else ""
                    diags.add(data.key_mark(key), "E102", key=shorten(name), what=what, hint=hint)
        if not data.keys() >= set(required):
            for key in required:
                if key not in data:
                    diags.add(data.mark, "E103", "key", what=what, key=key)

    def where(self, key: str) -> Origin:
        return self.data.where(key)

    def has(self, key: str) -> bool:
        return key in self.data

    def _typed(self, key: str, kinds: tuple[type, ...], expected: str) -> Any:
        if key not in self.data:
            return None
        value = self.data[key]
        if isinstance(value, bool) and bool not in kinds:
            ok = False
        else:
            ok = isinstance(value, kinds)
        if not ok:
            subject = f"'{key}' in {self.what}"
            if expected == "text" and value is not None:
                self.diags.add(self.where(key), "E101", "unquoted", subject=subject, found=type_name(value))
            else:
                self.diags.add(self.where(key), "E101", "type", subject=subject, expected=expected,
                               found=type_name(value))
            return None
        return value

    def text(self, key: str, default: str | None = None, multiline: bool | None = None) -> str | None:
        """A text value, stripped; line breaks only where `multiline` (by default: MULTILINE_KEYS)."""
        value = self._typed(key, (str,), "text")
        if value is None:
            return default
        if not value.strip():
            self.diags.add(self.where(key), "E106", "empty", key=key, what=self.what)
            return default
        if not self.safe_text(key, value, self.where(key), multiline):
            return default
        return value.strip()

    def safe_text(self, key: str, value: str, origin: Origin, multiline: bool | None = None) -> bool:
        """False (with E108 or E109) for text with unsafe characters, or longer than its field allows."""
        if multiline is None:
            multiline = key in MULTILINE_KEYS
        limit = MAX_SHORT_TEXT if key in SHORT_KEYS else KEY_LIMITS.get(key, MAX_TEXT)
        text = value.strip()
        if len(text) > limit:
            self.diags.add(origin, "E109", "text", key=key, what=self.what, length=len(text), limit=limit)
            return False
        found = first_unsafe(text, newlines=multiline)
        if found is None:
            return True
        index, ch = found
        if ch == "\n":
            self.diags.add(origin, "E108", "line_break", key=key, what=self.what, index=index + 1)
        else:
            self.diags.add(origin, "E108", "text", key=key, what=self.what, char=char_name(ch), index=index + 1)
        return False

    def ident(self, key: str, pattern: re.Pattern[str] = ID) -> str | None:
        value = self._typed(key, (str,), "an id")
        if value is None:
            return None
        if not pattern.match(value):
            allowed = (
                "lower-case letters, digits and _"
                if pattern is VAR_ID else "lower-case letters, digits, '.', '_' and '-'"
            )
            self.diags.add(self.where(key), "E104", "id", value=shorten(value), allowed=allowed)
            return None
        if pattern is VAR_ID and value in RESERVED:
            self.diags.add(self.where(key), "E104", "reserved", value=value)
            return None
        return value

    def uncertain(self, key: str = "uncertain") -> str:
        """`uncertain: true` or a note saying why: the note, "uncertain", or "" when absent."""
        value = self.data.get(key)
        if value is True:
            return "uncertain"
        if value is None or value is False:
            return ""
        return self.text(key, "") or ""

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self._typed(key, (bool,), "true or false")
        return default if value is None else value

    def integer(self, key: str) -> int | None:
        return self._typed(key, (int,), "a whole number")

    def maps(self, key: str) -> list[tuple[YMap, Origin]]:
        items = self._typed(key, (YList,), "a list")
        if items is None:
            return []
        out = []
        for i, item in enumerate(items):
            if isinstance(item, YMap):
                out.append((item, items.where(i)))
            else:
                self.diags.add(items.where(i), "E101", "type", subject=f"each item of '{key}'", expected="a map",
                               found=type_name(item))
        return out

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (value.strip(),) if value.strip() and self.safe_text(key, value, self.where(key)) else ()
        items = self._typed(key, (YList,), "a list of texts")
        if items is None:
            return ()
        out = []
        for i, item in enumerate(items):
            if isinstance(item, str) and item.strip():
                if self.safe_text(key, item, items.where(i)):
                    out.append(item.strip())
            else:
                self.diags.add(items.where(i), "E101", "type", subject=f"each item of '{key}'", expected="text",
                               found=type_name(item))
        return tuple(out)

    def cited(self, key: str, into: list[tuple[str, Origin]]) -> tuple[str, ...]:
        """A `sources` list: each item a paragraph (`¶12`) or the id of an entry in sources.yaml.
        The items and their positions are added to `into`, to be resolved once everything is read."""
        value = self.data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            items: list[tuple[Any, Origin]] = [(value, self.where(key))]
        elif isinstance(value, YList):
            items = [(v, value.where(i)) for i, v in enumerate(value)]
        else:
            self.diags.add(self.where(key), "E101", "type", subject=f"'{key}' in {self.what}",
                           expected="a list of sources", found=type_name(value))
            return ()
        out = []
        for item, origin in items:
            if not isinstance(item, str) or not item.strip():
                self.diags.add(origin, "E101", "type", subject=f"each item of '{key}'",
                               expected="text (¶12 or a source id)", found=type_name(item))
                continue
            if not self.safe_text(key, item, origin) or not self._small_ref(item.strip(), origin):
                continue
            out.append(item.strip())
            into.append((item.strip(), origin))
        return tuple(out)

    def _small_ref(self, value: str, origin: Origin) -> bool:
        """False (E107) for a paragraph reference with more digits than any number may have."""
        m = REF.match(value)
        if m and len(m.group(1)) > MAX_DIGITS:
            self.diags.add(origin, "E107", "ref", value=shorten(value, 30), limit=MAX_DIGITS)
            return False
        return True

    def refs(self, key: str) -> tuple[int, ...]:
        """`¶12` or `[¶12, ¶13]` → (12, 13); malformed refs are reported (E106)."""
        if key not in self.data:
            return ()
        raw = self.data[key]
        items: list[tuple[Any, Origin]]
        if isinstance(raw, YList):
            items = [(v, raw.where(i)) for i, v in enumerate(raw)]
        else:
            items = [(raw, self.where(key))]
        if len(items) > MAX_REFS:
            self.diags.add(self.where(key), "E106", "too_many", subject=f"'{key}'", count=len(items),
                           things="paragraphs", limit=MAX_REFS, why=" (split the line)")
            return ()
        out = []
        for value, origin in items:
            m = REF.match(value.strip()) if isinstance(value, str) else None
            if not m:
                shown = shorten(value) if isinstance(value, str) else type_name(value)
                self.diags.add(origin, "E106", "ref", value=shown)
                continue
            if self._small_ref(value.strip(), origin):
                out.append(int(m.group(1)))
        return tuple(out)

    def condition(self, key: str) -> tuple[Condition | None, Origin]:
        origin = self.where(key)
        if key not in self.data:
            return None, origin
        value = self.data[key]
        if isinstance(value, bool):
            value = "true" if value else "false"
        if not isinstance(value, str):
            self.diags.add(origin, "E101", "type", subject=f"'{key}'", expected="a condition in text",
                           found=type_name(value))
            return None, origin
        try:
            return parse_condition(value), origin
        except ExprError as exc:
            exc.report(self.diags, origin, "condition", shorten(value))
            return None, origin

    def effects(self, key: str) -> list[tuple[Effect, Origin]]:
        value = self.data.get(key)
        if value is None:
            return []
        items: list[tuple[Any, Origin]]
        if isinstance(value, str):
            items = [(value, self.where(key))]
        elif isinstance(value, YList):
            items = [(v, value.where(i)) for i, v in enumerate(value)]
        else:
            self.diags.add(self.where(key), "E101", "type", subject=f"'{key}'", expected="a list of effects",
                           found=type_name(value))
            return []
        out = []
        for item, origin in items:
            if not isinstance(item, str):
                self.diags.add(origin, "E101", "type", subject="an effect", expected="text like 'trust += 1'",
                               found=type_name(item))
                continue
            try:
                out.append((parse_effect(item), origin))
            except ExprError as exc:
                exc.report(self.diags, origin, "effect", shorten(item))
        return out
