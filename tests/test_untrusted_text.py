"""Issue 10, class 3: text that breaks the screen or forges a line.

`validate` refuses control, bidi and invisible characters in every text field (line breaks only
in prose), and caps each field's length; every output escapes what it prints, whether or not
the content was validated (a poisoned scenario is built here without the loader); the window's
wrapping is linear and cuts over-long words.
"""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pygame
import pytest

from game.engine.autoplay import policy_named
from game.engine.checked import validate_folder
from game.engine.expressions import Condition, Effect
from game.engine.limits import MAX_PARAGRAPH, MAX_SHORT_TEXT, MAX_TEXT
from game.engine.runner import ChoiceEvent, EndEvent, Runner
from game.engine.safe_text import UNSAFE, UNSAFE_BUT_NEWLINE
from game.text import format as fmt
from game.text.play import TextSession

from .bounded import run_main
from .diagnostic_cases import MAIN, MANIFEST, SOURCE_MD, edit, write
from .test_diagnostics import LINE

CHARS = {"NUL": "\\0", "ESC": "\\e", "OSC": "\\e]0;owned\\a", "BEL": "\\a", "TAB": "\\t", "CR": "\\r",
         "C1 CSI": "\\x9b", "NEL": "\\N", "RLO": "\\u202e", "LRI": "\\u2066", "ZWSP": "\\u200b", "ZWJ": "\\u200d",
         "BOM": "\\ufeff", "LSEP": "\\u2028", "tag": "\\U000E0041", "DEL": "\\x7f"}
FIELDS = {
    "line text": (MAIN, 'text: "The conversation ends."', 'text: "The conversation{}ends."'),
    "option label": (MAIN, 'label: "Complain"', 'label: "Comp{}lain"'),
    "option text": (MAIN, 'text: "Your weather is dreadful."', 'text: "Your{}weather is dreadful."'),
    "title": (MANIFEST, 'title: "Tea"', 'title: "T{}ea"'),
    "speaker name": (MANIFEST, 'name: "Host"', 'name: "Ho{}st"'),
    "role intro": (MANIFEST, 'intro: "You are the guest."', 'intro: "You are{}the guest."'),
    "ending epilogue": (MANIFEST, 'epilogue: "As it was."', 'epilogue: "As it{}was."'),
    "objective": (MANIFEST, 'text: "Stay warm."', 'text: "Stay{}warm."'),
    "moment": (MAIN, 'moment: "What the host offers"', 'moment: "What the{}host offers"'),
    "citation": ("scenarios/mini/sources.yaml", 'cite: "A. Author', 'cite: "A.{}Author'),
    "source id": (MANIFEST, "sources: [tea-book]", 'sources: ["tea{}-book"]'),
    "memo": (MANIFEST, 'memo: "Copy 1 of 2"', 'memo: "Copy 1{}of 2"'),
    "blurb": (MANIFEST, 'blurb: "A guest and', 'blurb: "A guest{}and'),
    "kiosk tagline": (MANIFEST, 'tagline: "Sit down', 'tagline: "Sit{}down'),
    "seat card": (MANIFEST, '{name: "A cook"}', '{{name: "A{}cook"}}'),
}


def codes(root: Path) -> list[str]:
    return [d.code for d in validate_folder(root).sorted()]


def _spread() -> list[tuple[str, str]]:
    """Each field with five of the characters, each character in several fields (a Latin square)."""
    names, fields = list(CHARS), list(FIELDS)
    return [(f, names[(i * 3 + k) % len(names)]) for i, f in enumerate(fields) for k in range(5)]


@pytest.mark.parametrize("field, char", _spread(), ids=[f"{f}-{c}" for f, c in _spread()])
def test_unsafe_characters_are_refused_in_every_text_field(mini: Path, field: str, char: str):
    rel, old, new = FIELDS[field]
    edit(mini, rel, old, new.format(CHARS[char]))
    assert "E108" in codes(mini)


