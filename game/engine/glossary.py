"""Find glossary terms in spoken text, so every front end can highlight and link them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import GlossaryEntry


@dataclass(frozen=True)
class TermMatch:
    start: int
    end: int
    entry: GlossaryEntry


class GlossaryIndex:
    """One compiled pattern for all terms; longest names first so 'Baghdad Pact' beats 'Baghdad'."""

    def __init__(self, entries: tuple[GlossaryEntry, ...]):
        self.entries = entries
        self._by_name: dict[str, GlossaryEntry] = {}
        for entry in entries:
            for name in entry.names:
                self._by_name.setdefault(name.casefold(), entry)
        names = sorted(self._by_name, key=len, reverse=True)
        body = "|".join(re.escape(n) for n in names)
        self._pattern = re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE) if names else None

    def find(self, text: str) -> list[TermMatch]:
        if self._pattern is None:
            return []
        return [
            TermMatch(m.start(), m.end(), self._by_name[m.group(0).casefold()])
            for m in self._pattern.finditer(text)
        ]

    def entry_matches(self, entry: GlossaryEntry, text: str) -> bool:
        return any(
            re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE) for name in entry.names
        )
