"""Word-wrapped text with highlighted spans (glossary terms), rendered once and reused.

A `TextBlock` is laid out for a width and rendered to one surface per line; it remembers where
each span landed so clicks on a glossary term can be hit-tested. Nothing re-renders text that did
not change: the scene keeps the block until its text, width, font or colours change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from ..engine.safe_text import UNSAFE_BUT_NEWLINE

# One line drawn whole (a title, a label) is cut here: a 400,000-character title would need a
# surface of gigabytes. Validated content never comes near it (titles hold at most 200).
MAX_LINE = 2_000


def sanitize(text: str, newlines: bool = False) -> str:
    """Text safe to draw: the characters that must never reach the font renderer (C0 and C1
    controls, NUL crashes SDL_ttf; bidi overrides and isolates, which reorder a line; zero-width
    and other invisible characters; see engine/safe_text.py) become U+FFFD, one for one, so span
    positions still hold; tabs and (unless kept) line breaks become spaces. One line (without
    `newlines`) is cut to MAX_LINE characters."""
    text = text.replace("\t", " ")
    if not newlines:
        text = text.replace("\r", " ").replace("\n", " ")
        if len(text) > MAX_LINE:
            text = text[: MAX_LINE - 1] + "…"
    return UNSAFE_BUT_NEWLINE.sub("\ufffd", text)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    key: str


@dataclass
class _Piece:
    text: str
    span: str | None


_WRAPPED: dict[tuple[pygame.font.Font, str, int], tuple[str, ...]] = {}


def wrap_words(font: pygame.font.Font, text: str, width: int) -> list[str]:
    """`_wrap` remembered per font, text and width: the source and glossary are wrapped again
    each time they are opened, and wrapping the whole record costs more than drawing it."""
    key = (font, text, width)
    lines = _WRAPPED.get(key)
    if lines is None:
        if len(_WRAPPED) > 20_000:
            _WRAPPED.clear()
        lines = _WRAPPED[key] = tuple(_wrap(font, text, width))
    return list(lines)


def _wrap(font: pygame.font.Font, text: str, width: int) -> list[str]:
    """Greedy word wrap by rendered width; words wider than a line are cut (`split_word`).

    Each word is measured once and a line's width estimated as the sum of its words and spaces;
    only a line that comes near the edge is measured whole (kerning and italic overhang make the
    sum off by a few pixels), so no line is ever wider than `width` and wrapping the whole record
    takes about a quarter of the time of measuring every trial line. The time is linear in the
    length of the text, whatever its words: an unbroken 5,000-character word costs no more than
    5,000 characters of prose.
    """
    size = font.size
    space = size(" ")[0]
    near = max(4, font.get_height() // 2)
    measured: dict[str, int] = {}
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current, current_w = "", 0
        for word in paragraph.split(" "):
            word_w = measured.get(word)
            if word_w is None:
                word_w = measured[word] = size(word)[0]
            trial = f"{current} {word}" if current else word
            estimate = current_w + space + word_w if current else word_w
            if estimate < width - near:
                current, current_w = trial, estimate
                continue
            if estimate <= width + near:
                exact = size(trial)[0]
                if exact <= width:
                    current, current_w = trial, exact
                    continue
            if current:
                lines.append(current)
            if word_w > width and len(word) > 1:
                pieces = split_word(font, word, width)
                lines += pieces[:-1]
                word = pieces[-1]
                word_w = size(word)[0]
            current, current_w = word, word_w
        lines.append(current)
    return lines


def split_word(font: pygame.font.Font, word: str, width: int) -> list[str]:
    """Cut a word wider than `width` into pieces that fit (the last may be shorter), in one pass.

    The advances of all its characters come from one call; a piece is cut where they add up to
    the width, then measured once whole (kerning can make it a little wider) and shortened, in
    the rare case it does not fit, by a search over its own length only. A piece is at least one
    character, so a glyph wider than the line still makes progress.
    """
    advances = [m[4] if m else 0 for m in font.metrics(word)]
    if len(advances) != len(word):   # characters outside the font's plane: measure them one by one
        advances = [font.size(ch)[0] for ch in word]
    pieces: list[str] = []
    start, total = 0, 0
    for i, advance in enumerate(advances):
        if total + advance > width and i > start:
            start = _fit(font, word, start, i, width, pieces)
            total = sum(advances[start:i])
        total += advance
    while len(word) - start > 1 and font.size(word[start:])[0] > width:
        start = _fit(font, word, start, len(word), width, pieces)
    pieces.append(word[start:])
    return pieces


def _fit(font: pygame.font.Font, word: str, start: int, end: int, width: int, pieces: list[str]) -> int:
    """Append the longest piece word[start:cut] (cut <= end) that fits; return cut."""
    cut = end
    if font.size(word[start:cut])[0] > width:
        lo, hi = start + 1, cut - 1          # word[start:lo] always goes: one character at least
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if font.size(word[start:mid])[0] <= width:
                lo = mid
            else:
                hi = mid - 1
        cut = lo
    pieces.append(word[start:cut])
    return cut


@dataclass
class TextBlock:
    text: str
    font: pygame.font.Font
    colour: tuple[int, int, int]
    width: int
    spans: list[Span] = field(default_factory=list)
    span_colour: tuple[int, int, int] | None = None
    line_gap: float = 0.25
    surfaces: list[pygame.Surface] = field(init=False, default_factory=list)
    hot: list[tuple[pygame.Rect, str]] = field(init=False, default_factory=list)
    line_starts: list[int] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.text = sanitize(self.text, newlines=True)   # same length: span positions still hold
        self._layout()

    @property
    def line_height(self) -> int:
        return round(self.font.get_linesize() * (1 + self.line_gap))

    @property
    def height(self) -> int:
        return self.line_height * len(self.surfaces)

    def _layout(self) -> None:
        lines = wrap_words(self.font, self.text, self.width)
        pos = 0
        for index, line in enumerate(lines):
            start = self.text.find(line, pos) if line else pos
            start = pos if start < 0 else start
            self.line_starts.append(start)
            pos = start + len(line)
            self.surfaces.append(self._render_line(line, start, index))

    def _render_line(self, line: str, start: int, index: int) -> pygame.Surface:
        pieces = self._pieces(line, start)
        if len(pieces) == 1 and pieces[0].span is None:
            return self.font.render(line, True, self.colour)
        height = self.font.get_linesize()
        colours = [self.span_colour if piece.span and self.span_colour else self.colour for piece in pieces]
        rendered_pieces = [self.font.render(piece.text, True, colour) for piece, colour in zip(pieces, colours, strict=True)]
        # Pieces rendered one by one are wider than the line rendered whole (no kerning across a
        # cut, italic overhang at each end): size the line by the pieces, or its end is clipped.
        width = max(self.font.size(line)[0], sum(r.get_width() for r in rendered_pieces))
        surface = pygame.Surface((max(1, width), height), pygame.SRCALPHA)
        x = 0
        for piece, colour, rendered in zip(pieces, colours, rendered_pieces, strict=True):
            surface.blit(rendered, (x, 0))
            if piece.span:
                y = height - max(2, height // 14)
                pygame.draw.line(surface, colour, (x, y), (x + rendered.get_width(), y), max(1, height // 18))
                self.hot.append((pygame.Rect(x, index * self.line_height, rendered.get_width(), height), piece.span))
            x += rendered.get_width()
        return surface

    def _pieces(self, line: str, start: int) -> list[_Piece]:
        end = start + len(line)
        cuts = [s for s in self.spans if s.start < end and s.end > start]
        if not cuts:
            return [_Piece(line, None)]
        pieces, pos = [], start
        for span in cuts:
            a, b = max(span.start, start), min(span.end, end)
            if a > pos:
                pieces.append(_Piece(self.text[pos:a], None))
            pieces.append(_Piece(self.text[a:b], span.key))
            pos = b
        if pos < end:
            pieces.append(_Piece(self.text[pos:end], None))
        return pieces

    def draw(self, target: pygame.Surface, x: int, y: int, reveal: int | None = None) -> None:
        """Blit the block; with `reveal`, only its first `reveal` characters (typing effect)."""
        lh = self.line_height
        for i, surface in enumerate(self.surfaces):
            if reveal is not None:
                start = self.line_starts[i]
                if reveal <= start:
                    break
                line_end = self.line_starts[i + 1] if i + 1 < len(self.line_starts) else len(self.text)
                if reveal < line_end:
                    shown = self.font.size(self.text[start:reveal])[0]
                    target.blit(surface, (x, y + i * lh), pygame.Rect(0, 0, shown, surface.get_height()))
                    break
            target.blit(surface, (x, y + i * lh))

    def hit(self, x: int, y: int) -> str | None:
        """The span key under a point given relative to the block's top-left corner."""
        for rect, key in self.hot:
            if rect.collidepoint(x, y):
                return key
        return None
