"""Pairs on two devices: one negotiation, the Shah on one screen and the Soviet delegation on
another, each seeing the other's lines as they are chosen.

The pair's game is one play session for both sides whose decision log lives in the store's pair
row. Each device's process keeps a copy and rebuilds it whenever the row's version moved on (the
other device, maybe in another process, made a move). A move is checked against the game as the
store has it and written only if nobody wrote in between (`update_pair(expected_version=…)`); a
seat the teacher handed to "the record" is answered with the record's own choice at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..engine.model import Option, Scenario
from ..engine.runner import BOTH, RunnerError
from ..session.log import Entry, Header, LogError, entry_line, header_line, parse_log
from ..session.play import PlaySession, ResultsWriter
from ..store.base import PairRow, Store


class Conflict(Exception):
    """Another device wrote the pair's game first: the move was not made."""


class PairLog:
    """The log of a pair's game, written to the pair's row only over the version it was read at."""

    def __init__(self, store: Store, pair: PairRow):
        self.store = store
        self.pair_id = pair.id
        self.version = pair.version
        self.text = pair.log or ""
        self.error = ""

    def _write(self, text: str, **extra: object) -> None:
        if not self.store.update_pair(self.pair_id, self.version, log=text, **extra):
            raise Conflict()
        self.version += 1
        self.text = text

    def start(self, header: Header) -> None:
        if not self.text:      # the other device may have begun it already
            self._write(header_line(header))

    def append(self, entry: Entry) -> None:
        self._write(self.text + entry_line(entry))

    def clear(self) -> None:
        if not self.store.update_pair(self.pair_id, self.version, ended=True):
            raise Conflict()
        self.version += 1


@dataclass
class PairGame:
    row: PairRow
    session: PlaySession


class Pairs:
    """This process's copies of the pairs' games, rebuilt when the store has moved on."""

    def __init__(self, store: Store, scenario: Scenario, results: ResultsWriter | None, path_of):
        self.store = store
        self.scenario = scenario
        self.results = results
        self.path_of = path_of          # class id -> the class's path
        self._games: dict[str, PairGame] = {}

    def game(self, pair_id: str) -> PairGame | None:
        row = self.store.get_pair(pair_id)
        if row is None:
            return None
        cached = self._games.get(pair_id)
        if cached is not None and cached.row.version == row.version:
            cached.row = row
            return cached
        game = self._build(row)
        self._games[pair_id] = game
        return game

    def _build(self, row: PairRow) -> PairGame:
        log = PairLog(self.store, row)
        if row.log:
            try:
                session = PlaySession.resume(self.scenario, parse_log(row.log.encode("utf-8")), log, self.results)
            except (LogError, RunnerError, UnicodeError):
                session = PlaySession(self.scenario, BOTH, self.path_of(row.class_id), log=log, results=self.results)
                log.text = ""
            else:
                session.begin(fresh_log=False)
                session.advance_to_stop()
                if row.ended:
                    session.recorded = "finished"
        else:
            session = PlaySession(self.scenario, BOTH, self.path_of(row.class_id), log=log, results=self.results)
        return PairGame(row, session)

    def begin(self, pair_id: str) -> PairGame | None:
        game = self.game(pair_id)
        if game is None:
            return None
        if not game.session.began:
            try:
                game.session.begin(fresh_log=not game.session.log.text)
            except Conflict:
                return self.game(pair_id)
            self._answer_for_the_record(game)
            self.store.publish(game.row.class_id, f"pair:{pair_id}")
        return game

    def choose(self, pair_id: str, seat: str, choice_id: str, number: int) -> tuple[PairGame | None, bool]:
        """The move of the player in `seat`; (game, made) — not made if it is not theirs now."""
        game = self.game(pair_id)
        if game is None or not game.session.began:
            return game, False
        shown = game.session.advance_to_stop()
        if shown.choice is None or shown.choice.id != choice_id or shown.choice.by != seat \
                or not 1 <= number <= len(shown.options):
            return game, False
        try:
            self._move(game, shown.options[number - 1])
        except Conflict:
            return self.game(pair_id), False
        self.store.publish(game.row.class_id, f"pair:{pair_id}")
        return game, True

    def _move(self, game: PairGame, option: Option) -> None:
        game.session.choose(option)
        game.session.advance_to_stop()
        self._answer_for_the_record(game)

    def _answer_for_the_record(self, game: PairGame) -> None:
        """Seats the teacher handed to the record play the historical choices."""
        for _ in range(200):
            shown = game.session.advance_to_stop()
            if shown.choice is None or shown.choice.by not in game.row.record:
                return
            game.session.choose(shown.choice.answer_from(shown.options))

    def finish(self, pair_id: str) -> None:
        game = self.game(pair_id)
        if game is None or not game.session.ended:
            return
        try:
            game.session.finish()
        except Conflict:
            pass   # the other device finished it first: it is recorded once either way
        self.store.publish(game.row.class_id, f"pair:{pair_id}")

    def hand_to_record(self, pair_id: str, seat: str) -> bool:
        row = self.store.get_pair(pair_id)
        if row is None or seat in row.record or seat not in row.seats:
            return False
        record = (*row.record, seat)
        if not self.store.update_pair(pair_id, row.version, record=record):
            return False
        game = self.game(pair_id)
        if game is not None and game.session.began:
            try:
                self._answer_for_the_record(game)
            except Conflict:
                pass
        self.store.publish(row.class_id, f"pair:{pair_id}")
        return True
