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
    """One compiled pattern for all terms, longest first so 'Baghdad Pact' beats 'Baghdad'.

    The names are merged into a trie before they become a pattern: a plain alternation of every
    name tries each of them at each position of a text (a glossary of 10,000 names made a
    validate take minutes), the trie only the names that share what has matched so far."""

    def __init__(self, entries: tuple[GlossaryEntry, ...]):
        self.entries = entries
        self._by_name: dict[str, GlossaryEntry] = {}
        for entry in entries:
            for name in entry.names:
                self._by_name.setdefault(name.casefold(), entry)
        body = _trie_pattern(self._by_name)
        self._pattern = re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE) if self._by_name else None

    def find(self, text: str) -> list[TermMatch]:
        if self._pattern is None:
            return []
        return [
            TermMatch(m.start(), m.end(), self._by_name[m.group(0).casefold()])
            for m in self._pattern.finditer(text)
        ]


def _trie_pattern(names) -> str:
    """A pattern that matches exactly `names`, preferring the longest at each position."""
    trie: dict = {}
    for name in names:
        node = trie
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = {}            # a name ends here
    out: list[str] = []
    _emit(trie, out)
    return "".join(out)


def _emit(root: dict, out: list[str]) -> None:
    """Write the pattern of a trie, `(?:a(?:b|c)|d)` and `(?:…)?` where a shorter name ends (the
    longer ones are tried first). A stack, not recursion: a name may be 200 characters long."""
    stack: list[dict | str] = [root]      # a trie node still to write, or text to write
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        children = sorted((ch, child) for ch, child in item.items() if ch)
        if not children:
            continue
        optional, several = "" in item, len(children) > 1
        out.append("(?:" * (optional + several))
        stack.append(")" * several + (")?" if optional else ""))
        for i, (ch, child) in reversed(list(enumerate(children))):
            stack.append(child)
            stack.append(re.escape(ch) if i == 0 else "|" + re.escape(ch))