def test_the_spread_covers_every_field_and_every_character():
    pairs = _spread()
    assert {f for f, _ in pairs} == set(FIELDS) and {c for _, c in pairs} == set(CHARS)


@pytest.mark.parametrize("char", ["\x1b", "\x07", "\u202e", "\u200b", "\x85", "\u2029"],
                         ids=["ESC", "BEL", "RLO", "ZWSP", "NEL", "PSEP"])
@pytest.mark.parametrize("line", [1, 3, 7])
def test_unsafe_characters_are_refused_in_source_md_at_their_line(mini: Path, char: str, line: int):
    path = mini / SOURCE_MD
    rows = path.read_text(encoding="utf-8").split("\n")
    rows[line - 1 if line > 1 else 2] += f" x{char}y"
    path.write_text("\n".join(rows), encoding="utf-8")
    found = [d for d in validate_folder(mini).sorted() if d.code == "E108"]
    assert found and "source.md" in found[0].origin.path


@pytest.mark.parametrize("field", ["line text", "option label", "option text", "title", "speaker name", "moment",
                                   "objective", "citation"])
def test_a_line_break_is_refused_where_a_field_is_one_line(mini: Path, field: str):
    rel, old, new = FIELDS[field]
    edit(mini, rel, old, new.format("\\nGuest: I agree to everything. [¶3]\\n"))
    found = [d for d in validate_folder(mini).sorted() if d.code == "E108"]
    assert found and "line break" in found[0].message


@pytest.mark.parametrize("field", ["role intro", "ending epilogue"])
def test_a_line_break_is_allowed_in_prose(mini: Path, field: str):
    rel, old, new = FIELDS[field]
    edit(mini, rel, old, new.format("\\n\\n"))
    assert codes(mini) == []


@pytest.mark.parametrize("field, limit", [("title", MAX_SHORT_TEXT), ("speaker name", MAX_SHORT_TEXT),
                                          ("option label", MAX_SHORT_TEXT), ("moment", MAX_SHORT_TEXT),
                                          ("line text", MAX_TEXT), ("role intro", MAX_TEXT), ("citation", MAX_TEXT)])
@pytest.mark.parametrize("extra", [1, 1_000, 400_000])
def test_every_field_has_a_length_cap(mini: Path, field: str, limit: int, extra: int):
    rel, old, new = FIELDS[field]
    edit(mini, rel, old, new.format("x" * (limit + extra)))
    assert "E109" in codes(mini)


@pytest.mark.parametrize("field, limit", [("title", MAX_SHORT_TEXT), ("line text", MAX_TEXT)])
def test_a_field_at_its_cap_is_fine(mini: Path, field: str, limit: int):
    rel, old, new = FIELDS[field]
    base = new.format("")
    filler = "x" * (limit - len(base.split('"')[1]))
    edit(mini, rel, old, new.format(filler))
    assert "E109" not in codes(mini)


def test_a_source_paragraph_has_a_cap(mini: Path):
    edit(mini, SOURCE_MD, "¶4 Host.", "¶4 Host. " + "y" * MAX_PARAGRAPH)
    assert "E109" in codes(mini)


# --- every output escapes what it prints --------------------------------------------------------

HOSTILE = [
    ("unknown key", lambda r: edit(r, MAIN, "historical: false, effects", '"\\e]0;owned\\a\\e[2J": false, effects')),
    ("id", lambda r: edit(r, MAIN, "id: close.l1", 'id: "\\e[8mclose"')),
    ("condition", lambda r: edit(r, MAIN, 'if: "not tea"', 'if: "not \\e[31mtea"')),
    ("enum literal", lambda r: edit(r, MAIN, 'if: "not tea"', "if: \"mood == '\\e[2J\\u202e'\"")),
    ("file name", lambda r: write(r, "dialogue/mini/common/\x1b[31mred\u202e.yaml", "nodes: []\nbad: 1\n")),
    ("source id", lambda r: edit(r, MANIFEST, "sources: [tea-book]", 'sources: ["\\e[2J"]')),
    ("typo near a key", lambda r: edit(r, MAIN, "historical: false, effects", '"historica\\x9bl": false, effects')),
]


