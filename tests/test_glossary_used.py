"""glossary.used_entries, which the validator's W004 asks of every line, finds exactly the entries the
glossary index finds, without the index's pattern wherever that can be done: checked on the shipped
content, on random names and texts full of the characters where case rules differ, and for the one
fact it rests on, over every character there is."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine.glossary import _LIKE_LATIN, GlossaryIndex, used_entries
from game.engine.model import GlossaryEntry

# Letters whose case rules differ (Turkish i, long s, the Kelvin sign, sharp s, final sigma, a
# ligature, the micro sign), Latin-1 letters, word and non-word characters.
ALPHABET = "abkis IİıſKkßΣσςﬁµμéÉ_1 -.,’\n"
LATIN_NAMES = "abkis IKßﬁéÉ_1-"   # names whose casefold is Latin-1: the path without the pattern


def by_the_index(entries: tuple[GlossaryEntry, ...], texts: list[str]) -> set[str]:
    index = GlossaryIndex(entries)
    return {m.entry.id for text in texts for m in index.find(text)}


def test_the_shipped_content_gives_the_same_entries(shipped):
    texts = [line.text for node in shipped.nodes.values() for line in node.lines]
    texts += [o.text for node in shipped.nodes.values() if node.choice for o in node.choice.options]
    assert used_entries(shipped.glossary, texts) == by_the_index(shipped.glossary, texts)
    assert len(used_entries(shipped.glossary, texts)) == len(shipped.glossary)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from([ALPHABET, LATIN_NAMES]).flatmap(lambda alphabet: st.lists(
           st.lists(st.text(alphabet, min_size=1, max_size=6), min_size=1, max_size=3), min_size=1, max_size=6)),
       st.lists(st.text(ALPHABET, max_size=40), max_size=6))
def test_random_names_and_texts_give_the_same_entries(names, texts):
    entries = tuple(GlossaryEntry(f"e{i}", group[0], "", tuple(group[1:])) for i, group in enumerate(names))
    assert used_entries(entries, texts) == by_the_index(entries, texts)


def test_a_longer_name_hides_a_shorter_one_inside_it():
    pact = GlossaryEntry("pact", "Baghdad Pact", "")
    baghdad = GlossaryEntry("baghdad", "Baghdad", "")
    assert used_entries((pact, baghdad), ["the BAGHDAD PACT was signed"]) == {"pact"}
    assert used_entries((pact, baghdad), ["in Baghdad."]) == {"baghdad"}
    assert used_entries((pact, baghdad), ["Baghdadi"]) == set()


def test_a_turkish_capital_i_in_a_line_links_the_name_it_spells():
    """The pattern matches 'İraq' to the name 'Iraq' though its casefold is 'i̇raq' (the lookup of
    the entry raised KeyError: a traceback from validate, a crash where the line was shown)."""
    iraq = GlossaryEntry("iraq", "Iraq", "")
    [match] = GlossaryIndex((iraq,)).find("the İRAQ delegation")
    assert (match.start, match.end, match.entry) == (4, 8, iraq)
    assert used_entries((iraq,), ["the İRAQ delegation"]) == {"iraq"}


def test_lower_case_copies_match_as_ignorecase_does_for_every_latin_1_name_character():
    """What used_entries rests on: outside the four _LIKE_LATIN characters, str.lower() keeps each
    character one character long (so positions agree), and a text character matches a Latin-1
    name character under re.IGNORECASE exactly when its lower case is that character."""
    chars = "".join(chr(c) for c in range(sys.maxunicode + 1)
                    if not 0xD800 <= c <= 0xDFFF and chr(c) not in _LIKE_LATIN)
    assert all(len(c.lower()) == 1 for c in chars)
    lowered: dict[str, set[str]] = {}
    for c in chars:
        lowered.setdefault(c.lower(), set()).add(c)
    for key in (chr(c) for c in range(0x100) if chr(c).casefold() == chr(c)):
        assert set(re.findall(re.escape(key), chars, re.IGNORECASE)) == lowered.get(key, set()), repr(key)
