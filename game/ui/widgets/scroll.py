"""A vertical scroll area: wheel, drag (mouse or finger), arrow keys, Page Up/Down, Home and End.

A scroll key is used even when the page is already at its end: it must never fall through to
the buttons (Space used to scroll here and press a button elsewhere; see keys.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from ..keys import action_of


@dataclass
class Scroll:
    view: pygame.Rect
    content_height: int = 0
    offset: int = 0
    _drag_from: int | None = None
    _drag_offset: int = 0

    @property
    def max_offset(self) -> int:
        return max(0, self.content_height - self.view.height)

    def clamp(self) -> None:
        self.offset = max(0, min(self.offset, self.max_offset))

    def scroll_to(self, y: int) -> None:
        self.offset = y
        self.clamp()

    def handle(self, event: pygame.event.Event) -> bool:
        """True if the event was a scroll (so the scene redraws and nothing else takes it)."""
        before = self.offset
        step = max(40, self.view.height // 10)
        if event.type == pygame.MOUSEWHEEL:
            self.offset -= int(event.y * step)
        elif event.type == pygame.KEYDOWN:
            action = action_of(event)
            if action == "down":
                self.offset += step
            elif action == "up":
                self.offset -= step
            elif action == "page_down":
                self.offset += self.view.height - step
            elif action == "page_up":
                self.offset -= self.view.height - step
            elif action == "home":
                self.offset = 0
            elif action == "end":
                self.offset = self.max_offset
            else:
                return False
            self.clamp()
            return True
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.view.collidepoint(event.pos):
            self._drag_from, self._drag_offset = event.pos[1], self.offset
        elif event.type == pygame.MOUSEMOTION and self._drag_from is not None and event.buttons[0]:
            self.offset = self._drag_offset - (event.pos[1] - self._drag_from)
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            moved = self._drag_from is not None and abs(event.pos[1] - self._drag_from) > 12
            self._drag_from = None
            if moved:
                return True
        self.clamp()
        return self.offset != before

    def draw_bar(self, target: pygame.Surface, colour: tuple[int, int, int], width: int) -> None:
        if self.max_offset <= 0:
            return
        track = self.view.height
        size = max(width * 3, track * self.view.height // max(1, self.content_height))
        top = self.view.top + (track - size) * self.offset // self.max_offset
        pygame.draw.rect(target, colour, pygame.Rect(self.view.right - width, top, width, size), border_radius=width // 2)
