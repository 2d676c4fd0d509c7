"""Write docs/diagnostics.md from the table of codes (game/engine/diagnostic_codes.py): `make diagnostics-doc`.

The page is never edited by hand: each code's entry (title, what it means, its examples and the
exact line each produces, the fix) comes from its one definition, so the page cannot drift from
what `validate` prints. `--check` writes nothing and exits 1 when the committed page differs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.engine.diagnostic_codes import DEFINITIONS, WARNING, Code  # noqa: E402

PAGE = ROOT / "docs" / "diagnostics.md"
INTRO = """\
# Diagnostics

`python main.py validate` reports every problem as

```
path:line:col: CODE message
```

and exits 0 when the content is clean, 1 when it found problems, 2 when the command itself was
used wrongly (an unknown option, a `--content` folder that does not exist). It never prints a
traceback and never hangs. `play` refuses content with problems and prints the same lines.

**Errors and warnings.** Codes starting with `E` are errors: the content cannot be played until
they are fixed. Codes starting with `W` are warnings: something was skipped, or looks like a
mistake, and the content can still be played. Warnings are printed in the same
`path:line:col: CODE message` form, and `validate` exits 0 when there are only warnings (it says
how many on standard error).

**Untrusted files.** Content may come from a USB stick or a shared drive, so every message is one
line and shows what the file holds without obeying it: control characters, bidi overrides,
invisible characters and bytes of names that are not UTF-8 are spelt out (`\\x1b`, `\\u202e`,
`caf\\xe9.yaml`), and quoted values are cut after 60 characters. Only regular files inside the
content folder are read, and every size is checked before anything is read; the caps are in
`game/engine/limits.py`, each with its own code below.

Codes are stable: a code keeps its meaning in every version; a code that is no longer issued is
listed as retired, with what took its place. Each entry below has a small failing example and the
line it produces, word for word: the tests build each example from the tiny scenario in
`tests/fixtures/mini/` (the cases in `tests/diagnostic_cases.py`) and compare the line `validate`
prints with the one shown here.

This page is generated from the table of codes in `game/engine/diagnostic_codes.py` by
`make diagnostics-doc`; edit the table, not this page.

- `E0xx` — the file itself (reading, encoding, YAML, sizes of files and of the whole folder, images)
- `E1xx` — the shape of the content (keys, types, ids)
- `E2xx` — references (jumps, speakers, paragraphs, the verbatim rule)
- `E3xx` — conditions, effects and variables
- `E4xx` — the dialogue graph and choice points
- `E5xx` — the scenario, its source, paths, endings (and what they say about the objectives), glossary and presentation
- `Wxxx` — warnings: files skipped or not read, checks that could not try everything, glossary entries no line uses
"""


def fenced(text: str, lang: str = "") -> str:
    return f"```{lang}\n{text}\n```"


def entry(code: Code) -> str:
    """The page's section for one code."""
    title = f"**{code.title}** (a warning)." if code.severity == WARNING else f"**{code.title}.**"
    parts = [f"## {code.code}\n{title} {code.about}"]
    if code.retired:
        parts.append(f"**No longer issued:** {code.retired}")
    for example in code.examples:
        if example.before:
            parts.append(example.before)
        shown = [fenced(example.line)]
        if example.content:
            shown.insert(0, fenced(example.content, example.lang))
        parts.append("\n".join(shown))
        if example.after:
            parts.append(example.after)
    if code.fix:
        parts.append(f"Fix: {code.fix}")
    return "\n\n".join(parts)


def render() -> str:
    return INTRO + "\n---\n\n" + "\n\n".join(entry(c) for c in DEFINITIONS) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed page is not the generated one")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        if PAGE.read_text(encoding="utf-8") != text:
            print(f"{PAGE.relative_to(ROOT)} is out of date: run `make diagnostics-doc`", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
