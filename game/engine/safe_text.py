"""Characters that must never be shown as they are, and how to show text that holds them.

Content, file names and YAML keys are untrusted. A terminal obeys ESC and OSC sequences; a bidi
override reorders what a reader sees; zero-width and invisible characters hide text; a newline
inside a line prints a second, forged line; NUL crashes the font renderer. `validate` rejects
these characters in content (E108), and every output escapes or replaces whatever gets through.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls, DEL, C1 controls, the Arabic letter mark, the Mongolian vowel separator, zero-width
# and bidi marks, line and paragraph separators, bidi embeddings, overrides and isolates,
# invisible operators, the byte-order mark, interlinear annotations, noncharacters, tag
# characters (invisible "ASCII smuggling") and lone surrogates (undecodable file names).
_OTHERS = (
    "\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
    "\ufffe\uffff\U000e0000-\U000e007f\ud800-\udfff"
)
UNSAFE = re.compile(f"[\x00-\x1f{_OTHERS}]")
UNSAFE_BUT_NEWLINE = re.compile(f"[\x00-\x09\x0b-\x1f{_OTHERS}]")
LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
REPLACEMENT = "\ufffd"


def char_name(ch: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`: how a diagnostic names an unsafe character."""
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:
        return f"the byte 0x{code - 0xDC00:02x} (not UTF-8)"
    name = unicodedata.name(ch, "") or {0x0A: "LINE FEED", 0x09: "TAB", 0x0D: "CARRIAGE RETURN",
                                        0x1B: "ESCAPE", 0x00: "NUL"}.get(code, "control character")
    return f"U+{code:04X} {name}"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:        # a byte of an undecodable file name (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: str) -> str:
    """One line of text with every unsafe character spelt out (`\\x1b`, `\\u202e`): for
    diagnostics and file names, where an author needs to see exactly what is there."""
    return UNSAFE.sub(_escape, text)


def terminal_safe(text: str) -> str:
    """Text for a terminal with its own line breaks kept: every other unsafe character becomes
    U+FFFD, so no escape sequence, bidi override or invisible character reaches the screen."""
    return UNSAFE_BUT_NEWLINE.sub(REPLACEMENT, text)


def one_line(text: str) -> str:
    """Content text that must stay on one output line: line breaks become spaces, the rest of
    the unsafe characters U+FFFD."""
    return UNSAFE.sub(REPLACEMENT, LINE_BREAKS.sub(" ", text))


def first_unsafe(text: str, newlines: bool = False) -> tuple[int, str] | None:
    """(index, character) of the first character `validate` refuses in a text field."""
    m = (UNSAFE_BUT_NEWLINE if newlines else UNSAFE).search(text)
    return (m.start(), m.group()) if m else None


def shorten(text: str, limit: int = 60) -> str:
    """A value quoted in a message: long values are cut, so a diagnostic stays one short line."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
