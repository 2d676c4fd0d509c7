"""What a store of browser players does, whatever keeps it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass
class PlayerRow:
    """One browser (its cookie), its CSRF token, its preferences and its current game's log."""

    id: str
    csrf: str
    prefs: str = "{}"          # JSON: text size, contrast, motion, read-aloud
    log: str | None = None     # the current game's decision log (game/session/log.py), or None
    ended: bool = False        # the current game reached its end (its debrief can still be shown)


class PlayerStore(Protocol):
    def create(self, player_id: str, csrf: str) -> PlayerRow: ...

    def get(self, player_id: str) -> PlayerRow | None: ...

    def start_log(self, player_id: str, header_line: str) -> None: ...

    def append_log(self, player_id: str, line: str) -> None: ...

    def end_log(self, player_id: str) -> None: ...

    def set_prefs(self, player_id: str, prefs: str) -> None: ...

    def close(self) -> None: ...
