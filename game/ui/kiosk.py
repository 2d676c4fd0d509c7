"""Museum kiosk mode: the attract loop, the idle countdown, the full reset, and the admin chord.

The controller is driven by a clock it is given (tests pass a fake one). Visitors cannot leave:
window close and Alt+F4 (both arrive as QUIT) and Esc on the attract loop do nothing; only the
configured admin chord opens the admin screen, which can exit, and when the installer set an
`admin_pin`, the screen asks for it first. A reset leaves nothing of the last visitor: the
session, the settings they changed and every cached text are dropped. At the screen, five wrong
PINs lock the keypad for a minute. The config file and the PIN's hash are read and checked in
`game.session.kiosk_config`, with no pygame.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import pygame

from ..session.kiosk_config import KioskConfig
from .memory import release_free_memory
from .settings import Settings

MODIFIER_MASKS = {"ctrl": pygame.KMOD_CTRL, "alt": pygame.KMOD_ALT, "shift": pygame.KMOD_SHIFT}


def key_constant(name: str) -> int | None:
    """pygame's key code for a name like 'a', '7' or 'f12' (no display needed, unlike key_code)."""
    for candidate in (name, name.lower(), name.upper()):
        value = getattr(pygame, f"K_{candidate}", None)
        if isinstance(value, int):
            return value
    return None


def chord_keys(config: KioskConfig) -> tuple[int, int]:
    """(modifier mask, key) of the config's admin chord, as pygame reports a key press."""
    parts = config.admin_chord.lower().split("+")
    mods = 0
    for part in parts[:-1]:
        mods |= MODIFIER_MASKS[part]
    return mods, key_constant(parts[-1]) or pygame.K_UNKNOWN


@dataclass
class Kiosk:
    """The kiosk's controller: idle timing, resets, and the results summary for the admin screen.

    Sessions are recorded by the session layer (the app's results writer); the kiosk only makes
    sure a visit left unfinished is recorded as cut short when it resets."""

    config: KioskConfig
    clock: Callable[[], float] = time.monotonic
    last_input: float = 0.0
    countdown_until: float | None = None
    resets: int = 0
    last_reset_seconds: float = 0.0
    last_reset_cpu: float = 0.0
    results: object | None = None     # the app's results writer, for the admin screen's summary
    pin_failures: int = 0             # wrong PINs in a row (kept here: the admin screen is made anew each time)
    pin_locked_until: float = 0.0

    def visitor_settings(self) -> Settings:
        """What every visitor starts with; a reset puts them back, whatever the last visitor changed."""
        return Settings(text_size=self.config.text_size, fullscreen=True, typing="fast")

    def is_admin_chord(self, event: pygame.event.Event) -> bool:
        mods, key = chord_keys(self.config)
        return event.type == pygame.KEYDOWN and event.key == key and all(
            event.mod & m for m in MODIFIER_MASKS.values() if mods & m)

    def touched(self) -> None:
        self.last_input = self.clock()

    def tick(self, app) -> bool:
        """Called on every pass of the loop; True when the screen must be redrawn."""
        now = self.clock()
        if app.scene.name in ("attract", "admin", "one-moment"):
            return False
        if self.countdown_until is not None:  # the countdown scene redraws itself through its tick
            if now >= self.countdown_until:
                self.reset(app)
                return True
            return False
        if now - self.last_input >= self.config.idle_timeout:
            self.countdown_until = now + self.config.countdown
            app.go("still-there", kiosk=self)
            return True
        return False

    def stay(self, app) -> None:
        self.countdown_until = None
        self.touched()
        app.pop()

    def reset(self, app) -> None:
        """Back to the attract loop with nothing of the last visitor left: the visit is recorded as
        cut short if it did not finish, and the settings and the window mode are restored."""
        start, cpu = time.perf_counter(), time.process_time()
        app.end_session()
        self.countdown_until = None
        app.settings = self.visitor_settings()
        app.scenes.clear()
        app.restore_window_mode()
        app.relayout()
        app.go("attract", kiosk=self)
        release_free_memory()
        self.resets += 1
        self.last_reset_seconds = time.perf_counter() - start
        self.last_reset_cpu = time.process_time() - cpu

    def visit_over(self, app) -> None:
        """A visitor reached the end (already recorded as finished): back to the attract loop."""
        self.reset(app)

    def summary(self) -> list[str]:
        lines = [f"Resets since start: {self.resets}",
                 f"Last reset took {self.last_reset_seconds * 1000:.0f} ms ({self.last_reset_cpu * 1000:.0f} ms of CPU)"]
        summary = getattr(self.results, "summary", None)
        if callable(summary):
            try:
                lines += summary()
            except Exception as exc:  # a damaged results file must not lock the admin out
                lines.append(f"Results unavailable: {exc}")
        else:
            lines.append("Results are not recorded on this kiosk.")
        return lines
