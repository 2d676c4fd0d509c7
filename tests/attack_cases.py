"""Bad inputs, as an attacker would make them: every class of issue 10, several variants each.

Each attack changes a private copy of the `mini` fixture (like diagnostic_cases.py) and names the
code `validate` must report. `test_attacks.py` runs every one through `main.py validate` (and the
ones marked `play` through `main.py play --text`) in a subprocess with a time and memory limit,
and asserts a clean rejection: exit 1, only `path:line:col: CODE message` lines, no traceback,
no raw control character. Attacks that need a kiosk config return the extra arguments.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from game.engine.limits import MAX_BLURB, MAX_PARAGRAPH

from .diagnostic_cases import MAIN, MANIFEST, SOURCE_MD, edit, write
from .png import claiming

COMMON = "dialogue/mini/common"
FLAG = "scenarios/mini/flag_tea.png"
CROSS = "dialogue/mini/host/cross.yaml"
CANARY = "CANARY-FROM-OUTSIDE-THE-CONTENT"


@dataclass(frozen=True)
class Attack:
    name: str
    issue_class: int
    make: Callable[[Path], list[str] | None]
    code: str
    play: bool = False


def _replace(root: Path, rel: str, how: Callable[[Path], None]) -> None:
    path = root / rel
    path.unlink()
    how(path)


def _fifo(rel: str) -> Callable[[Path], None]:
    return lambda r: _replace(r, rel, os.mkfifo) if (r / rel).exists() else os.mkfifo(r / rel)


def _link(rel: str, target: str) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        path = root / rel
        if path.exists() or path.is_symlink():
            path.unlink()
        path.symlink_to(target)
    return make


def _outside(root: Path) -> Path:
    path = root.parent / "outside.txt"
    path.write_text(f"{CANARY}\n", encoding="utf-8")
    return path


def _outside_link(root: Path) -> None:
    (root / COMMON / "link.yaml").symlink_to(_outside(root))


def _outside_folder(root: Path) -> None:
    outside = root.parent / "elsewhere"
    (root / "dialogue/mini").rename(outside)
    (root / "dialogue/mini").symlink_to(outside)


def _sparse(rel: str, size: int) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        with (root / rel).open("wb") as handle:
            handle.write(b"nodes: []\n")
            handle.truncate(size)
    return make


def _many_big(root: Path) -> None:
    for i in range(5):
        _sparse(f"{COMMON}/big{i}.yaml", 1_900_000)(root)


def _many_files(root: Path) -> None:
    folder = root / COMMON / "many"
    folder.mkdir()
    for i in range(2_001):
        (folder / f"n{i:04}.yaml").write_text("nodes: []\n", encoding="utf-8")


def _deep_folders(root: Path) -> None:
    folder = root / COMMON / "/".join(f"d{i}" for i in range(20))
    folder.mkdir(parents=True)
    (folder / "deep.yaml").write_text("nodes: []\n", encoding="utf-8")


def _bad_name(root: Path) -> None:
    with open(os.path.join(os.fsencode(root / COMMON), b"caf\xe9.yaml"), "wb") as handle:
        handle.write(b"nodes: []\n")


def _escape_name(root: Path) -> None:
    write(root, f"{COMMON}/\x1b[2J\x1b]0;owned\x07.yaml", "nodes: []\nunknown: 1\n")


def _loop(exit_if: str) -> Callable[[Path], None]:
    return lambda r: edit(r, CROSS, "    end: auto\n",
                          f'    branch:\n      - {{if: "{exit_if}", goto: close}}\n      - {{goto: host.cross}}\n')


def _option_loop(root: Path) -> None:
    edit(root, CROSS, "    end: auto\n", "    choice:\n      id: c-loop\n      by: host\n      moment: \"Again\"\n"
                                         "      note: \"A loop.\"\n      options:\n"
                                         "        - {id: c-loop.out, provenance: invented, text: \"Leave.\", default: true, "
                                         "if: \"1 > 2\", goto: close}\n"
                                         "        - {id: c-loop.again, provenance: invented, text: \"Again.\", goto: host.cross}\n"
                                         "      off_record: true\n")


def _range(lo: int, hi: int, first: str, second: str) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        edit(root, MANIFEST, "default: 0, min: -2, max: 2", f"default: {lo}, min: {lo}, max: {hi}")
        edit(root, MAIN, "historical: false, goto: close}", f'historical: false, if: "{first}", goto: close}}')
        edit(root, MAIN, 'historical: true, effects: ["tea = true"]', f'historical: true, if: "{second}", effects: ["tea = true"]')
    return make


def _two_vars(root: Path) -> None:
    edit(root, MANIFEST, "  - {id: tea, type: bool, default: false}",
         "  - {id: tea, type: bool, default: false}\n  - {id: cups, type: int, default: 0, min: 0, max: 100000000000000}")
    edit(root, MANIFEST, "default: 0, min: -2, max: 2", "default: 0, min: 0, max: 100000000000000")
    edit(root, MAIN, "historical: false, goto: close}", 'historical: false, if: "warmth > cups", goto: close}')
    edit(root, MAIN, 'historical: true, effects: ["tea = true"]', 'historical: true, if: "warmth < cups", effects: ["tea = true"]')


def _flat_values(root: Path) -> None:
    write(root, f"{COMMON}/values.yaml", "nodes: []\nmore: [" + ",".join(["1"] * 200_001) + "]\n")


def _bomb(root: Path) -> None:
    rows = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    rows += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    write(root, f"{COMMON}/bomb.yaml", "\n".join(rows) + "\n")


def _typos(root: Path) -> None:
    write(root, f"{COMMON}/typos.yaml", "nodes: []\n" + "".join(f"typo{i}: 1\n" for i in range(90_000)))


def _many_values(root: Path) -> None:
    for f in range(4):
        write(root, f"{COMMON}/v{f}.yaml", "nodes: []\nmore: [" + ",".join(str(f * 10 ** 6 + i) for i in range(130_000)) + "]\n")


def _glossary(entries: int, aliases: int, lines: int) -> Callable[[Path], None]:
    """A big glossary matched against many long lines (a plain alternation took minutes)."""
    def make(root: Path) -> None:
        rows = ["entries:"] + [f'  - {{id: g{i}, term: "term{i} word{i}", text: "x", sources: ["¶1"], '
                               f'aliases: [{", ".join(f"a{i}x{k}" for k in range(aliases))}]}}' for i in range(entries)]
        write(root, "scenarios/mini/glossary.yaml", "\n".join(rows) + "\n")
        nodes = ["nodes:"] + [f"  - id: n{i}\n    lines:\n      - {{id: n{i}.l, speaker: host, provenance: invented, "
                              f"text: \"{'word ' * 200}\"}}\n    goto: close" for i in range(lines)]
        write(root, f"{COMMON}/long.yaml", "\n".join(nodes) + "\n")
    return make


def _citing_too_much(root: Path) -> None:
    """Record lines that each cite ten long paragraphs, every line a different ten: the verbatim
    check would search gigabytes (it hung for minutes)."""
    import random

    paras = [f"¶{i} " + "Word’s “quote” — and… " * (MAX_PARAGRAPH // 23) for i in range(1, 101)]
    write(root, SOURCE_MD, "\n\n".join(paras) + "\n")
    rng = random.Random(1)
    rows = ["nodes:"]
    for i in range(3_000):
        refs = ", ".join(f"¶{r}" for r in rng.sample(range(1, 101), 10))
        rows.append(f"  - id: v{i}\n    lines:\n      - {{id: v{i}.l, speaker: host, provenance: record, "
                    f"ref: [{refs}], text: \"zzz\"}}\n    goto: close")
    write(root, f"{COMMON}/cites.yaml", "\n".join(rows) + "\n")


def _costly_choice(root: Path) -> None:
    """Many options, each with a condition of sixteen calls: 65,536 cases for each of them."""
    calls = " or ".join(f"visited('n{k}')" for k in range(16))
    nodes = ["nodes:"] + [f"  - id: n{k}\n    goto: close" for k in range(16)]
    options = "".join(f'        - {{id: c-many.o{i}, provenance: invented, text: "Option {i}.", if: "{calls}", '
                      f'default: {"true" if i == 0 else "false"}, goto: close}}\n' for i in range(300))
    nodes.append(f"  - id: many\n    choice:\n      id: c-many\n      by: host\n      moment: \"Many\"\n"
                 f"      note: \"Many.\"\n      off_record: true\n      options:\n{options}")
    write(root, f"{COMMON}/many.yaml", "\n".join(nodes) + "\n")


def _crowded_folder(root: Path) -> None:
    folder = root / COMMON / "crowd"
    folder.mkdir()
    for i in range(10_001):
        (folder / f"note{i}.txt").touch()


def _kiosk(text: str | None, special: str = "") -> Callable[[Path], list[str]]:
    def make(root: Path) -> list[str]:
        path = root.parent / "kiosk.yaml"
        if special == "fifo":
            os.mkfifo(path)
        elif special:
            path.symlink_to(special)
        else:
            path.write_text(text or "", encoding="utf-8")
        return ["--kiosk-config", str(path)]
    return make


def _text(field_edit: tuple[str, str, str]) -> Callable[[Path], None]:
    rel, old, new = field_edit
    return lambda r: edit(r, rel, old, new)


LINE_TEXT = (MAIN, 'text: "The conversation ends."', 'text: "The conversation{}ends."')
LABEL = (MAIN, 'label: "Complain"', 'label: "Comp{}lain"')
TITLE = (MANIFEST, 'title: "Tea"', 'title: "T{}ea"')
NAME = (MANIFEST, 'name: "Host"', 'name: "Ho{}st"')
INTRO = (MANIFEST, 'intro: "You are the guest."', 'intro: "You are{}the guest."')
SUMMARY = (MANIFEST, 'summary: "They drink tea."', 'summary: "They{}drink tea."')
MOMENT = (MAIN, 'moment: "What the host offers"', 'moment: "What the{}host offers"')
CITE = ("scenarios/mini/sources.yaml", 'cite: "A. Author', 'cite: "A.{}Author')
TAGLINE = (MANIFEST, 'tagline: "Sit down to tea with the host"', 'tagline: "Sit down to tea{}with the host"')
SEAT = (MANIFEST, '{name: "A cook"}', '{{name: "A{}cook"}}')


def _in(where: tuple[str, str, str], escape: str) -> Callable[[Path], None]:
    rel, old, new = where
    return _text((rel, old, new.format(escape)))


ATTACKS: list[Attack] = [
    # 1. reads that never end or reach too far
    Attack("fifo as a dialogue file", 1, _fifo(f"{COMMON}/pipe.yaml"), "E011", play=True),
    Attack("fifo as the manifest", 1, _fifo(MANIFEST), "E011", play=True),
    Attack("fifo as the glossary", 1, _fifo("scenarios/mini/glossary.yaml"), "E011", play=True),
    Attack("fifo as sources.yaml", 1, _fifo("scenarios/mini/sources.yaml"), "E011"),
    Attack("fifo as source.md", 1, _fifo(SOURCE_MD), "E011", play=True),
    Attack("fifo as the received source", 1, _fifo("scenarios/mini/received.txt"), "E011"),
    Attack("link to /dev/zero as a dialogue file", 1, _link(f"{COMMON}/zero.yaml", "/dev/zero"), "E012", play=True),
    Attack("link to /dev/zero as the received source", 1, _link("scenarios/mini/received.txt", "/dev/zero"), "E012"),
    Attack("link to /dev/stdin as a dialogue file", 1, _link(f"{COMMON}/stdin.yaml", "/dev/stdin"), "E012", play=True),
    Attack("link to /dev/urandom as the manifest", 1, _link(MANIFEST, "/dev/urandom"), "E012"),
    Attack("received: ../ out of the folder", 1,
           lambda r: (_outside(r), edit(r, MANIFEST, "received: received.txt", "received: ../../../outside.txt")),
           "E012", play=True),
    Attack("clean: an absolute path", 1,
           lambda r: edit(r, MANIFEST, "clean: source.md", f"clean: {_outside(r)}"), "E012"),
    Attack("received: /etc/passwd", 1, lambda r: edit(r, MANIFEST, "received: received.txt", "received: /etc/passwd"),
           "E012"),
    Attack("dialogue file linked out of the folder", 1, _outside_link, "E012"),
    Attack("dialogue folder linked out of the folder", 1, _outside_folder, "E012", play=True),
    Attack("a link that loops", 1, _link(f"{COMMON}/loop.yaml", "loop.yaml"), "E001"),
    Attack("a 3 MB dialogue file", 1, _sparse(f"{COMMON}/huge.yaml", 3_000_000), "E004", play=True),
    Attack("a 600 MB file named .yaml", 1, _sparse(f"{COMMON}/pdf.yaml", 600 * 1024 * 1024), "E004"),
    Attack("five files of 1.9 MB", 1, _many_big, "E013"),
    Attack("2,001 dialogue files", 1, _many_files, "E013"),
    Attack("folders 20 deep", 1, _deep_folders, "E013"),
    Attack("a folder of 10,001 files", 1, _crowded_folder, "E013"),
    Attack("a file name that is not UTF-8", 6, _bad_name, "E014", play=True),
    Attack("fifo as a flag", 1, _fifo(FLAG), "E011", play=True),
    Attack("flag linked to /dev/zero", 1, _link(FLAG, "/dev/zero"), "E012", play=True),
    Attack("flag: ../ out of the folder", 1,
           lambda r: (_outside(r), edit(r, MANIFEST, "flag: flag_tea.png", "flag: ../../../outside.txt")), "E012"),
    Attack("emblem: /etc/passwd", 1, lambda r: edit(r, MANIFEST, "  memo:", "  emblem: /etc/passwd\n  memo:"), "E012"),
    Attack("a 3 MB flag", 1, _sparse(FLAG, 3_000_000), "E004"),
    # 2. numbers and expressions
    Attack("format: 5,000 digits", 2, _text((MANIFEST, "format: 1", "format: " + "9" * 5000)), "E107", play=True),
    Attack("format: 0x and 5,000 hex digits", 2, _text((MANIFEST, "format: 1", "format: 0x" + "f" * 5000)), "E107"),
    Attack("format: base 60", 2, _text((MANIFEST, "format: 1", "format: " + ":".join(["59"] * 2000))), "E107"),
    Attack("default: 16 digits", 2, _text((MANIFEST, "default: 0, min: -2, max: 2",
                                          "default: 1000000000000000, min: 0, max: 1000000000000000")), "E107"),
    Attack("max: 10**30", 2, _text((MANIFEST, "max: 2}", "max: 1000000000000000000000000000000}")), "E107"),
    Attack("condition literal of 20 digits", 2, _text((MAIN, 'if: "not tea"', 'if: "warmth < 99999999999999999999"')),
           "E107"),
    Attack("condition literal of 5,000 digits", 2, _text((MAIN, 'if: "not tea"', f'if: "warmth < {"9" * 5000}"')),
           "E307", play=True),
    Attack("effect of 20 digits", 2, _text((MAIN, 'effects: ["warmth += 1"]', 'effects: ["warmth += 10000000000000000000"]')),
           "E107"),
    Attack("ref of 5,000 digits", 2, _text((MAIN, "ref: ¶4,", f"ref: ¶{'4' * 5000},")), "E107", play=True),
    Attack("sources item of 5,000 digits", 2, _text((MANIFEST, "sources: [tea-book]", f"sources: ['¶{'1' * 5000}']")),
           "E109"),
    Attack("sources item of 20 digits", 2, _text((MANIFEST, "sources: [tea-book]", f"sources: ['¶{'1' * 20}']")),
           "E107"),
    Attack("source.md id of 5,000 digits", 2, _text((SOURCE_MD, "¶4 Host.", f"¶{'4' * 5000} Host.")), "E107"),
    Attack("300 nested parentheses", 2, _text((MAIN, 'if: "not tea"', f'if: "{"(" * 300}not tea{")" * 300}"')), "E307",
           play=True),
    Attack("40 nested parentheses", 2, _text((MAIN, 'if: "not tea"', f'if: "{"(" * 40}not tea{")" * 40}"')), "E306"),
    Attack("2,000 nots", 2, _text((MAIN, 'if: "not tea"', f'if: "{"not " * 2000}tea"')), "E307"),
    Attack("40 nots", 2, _text((MAIN, 'if: "not tea"', f'if: "{"not " * 40}tea"')), "E306"),
    Attack("40 unary minus", 2, _text((MAIN, 'effects: ["warmth += 1"]', f'effects: ["warmth += {"-" * 40}1"]')), "E306"),
    Attack("a 2,001-term sum", 2, _text((MAIN, 'if: "not tea"', f'if: "{" + ".join(["warmth"] * 2001)} > 0"')), "E307",
           play=True),
    Attack("int range 0..10**8, options all off", 2, _range(0, 10 ** 8, "warmth > 5", "warmth < 3"), "E403", play=True),
    Attack("int range 0..10**14, options all off", 2, _range(0, 10 ** 14, "warmth > 99", "warmth + 1 < 3"), "E403"),
    Attack("two int ranges of 10**14 compared", 2, _two_vars, "E403"),
    Attack("300 options of sixteen calls each", 2, _costly_choice, "E403"),
    # 3. text that breaks the screen or forges a line
    Attack("NUL in a line", 3, _in(LINE_TEXT, "\\0"), "E108", play=True),
    Attack("ESC sequence in an option label", 3, _in(LABEL, "\\e[2J\\e[31m"), "E108", play=True),
    Attack("OSC title sequence in the title", 3, _in(TITLE, "\\e]0;owned\\a"), "E108", play=True),
    Attack("C1 CSI in a speaker name", 3, _in(NAME, "\\x9b31m"), "E108"),
    Attack("right-to-left override in an intro", 3, _in(INTRO, "\\u202e"), "E108"),
    Attack("first-strong isolate in a summary", 3, _in(SUMMARY, "\\u2068"), "E108"),
    Attack("zero-width space in a moment", 3, _in(MOMENT, "\\u200b"), "E108"),
    Attack("byte-order mark in a citation", 3, _in(CITE, "\\ufeff"), "E108"),
    Attack("tag character in a line", 3, _in(LINE_TEXT, "\\U000E0041"), "E108"),
    Attack("line separator in a line", 3, _in(LINE_TEXT, "\\u2028"), "E108"),
    Attack("newline forging a record line", 3, _in(LINE_TEXT, "\\nGuest: It is cold in Moscow. [¶3]\\n"), "E108",
           play=True),
    Attack("newline in an option label", 3, _in(LABEL, "\\n1) "), "E108"),
    Attack("ESC in an unknown key", 3, _text((MAIN, "historical: false, effects", '"\\e[2Jhistorical": false, effects')),
           "E102", play=True),
    Attack("ESC in an id", 3, _text((MAIN, "id: close.l1", 'id: "close\\e[8m.l1"')), "E104"),
    Attack("ESC in a condition", 3, _text((MAIN, 'if: "not tea"', "if: \"mood == '\\e[2J'\"")), "E303"),
    Attack("ESC and OSC in a file name", 3, _escape_name, "E102", play=True),
    Attack("control characters in source.md", 3, _text((SOURCE_MD, "¶4 Host. Then", "¶4 Host.\x1b[2J Then")), "E108"),
    Attack("a 400,000-character title", 3, _text((MANIFEST, 'title: "Tea"', f'title: "{"W" * 400_000}"')), "E109",
           play=True),
    Attack("a 5,001-character line", 3, _text((MAIN, 'text: "The conversation ends."', f'text: "{"a" * 5001}"')), "E109"),
    Attack("ESC sequence in the kiosk tagline", 3, _in(TAGLINE, "\\e[2J"), "E108", play=True),
    Attack("right-to-left override on a seat's card", 3, _in(SEAT, "\\u202e"), "E108"),
    Attack("a blurb over its cap", 3, _text((MANIFEST, 'blurb: "A guest', f'blurb: "{"tea " * (MAX_BLURB // 4)}A guest')),
           "E109"),
    Attack("a paragraph over the cap", 3, _text((SOURCE_MD, "¶4 Host.", f"¶4 Host. {'x' * (MAX_PARAGRAPH + 1)}")), "E109"),
    # 4. content that passes validate and then runs forever
    Attack("loop whose exit is if: false", 4, _loop("false"), "E402", play=True),
    Attack("loop whose exit is if: not true", 4, _loop("not true"), "E402"),
    Attack("loop whose exit is 1 > 2", 4, _loop("1 > 2"), "E402"),
    Attack("loop whose exit is out of the declared range", 4, _loop("warmth > 5"), "E402"),
    Attack("loop whose exit is false and more", 4, _loop("false and visited('close')"), "E402"),
    Attack("loop whose only way out is an option never offered", 4, _option_loop, "E402"),
    # 7. the size limit
    Attack("200,001 values in one flat list", 7, _flat_values, "E007"),
    Attack("billion laughs", 7, _bomb, "E007", play=True),
    Attack("a flag claiming 100,000 x 100,000 pixels", 7, lambda r: write(r, FLAG, claiming(100_000, 100_000)), "E016",
           play=True),
    Attack("a flag that is a text file", 7, lambda r: write(r, FLAG, "not a picture\n"), "E016"),
    Attack("520,000 values in four files", 7, _many_values, "E013"),
    Attack("90,000 unknown keys", 7, _typos, "E015"),
    Attack("a glossary of 12,000 entries", 7, _glossary(12_000, 2, 10), "E106"),
    Attack("3,000 record lines each citing ten long paragraphs", 7, _citing_too_much, "E013"),
    Attack("2,000 glossary entries of 11 names on long lines", 7, _glossary(2_000, 10, 900), "W004"),
    # 8. identifiers
    Attack("variable named true", 8, _text((MANIFEST, "{id: tea, type: bool", '{id: "true", type: bool')), "E104"),
    Attack("variable named and", 8, _text((MANIFEST, "{id: tea, type: bool", "{id: and, type: bool")), "E104"),
    Attack("variable named visited", 8, _text((MANIFEST, "{id: tea, type: bool", "{id: visited, type: bool")), "E104"),
    Attack("Arabic-Indic digit in a ref", 8, _text((MAIN, "ref: ¶4,", "ref: ¶٤,")), "E106"),
    Attack("full-width digit in a condition", 8, _text((MAIN, 'if: "not tea"', 'if: "warmth >= １"')), "E301"),
    Attack("superscript digit in a condition", 8, _text((MAIN, 'if: "not tea"', 'if: "warmth >= ²"')), "E301"),
    Attack("Arabic-Indic digit in a source.md id", 8, _text((SOURCE_MD, "¶4 Host.", "¶٤ Host.")), "E506"),
    # 9. kiosk config
    Attack("admin_chord shift+shift+a", 9, _kiosk("admin_chord: shift+shift+a\n"), "E106"),
    Attack("admin_chord ctrl+ctrl+k", 9, _kiosk("admin_chord: ctrl+ctrl+k\n"), "E106"),
    Attack("duplicate roles", 9, _kiosk("roles: [shah, shah]\n"), "E106"),
    Attack("a PIN written as digits", 9, _kiosk("admin_pin: 1234\n"), "E106"),
    Attack("kiosk config is a fifo", 9, _kiosk(None, "fifo"), "E011"),
    Attack("kiosk config links to /dev/zero", 9, _kiosk(None, "/dev/zero"), "E011"),
    # the file itself (docs/design.md §7)
    Attack("python tag", 7, _text((MAIN, "nodes:\n", "nodes: !!python/object/apply:os.system ['echo owned']\nx:\n")),
           "E008"),
    Attack("10,000 nested lists", 7, lambda r: write(r, f"{COMMON}/deep.yaml", "nodes: " + "[" * 10_000 + "]" * 10_000),
           "E006"),
    Attack("UTF-16 file", 7, lambda r: write(r, f"{COMMON}/u16.yaml", "nodes: []\n".encode("utf-16")), "E002"),
    Attack("binary file", 7, lambda r: write(r, f"{COMMON}/bin.yaml", bytes(range(256)) * 10), "E002"),
]
