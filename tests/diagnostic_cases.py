"""The broken content of each documented example, built from the tiny valid scenario.

Each case changes the `mini` fixture in one way. Which code it shows, and the exact line `validate`
prints for it, are not written here: the examples in game/engine/diagnostic_codes.py name their
case, and tests/test_diagnostics.py checks that every case is named by an example and every
issued code has one. A code's first case is keyed by the code itself (the CLI tests use it);
a further example of the same code is keyed `CODE-what`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from game.engine.diagnostics import MAX_DIAGNOSTICS
from game.engine.limits import MAX_EXPR_CHARS, MAX_EXPR_DEPTH, MAX_FOLDER_DEPTH, MAX_SHORT_TEXT
from game.engine.yaml_reader import MAX_BYTES

from .png import claiming

MAIN = "dialogue/mini/common/main.yaml"
MANIFEST = "scenarios/mini/scenario.yaml"
SOURCE_MD = "scenarios/mini/source.md"


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"case does not apply: {old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def write(root: Path, rel: str, data: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")


def _huge(root: Path) -> None:
    with (root / "dialogue/mini/common/huge.yaml").open("wb") as handle:
        handle.write(b"nodes: []\n")
        handle.truncate(MAX_BYTES + 1)


def _bomb(root: Path) -> None:
    rows = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    rows += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    write(root, "dialogue/mini/common/bomb.yaml", "\n".join(rows) + "\n")


def _folder_for_file(root: Path) -> None:
    (root / "scenarios/mini/received.txt").unlink()
    (root / "scenarios/mini/received.txt").mkdir()


def _outside(root: Path) -> None:
    (root.parent / "outside.txt").write_text("Secret.\n", encoding="utf-8")
    edit(root, MANIFEST, "received: received.txt", "received: ../../../outside.txt")


def _deep_folders(root: Path) -> None:
    folder = root / "dialogue/mini/common"
    for i in range(MAX_FOLDER_DEPTH + 1):
        folder = folder / f"d{i}"
    folder.mkdir(parents=True)
    (folder / "deep.yaml").write_text("nodes: []\n", encoding="utf-8")


def _not_utf8_name(root: Path) -> None:
    folder = os.fsencode(root / "dialogue/mini/common")
    with open(os.path.join(folder, b"caf\xe9.yaml"), "wb") as handle:
        handle.write(b"nodes: []\n")


EXTRA_NODE = """
  - id: extra
    lines:
      - {id: extra.l1, speaker: host, provenance: invented, text: "More tea?"}
    goto: close
