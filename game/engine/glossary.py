"""Find glossary terms in spoken text, so every front end can highlight and link them."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
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
        self._by_name = _by_name(entries)
        body = _trie_pattern(self._by_name)
        self._pattern = re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE) if self._by_name else None

    def find(self, text: str) -> list[TermMatch]:
        if self._pattern is None:
            return []
        return [TermMatch(m.start(), m.end(), self._entry(m.group(0))) for m in self._pattern.finditer(text)]

    def _entry(self, matched: str) -> GlossaryEntry:
        """The entry of a name the pattern matched. Its casefold is that name but for a Turkish
        dotted or dotless i (İ, ı), which the pattern matches to i and casefold does not: then
        the first name the matched text spells, as the pattern compares."""
        entry = self._by_name.get(matched.casefold())
        if entry is None:
            entry = next(e for name, e in self._by_name.items()
                         if re.fullmatch(re.escape(name), matched, re.IGNORECASE))
        return entry


def _by_name(entries: Iterable[GlossaryEntry]) -> dict[str, GlossaryEntry]:
    """Each name, casefolded, to the first entry that has it."""
    out: dict[str, GlossaryEntry] = {}
    for entry in entries:
        for name in entry.names:
            out.setdefault(name.casefold(), entry)
    return out


# The only characters beyond Latin-1 that re.IGNORECASE matches to a Latin-1 letter (İ, ı, ſ and
# the Kelvin sign), and the only ones whose str.lower() is Latin-1 or of another length (İ, K).
# Without them a text matches a Latin-1 name where its lower-case copy holds it: the names' and
# texts' characters for which that holds (tests/test_glossary_used.py checks it for every one).
_LIKE_LATIN = ("\u0130", "\u0131", "\u017f", "\u212a")
# Searching each name alone costs names × characters, the index's pattern only characters: past
# these (a glossary of thousands of names, or names found at most places), the pattern is quicker.
_MAX_SEARCH = 40_000_000       # names × characters of text
_MAX_HITS = 50_000             # places where some name was found


def used_entries(entries: tuple[GlossaryEntry, ...], texts: Iterable[str]) -> set[str]:
    """The ids of the entries that `GlossaryIndex(entries).find` finds in at least one of `texts`.

    The same set, found without the index's large case-insensitive pattern wherever that can be
    done exactly (the validator's W004 asks this of every line; the pattern took most of the
    check's time). When every name is Latin-1, a text without the four characters of _LIKE_LATIN
    matches a name exactly where its lower-case copy (position for position the same) holds it:
    so each name is looked for as a plain substring of all the texts at once, and the pattern's
    rules are applied to what was found: a name must not touch a word character on either side,
    the longest name wins at a position, and a match ends where the next may start. Other texts,
    and any glossary with a name beyond Latin-1 or too large to search name by name (_MAX_SEARCH,
    _MAX_HITS), are searched with the index itself."""
    by_name = _by_name(entries)
    texts = list(texts)
    if not by_name:
        return set()
    if not all(name and max(name) < "\u0100" and name.casefold() == name for name in by_name):
        return _found(GlossaryIndex(entries), texts)
    plain, other = [], []
    for text in texts:
        (other if any(c in text for c in _LIKE_LATIN) else plain).append(text)
    found = _found(GlossaryIndex(entries), other) if other else set()
    lowered = [text.lower() for text in plain]
    starts, at = [], 0
    for low in lowered:
        starts.append(at)
        at += len(low) + 1
    haystack = "\0".join(lowered)
    if len(by_name) * len(haystack) > _MAX_SEARCH:
        return _found(GlossaryIndex(entries), texts)
    hit_count = 0
    hits: dict[int, list[tuple[int, int, str]]] = {}    # text → (start, -length, name) of each occurrence
    for name in by_name:
        at = haystack.find(name)
        while at >= 0:
            i = bisect_right(starts, at) - 1
            start = at - starts[i]
            if start + len(name) <= len(lowered[i]):
                hits.setdefault(i, []).append((start, -len(name), name))
                hit_count += 1
                if hit_count > _MAX_HITS:
                    return _found(GlossaryIndex(entries), texts)
            at = haystack.find(name, at + 1)
    for i, occurrences in hits.items():
        text, end = plain[i], 0
        for start, minus_length, name in sorted(occurrences):
            after = start - minus_length
            if start < end or (start and _word(text[start - 1])) or (after < len(text) and _word(text[after])):
                continue
            found.add(by_name[name].id)
            end = after
    return found


def _found(index: GlossaryIndex, texts: list[str]) -> set[str]:
    return {m.entry.id for text in texts for m in index.find(text)}


def _word(ch: str) -> bool:
    """What the pattern's \\w matches (for str patterns: letters, digits of every script, and '_')."""
    return ch.isalnum() or ch == "_"


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
