"""Player settings, remembered between runs in the user's config folder.

`MOSCOW1956_HOME`, when set, puts settings and saves in that folder instead (tests, kiosks,
a classroom's shared drive). A damaged settings file is set aside and defaults are used.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..engine.files import set_aside, write_atomic

APP = "moscow-1956"
TYPING_SPEEDS = {"slow": 30, "normal": 60, "fast": 140, "instant": 0}  # characters per second


def config_dir() -> Path:
    home = os.environ.get("MOSCOW1956_HOME")
    if home:
        return Path(home)
    import platformdirs

    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def data_dir() -> Path:
    home = os.environ.get("MOSCOW1956_HOME")
    if home:
        return Path(home)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP, appauthor=False))


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

        if self.text_size not in TEXT_SCALES:
            self.text_size = "normal"
        if self.typing not in TYPING_SPEEDS:
            self.typing = "normal"
        for name in ("high_contrast", "fullscreen", "lock_choices"):
            if not isinstance(getattr(self, name), bool):
                setattr(self, name, False)
        return self


def settings_path() -> Path:
    return config_dir() / "settings.json"


def load_settings(path: Path | None = None) -> tuple[Settings, str]:
    """The saved settings (or defaults) and a message if the file had to be set aside."""
    path = path or settings_path()
    if not path.is_file():
        return Settings(), ""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Settings(**{k: v for k, v in data.items() if k in Settings.FIELDS}).validated(), ""
    except (OSError, ValueError, TypeError, AttributeError):
        try:
            moved = set_aside(path)
            return Settings(), f"The settings file was damaged; it was set aside as {moved.name}."
        except OSError:
            return Settings(), "The settings file could not be read; defaults are used."


def save_settings(settings: Settings, path: Path | None = None) -> None:
    try:
        write_atomic(path or settings_path(), json.dumps(settings.as_dict(), indent=1))
    except OSError:
        pass  # read-only profile: the game goes on with the settings in memory
