"""A choice point on the memo: whose turn it is, the prompt, and the numbered options below it.

The sheet is as tall as the prompt wraps plus the options; with large text it grows upwards over
the seating plan, so neither the prompt nor an option is ever hidden. A press that began before
the options appeared, or in the moment after (`GRACE`), never picks one: the key or click that
brought the choice up cannot also answer it.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from ..text import TextBlock
from ..theme import TOUCH_TARGET
from .button import Button
from .paper import draw_paper

GRACE = 0.35               # seconds after options appear in which a press is not taken as a pick
OPTION_MAX = 120           # design px: the tallest an option grows
OPTION_GAP = 12
HEAD = 66                  # design px: the "YOUR TURN" line above the prompt


class ChoicePanel:
    """The sheet of one choice point; `buttons` are its options, numbered from 1."""

    def __init__(self, left: float, width: float, top: float, top_min: float, bottom: float):
        self.left, self.width = left, width
        self.top, self.top_min, self.bottom = top, top_min, bottom   # design y: usual top, highest top, bottom
        self.design: tuple[float, float, float, float] = (left, top, width, bottom - top)
        self.prompt: TextBlock | None = None
        self.buttons: list[Button] = []
        self.since = 0.0     # when the options appeared (the app's clock)

    def layout(self, ui, prompt: str, labels: list[str], pick: Callable[[int], None], now: float) -> list[Button]:
        """The prompt as tall as it wraps, then one button per label; returns the option buttons."""
        scale = ui.viewport.scale
        self.prompt = TextBlock(prompt, ui.fonts.get("serif_bold", 34), ui.theme.ink, ui.viewport.px(self.width - 120))
        prompt_h = self.prompt.height / scale
        count = len(labels)
        option_h = OPTION_MAX
        needed = HEAD + prompt_h + 20 + count * (option_h + OPTION_GAP) + 12
        top = self.top
        if top + needed > self.bottom:
            option_h = max(TOUCH_TARGET, (self.bottom - top - HEAD - prompt_h - 32) / count - OPTION_GAP)
            needed = HEAD + prompt_h + 20 + count * (option_h + OPTION_GAP) + 12
            top = max(self.top_min, self.bottom - needed)
        self.design = (self.left, top, self.width, self.bottom - top)
        first = top + HEAD + prompt_h + 20
        self.buttons = [Button((self.left + 60, first + i * (option_h + OPTION_GAP), self.width - 120, option_h),
                               label, lambda i=i: pick(i), number=i + 1, font_role="serif", font_size=31,
                               align="left", id=f"option-{i + 1}")
                        for i, label in enumerate(labels)]
        self.since = now
        return self.buttons

    def process_event(self, event: pygame.event.Event, now: float) -> bool:
        """Presses on an option in their first moment on screen are taken and ignored; later ones
        go to the options, which pick only on a release over the option the press began on."""
        if event.type not in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP) or event.button != 1:
            return False
        on_option = any(b.hit(event.pos) for b in self.buttons)
        if event.type == pygame.MOUSEBUTTONDOWN and now - self.since < GRACE:
            return on_option
        used = False
        for button in list(self.buttons):
            used = button.process_event(event) or used
        return used or on_option

    def draw(self, surface: pygame.Surface, ui, head: str, hint: str) -> None:
        """The sheet, whose turn (`head`), the prompt and how to answer (`hint`); the option
        buttons are drawn with the scene's other buttons."""
        theme = ui.theme
        x, y, w, _h = self.design
        draw_paper(ui, surface, self.design)
        surface.blit(ui.render(head.upper(), "mono_bold", 26, theme.accent), ui.viewport.point(x + 60, y + 26))
        if self.prompt is not None:
            self.prompt.draw(surface, *ui.viewport.point(x + 60, y + 66))
        rendered = ui.render(hint, "sans", 24, theme.ink_soft)
        surface.blit(rendered, rendered.get_rect(topright=ui.viewport.point(x + w - 60, y + 30)))

    def prompt_rect(self, ui) -> pygame.Rect:
        """Where the prompt is drawn (tests check that no option covers it)."""
        x, y, _w, _h = self.design
        left, top = ui.viewport.point(x + 60, y + 66)
        if self.prompt is None:
            return pygame.Rect(left, top, 0, 0)
        return pygame.Rect(left, top, self.prompt.width, self.prompt.height)
