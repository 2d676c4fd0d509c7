"""The primary source: the clean paragraph copy, and the checks that keep record lines verbatim.

The fidelity promise of the whole product rests here: a line marked `record` must be word for word
in the paragraphs it cites, and the clean copy must be word for word the source as received.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .diagnostics import Diagnostics, Origin
from .limits import MAX_DIGITS, MAX_PARAGRAPH
from .model import Paragraph
from .safe_text import char_name, first_unsafe

# ASCII digits only: `\d` would take ¶١ (Arabic-Indic one) for ¶1.
_PARA = re.compile(r"¶([0-9]+)(?:\s+|$)")
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})
_SPACES = re.compile(r"\s+")
ELLIPSIS = re.compile(r"\s+(?:…|\.\.\.)\s+")
REF = re.compile(r"^¶([0-9]+)$")
_LINES = re.compile(r"\r\n|\n|\r")


def normalise(text: str) -> str:
    """Fold quotes, dashes, ellipses and white space, as the verbatim rule allows."""
    text = text.translate(_FOLD).replace("…", "...")
    return _SPACES.sub(" ", text).strip()


def parse_source_md(text: str, shown: str, diags: Diagnostics) -> dict[int, Paragraph]:
    """Paragraph blocks `¶N text…`, separated by blank lines; `#` blocks are comments."""
    paragraphs: dict[int, Paragraph] = {}
    line_no = 0
    block: list[str] = []
    block_start = 1
    expected = 1

    def flush() -> None:
        nonlocal expected
        if not block:
            return
        first = block[0]
        origin = Origin(shown, block_start, 1)
        if first.startswith("#"):
            return
        m = _PARA.match(first)
        if not m:
            diags.add(origin, "E506", "start")
            return
        if len(m.group(1)) > MAX_DIGITS:
            diags.add(origin, "E107", "paragraph", digits=len(m.group(1)), limit=MAX_DIGITS)
            return
        number = int(m.group(1))
        if number != expected:
            diags.add(origin, "E506", "order", number=number, expected=expected)
        expected = number + 1
        body = _SPACES.sub(" ", " ".join([first[m.end():], *block[1:]])).strip()
        if _paragraph_ok(number, body, block, block_start, shown, diags):
            paragraphs[number] = Paragraph(number, body, origin)

    for raw in _LINES.split(text):   # not splitlines(): it would hide NEL, U+2028 and the like as line ends
        line_no += 1
        if raw.strip():
            if not block:
                block_start = line_no
            block.append(raw.strip())
        else:
            flush()
            block = []
    flush()
    if not paragraphs:
        diags.add(Origin(shown), "E506", "none")
    return paragraphs


def _paragraph_ok(number: int, body: str, block: list[str], start: int, shown: str, diags: Diagnostics) -> bool:
    """A paragraph is shown to players: no control, bidi or invisible characters, and a length cap."""
    if len(body) > MAX_PARAGRAPH:
        diags.add(Origin(shown, start, 1), "E109", "paragraph", number=number, length=len(body), limit=MAX_PARAGRAPH)
        return False
    for offset, line in enumerate(block):
        found = first_unsafe(line)
        if found is not None:
            index, ch = found
            diags.add(Origin(shown, start + offset, index + 1), "E108", "paragraph", number=number, char=char_name(ch))
            return False
    return True


def compare_with_received(paragraphs: dict[int, Paragraph], received: str) -> tuple[int, str] | None:
    """None if the clean copy is the received text (white space aside), else (¶, what differs)."""
    want = re.sub(r"\s+", "", received)
    pos = 0
    for number in sorted(paragraphs):
        got = re.sub(r"\s+", "", paragraphs[number].text)
        if want[pos:pos + len(got)] != got:
            i = next(
                (k for k in range(len(got)) if pos + k >= len(want) or want[pos + k] != got[k]),
                len(got),
            )
            return number, f"'{got[max(0, i - 20):i + 20]}' against '{want[pos + max(0, i - 20):pos + i + 20]}'"
        pos += len(got)
    if pos != len(want):
        return max(paragraphs, default=0), f"the received text goes on: '{want[pos:pos + 40]}'"
    return None


@dataclass(frozen=True)
class VerbatimFailure:
    piece: str
    matched: str


def check_verbatim(text: str, cited: list[str] | str, hint: bool = True) -> VerbatimFailure | None:
    """None if `text` (pieces joined by ' … ') occurs in order in the cited paragraphs
    (given as texts, or as one already normalised string). With `hint`, a failure says how much
    of the piece does agree (a search per halving: the validator asks it for a few lines only)."""
    haystack = cited if isinstance(cited, str) else normalise(" ".join(cited))
    pos = 0
    for raw in ELLIPSIS.split(" " + text.strip() + " "):
        piece = normalise(raw)
        if piece.startswith("..."):
            piece = piece[3:].lstrip()
        if piece.endswith("..."):
            piece = piece[:-3].rstrip()
        if not piece:
            continue
        found = haystack.find(piece, pos)
        if found < 0:
            return VerbatimFailure(piece, _longest_prefix(piece, haystack, pos) if hint else "")
        pos = found + len(piece)
    return None


def _longest_prefix(piece: str, haystack: str, pos: int) -> str:
    lo, hi = 0, len(piece)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if haystack.find(piece[:mid], pos) >= 0:
            lo = mid
        else:
            hi = mid - 1
    return piece[:lo]
