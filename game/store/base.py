"""What a store of the browser edition does, whatever keeps it (SQLite or PostgreSQL).

Players are browsers (by the hash of their cookie id). A class is a teacher's room: a join code,
a secret teacher token (stored as a hash), a path, and its controls. A pair is one negotiation
played by two players on two devices; its decision log is shared. Every write is committed
before it returns: a caller that answers a request after a write never loses that write to a
crash. `publish` tells every process that something changed in a class (the dashboards and the
waiting partners listen): in one process that is a function call, across processes PostgreSQL's
LISTEN/NOTIFY.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol


def player_key(cookie_id: str) -> str:
    """How a store knows a player: the hash of its cookie id (a copy of the store is no key to a
    student's session). Every player method of a store takes this key."""
    return hashlib.sha256(cookie_id.encode()).hexdigest()


@dataclass
class PlayerRow:
    """One browser (by the key of its cookie), its CSRF token, preferences and current game's log."""

    key: str
    csrf: str
    prefs: str = "{}"          # JSON: text size, contrast, motion, read-aloud
    log: str | None = None     # the current game's decision log (game/session/log.py), or None
    ended: bool = False        # the current game reached its end (its debrief can still be shown)
    class_id: str | None = None
    name: str = ""             # optional first name or pseudonym, given to the class
    seat: str | None = None    # the role this student plays (set by the teacher, or chosen)
    pair_id: str | None = None


@dataclass
class ClassRow:
    id: str
    name: str
    code: str                  # the short join code students type or scan
    token_hash: str            # sha256 of the teacher's secret token (the token itself is never kept)
    path: str
    created: float
    expires: float
    paused: bool = False
    hold_debrief: bool = False
    ended: bool = False
    assign: str = "free"       # free | shah | soviet | pairs | random (how roles are handed out)

    @classmethod
    def from_row(cls, values: tuple) -> ClassRow:
        """From a classes row as every store selects it (id … assign; the flags as the database keeps them)."""
        i, n, c, t, p, cr, ex, pa, ho, en, asg = values
        return cls(i, n, c, t, p, cr, ex, bool(pa), bool(ho), bool(en), asg)


@dataclass
class PairRow:
    id: str
    class_id: str
    seats: dict[str, str | None] = field(default_factory=dict)   # role id -> player key (None: empty)
    record: tuple[str, ...] = ()    # seats handed to the record by the teacher
    log: str | None = None
    version: int = 0                # grows with every write: a stale copy is noticed
    ended: bool = False


Listener = Callable[[str, str], None]   # (class id, what changed)


class Conflict(Exception):
    """A create whose player key, class id, join code, token or pair id is already taken.

    The same exception from every store, so a caller that draws a random join code can draw again
    without knowing which database said no.
    """


class Store(Protocol):
    # players
    def create(self, key: str, csrf: str) -> PlayerRow: ...
    def get(self, key: str) -> PlayerRow | None: ...
    def start_log(self, key: str, header_line: str) -> None: ...
    def append_log(self, key: str, line: str) -> None: ...
    def end_log(self, key: str) -> None: ...
    def set_prefs(self, key: str, prefs: str) -> None: ...
    def join(self, key: str, class_id: str, name: str) -> None: ...
    def set_seat(self, key: str, seat: str | None, pair_id: str | None) -> None: ...
    def class_players(self, class_id: str) -> list[PlayerRow]: ...
    # classes
    def create_class(self, row: ClassRow) -> None: ...
    def get_class(self, class_id: str) -> ClassRow | None: ...
    def class_by_code(self, code: str) -> ClassRow | None: ...
    def class_by_token(self, token_hash: str) -> ClassRow | None: ...
    def update_class(self, class_id: str, **changes: object) -> None: ...
    # pairs
    def create_pair(self, row: PairRow) -> None: ...
    def get_pair(self, pair_id: str) -> PairRow | None: ...
    def update_pair(self, pair_id: str, expected_version: int, **changes: object) -> bool: ...
    def class_pairs(self, class_id: str) -> list[PairRow]: ...
    # live updates
    def publish(self, class_id: str, what: str) -> None: ...
    def listen(self, listener: Listener) -> None: ...
    def close(self) -> None: ...
