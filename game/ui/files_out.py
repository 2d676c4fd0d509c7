"""Files the player takes away (their minutes): saved where they can find them, opened for them.

Not the hidden data folder: the minutes go to the player's Documents folder ("Moscow 1956"), or
to MOSCOW1956_HOME/minutes when that is set. Opening hands the file to the system's own viewer
(a browser, for HTML); nothing is fetched from anywhere.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from ..paths import HOME_ENV, data_dir


def minutes_folder() -> Path:
    if os.environ.get(HOME_ENV):
        return data_dir() / "minutes"
    try:
        import platformdirs

        documents = Path(platformdirs.user_documents_dir())
        if documents.is_dir():
            return documents / "Moscow 1956"
    except Exception:  # no Documents folder on this system: the data folder will do
        pass
    return data_dir() / "minutes"


def minutes_path(now: float | None = None) -> Path:
    stamp = time.strftime("%Y-%m-%d %H.%M.%S", time.localtime(now))
    return minutes_folder() / f"My minutes {stamp}.html"


def open_file(path: Path) -> str:
    """Open `path` with the system's viewer; returns "" or why it could not be opened."""
    try:
        if sys.platform.startswith("win"):
            os.startfile(str(path))  # type: ignore[attr-defined]  # noqa: S606 - Windows only
        elif sys.platform == "darwin":
            subprocess.Popen(["open", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        else:
            subprocess.Popen(["xdg-open", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError as exc:
        return f"It could not be opened here ({exc.strerror or exc})."
    return ""
