"""A spoken line on the memo: wrapped, cut into pages of whole lines, typed out, its glossary terms
underlined and clickable.

A line longer than its box is shown a page at a time; the key or click that continues first
finishes the typing, then turns the page, and only after the last page moves the talks on (the
scene decides that part).
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from ..text import TextBlock


class PagedText:
    """The line's text in `rect`, a page at a time. A click inside it is either a glossary term
    (`on_term`) or a continue (`on_continue`)."""

    def __init__(self, on_term: Callable[[str], None], on_continue: Callable[[], None]):
        self.on_term = on_term
        self.on_continue = on_continue
        self.block: TextBlock | None = None
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.pages: list[tuple[int, int]] = []   # first and last line of each page
        self.page = 0
        self.reveal = 0.0      # characters shown so far while typing
        self.typing = False

    def show(self, block: TextBlock | None, rect: pygame.Rect, page: int = 0) -> None:
        """Lay `block` out in `rect`, on `page` if it still has that many (the same line laid out
        again after a resize keeps its place), else on its first."""
        self.block, self.rect = block, rect
        self.typing = False
        if block is None:
            self.pages, self.page = [], 0
            return
        per_page = max(1, rect.height // block.line_height)
        count = len(block.surfaces)
        self.pages = [(i, min(i + per_page, count) - 1) for i in range(0, count, per_page)] or [(0, 0)]
        self.page = min(page, len(self.pages) - 1)

    @property
    def more(self) -> bool:
        """Another page of this line is still to come."""
        return self.block is not None and self.page + 1 < len(self.pages)

    def start_typing(self, speed: float) -> None:
        """Type the current page from its first character (`speed` 0: all of it at once)."""
        if self.block is None or speed == 0:
            self.typing = False
            self.reveal = float(len(self.block.text)) if self.block else 0.0
            return
        first, _last = self.pages[self.page]
        self.reveal = float(self.block.line_starts[first])
        self.typing = True

    def skip(self) -> bool:
        """Finish the typing at once; False if there was none to finish."""
        if not self.typing:
            return False
        self.reveal = float(len(self.block.text)) if self.block else 0.0
        self.typing = False
        return True

    def turn(self, speed: float) -> bool:
        """The next page, typed out; False on the last page."""
        if not self.more:
            return False
        self.page += 1
        self.start_typing(speed)
        return True

    def update(self, dt: float, speed: float) -> bool:
        """Type on by `dt` seconds; True while typing (the window keeps drawing)."""
        if not self.typing or self.block is None:
            return False
        self.reveal += dt * speed
        _first, last = self.pages[self.page]
        end = self.block.line_starts[last + 1] if last + 1 < len(self.block.line_starts) else len(self.block.text)
        if self.reveal >= end:
            self.reveal = float(len(self.block.text))
            self.typing = False
        return True

    def term_at(self, pos: tuple[int, int]) -> str | None:
        """The glossary term under a window point on the current page, if any."""
        if self.block is None or not self.rect.collidepoint(pos):
            return None
        first, _ = self.pages[self.page]
        y = pos[1] - self.rect.top + first * self.block.line_height
        return self.block.hit(pos[0] - self.rect.left, y)

    def process_event(self, event: pygame.event.Event) -> bool:
        """A click released on the text: its glossary term, or else continue."""
        if event.type != pygame.MOUSEBUTTONUP or event.button != 1 or self.block is None \
                or not self.rect.collidepoint(event.pos):
            return False
        term = self.term_at(event.pos)
        if term:
            self.on_term(term)
        else:
            self.on_continue()
        return True

    def draw(self, surface: pygame.Surface) -> None:
        """The current page, as far as it is typed (clipped to its whole lines)."""
        if self.block is None:
            return
        first, last = self.pages[self.page]
        clip = surface.get_clip()
        page = self.rect.copy()
        page.height = min(page.height, (last - first + 1) * self.block.line_height)
        surface.set_clip(page)
        top = self.rect.top - first * self.block.line_height
        self.block.draw(surface, self.rect.left, top, int(self.reveal) if self.typing else None)
        surface.set_clip(clip)

    def counter(self) -> str:
        """The page number for a line of several pages ("page 2 of 3  — continue for more"), else ""."""
        if len(self.pages) <= 1:
            return ""
        return f"page {self.page + 1} of {len(self.pages)}" + ("  — continue for more" if self.more else "")
