"""The autosave: an append-only log of what the players decided, restored by replaying it.

A session is fully determined by its scenario, role, path and the choices made (the runner is
deterministic), so the autosave does not store the state: it stores a header line and then one
short line per decision. Saving a choice appends ~60 bytes instead of rewriting the whole state,
and a save can never disagree with the content it is replayed on: a choice the content no longer
offers simply ends the replay there, with a message.

The file is untrusted on reading (a shared lab PC, a hand-edited file): it is read only if it
is a regular file under a size cap, line by line with a length cap, and every field is checked
by type and size. A torn last line (a crash in the middle of an append) is ignored.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..engine.ids import ID
from ..formats import SAVE

LOG_FORMAT = "moscow-1956-log"
LOG_VERSION = SAVE.current
MAX_BYTES = 256 * 1024
MAX_LINE = 2048
MAX_ENTRIES = 4000
KINDS = ("choose", "back", "lock", "time")


class LogError(Exception):
    """The saved game cannot be used at all; the message says why, for the player."""


@dataclass(frozen=True)
class Header:
    scenario: str
    role: str
    path: str
    uid: str
    started_at: str          # ISO 8601, UTC
    lock: bool = False


@dataclass(frozen=True)
class Entry:
    """One decision: `choose` an option (with the active seconds played so far), `back`, `lock`;
    or `time`: the seconds played when the session was left (so a continued game adds to them)."""

    kind: str
    option: str = ""
    seconds: float = 0.0
    on: bool = False


@dataclass
class SavedGame:
    header: Header
    entries: list[Entry] = field(default_factory=list)
    saved_at: float = 0.0    # when the file was last written (seconds since the epoch)
    torn: bool = False       # the last line was cut off and ignored

    @property
    def seconds(self) -> float:
        """Active play time recorded so far."""
        return max((e.seconds for e in self.entries if e.kind in ("choose", "time")), default=0.0)

    @property
    def choices(self) -> int:
        return sum(1 for e in self.entries if e.kind == "choose")


def _text(data: dict, key: str, limit: int = 80, pattern=ID) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not 0 < len(value) <= limit or (pattern is not None and not pattern.match(value)):
        raise LogError(f"the saved game's '{key}' is not valid")
    return value


def _header(data: object) -> Header:
    if not isinstance(data, dict) or data.get("format") != LOG_FORMAT:
        raise LogError("it is not a saved game of this game")
    if not SAVE.reads(data.get("version")):
        raise LogError(SAVE.refusal(data.get("version")))
    lock = data.get("lock", False)
    if not isinstance(lock, bool):
        raise LogError("the saved game's 'lock' is not valid")
    return Header(_text(data, "scenario"), _text(data, "role"), _text(data, "path"), _text(data, "uid", 64),
                  _text(data, "started_at", 40, None), lock)


def _entry(data: object) -> Entry:
    if not isinstance(data, dict) or len(data) > 4:
        raise LogError("a saved decision is not valid")
    kind = data.get("kind")
    if kind in ("choose", "time"):
        seconds = data.get("t", 0.0)
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 <= seconds < 10**7:
            raise LogError("a saved decision has a bad time")
        if kind == "time":
            return Entry("time", seconds=float(seconds))
        return Entry("choose", _text(data, "option"), float(seconds))
    if kind == "back":
        return Entry("back")
    if kind == "lock":
        on = data.get("on")
        if not isinstance(on, bool):
            raise LogError("a saved decision is not valid")
        return Entry("lock", on=on)
    raise LogError("a saved decision is not valid")


def _parse_line(raw: bytes) -> object:
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise LogError("a line of the saved game cannot be read") from None


def read_log(path: Path) -> SavedGame:
    """The saved game in `path`, checked; LogError if it cannot be used at all."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise LogError("there is no saved game") from None
    except OSError as exc:
        raise LogError(f"it cannot be read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(info.st_mode):
        raise LogError("it is not a regular file")
    if info.st_size > MAX_BYTES:
        raise LogError(f"it is {info.st_size:,} bytes; a saved game is never more than {MAX_BYTES:,}")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise LogError(f"it cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise LogError(f"it is more than {MAX_BYTES:,} bytes")
    return parse_log(data, info.st_mtime)


def parse_log(data: bytes, saved_at: float = 0.0) -> SavedGame:
    """A saved game from the bytes of a log (a file's, or a row of the web store's)."""
    if len(data) > MAX_BYTES:
        raise LogError(f"it is more than {MAX_BYTES:,} bytes")
    lines = data.split(b"\n")
    torn = bool(lines and lines[-1].strip())   # no newline after the last line: cut off mid-write
    complete = [ln for ln in (lines[:-1]) if ln.strip()]
    if not complete:
        raise LogError("it is empty")
    if len(complete) > MAX_ENTRIES + 1:
        raise LogError("it has too many decisions")
    if any(len(ln) > MAX_LINE for ln in complete):
        raise LogError("a line of the saved game is too long")
    return SavedGame(_header(_parse_line(complete[0])), [_entry(_parse_line(ln)) for ln in complete[1:]],
                     saved_at, torn)


def header_line(header: Header) -> str:
    return json.dumps({"format": LOG_FORMAT, "version": LOG_VERSION, **header.__dict__}, ensure_ascii=False) + "\n"


def entry_line(entry: Entry) -> str:
    data: dict[str, object] = {"kind": entry.kind}
    if entry.kind == "choose":
        data.update(option=entry.option, t=round(entry.seconds, 1))
    elif entry.kind == "time":
        data["t"] = round(entry.seconds, 1)
    elif entry.kind == "lock":
        data["on"] = entry.on
    return json.dumps(data, ensure_ascii=False) + "\n"


class ChoiceLog:
    """Writes one session's log: a fresh file when the talks begin, then one appended line a decision."""

    def __init__(self, path: Path):
        self.path = path
        self.error = ""   # the last write problem, for the player; play goes on without saving

    def start(self, header: Header) -> None:
        """A new session replaces the old saved game (atomically: the old one stays until this works)."""
        from ..engine.files import write_atomic

        self._guard(lambda: write_atomic(self.path, header_line(header)))

    def append(self, entry: Entry) -> None:
        line = entry_line(entry)

        def write() -> None:
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line)

        self._guard(write)

    def clear(self) -> None:
        self._guard(lambda: self.path.unlink(missing_ok=True))

    def _guard(self, action) -> None:
        try:
            action()
            self.error = ""
        except OSError as exc:
            self.error = f"Could not save the game ({exc.strerror or exc}); play goes on."
