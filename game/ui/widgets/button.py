"""A large button: mouse, touch (SDL turns taps into clicks) and keyboard (focus + Enter).

A button takes its own clicks and its number key (`process_event`, as pygame_gui's widgets do);
which button has the keyboard focus is the focus ring's business (focus.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pygame

from ..keys import number_of
from ..text import sanitize, wrap_words

MIN_TEXT = 24  # design px: the smallest text allowed at 1080p


@dataclass
class Button:
    design: tuple[float, float, float, float]      # x, y, w, h in design pixels
    label: str
    action: Callable[[], None]
    number: int | None = None                      # shown as "1", "2"… and reachable by that key
    enabled: bool = True
    font_role: str = "sans_bold"
    font_size: float = 30
    align: str = "center"
    selected: bool = False                         # the chosen one of a set (a length, a tab)
    id: str = ""    # what it is for ("continue", "option-2"): code and tests find a button by it, never by its words
    rect: pygame.Rect = field(default_factory=lambda: pygame.Rect(0, 0, 0, 0))
    _cache: dict = field(default_factory=dict, repr=False)
    _held: bool = field(default=False, repr=False)   # a mouse press began on this button, and is not released

    def place(self, ui) -> None:
        self.rect = ui.viewport.rect(*self.design)
        self._cache.clear()
        self._held = False

    def press(self) -> None:
        if self.enabled:
            self.action()

    def process_event(self, event: pygame.event.Event) -> bool:
        """A click pressed and released on this very button fires it (a press that began elsewhere,
        or on a button that was there before, never does), and so does its number key; True when
        the event was this button's. Every button must see every mouse press and release, so each
        forgets a press that ended elsewhere."""
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            self._held = self.hit(event.pos)
            return self._held
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            held, self._held = self._held, False
            if not self.hit(event.pos):
                return False
            if held:
                self.press()
            return True
        if self.number is not None and number_of(event) == self.number:
            self.press()
            return True
        return False

    def surface(self, ui, focused: bool) -> pygame.Surface:
        key = (focused, self.enabled, self.selected, self.rect.size, ui.theme.name)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        theme = ui.theme
        bg = theme.button_focus if focused or self.selected else theme.button
        fg = theme.button_focus_text if focused or self.selected else theme.button_text
        if not self.enabled:
            bg = tuple((c + 128) // 2 for c in theme.button)
        surf = pygame.Surface(self.rect.size, pygame.SRCALPHA)
        radius = ui.viewport.px(10)
        pygame.draw.rect(surf, bg, surf.get_rect(), border_radius=radius)
        if not ui.theme.use_textures and not focused:  # high contrast: a visible edge on black
            pygame.draw.rect(surf, fg, surf.get_rect(), width=max(2, ui.viewport.px(3)), border_radius=radius)
        if focused:
            pygame.draw.rect(surf, fg, surf.get_rect().inflate(-ui.viewport.px(8), -ui.viewport.px(8)),
                             width=max(2, ui.viewport.px(3)), border_radius=radius)
        font = ui.fonts.get(self.font_role, self.font_size)
        pad = ui.viewport.px(22)
        text_left = pad
        if self.number is not None:
            badge = font.render(f"{self.number}", True, fg)
            surf.blit(badge, (pad, (self.rect.height - badge.get_height()) // 2))
            text_left = pad + font.size("00")[0]
        width = self.rect.width - text_left - pad
        label = sanitize(self.label)
        lines = wrap_words(font, label, width)
        size = self.font_size
        height = self.rect.height - ui.viewport.px(8)
        words = set(label.split())
        # Shrink a long label step by step (never below 24 px at 1080p) while it splits a word,
        # runs to more than three lines or overflows the button's height.
        while size > MIN_TEXT and (len(lines) > 3 or len(lines) * font.get_linesize() > height
                                   or any(w not in words for line in lines for w in line.split())):
            size = max(MIN_TEXT, size * 0.9)
            font = ui.fonts.get(self.font_role, size)
            lines = wrap_words(font, label, width)
        lh = font.get_linesize()
        top = (self.rect.height - lh * len(lines)) // 2
        for i, line in enumerate(lines):
            rendered = font.render(line, True, fg)
            x = text_left if self.align == "left" or self.number is not None else (self.rect.width - rendered.get_width()) // 2
            surf.blit(rendered, (x, top + i * lh))
        self._cache[key] = surf
        return surf

    def draw(self, target: pygame.Surface, ui, focused: bool) -> None:
        target.blit(self.surface(ui, focused), self.rect.topleft)

    def hit(self, pos: tuple[int, int]) -> bool:
        return self.enabled and self.rect.collidepoint(pos)
