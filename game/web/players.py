"""The browsers the server knows: each one's cookie, CSRF token, preferences, class and game.

A player is found by the id in its cookie. Its row is read from the store on every request (one
indexed read), so several server processes behind one PostgreSQL always agree: a game another
process moved on is rebuilt here by replaying its decision log, and one nobody touched is kept in
memory as it is. An unknown, malformed or forged cookie gets a fresh player, never an error. Ids
are 192-bit random tokens; the store keeps only their hashes.
"""

from __future__ import annotations

import json
import re
import secrets
from collections import OrderedDict
from dataclasses import dataclass, field

from ..engine.model import Scenario
from ..engine.runner import ChoiceEvent, EndEvent, RunnerError
from ..session.log import Entry, Header, LogError, entry_line, header_line, parse_log
from ..session.play import PlaySession, ResultsWriter
from ..store.base import PlayerRow, Store, player_key

COOKIE = "m56"
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32}$")
TEXT_SIZES = ("normal", "large", "largest")


@dataclass
class Prefs:
    """What a player set on the settings page (kept with the player, applied to every page)."""

    text: str = "normal"
    contrast: bool = False
    motion: bool = True         # False: reduce motion (the system's setting is honoured as well)
    voice: bool = False         # read new lines aloud (the browser's own speech)

    @classmethod
    def parse(cls, raw: str | None) -> Prefs:
        prefs = cls()
        try:
            data = json.loads(raw or "{}") if raw and len(raw) < 1000 else {}
        except (ValueError, RecursionError):
            data = {}
        if not isinstance(data, dict):
            return prefs
        if data.get("text") in TEXT_SIZES:
            prefs.text = data["text"]
        for name in ("contrast", "motion", "voice"):
            if isinstance(data.get(name), bool):
                setattr(prefs, name, data[name])
        return prefs

    def dumps(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)


class StoreLog:
    """The decision log of a browser's game, kept in the store (the window keeps it in a file).
    `text` is what this process wrote, so a copy that another process moved on is noticed."""

    def __init__(self, store: Store, key: str, text: str = ""):
        self.store = store
        self.key = key
        self.text = text
        self.error = ""

    def start(self, header: Header) -> None:
        self.text = header_line(header)
        self.store.start_log(self.key, self.text)

    def append(self, entry: Entry) -> None:
        line = entry_line(entry)
        self.text += line
        self.store.append_log(self.key, line)

    def clear(self) -> None:
        """The game ended: keep its log (the debrief can be shown again), mark it ended."""
        self.store.end_log(self.key)


@dataclass
class Player:
    id: str                     # the cookie's value (never stored: the store keeps its hash, `key`)
    csrf: str
    prefs: Prefs = field(default_factory=Prefs)
    session: PlaySession | None = None
    message: str = ""           # shown once on the next page (a game that could not be restored)
    class_id: str | None = None
    name: str = ""
    seat: str | None = None
    pair_id: str | None = None
    ended: bool = False

    @property
    def key(self) -> str:
        return player_key(self.id)


class Players:
    """Players in memory (most recent first, at most `capacity`), backed by the store."""

    def __init__(self, store: Store, scenario: Scenario, results: ResultsWriter | None, capacity: int = 5000):
        self.store = store
        self.scenario = scenario
        self.results = results
        self.capacity = capacity
        self._live: OrderedDict[str, Player] = OrderedDict()

    def find(self, cookie: str | None) -> Player | None:
        """The player of a cookie, up to date with the store; None if there is none."""
        if not cookie or not ID_PATTERN.match(cookie):
            return None
        row = self.store.get(player_key(cookie))
        if row is None:
            self._live.pop(cookie, None)
            return None
        player = self._live.get(cookie)
        if player is None:
            player = Player(cookie, row.csrf)
        self._sync(player, row)
        self._remember(player)
        return player

    def _sync(self, player: Player, row: PlayerRow) -> None:
        player.prefs = Prefs.parse(row.prefs)
        player.class_id, player.name, player.seat, player.pair_id = row.class_id, row.name, row.seat, row.pair_id
        mine = player.session.log.text if player.session is not None and isinstance(player.session.log, StoreLog) else None
        if player.session is not None and player.session.replay:
            pass   # a replay of the record is never saved: the row still holds the last real game
        elif row.log is None:
            # a game chosen but not begun lives only here (its log is written when it begins)
            if player.session is not None and player.session.began and not player.session.replay:
                player.session = None
        elif player.session is not None and not player.session.began and mine == "":
            pass   # another game chosen, not begun yet: it replaces the saved one when it begins, not before
        elif row.log != mine or (row.ended and (player.session is None or not player.session.ended)):
            player.session, message = self._restore(player.key, row.log, row.ended)
            player.message = player.message or message
        player.ended = row.ended

    def create(self) -> Player:
        player_id = secrets.token_urlsafe(24)
        row = self.store.create(player_key(player_id), secrets.token_urlsafe(24))
        player = Player(player_id, row.csrf)
        self._remember(player)
        return player

    def _remember(self, player: Player) -> None:
        self._live[player.id] = player
        self._live.move_to_end(player.id)
        while len(self._live) > self.capacity:
            self._live.popitem(last=False)   # still in the store: found again on its next request

    def _restore(self, key: str, log: str, ended: bool) -> tuple[PlaySession | None, str]:
        try:
            saved = parse_log(log.encode("utf-8"))
            session = PlaySession.resume(self.scenario, saved, StoreLog(self.store, key, log), self.results)
        except (LogError, RunnerError, UnicodeError) as exc:
            return None, f"Your last game could not be continued ({exc}); start a new one."
        session.begin(fresh_log=False)
        if ended:
            play_to_end(session)
            session.recorded = "finished"    # recorded when it ended
        else:
            session.advance_to_stop()
        return session, session.message

    def new_game(self, player: Player, role: str, path: str, replay: bool = False) -> PlaySession:
        log = None if replay else StoreLog(self.store, player.key)
        player.session = PlaySession(self.scenario, role, path, replay=replay, log=log, results=self.results)
        player.ended = False
        return player.session

    def save_prefs(self, player: Player) -> None:
        self.store.set_prefs(player.key, player.prefs.dumps())

    def __len__(self) -> int:
        return len(self._live)


def play_to_end(session: PlaySession) -> None:
    """A finished game restored from its log: the record answers the rest, as it did then."""
    for _ in range(100_000):
        event = session.runner.advance()
        if isinstance(event, EndEvent):
            session.shown = session._shown(event)
            return
        if isinstance(event, ChoiceEvent):   # the log ended at a choice the player had made before
            return
