"""Museum kiosk mode: the attract loop, the idle countdown, the full reset, and the admin chord.

The controller is driven by a clock it is given (tests pass a fake one). Visitors cannot leave:
window close and Alt+F4 (both arrive as QUIT) and Esc on the attract loop do nothing; only the
configured admin chord opens the admin screen, which can exit, and when the installer set an
`admin_pin`, the screen asks for it first. A reset leaves nothing of the last visitor: the
session, the settings they changed and every cached text are dropped.

The PIN is kept in kiosk.yaml only as a salted PBKDF2-SHA256 hash (`hash_pin`), never as digits:
the file is often copied between kiosks, backed up or shared, and a hash that costs a second to
try makes guessing even a six-digit PIN from a copy of the file take days. At the screen, five
wrong PINs lock the keypad for a minute.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pygame

from ..engine.diagnostics import Diagnostics, Origin
from ..engine.fields import ID, Fields
from ..engine.yaml_reader import YMap, load_yaml_file
from .settings import Settings

MODIFIERS = {"ctrl": pygame.KMOD_CTRL, "alt": pygame.KMOD_ALT, "shift": pygame.KMOD_SHIFT}
PIN_ITERATIONS = 600_000
PIN_DIGITS = (4, 12)
PIN_TRIES = 5                # wrong PINs in a row before the keypad waits
PIN_LOCK_SECONDS = 60.0
_PIN_HASH = re.compile(r"^pbkdf2-sha256\$(?P<n>[0-9]{4,7})\$(?P<salt>[0-9a-f]{32})\$(?P<hash>[0-9a-f]{64})$")


def hash_pin(pin: str, iterations: int = PIN_ITERATIONS, salt: bytes | None = None) -> str:
    """The text to put in kiosk.yaml as `admin_pin` (see docs/kiosk.md): never the PIN itself."""
    if not valid_pin(pin):
        raise ValueError(f"a PIN is {PIN_DIGITS[0]} to {PIN_DIGITS[1]} digits")
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("ascii"), salt, iterations)
    return f"pbkdf2-sha256${iterations}${salt.hex()}${digest.hex()}"


def valid_pin(pin: str) -> bool:
    return pin.isascii() and pin.isdigit() and PIN_DIGITS[0] <= len(pin) <= PIN_DIGITS[1]


def check_pin(pin: str, stored: str) -> bool:
    """Whether `pin` is the one `stored` (a hash_pin text) was made from; constant-time compare."""
    m = _PIN_HASH.match(stored)
    if m is None or not valid_pin(pin):
        return False
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("ascii"), bytes.fromhex(m["salt"]), int(m["n"]))
    return hmac.compare_digest(digest.hex(), m["hash"])


def key_constant(name: str) -> int | None:
    """pygame's key code for a name like 'a', '7' or 'f12' (no display needed, unlike key_code)."""
    for candidate in (name, name.lower(), name.upper()):
        value = getattr(pygame, f"K_{candidate}", None)
        if isinstance(value, int):
            return value
    return None


@dataclass
class KioskConfig:
    idle_timeout: float = 90.0
    countdown: float = 15.0
    path: str | None = None               # None: the scenario's own (presentation.kiosk, else its shortest)
    roles: tuple[str, ...] | None = None  # None: the scenario's own (presentation.kiosk, else all its roles)
    results: bool = True
    admin_chord: str = "ctrl+alt+shift+a"
    quote_seconds: float = 9.0
    text_size: str = "large"
    admin_pin: str = ""           # a hash_pin text; "" when the installer set no PIN

    def path_for(self, scenario) -> str:
        """The path visitors play: this config's, else the one the scenario names for kiosks."""
        from ..engine.presentation import kiosk_path

        return self.path if self.path is not None else kiosk_path(scenario)

    def roles_for(self, scenario) -> tuple[str, ...]:
        """The chairs offered: this config's, else the scenario's kiosk roles."""
        return self.roles if self.roles is not None else scenario.presentation.kiosk_roles

    def chord(self) -> tuple[int, int]:
        """(modifier mask, key) of the admin chord."""
        parts = self.admin_chord.lower().split("+")
        mods = 0
        for part in parts[:-1]:
            mods |= MODIFIERS[part]
        return mods, key_constant(parts[-1]) or pygame.K_UNKNOWN


