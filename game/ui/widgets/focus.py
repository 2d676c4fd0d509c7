"""The focus ring of one screen: which button has the keyboard focus, which one the mouse is over,
and which widget an event goes to.

Keyboard focus and mouse hover are kept apart: nothing has the focus until the player moves it
with Tab or the arrows, and a mouse resting over a button only highlights it. So the Enter or
Space that continues the talks can never press a button the player did not pick. Clicks are the
buttons' own (Button.process_event): a click presses a button only if it began on that button
while the button was there.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from ..keys import action_of
from .button import Button


class FocusRing:
    """Focus, hover and event routing for a list of buttons (the scene's `buttons`)."""

    def __init__(self, on_move: Callable[[], None] = lambda: None) -> None:
        self.on_move = on_move   # called after Tab or an arrow moved the focus (the window starts drawing it)
        self.widgets: list[Button] = []
        self.focus: int | None = None    # keyboard focus: None until Tab or an arrow moves it
        self.hover: int | None = None    # the button under the mouse (a highlight only)
        self.primary: Button | None = None   # what Enter presses while nothing has the focus (never an option)
        self.extra = 0   # keyboard targets after the buttons (a document's links), numbered from len(widgets)

    def settle(self) -> None:
        """After the buttons were placed again: the mouse is over nothing yet, and a focus that
        fell on a missing or disabled button moves to the first one that can take it."""
        self.hover = None
        if self.focus is not None and (self.focus >= len(self.widgets) or not self.widgets[self.focus].enabled):
            enabled = self._enabled()
            self.focus = enabled[0] if enabled else None

    def _enabled(self) -> list[int]:
        return [i for i, b in enumerate(self.widgets) if b.enabled]

    def focused(self) -> Button | None:
        if self.focus is None or not 0 <= self.focus < len(self.widgets):
            return None
        return self.widgets[self.focus]

    def lit(self, index: int, show_focus: bool) -> bool:
        """Drawn highlighted: focused (while the window shows the focus) or under the mouse."""
        return (index == self.focus and show_focus) or index == self.hover

    def move(self, step: int) -> None:
        """Tab or an arrow: the next (or previous) enabled button, then the `extra` targets,
        round and round."""
        targets = self._enabled() + [len(self.widgets) + k for k in range(self.extra)]
        if not targets:
            return
        if self.focus not in targets:
            self.focus = targets[0] if step > 0 else targets[-1]
            return
        self.focus = targets[(targets.index(self.focus) + step) % len(targets)]

    def focus_on(self, button: Button) -> None:
        """Give `button` the keyboard focus (a screen rebuilt after a key press keeps its place)."""
        if button in self.widgets:
            self.focus = self.widgets.index(button)

    def process_event(self, event: pygame.event.Event, arrows: bool = True) -> bool:
        """Tab/arrows move the focus, Enter presses the focused button (or the primary one), the
        mouse lights what it is over, and presses, releases and number keys go to the buttons.
        True when the event was used."""
        if event.type == pygame.KEYDOWN:
            action = action_of(event)
            if action in ("focus_next", "focus_prev") or (arrows and action in ("down", "up")):
                self.move(1 if action in ("focus_next", "down") else -1)
                self.on_move()
                return True
            if action == "activate":
                button = self.focused()
                if button is None and self.primary in self.widgets:
                    button = self.primary
                if button is None:
                    return False
                button.press()
                return True
            return any(b.process_event(event) for b in list(self.widgets))
        if event.type == pygame.MOUSEMOTION:
            self.hover = next((i for i, b in enumerate(self.widgets) if b.hit(event.pos)), None)
            return self.hover is not None
        if event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            # every button sees it (each forgets a press released elsewhere); one at most fires
            used = False
            for button in list(self.widgets):
                used = button.process_event(event) or used
            return used
        return False
