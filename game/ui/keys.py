"""One key table for the whole window: each key means one thing on every screen.

Scenes ask `action_of(event)` what a key press means instead of testing key codes themselves, so
Space cannot scroll on one screen and press a button on another. The README's key list is made
from `KEYS` (`key_help()`), so the documentation cannot drift from the game.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame


@dataclass(frozen=True)
class Binding:
    action: str
    keys: tuple[int, ...]
    names: str          # as the README and the help show them
    meaning: str
    shift: bool | None = None   # True: only with Shift; False: only without; None: either


NUMBERS = tuple(getattr(pygame, f"K_{i}") for i in range(1, 10)) + tuple(getattr(pygame, f"K_KP{i}") for i in range(1, 10))

KEYS: tuple[Binding, ...] = (
    Binding("activate", (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE), "Enter or Space",
            "continue the talks; press the focused button or link"),
    Binding("number", NUMBERS, "1–9", "choose that option (or press the button with that number)"),
    Binding("focus_prev", (pygame.K_TAB,), "Shift+Tab", "move the focus back", shift=True),
    Binding("focus_next", (pygame.K_TAB,), "Tab", "move the focus to the next button or link", shift=False),
    Binding("down", (pygame.K_DOWN, pygame.K_RIGHT), "↓ →", "next button; on a page, scroll down"),
    Binding("up", (pygame.K_UP, pygame.K_LEFT), "↑ ←", "previous button; on a page, scroll up"),
    Binding("page_down", (pygame.K_PAGEDOWN,), "Page Down", "scroll a page down"),
    Binding("page_up", (pygame.K_PAGEUP,), "Page Up", "scroll a page up"),
    Binding("home", (pygame.K_HOME,), "Home", "to the top of a page"),
    Binding("end", (pygame.K_END,), "End", "to the end of a page"),
    Binding("go_back", (pygame.K_b,), "B", "back to the last choice"),
    Binding("backlog", (pygame.K_l,), "L", "what was said so far"),
    Binding("source", (pygame.K_s,), "S", "the source of the line on the table"),
    Binding("glossary", (pygame.K_g,), "G", "the glossary"),
    Binding("escape", (pygame.K_ESCAPE,), "Esc", "the menu during the talks; elsewhere, back"),
    Binding("fullscreen", (pygame.K_F11,), "F11", "fullscreen on or off (not in a kiosk)"),
)


def action_of(event: pygame.event.Event) -> str | None:
    """The action a KEYDOWN event means, or None."""
    if event.type != pygame.KEYDOWN:
        return None
    shift = bool(getattr(event, "mod", 0) & pygame.KMOD_SHIFT)
    for binding in KEYS:
        if event.key in binding.keys and (binding.shift is None or binding.shift == shift):
            return binding.action
    return None


def number_of(event: pygame.event.Event) -> int | None:
    """1–9 for a number key (top row or keypad), else None."""
    if event.type != pygame.KEYDOWN or event.key not in NUMBERS:
        return None
    return NUMBERS.index(event.key) % 9 + 1


def key_help() -> list[str]:
    """The key list as the README shows it: `- **Enter or Space**: continue the talks; …`."""
    return [f"- **{b.names}**: {b.meaning}" for b in KEYS]
