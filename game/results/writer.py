"""Where a front end's sessions are recorded: one results file, written one session at a time.

The session layer decides when (finished, cut short, each once) and with which id; this writes
it. Nothing here raises for a file problem, because results must never stop a game or a kiosk:
every problem becomes a message for the player. The file is opened, written in one transaction
and closed for every session, so a kiosk that runs for weeks holds no connection, and a file set
aside after damage is replaced by a fresh one at once.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .db import AUTOPLAYS, MODES, ResultsDB, ResultsError

if TYPE_CHECKING:
    from ..engine.runner import Runner


class ResultsFile:
    """Records sessions in one results file. `db_path=None` means the user's data folder."""

    def __init__(self, db_path: Path | str | None, mode: str, *, autoplay: str = "", timeout: float = 2.0):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        if autoplay not in AUTOPLAYS:
            raise ValueError(f"autoplay must be one of {AUTOPLAYS}, not {autoplay!r}")
        if db_path is None:
            from .db import default_path

            db_path = default_path()
        self.db_path = Path(db_path)
        self.mode = mode
        self.autoplay = autoplay
        self.timeout = timeout
        self.message = ""
        self._checked = False   # the whole-file integrity check runs on the first open, not every time

    def write(self, runner: Runner, status: str, *, uid: str, started_at: datetime, duration_s: float) -> str:
        """Record one session (or replace its cut-short row); returns "" or a message for the player."""
        messages: list[str] = []
        for attempt in (1, 2):
            try:
                with ResultsDB(self.db_path, timeout=self.timeout, check=not self._checked) as db:
                    db.record_session(runner, self.mode, started_at, max(0.0, duration_s), status,
                                      autoplay=self.autoplay, uid=uid)
                self._checked = True
                break
            except ResultsError as exc:
                self._checked = False
                if exc.kind == "corrupt" and exc.moved_to is not None and attempt == 1:
                    messages.append(str(exc))   # set aside: the second try starts a fresh file
                    continue
                messages.append(f"{exc} This session's results were not saved.")
                break
            except Exception as exc:  # a results bug must never stop a game or a kiosk
                messages.append(f"The results could not be saved ({type(exc).__name__}: {exc}).")
                break
        self.message = " ".join(messages)
        return self.message

    def summary(self) -> list[str]:
        """A few lines for an admin screen: where results go and how many there are."""
        lines = [f"Results file: {self.db_path}"]
        try:
            with ResultsDB(self.db_path, readonly=True, check=False) as db:
                counts = db.counts()
            lines.append(f"Sessions recorded: {counts['finished']} finished, {counts['abandoned']} cut short")
        except ResultsError as exc:
            lines.append("No sessions recorded yet." if exc.kind == "missing" else f"Results unavailable: {exc}")
        if self.message:
            lines.append(f"Last problem: {self.message}")
        return lines
