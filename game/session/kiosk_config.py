"""The kiosk's config file (kiosk.yaml) and its admin PIN: read and checked like content, with no
pygame, so `validate`-like checks and the command line can use it without opening a window.

The PIN is kept in kiosk.yaml only as a salted PBKDF2-SHA256 hash (`hash_pin`), never as digits:
the file is often copied between kiosks, backed up or shared, and a hash that costs a second to
try makes guessing even a six-digit PIN from a copy of the file take days.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from ..engine.diagnostics import Diagnostics, Origin
from ..engine.fields import ID, Fields, type_name
from ..engine.roles import BOTH
from ..engine.yaml_reader import YMap, load_yaml_file

MODIFIERS = ("ctrl", "alt", "shift")
# The keys a chord may end in: what pygame names K_a … K_z, K_0 … K_9, K_F1 … K_F15 and these
# (a test holds this list to pygame's own key constants).
KEY_NAMES = frozenset([*"abcdefghijklmnopqrstuvwxyz0123456789", *(f"f{i}" for i in range(1, 16)), "space", "tab",
                       "return", "escape", "backspace", "delete", "insert", "home", "end", "pageup", "pagedown",
                       "up", "down", "left", "right", "pause", "print", "scrolllock", "numlock"])
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
        diags.add(Origin(shown), "E101", "type", subject="the kiosk config", expected="a map of settings",
                  found=type_name(data))
        return config, diags
    f = Fields(data, diags, "the kiosk config", (),
               ("idle_timeout", "countdown", "path", "roles", "results", "admin_chord", "quote_seconds", "text_size",
                "admin_pin"))
    for key, low, high in (("idle_timeout", 10, 3600), ("countdown", 5, 300), ("quote_seconds", 3, 120)):
        value = f.integer(key)
        if value is not None:
            if not low <= value <= high:
                diags.add(f.where(key), "E106", "range", key=key, low=low, high=high, unit=" seconds", value=value)
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
            diags.add(f.where("text_size"), "E106", "not_one_of", subject="text_size", value=size,
                      allowed="normal, large or largest")
        else:
            config.text_size = size
    if f.has("admin_chord"):
        chord = f.text("admin_chord") or ""
        if chord_problem(chord):
            diags.add(f.where("admin_chord"), "E106", "chord", problem=chord_problem(chord))
        else:
            config.admin_chord = chord
    if f.has("admin_pin"):
        pin = data.get("admin_pin")
        if isinstance(pin, str) and _PIN_HASH.match(pin.strip()):
            config.admin_pin = pin.strip()
        else:
            diags.add(f.where("admin_pin"), "E106", "pin")
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
    if key in MODIFIERS or key not in KEY_NAMES:
        return f"ends in '{key[:20]}', which is not a key"
    return None


def _roles(f: Fields, diags: Diagnostics) -> tuple[str, ...]:
    """The chairs offered, each once, each an id."""
    roles = f.strings("roles")
    if not roles:
        diags.add(f.where("roles"), "E106", "none", key="roles", thing="role", why=" (a role id of the scenario, or both)")
        return ()
    for i, role in enumerate(roles):
        if not ID.match(role):
            diags.add(f.where("roles"), "E106", "not_one_of", subject="'roles' item", value=role[:40], allowed="a role id")
            return ()
        if role in roles[:i]:
            diags.add(f.where("roles"), "E106", "twice", key="roles", value=role)
            return ()
    return roles


def check_against(config: KioskConfig, scenario, where: str) -> Diagnostics:
    """Roles and path named in the config must exist in the scenario (those it leaves out come
    from the scenario itself, checked with the content)."""
    diags = Diagnostics()
    if config.path is not None and config.path not in scenario.paths:
        diags.add(Origin(where), "E505", "kiosk", path=config.path, scenario=scenario.id)
    for role in config.roles or ():
        if role != BOTH and role not in scenario.roles:
            diags.add(Origin(where), "E206", "kiosk", role=role, scenario=scenario.id)
    return diags
