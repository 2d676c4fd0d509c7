"""Where the game keeps its own files: settings, autosave, results, minutes and the content cache.

One place for it, so every layer agrees. `MOSCOW1956_HOME`, when set, puts everything in that
folder (tests, kiosks); otherwise the platform's per-user folders are used.
"""

from __future__ import annotations

import os
from pathlib import Path

APP = "moscow-1956"
HOME_ENV = "MOSCOW1956_HOME"


def game_files() -> Path:
    """The folder holding the game's own content and art (scenarios/, dialogue/, art/): the
    checkout itself when run from source, or the copy inside the package (game/_data) that an
    installed wheel carries (setup.py puts it there)."""
    package = Path(__file__).resolve().parent
    checkout = package.parent
    if (checkout / "scenarios").is_dir() and (checkout / "dialogue").is_dir():
        return checkout
    return package / "_data"


def _platform(kind: str) -> Path:
    import platformdirs

    return Path(getattr(platformdirs, f"user_{kind}_dir")(APP, appauthor=False))


def config_dir() -> Path:
    home = os.environ.get(HOME_ENV)
    return Path(home) if home else _platform("config")


def data_dir() -> Path:
    home = os.environ.get(HOME_ENV)
    return Path(home) if home else _platform("data")


def cache_dir() -> Path:
    home = os.environ.get(HOME_ENV)
    return Path(home) / "cache" if home else _platform("cache")
