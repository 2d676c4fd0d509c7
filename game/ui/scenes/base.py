"""What every scene shares: buttons with keyboard focus, number keys, clicks, Esc to go back."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from ..widgets.button import Button

if TYPE_CHECKING:
    from ..app import App

ACTIVATE = (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE)
NUMBER_KEYS = {getattr(pygame, f"K_{i}"): i for i in range(1, 10)} | {getattr(pygame, f"K_KP{i}"): i for i in range(1, 10)}


class Scene:
    """A screen. Subclasses build `self.buttons` in `layout()` and draw in `draw()`."""

    name = "scene"
    arrows_move_focus = True

    def __init__(self, app: App):
        self.app = app
        self.buttons: list[Button] = []
        self.focus = 0

    # --- lifecycle ----------------------------------------------------------------------------

    def layout(self) -> None:
        """Build widgets and cached surfaces for the current window size, theme and text size."""

    def enter(self) -> None:
        self.layout()

    def update(self, dt: float) -> bool:
        """Advance animations; True while something moves (the app keeps drawing)."""
        return False

    def draw(self, surface: pygame.Surface) -> None:
        self.draw_buttons(surface)

    def back(self) -> None:
        self.app.pop()

    # --- shared helpers -----------------------------------------------------------------------

    @property
    def ui(self):
        return self.app

    def place_buttons(self) -> None:
        for button in self.buttons:
            button.place(self.app)
        enabled = [i for i, b in enumerate(self.buttons) if b.enabled]
        if enabled and (self.focus >= len(self.buttons) or not self.buttons[self.focus].enabled):
            self.focus = enabled[0]

    def draw_buttons(self, surface: pygame.Surface) -> None:
        for i, button in enumerate(self.buttons):
            button.draw(surface, self.app, focused=(i == self.focus and self.app.show_focus))

    def move_focus(self, step: int) -> None:
        enabled = [i for i, b in enumerate(self.buttons) if b.enabled]
        if not enabled:
            return
        if self.focus not in enabled:
            self.focus = enabled[0]
            return
        self.focus = enabled[(enabled.index(self.focus) + step) % len(enabled)]

    def activate(self, button: Button) -> None:
        if button.enabled:
            button.action()

    def handle(self, event: pygame.event.Event) -> None:
        self.handle_buttons(event)

    def handle_buttons(self, event: pygame.event.Event) -> bool:
        """Default focus, keys and clicks; True when the event was used."""
        if event.type == pygame.KEYDOWN:
            shift = bool(event.mod & pygame.KMOD_SHIFT)
            if event.key == pygame.K_TAB:
                self.app.show_focus = True
                self.move_focus(-1 if shift else 1)
                return True
            if self.arrows_move_focus and event.key in (pygame.K_DOWN, pygame.K_RIGHT):
                self.app.show_focus = True
                self.move_focus(1)
                return True
            if self.arrows_move_focus and event.key in (pygame.K_UP, pygame.K_LEFT):
                self.app.show_focus = True
                self.move_focus(-1)
                return True
            if event.key in ACTIVATE and self.buttons and 0 <= self.focus < len(self.buttons):
                self.activate(self.buttons[self.focus])
                return True
            if event.key in NUMBER_KEYS:
                for button in self.buttons:
                    if button.number == NUMBER_KEYS[event.key]:
                        self.activate(button)
                        return True
            if event.key in (pygame.K_ESCAPE, pygame.K_BACKSPACE):
                self.back()
                return True
        elif event.type == pygame.MOUSEMOTION:
            for i, button in enumerate(self.buttons):
                if button.hit(event.pos):
                    if self.focus != i:
                        self.focus = i
                        self.app.show_focus = True
                    return True
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            for i, button in enumerate(self.buttons):
                if button.hit(event.pos):
                    self.focus = i
                    self.activate(button)
                    return True
        return False

    # --- drawing helpers ----------------------------------------------------------------------

    def paper(self, surface: pygame.Surface, design: tuple[float, float, float, float]) -> pygame.Rect:
        """A sheet of the memo paper, with a soft shadow; returns its pixel rectangle."""
        rect = self.app.viewport.rect(*design)
        shadow = rect.move(self.app.viewport.px(6), self.app.viewport.px(8))
        pygame.draw.rect(surface, (0, 0, 0), shadow, border_radius=self.app.viewport.px(4))
        texture = self.app.texture("paper.png", rect.size)
        if texture is not None:
            surface.blit(texture, rect)
        else:
            pygame.draw.rect(surface, self.app.theme.paper, rect)
        pygame.draw.rect(surface, self.app.theme.paper_edge, rect, width=max(1, self.app.viewport.px(2)))
        return rect

    def text(self, surface: pygame.Surface, text: str, role: str, size: float, colour, pos: tuple[float, float],
             anchor: str = "topleft") -> pygame.Rect:
        rendered = self.app.render(text, role, size, colour)
        rect = rendered.get_rect(**{anchor: self.app.viewport.point(*pos)})
        surface.blit(rendered, rect)
        return rect