def load_kiosk_config(path: Path | None, shown: str | None = None) -> tuple[KioskConfig, Diagnostics]:
    """Read and check a kiosk config file (YAML, checked like content, same diagnostics)."""
    config = KioskConfig()
    diags = Diagnostics()
    if path is None:
        return config, diags
    shown = shown or str(path)
    data = load_yaml_file(path, shown, diags)
    if data is None:
        return config, diags
    if not isinstance(data, YMap):
        diags.add(Origin(shown), "E101", "the kiosk config must be a map of settings")
        return config, diags
    f = Fields(data, diags, "the kiosk config", (),
               ("idle_timeout", "countdown", "path", "roles", "results", "admin_chord", "quote_seconds", "text_size",
                "admin_pin"))
    for key, low, high in (("idle_timeout", 10, 3600), ("countdown", 5, 300), ("quote_seconds", 3, 120)):
        value = f.integer(key)
        if value is not None:
            if not low <= value <= high:
                diags.add(f.where(key), "E106", f"'{key}' must be from {low} to {high} seconds")
            else:
                setattr(config, key, float(value))
    if f.has("path"):
        config.path = f.ident("path") or config.path
    if f.has("roles"):
        config.roles = _roles(f, diags) or config.roles
    config.results = f.boolean("results", config.results)
    if f.has("text_size"):
        size = f.text("text_size") or ""
        if size not in ("normal", "large", "largest"):
            diags.add(f.where("text_size"), "E106", "'text_size' is normal, large or largest")
        else:
            config.text_size = size
    if f.has("admin_chord"):
        chord = f.text("admin_chord") or ""
        if chord_problem(chord):
            diags.add(f.where("admin_chord"), "E106", f"'admin_chord' {chord_problem(chord)}: give at least two "
                                                      "different ones of ctrl/alt/shift and a key, like 'ctrl+alt+shift+a'")
        else:
            config.admin_chord = chord
    if f.has("admin_pin"):
        pin = data.get("admin_pin")
        if isinstance(pin, str) and _PIN_HASH.match(pin.strip()):
            config.admin_pin = pin.strip()
        else:
            diags.add(f.where("admin_pin"), "E106", "'admin_pin' must be the text that hash_pin makes from the PIN "
                                                    "(pbkdf2-sha256$…), never the digits themselves; see docs/kiosk.md")
    return config, diags


def chord_problem(chord: str) -> str | None:
    """Why a chord cannot be used (`shift+shift+a` is only Shift+A), or None."""
    parts = chord.lower().split("+")
    modifiers, key = parts[:-1], parts[-1]
    if any(p not in MODIFIERS for p in modifiers):
        return "names a modifier other than ctrl, alt and shift"
    if len(set(modifiers)) != len(modifiers):
        return "names a modifier twice"
    if len(modifiers) < 2:
        return "has fewer than two modifiers"
    if key in MODIFIERS or key_constant(key) is None:
        return f"ends in '{key[:20]}', which is not a key"
    return None


def _roles(f: Fields, diags: Diagnostics) -> tuple[str, ...]:
    """The chairs offered, each once, each an id."""
    roles = f.strings("roles")
    if not roles:
        diags.add(f.where("roles"), "E106", "'roles' needs at least one role (a role id of the scenario, or both)")
        return ()
    for i, role in enumerate(roles):
        if not ID.match(role):
            diags.add(f.where("roles"), "E106", f"'{role[:40]}' in 'roles' is not a role id")
            return ()
        if role in roles[:i]:
            diags.add(f.where("roles"), "E106", f"'roles' names '{role}' twice; give each chair once")
            return ()
    return roles


def release_free_memory() -> None:
    """Hand freed memory back to the operating system after a reset (glibc keeps it otherwise,
    and a kiosk that runs for weeks would creep upwards). A no-op where there is no glibc."""
    import gc

    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def check_against(config: KioskConfig, scenario, where: str) -> Diagnostics:
    """Roles and path named in the config must exist in the scenario (those it leaves out come
    from the scenario itself, checked with the content)."""
    diags = Diagnostics()
    if config.path is not None and config.path not in scenario.paths:
        diags.add(Origin(where), "E505", f"kiosk path '{config.path}' is not a path of {scenario.id}")
    for role in config.roles or ():
        if role != "both" and role not in scenario.roles:
            diags.add(Origin(where), "E206", f"kiosk role '{role}' is not a role of {scenario.id}")
    return diags


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
        mods, key = self.config.chord()
        return event.type == pygame.KEYDOWN and event.key == key and all(
            event.mod & m for m in MODIFIERS.values() if mods & m)

    def touched(self) -> None:
        self.last_input = self.clock()

    def tick(self, app) -> bool:
        """Called on every pass of the loop; True when the screen must be redrawn."""
        from .scenes.kiosk import AttractScene, StillThereScene

        now = self.clock()
        scene = app.scene
        if isinstance(scene, AttractScene) or scene.name in ("admin", "one-moment"):
            return False
        if self.countdown_until is not None:  # the countdown scene redraws itself through its tick
            if now >= self.countdown_until:
                self.reset(app)
                return True
            return False
        if now - self.last_input >= self.config.idle_timeout:
            self.countdown_until = now + self.config.countdown
            app.push(StillThereScene(app, self))
            return True
        return False

    def stay(self, app) -> None:
        self.countdown_until = None
        self.touched()
        app.pop()

    def reset(self, app) -> None:
        """Back to the attract loop with nothing of the last visitor left: the visit is recorded as
        cut short if it did not finish, and the settings and the window mode are restored."""
        from .scenes.kiosk import AttractScene

        start, cpu = time.perf_counter(), time.process_time()
        app.end_session()
        self.countdown_until = None
        app.settings = self.visitor_settings()
        app.scenes.clear()
        app.restore_window_mode()
        app.relayout()
        app.reset_to(AttractScene(app, self))
        release_free_memory()
        self.resets += 1
        self.last_reset_seconds = time.perf_counter() - start
        self.last_reset_cpu = time.process_time() - cpu

    def finished(self, app) -> None:
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