"""

CASES: dict[str, Callable[[Path], None]] = {
    "E001": _folder_for_file,
    "E002": lambda r: write(r, "dialogue/mini/common/latin1.yaml", "nodes: []\n# caf\xe9\n".encode("latin-1")),
    "E003": lambda r: write(r, "dialogue/mini/common/syntax.yaml", "nodes: [\n  - id: a\n"),
    "E004": _huge,
    "E005": lambda r: edit(r, MAIN, "  - id: close\n", "  - id: close\n    id: close2\n"),
    "E006": lambda r: write(r, "dialogue/mini/common/deep.yaml", "nodes: " + "[" * 100 + "]" * 100 + "\n"),
    "E007": _bomb,
    "E008": lambda r: write(r, "dialogue/mini/common/tag.yaml", "nodes: !!python/object/apply:os.system ['ls']\n"),
    "E009": lambda r: write(r, "dialogue/mini/common/empty.yaml", "# nothing yet\n"),
    "E010": lambda r: write(r, "dialogue/mini/common/two.yaml", "nodes: []\n---\nnodes: []\n"),
    "E011": lambda r: os.mkfifo(r / "dialogue/mini/common/pipe.yaml"),
    "E012": _outside,
    "E013": _deep_folders,
    "E014": _not_utf8_name,
    "E015": lambda r: write(r, "dialogue/mini/common/typos.yaml",
                            "nodes: []\n" + "".join(f"typo{i}: 1\n" for i in range(MAX_DIAGNOSTICS + 1))),
    "E016": lambda r: write(r, "scenarios/mini/flag_tea.png", claiming(100_000, 100_000)),
    "E101": lambda r: edit(r, MAIN, 'text: "The conversation ends."', "text: no"),
    "E102": lambda r: edit(r, MAIN, "historical: false, effects: [\"mood", "historcal: false, effects: [\"mood"),
    "E103": lambda r: edit(r, MAIN, ", goto: host.cross}", "}"),
    "E104": lambda r: edit(r, MAIN, "id: close.l1", "id: Close Line"),
    "E105": lambda r: edit(r, MAIN, "id: start.l2", "id: start.l1"),
    "E106": lambda r: edit(r, MAIN, "{id: close.l1, speaker: narrator, provenance: invented", "{id: close.l1, speaker: narrator, provenance: rumour"),
    "E107": lambda r: edit(r, MANIFEST, "format: 1", "format: 10000000000000000000001"),
    "E108": lambda r: edit(r, MAIN, 'text: "The conversation ends."', 'text: "The conversation \\u202eends."'),
    "E104-reserved": lambda r: edit(r, MANIFEST, "  - {id: tea, type: bool", "  - {id: and, type: bool"),
    "E109": lambda r: edit(r, MANIFEST, 'title: "Tea"', f'title: "{"Tea " * (MAX_SHORT_TEXT // 4 + 1)}"'),
    "E201": lambda r: edit(r, MAIN, "goto: close}", "goto: nowhere}"),
    "E202": lambda r: edit(r, MAIN, "{id: close.l1, speaker: narrator", "{id: close.l1, speaker: stalin"),
    "E203": lambda r: edit(r, MAIN, "ref: ¶4,", "ref: ¶99,"),
    "E204": lambda r: edit(r, MAIN, "It is cold in Moscow, but the tea is warm.", "It is very cold in Moscow, but the tea is warm."),
    "E205": lambda r: edit(r, MAIN, "provenance: record, ref: ¶1,", "provenance: record,"),
    "E206": lambda r: edit(r, MAIN, "by: host", "by: waiter"),
    "E207": lambda r: edit(r, MAIN, "{id: close.l1, speaker: narrator, provenance: invented", "{id: close.l1, speaker: record, provenance: invented"),
    "E301": lambda r: edit(r, MAIN, 'if: "not tea"', 'if: "not tea and"'),
    "E302": lambda r: edit(r, MAIN, 'if: "not tea"', 'if: "not coffee"'),
    "E303": lambda r: edit(r, MAIN, 'if: "not tea"', "if: \"mood == 'happy'\""),
    "E304": lambda r: edit(r, MAIN, 'if: "not tea"', "if: \"visited('nowhere')\""),
    "E305": lambda r: edit(r, MANIFEST, "default: 0, min: -2, max: 2", "default: 5, min: -2, max: 2"),
    "E306": lambda r: edit(r, MAIN, 'if: "not tea"', f'if: "{"(" * (MAX_EXPR_DEPTH + 1)}not tea{")" * (MAX_EXPR_DEPTH + 1)}"'),
    "E307": lambda r: edit(r, MAIN, 'if: "not tea"', f'if: "{" + ".join(["warmth"] * (MAX_EXPR_CHARS // 9 + 1))} > 0"'),
    "E401": lambda r: edit(r, MAIN, "    end: auto\n", "    end: auto\n" + EXTRA_NODE),
    "E402": lambda r: edit(r, "dialogue/mini/host/cross.yaml", "    end: auto\n", "    goto: host.cross\n"),
    "E402-never": lambda r: edit(r, "dialogue/mini/host/cross.yaml", "    end: auto\n",
                                 '    branch:\n      - {if: "false", goto: close}\n      - {goto: host.cross}\n'),
    "E403": lambda r: (
        edit(r, MAIN, "historical: false, goto: close}", 'historical: false, if: "warmth > 0", goto: close}'),
        edit(r, MAIN, 'historical: true, effects: ["tea = true"]', 'historical: true, if: "warmth < 0", effects: ["tea = true"]'),
    ),
    "E404": lambda r: edit(r, MAIN, "historical: false, goto: close}", "historical: true, goto: close}"),
    "E405": lambda r: edit(r, MAIN, '        - {id: c-tea.none, label: "Offer nothing", provenance: invented, text: "Well, good day.", historical: false, goto: close}\n', ""),
    "E406": lambda r: edit(r, "dialogue/mini/host/cross.yaml", "    end: auto\n", "    end: auto\n    goto: close\n"),
    "E407": lambda r: edit(r, MAIN, 'label: "Offer nothing", ', ""),
    "E409": lambda r: edit(r, "dialogue/mini/host/cross.yaml", "    end: auto\n", '    branch:\n      - {if: "tea", goto: close}\n'),
    "E410": lambda r: (
        edit(r, "dialogue/mini/host/cross.yaml", "    end: auto\n", "    goto: host.wait\n"),
        write(r, "dialogue/mini/host/wait.yaml",
              'nodes:\n  - id: host.wait\n    branch:\n      - {if: "tea", goto: close}\n      - {goto: host.wait2}\n'
              "  - id: host.wait2\n    goto: host.wait\n"),
    ),
    "E412": lambda r: edit(r, MAIN, 'provenance: record, ref: ¶4, text: "Then let us drink tea."', 'provenance: invented, text: "Then let us drink tea."'),
    "E501": lambda r: shutil.rmtree(r / "scenarios"),
    "E502": lambda r: (r / "scenarios/mini/received.txt").unlink(),
    "E503": lambda r: edit(r, SOURCE_MD, "¶4 Host. Then let us drink tea.", "¶4 Host. Then let us drink coffee."),
    "E504": lambda r: edit(r, MANIFEST, 'title: "Nothing happens",', 'title: "Nothing happens", when: "warmth > 5",'),
    "E505": lambda r: edit(r, MANIFEST, "start: start}", "start: begin}"),
    "E506": lambda r: edit(r, SOURCE_MD, "¶3 Guest.", "¶5 Guest."),
    "E507": lambda r: edit(r, MANIFEST, "id: mini\n", "id: maxi\n"),
    "E508": lambda r: edit(r, "dialogue/mini/host/cross.yaml", "end: auto", "end: sulk"),
    "E509": lambda r: shutil.rmtree(r / "dialogue"),
    "E510": lambda r: edit(r, MANIFEST, "format: 1", "format: 2"),
    "E512": lambda r: edit(r, MANIFEST, 'sources: [tea-book]', 'sources: [tea-bok]'),
    "E513": lambda r: edit(r, MANIFEST, "- [guest]", "- [guest, stalin]"),
    "E514": lambda r: edit(r, MANIFEST, "flag: flag_tea.png", "flag: flag_coffee.png"),
    "E515": lambda r: edit(r, MANIFEST, 'epilogue: "Not so."}', 'epilogue: "Not so.", objectives: {host.tea: not met}}'),
    "E515-forced": lambda r: edit(r, "dialogue/mini/host/cross.yaml", "end: auto", "end: tea"),
    "E516": lambda r: edit(r, MANIFEST, "objectives: {host.tea: met}", "objectives: {host.teas: met}"),
    "W001": lambda r: write(r, "dialogue/mini/common/._main.yaml", b"\x00\x05\x16\x07Mac OS X"),
    "W002": lambda r: write(r, "dialogue/mini/common/Extra.YAML", "nodes: []\n"),
    "W003": lambda r: (   # a million cups compared with the warmth: the points tried do not decide it
        edit(r, MANIFEST, "  - {id: tea, type: bool", "  - {id: cups, type: int, default: 0, min: 0, max: 1000000}\n"
                                                      "  - {id: tea, type: bool"),
        edit(r, MANIFEST, 'met: "tea"', 'met: "tea and cups + 2 >= warmth"'),
        edit(r, MANIFEST, ", objectives: {host.tea: not met}", ""),
    ),
    "W004": lambda r: write(r, "scenarios/mini/glossary.yaml",
                            'entries:\n  - {id: samovar, term: "samovar", text: "An urn for tea.", sources: ["¶4"]}\n'),
}
