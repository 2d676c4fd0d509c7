"""Player settings, remembered between runs in the user's config folder.

`MOSCOW1956_HOME`, when set, puts settings and saves in that folder instead (tests, kiosks).
The file is untrusted (a shared lab PC, a folder other people can write to): it is read only if
it is a small regular file, and every value is checked by type. A file that cannot be used at
all is set aside with a message and the defaults are used; a wrong value falls back on its own.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from ..engine.files import set_aside, write_atomic
from ..paths import config_dir, data_dir  # noqa: F401  (data_dir: older callers import it from here)

TYPING_SPEEDS = {"slow": 30, "normal": 60, "fast": 140, "instant": 0}  # characters per second
MAX_BYTES = 16 * 1024


class Settings:
    """Plain class, not a dataclass: it is imported before the first frame (start-up time)."""

    FIELDS = ("text_size", "high_contrast", "typing", "fullscreen", "lock_choices")

    def __init__(self, text_size: str = "normal", high_contrast: bool = False, typing: str = "normal",
                 fullscreen: bool = False, lock_choices: bool = False):
        self.text_size = text_size            # normal | large | largest
        self.high_contrast = high_contrast
        self.typing = typing                  # slow | normal | fast | instant
        self.fullscreen = fullscreen
        self.lock_choices = lock_choices      # class use: no going back once a scored choice is made

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.FIELDS}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Settings) and self.as_dict() == other.as_dict()

    def __repr__(self) -> str:
        return f"Settings({self.as_dict()})"

    def validated(self) -> Settings:
        from .theme import TEXT_SCALES

        if not isinstance(self.text_size, str) or self.text_size not in TEXT_SCALES:
            self.text_size = "normal"
        if not isinstance(self.typing, str) or self.typing not in TYPING_SPEEDS:
            self.typing = "normal"
        for name in ("high_contrast", "fullscreen", "lock_choices"):
            if not isinstance(getattr(self, name), bool):
                setattr(self, name, False)
        return self


def settings_path() -> Path:
    return config_dir() / "settings.json"


class _Unusable(Exception):
    """The settings file cannot be used at all."""


def _read(path: Path) -> dict:
    info = path.lstat()
    if not stat.S_ISREG(info.st_mode):
        raise _Unusable("it is not a regular file")
    if info.st_size > MAX_BYTES:
        raise _Unusable(f"it is {info.st_size:,} bytes (settings are never more than {MAX_BYTES:,})")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        raw = handle.read(MAX_BYTES + 1)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _Unusable("it is not readable JSON") from None
    if not isinstance(data, dict):
        raise _Unusable("it is not a map of settings")
    return data


def load_settings(path: Path | None = None) -> tuple[Settings, str]:
    """The saved settings (or defaults) and a message if the file had to be set aside."""
    path = path or settings_path()
    if not path.exists() and not path.is_symlink():
        return Settings(), ""
    try:
        data = _read(path)
    except (OSError, _Unusable) as exc:
        why = str(exc) if isinstance(exc, _Unusable) else (exc.strerror or str(exc))
        try:
            moved = set_aside(path)
            return Settings(), f"The settings file could not be used ({why}); it was set aside as {moved.name}."
        except OSError:
            return Settings(), f"The settings file could not be read ({why}); defaults are used."
    return Settings(**{k: v for k, v in data.items() if k in Settings.FIELDS}).validated(), ""


def save_settings(settings: Settings, path: Path | None = None) -> None:
    try:
        write_atomic(path or settings_path(), json.dumps(settings.as_dict(), indent=1))
    except OSError:
        pass  # read-only profile: the game goes on with the settings in memory
