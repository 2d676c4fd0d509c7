"""Where a front end's sessions are recorded: one results file, written one session at a time.

The session layer (game/session/play.py) decides when a session is recorded (finished, or cut
short, each once) and under which id; this writes it. A game cut short and continued later from
its autosave keeps its id, so the file ends with one row for it: the finished record replaces
the cut-short one (db.ResultsDB.record_session). Nothing here raises for a file problem, because
results must never stop a game or a kiosk: every problem becomes a message for the player. The
file is opened, written in one transaction and closed for every session, so a kiosk that runs for
weeks holds no connection and a file set aside after damage is replaced by a fresh one at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .db import AUTOPLAYS, MODES, ResultsDB, ResultsError, SessionRecord, needs_check

if TYPE_CHECKING:
    from ..engine.runner import Runner


class ResultsFile:
    """Records sessions in one results file. `db_path=None` means the user's data folder (results.sqlite)."""

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
        self.written = False    # whether the last write changed the file (False: it held that already)
        self._summary: tuple[tuple[int, int, int] | None, list[str]] | None = None   # (file stamp, lines)

    def write(self, runner: Runner, status: str, *, uid: str, started_at: datetime, duration_s: float) -> str:
        """Record one session (or replace its cut-short row); returns "" or a message for the player."""
        messages: list[str] = []
        self.written = False
        for attempt in (1, 2):
            try:
                # The whole-file check only where the file shows a sign of damage: a kiosk's file of
                # 100,000 sessions takes 0.7 s to check, far longer than writing one session.
                with ResultsDB(self.db_path, timeout=self.timeout, check=needs_check(self.db_path)) as db:
                    self.written = db.record_session(runner, self.mode, started_at, max(0.0, duration_s), status,
                                                     autoplay=self.autoplay, uid=uid) is not None
                break
            except ResultsError as exc:
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

    def tallies(self, scenario_id: str, path: str | None = None) -> list:
        """Per choice point of finished sessions, how many faced it and took the record's option
        (db.visitors_vs_record; the same as PostgresResults.tallies). Raises ResultsError."""
        from .db import visitors_vs_record

        with ResultsDB(self.db_path, readonly=True, check=False) as db:
            return visitors_vs_record(db, scenario_id, path)

    def sessions(self, uids: Iterable[str]) -> list[SessionRecord]:
        """The records of just these sessions (a class's), oldest first; the same as PostgresResults.sessions.

        Only their rows are read, however many the file holds. Raises ResultsError.
        """
        with ResultsDB(self.db_path, readonly=True, check=False) as db:
            return db.sessions(uids=uids)

    def summary(self) -> list[str]:
        """A few lines for an admin screen: where results go and how many there are.

        The screen may ask every frame; the file is read again only when it has changed (reading
        every row's rules takes a while on a file of many sessions).
        """
        lines = [f"Results file: {self.db_path}", *self._counted()]
        if self.message:
            lines.append(f"Last problem: {self.message}")
        return lines

    def _counted(self) -> list[str]:
        key = _stamp(self.db_path)
        if key is not None and self._summary is not None and self._summary[0] == key:
            return self._summary[1]
        try:
            with ResultsDB(self.db_path, readonly=True, check=False) as db:
                counts = db.counts()
                _, bad = db.skipped(limit=0)
            lines = [f"Sessions recorded: {counts['finished']} finished, {counts['abandoned']} cut short"]
            if bad:
                lines.append(f"Damaged rows left out: {bad} (the teacher report lists them)")
        except ResultsError as exc:
            return ["No sessions recorded yet." if exc.kind == "missing" else f"Results unavailable: {exc}"]
        if key is not None:
            self._summary = (key, lines)    # stamped before reading: a write meanwhile is read next time
        return lines


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """What changes when the file does (None: no file, or a crash's journal beside it: read again)."""
    try:
        info = path.stat()
    except OSError:
        return None
    if path.with_name(path.name + "-journal").exists():
        return None
    return info.st_mtime_ns, info.st_size, info.st_ino