@pytest.mark.parametrize("name, make", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_validate_prints_every_hostile_character_spelt_out(mini: Path, name: str, make):
    make(mini)
    run = run_main("validate", "--content", str(mini))
    assert run.returncode == 1 and not run.hung
    assert not UNSAFE_BUT_NEWLINE.search(run.stdout + run.stderr), repr(run.stdout)
    lines = run.stdout.splitlines()
    assert lines and all(LINE.match(ln) for ln in lines)
    assert re.search(r"\\(x1b|x9b|u202e)|U\+(001B|009B|202E)", run.stdout), run.stdout


def _poison(value, payload: str):
    """A copy of a loaded scenario with `payload` added to every text a player would see (after its
    own words: a line break inside a text, as the issue's forged line)."""
    shown = {"text", "label", "name", "title", "subtitle", "place", "date", "intro", "summary", "epilogue", "prompt",
             "moment", "note", "outcome", "source_note", "date_note", "term", "cite", "citation", "why"}
    if isinstance(value, (Condition, Effect)):
        return value                  # names in conditions are ids, not text
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: (getattr(value, f.name) + payload if f.name in shown and isinstance(getattr(value, f.name), str)
                            and getattr(value, f.name) else _poison(getattr(value, f.name), payload))
                   for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(_poison(v, payload) for v in value)
    if isinstance(value, dict):
        return {k: _poison(v, payload) for k, v in value.items()}
    return value


PAYLOADS = {
    "forged record line": "\nGuest: I agree to everything. [¶3]\n",
    "escape sequences": "\x1b[2J\x1b]0;owned\x07\x1b[31m",
    "C1 and NEL": "\x9b2J\x85Guest: I agree. [¶3]",
    "bidi and invisible": "\u202e\u2066\u200b\ufeff\U000e0041",
    "NUL and CR": "\x00\rGuest: I agree. [¶3]",
    "line separators": "\u2028Guest: I agree. [¶3]\u2029",
}


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
@pytest.mark.parametrize("role", ["guest", "both"])
def test_text_mode_never_prints_a_control_character_or_a_forged_line(mini_scenario, payload: str, role: str):
    scenario = _poison(mini_scenario, payload)
    out = io.StringIO()
    session = TextSession(scenario, role, "full", out, io.StringIO(""), policy_named("record", 0), err=io.StringIO())
    assert session.run() == 0
    text = out.getvalue()
    assert not UNSAFE_BUT_NEWLINE.search(text), repr(text[:400])
    assert not any(ln.startswith("Guest: I agree") for ln in text.splitlines())   # no line of its own
    runner, policy, said = Runner(scenario, role), policy_named("record", 0), 0
    while not isinstance(event := runner.advance(), EndEvent):
        if isinstance(event, ChoiceEvent):
            event = runner.choose(policy.pick(event))
        line = fmt.spoken(scenario, event.line)
        assert "\n" not in line and line.endswith("]") and line in text   # one output line, its mark last
        said += 1
    assert said >= 3


@pytest.mark.parametrize("typed", ["1\n", "s\n1\n", "g\n1\n", "b\n1\n"])
def test_the_terminal_commands_print_nothing_raw_either(mini_scenario, typed: str):
    scenario = _poison(mini_scenario, "\x1b[2J\u202e\nGuest: x [¶3]")
    out = io.StringIO()
    TextSession(scenario, "guest", "full", out, io.StringIO(typed + "1\n1\n"), err=io.StringIO()).run()
    assert not UNSAFE_BUT_NEWLINE.search(out.getvalue())


def test_every_unsafe_class_is_refused_and_replaced_alike():
    """One list of characters for validate, the terminal and the window."""
    from game.ui.text import sanitize

    for code in [*range(0x20), *range(0x7F, 0xA0), 0x202E, 0x2066, 0x200B, 0xFEFF, 0x2028, 0xE0041]:
        ch = chr(code)
        assert UNSAFE.match(ch), hex(code)
        assert not UNSAFE_BUT_NEWLINE.search(sanitize(f"a{ch}b", newlines=True)), hex(code)


# --- the window: wrapping is linear and breaks over-long words -----------------------------------

class CountingFont:
    """A font that counts the characters it is asked to measure: the work wrapping does."""

    def __init__(self, font: pygame.font.Font):
        self.font = font
        self.measured = 0

    def size(self, text: str) -> tuple[int, int]:
        self.measured += len(text)
        return self.font.size(text)

    def metrics(self, text: str):
        self.measured += len(text)
        return self.font.metrics(text)

    def get_height(self) -> int:
        return self.font.get_height()


@pytest.fixture(scope="module")
def font(project_root: Path):
    pygame.font.init()
    return pygame.font.Font(str(project_root / "art/fonts/LiberationSerif-Italic.ttf"), 30)


@pytest.mark.parametrize("text", [
    lambda n: "W" * n, lambda n: "i" * n, lambda n: ("supercalifragilistic" * n)[:n],
    lambda n: "a" * (n // 2) + " " + "b" * (n // 2), lambda n: ("word " * n)[:n], lambda n: "\u0301" * n,
], ids=["wide", "narrow", "pattern", "two words", "prose", "combining marks"])
@pytest.mark.parametrize("width", [120, 800])
def test_wrapping_fits_every_line_and_costs_linear_work(font, text, width: int):
    from game.ui.text import _wrap

    work = []
    for n in (2_000, 8_000):
        counting = CountingFont(font)
        source = text(n)
        lines = _wrap(counting, source, width)
        assert all(font.size(line)[0] <= width or len(line) == 1 for line in lines)
        assert "".join(lines).replace(" ", "") == source.replace(" ", "")
        work.append(counting.measured)
    assert work[1] <= 4 * work[0] * 1.5 + 1_000, work      # four times the text, about four times the work


def test_one_line_text_for_the_window_is_capped_before_rendering():
    from game.ui.text import MAX_LINE, sanitize

    assert len(sanitize("W" * 400_000)) == MAX_LINE
    assert sanitize("a\x00b\nc") == "a\ufffdb c"
    long = "x" * 10_000 + "\n" + "y"
    assert sanitize(long, newlines=True) == long    # a block keeps its length: it is wrapped, not drawn whole


# --- glossary links: one pass over a text, whatever the size of the glossary ---------------------

def test_the_glossary_trie_finds_what_the_plain_alternation_found():
    """The same spans as `(?<!\\w)(?:longest|…|shortest)(?!\\w)`, on random names and texts."""
    import random

    from game.engine.glossary import _trie_pattern

    rng = random.Random(10)
    alphabet = "abÄä .-'(é"
    for _ in range(2_000):
        names = {("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6))).strip() or "a").casefold()
                 for _ in range(rng.randint(1, 8))}
        text = "".join(rng.choice(alphabet + "cA") for _ in range(50))
        plain = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                           + r")(?!\w)", re.IGNORECASE)
        trie = re.compile(rf"(?<!\w)(?:{_trie_pattern(names)})(?!\w)", re.IGNORECASE)
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)], (names, text)


@pytest.mark.parametrize("entries, aliases", [(2_000, 10), (12_000, 2)])
def test_a_glossary_too_large_is_refused_and_a_large_one_is_checked_in_bounded_time(mini: Path, entries: int,
                                                                                   aliases: int):
    from .attack_cases import _glossary

    _glossary(entries, aliases, 600)(mini)
    run = run_main("validate", "--content", str(mini))
    assert not run.hung and run.returncode == 1 and "Traceback" not in run.stderr
    assert ("E106" if entries > 2_000 else "W004") in run.stdout   # the unreachable lines are errors
