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
LOOKS_KEPT = 400   # label layouts kept by the app (a screen has at most a few dozen buttons)


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
    _held: bool = field(default=False, repr=False)   # a mouse press began on this button, and is not released

    def place(self, ui) -> None:
        self.rect = ui.viewport.rect(*self.design)
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

    def _text_layout(self, ui) -> tuple[float, list[str], int]:
        """The label's design size, its lines and their left edge (px inside the button), worked
        out once per label, size and scale and kept in the app's `ui.looks`: a scene makes new
        buttons at each layout, and wrapping the same bar again after every line added up."""
        key = (self.label, self.number, self.font_role, self.font_size, self.rect.size, ui.fonts.scale,
               ui.fonts.text_scale)
        cached = ui.looks.get(key)
        if cached is not None:
            return cached
        font = ui.fonts.get(self.font_role, self.font_size)
        pad = ui.viewport.px(22)
        text_left = pad + font.size("00")[0] if self.number is not None else pad
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
        if len(ui.looks) > LOOKS_KEPT:
            ui.looks.clear()
        ui.looks[key] = (size, lines, text_left)
        return size, lines, text_left

    def draw(self, target: pygame.Surface, ui, focused: bool, at: pygame.Rect | None = None) -> None:
        """Drawn straight onto `target` (at `self.rect`, or `at`): at 4K, a button painted on a
        surface of its own and then blitted cost three times as much, and a new choice's options
        are always new."""
        rect = self.rect if at is None else at
        theme = ui.theme
        bg = theme.button_focus if focused or self.selected else theme.button
        fg = theme.button_focus_text if focused or self.selected else theme.button_text
        if not self.enabled:
            bg = tuple((c + 128) // 2 for c in theme.button)
        radius = ui.viewport.px(10)
        pygame.draw.rect(target, bg, rect, border_radius=radius)
        if not ui.theme.use_textures and not focused:  # high contrast: a visible edge on black
            pygame.draw.rect(target, fg, rect, width=max(2, ui.viewport.px(3)), border_radius=radius)
        if focused:
            pygame.draw.rect(target, fg, rect.inflate(-ui.viewport.px(8), -ui.viewport.px(8)),
                             width=max(2, ui.viewport.px(3)), border_radius=radius)
        size, lines, text_left = self._text_layout(ui)
        clip = target.get_clip()
        target.set_clip(rect.clip(clip))   # a word too long even at the smallest size stays inside
        if self.number is not None:
            badge = ui.render(f"{self.number}", self.font_role, self.font_size, fg)
            target.blit(badge, (rect.x + ui.viewport.px(22), rect.y + (rect.height - badge.get_height()) // 2))
        lh = ui.fonts.get(self.font_role, size).get_linesize()
        top = (rect.height - lh * len(lines)) // 2
        for i, line in enumerate(lines):
            rendered = ui.render(line, self.font_role, size, fg)
            x = text_left if self.align == "left" or self.number is not None else (rect.width - rendered.get_width()) // 2
            target.blit(rendered, (rect.x + x, rect.y + top + i * lh))
        target.set_clip(clip)

    def surface(self, ui, focused: bool) -> pygame.Surface:
        """The button drawn on a surface of its own (tests read its pixels)."""
        surf = pygame.Surface(self.rect.size, pygame.SRCALPHA)
        self.draw(surf, ui, focused, at=surf.get_rect())
        return surf

    def hit(self, pos: tuple[int, int]) -> bool:
        return self.enabled and self.rect.collidepoint(pos)
