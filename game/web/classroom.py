"""A teacher's class: a join code for students, a secret link for the teacher, and what the
teacher decides (who plays which side, pairs, the path, pause, when the debrief opens, the end).

Students need no account: a browser joins with the code (a name or pseudonym is optional). The
teacher's link carries a 192-bit token; the store keeps only its hash, compared in constant
time, and it is never logged. Wrong join codes are rate-limited per address and overall, so
guessing one is impractical. A class expires after a set time (the teacher can change it).
"""

from __future__ import annotations

import hashlib
import hmac
import random
import secrets
import time
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass, field

from ..engine.model import Scenario
from ..engine.runner import BOTH, RunnerError
from ..engine.scoring import build_debrief
from ..session.log import LogError, parse_log
from ..session.play import PlaySession
from ..store.base import ClassRow, PairRow, PlayerRow, Store

CODE_ALPHABET = "2346789ABCDEFGHJKMNPQRTUVWXYZ"   # no 0/O, 1/I/L, 5/S: easy to read aloud and type
CODE_LENGTH = 7
DEFAULT_HOURS = 8.0
MODES = ("free", "random", "pairs")   # besides one mode per role of the scenario: everyone in that chair


def _in_sentence(title: str) -> str:
    """'The Shah of Iran' → 'the Shah of Iran'."""
    return "the " + title[4:] if title.startswith("The ") else title


def assigns(scenario) -> dict[str, str]:
    """How a teacher may hand out the sides, in the menu's order, with the menu's words: each
    student chooses, everyone in one of the scenario's chairs, at random, or pairs (two chairs
    needed). A role whose id is one of the other modes' is offered only by hand."""
    roles = {rid: f"everyone {_in_sentence(role.title)}" for rid, role in scenario.roles.items() if rid not in MODES}
    out = {"free": "each student chooses", **roles, "random": "at random"}
    if len(scenario.roles) >= 2:
        out["pairs"] = "pairs on two devices"
    return out


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def clean_code(text: str) -> str:
    """What a student typed, as a code: case and spaces and dashes do not matter."""
    return "".join(ch for ch in text.upper() if ch.isalnum())[:20]


class Limiter:
    """Wrong join codes: at most `per_key` from one address and `overall` from all, in any
    `window` seconds (right codes are never counted, so a class behind one address all joins).
    With 29^7 codes and 120 wrong tries a minute, guessing one takes years."""

    def __init__(self, per_key: int = 10, overall: int = 120, window: float = 60.0, clock=time.monotonic):
        self.per_key, self.overall, self.window, self.clock = per_key, overall, window, clock
        self._tries: dict[str, deque[float]] = defaultdict(deque)
        self._all: deque[float] = deque()

    def _trim(self, tries: deque[float], now: float) -> None:
        while tries and now - tries[0] > self.window:
            tries.popleft()

    def blocked(self, key: str) -> bool:
        now = self.clock()
        tries = self._tries.get(key)
        if tries is not None:
            self._trim(tries, now)
        self._trim(self._all, now)
        return (tries is not None and len(tries) >= self.per_key) or len(self._all) >= self.overall

    def missed(self, key: str) -> None:
        now = self.clock()
        self._tries[key].append(now)
        self._all.append(now)
        if len(self._tries) > 10_000:          # forget quiet addresses
            for stale in [k for k, v in self._tries.items() if not v or now - v[-1] > self.window]:
                del self._tries[stale]


@dataclass
class Opened:
    row: ClassRow
    token: str


@dataclass
class StudentView:
    """One student on the dashboard: never the cookie, only what the teacher needs."""

    key: str
    label: str                  # the name given, or "Student 3"
    seat: str | None
    pair_id: str | None
    moment: str                 # where the student is: the last moment met, or "not started"
    choices: int
    finished: bool
    ending: str = ""
    matched: int = 0
    total: int = 0


@dataclass
class Bar:
    """One choice point: how many of the class faced it and how many did what the record shows."""

    choice_id: str
    moment: str
    role: str
    faced: int = 0
    followed: int = 0

    @property
    def share(self) -> float:
        return self.followed / self.faced if self.faced else 0.0


@dataclass
class ClassSummary:
    row: ClassRow
    students: list[StudentView] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    endings: dict[str, int] = field(default_factory=dict)
    objectives: dict[str, tuple[int, int]] = field(default_factory=dict)   # objective id -> (met, of)
    pairs: list[PairRow] = field(default_factory=list)

    @property
    def joined(self) -> int:
        return len(self.students)

    @property
    def finished(self) -> int:
        return sum(1 for s in self.students if s.finished)


@dataclass
class _Game:
    """What one game (a student's or a pair's) adds to the dashboard, computed from its log."""

    chosen: list[tuple[str, str, str]]   # (choice id, option id, by)
    moment: str
    finished: bool
    ending: str = ""
    objectives: tuple[tuple[str, bool], ...] = ()
    matched: int = 0
    total: int = 0
    uid: str = ""
    role: str = ""                       # the side played (both, for a pair's shared game)


class Classroom:
    def __init__(self, store: Store, scenario: Scenario, clock=time.time):
        self.store = store
        self.scenario = scenario
        self.clock = clock
        self.joins = Limiter()
        self._games: dict[tuple[str, int], _Game] = {}   # (key or pair id, hash of the log) -> its summary
        self._order: dict[str, int] | None = None

    # --- opening and finding ---------------------------------------------------------------------

    def open(self, name: str, path: str, hours: float = DEFAULT_HOURS, assign: str = "free") -> Opened:
        token = secrets.token_urlsafe(24)
        now = self.clock()
        for _ in range(20):
            row = ClassRow(uuid.uuid4().hex[:12], name.strip()[:80] or "Class", new_code(), token_hash(token), path,
                           now, now + hours * 3600, assign=assign if assign in assigns(self.scenario) else "free")
            if self.store.class_by_code(row.code) is None:
                self.store.create_class(row)
                return Opened(row, token)
        raise RuntimeError("no free join code")   # 29^7 codes: practically never

    def by_code(self, code: str) -> ClassRow | None:
        row = self.store.class_by_code(clean_code(code))
        return row if row is not None and self.open_now(row) else None

    def by_token(self, token: str) -> ClassRow | None:
        if not token or len(token) > 100:
            return None
        wanted = token_hash(token)
        row = self.store.class_by_token(wanted)
        if row is None or not hmac.compare_digest(row.token_hash.encode(), wanted.encode()):
            return None
        return row

    def open_now(self, row: ClassRow) -> bool:
        return not row.ended and self.clock() < row.expires

    # --- students --------------------------------------------------------------------------------

    def join(self, key: str, row: ClassRow, name: str) -> None:
        name = " ".join(name.split())[:40]
        self.store.join(key, row.id, name)
        if row.assign == "pairs":
            self._fill_empty_seat(row, key)
        elif row.assign in self.scenario.roles:
            self.store.set_seat(key, row.assign, None)
        elif row.assign == "random":
            self.store.set_seat(key, random.choice(list(self.scenario.roles)), None)
        self.store.publish(row.id, "joined")

    def seat_of(self, player: PlayerRow | None) -> str | None:
        return player.seat if player is not None else None

    # --- the teacher's controls ------------------------------------------------------------------

    def set_assign(self, row: ClassRow, mode: str) -> None:
        if mode not in assigns(self.scenario):
            return
        self.store.update_class(row.id, assign=mode)
        students = [s for s in self.store.class_players(row.id) if s.log is None and s.pair_id is None]
        for student in students:
            if mode in self.scenario.roles and mode not in MODES:
                self.store.set_seat(student.key, mode, None)
            elif mode == "random":
                self.store.set_seat(student.key, random.choice(list(self.scenario.roles)), None)
            elif mode == "free":
                self.store.set_seat(student.key, None, None)
        if mode == "pairs":
            self.make_pairs(row, students)
        self.store.publish(row.id, "class")

    def set_seat(self, row: ClassRow, key: str, seat: str | None) -> bool:
        """A student of this class only (another class's teacher cannot move a student here)."""
        student = next((s for s in self.store.class_players(row.id) if s.key == key), None)
        if student is None or (seat is not None and seat not in self.scenario.roles):
            return False
        self.store.set_seat(key, seat, None)
        self.store.publish(row.id, "class")
        return True

    def _fill_empty_seat(self, row: ClassRow, key: str) -> bool:
        """A student who joins a paired class late takes the first empty seat of a pair."""
        for pair in self.store.class_pairs(row.id):
            empty = next((role for role, who in pair.seats.items() if who is None and role not in pair.record), None)
            if empty is None or pair.ended:
                continue
            if self.store.update_pair(pair.id, pair.version, seats={**pair.seats, empty: key}):
                self.store.set_seat(key, empty, pair.id)
                self.store.publish(row.id, f"pair:{pair.id}")
                return True
        return False

    def make_pairs(self, row: ClassRow, students: list[PlayerRow] | None = None, shuffle: bool = True) -> list[PairRow]:
        """Pairs of the students not yet playing: the first of each pair in the scenario's first
        chair, the second in its second. Empty seats are filled first; an odd one out waits with an empty seat,
        which the next student to join takes, or the teacher hands to the record."""
        if len(self.scenario.roles) < 2:
            return []   # a scenario of one chair has no pairs to make
        waiting = [s for s in (students or self.store.class_players(row.id)) if s.log is None and s.pair_id is None]
        if shuffle:
            random.shuffle(waiting)
        waiting = [s for s in waiting if not self._fill_empty_seat(row, s.key)]
        made = []
        roles = list(self.scenario.roles)
        for i in range(0, len(waiting), 2):
            group = waiting[i:i + 2]
            seats: dict[str, str | None] = {roles[0]: group[0].key, roles[1]: group[1].key if len(group) > 1 else None}
            pair = PairRow(uuid.uuid4().hex[:12], row.id, seats)
            self.store.create_pair(pair)
            for role, key in seats.items():
                if key is not None:
                    self.store.set_seat(key, role, pair.id)
            made.append(pair)
        self.store.publish(row.id, "class")
        return made

    def set_flag(self, row: ClassRow, name: str, on: bool) -> None:
        if name in ("paused", "hold_debrief", "ended"):
            self.store.update_class(row.id, **{name: on})
            self.store.publish(row.id, "class")

    def set_path(self, row: ClassRow, path: str) -> None:
        if path in self.scenario.paths:
            self.store.update_class(row.id, path=path)
            self.store.publish(row.id, "class")

    def extend(self, row: ClassRow, hours: float) -> None:
        hours = max(0.25, min(72.0, hours))
        self.store.update_class(row.id, expires=self.clock() + hours * 3600)
        self.store.publish(row.id, "class")

    # --- what the dashboard shows ------------------------------------------------------------------

    def summary(self, row: ClassRow) -> ClassSummary:
        out = ClassSummary(row, pairs=self.store.class_pairs(row.id))
        pairs = {p.id: p for p in out.pairs}
        bars: dict[str, Bar] = {}
        for number, student in enumerate(self.store.class_players(row.id), 1):
            log = student.log
            if student.pair_id and student.pair_id in pairs:
                log = pairs[student.pair_id].log
            game = self._game(student.pair_id or student.key, log, student.seat) if log else None
            label = student.name or f"Student {number}"
            if game is None:
                out.students.append(StudentView(student.key, label, student.seat, student.pair_id, "not started", 0,
                                                False))
                continue
            mine = [c for c in game.chosen if student.seat is None or c[2] == student.seat or not student.pair_id]
            out.students.append(StudentView(student.key, label, student.seat or game.role, student.pair_id, game.moment,
                                            len(mine), game.finished, game.ending, game.matched, game.total))
            for choice_id, option_id, _by in mine:
                choice = self.scenario.choices().get(choice_id)
                if choice is None or choice.historical is None:
                    continue
                bar = bars.setdefault(choice_id, Bar(choice_id, choice.moment, choice.by))
                bar.faced += 1
                bar.followed += int(option_id == choice.historical.id)
            if game.finished:
                out.endings[game.ending] = out.endings.get(game.ending, 0) + 1
                for objective_id, met in game.objectives:
                    done, of = out.objectives.get(objective_id, (0, 0))
                    out.objectives[objective_id] = (done + int(met), of + 1)
        if self._order is None:
            self._order = {c: i for i, c in enumerate(self._story_order())}
        out.bars = sorted(bars.values(), key=lambda b: self._order.get(b.choice_id, 10**6))
        return out

    def _story_order(self) -> list[str]:
        """Choice point ids in the order the record meets them on every path (for the bars)."""
        order: list[str] = []
        for path in self.scenario.paths:
            session = PlaySession(self.scenario, BOTH, path, replay=True)
            for _ in range(10_000):
                shown = session.advance()
                if shown.ended:
                    break
                for c in session.runner.state.chosen[len(order):]:
                    if c.choice not in order:
                        order.append(c.choice)
        return order

    def _game(self, owner: str, log: str, seat: str | None) -> _Game | None:
        cache_key = (owner, hash(log))
        cached = self._games.get(cache_key)
        if cached is not None:
            return cached
        try:
            saved = parse_log(log.encode("utf-8"))
            session = PlaySession.resume(self.scenario, saved, None)
        except (LogError, RunnerError, UnicodeError):
            return None
        for _ in range(10_000):               # on to the next stop (the record answers the other side)
            shown = session.advance()
            if shown.ended or shown.choice is not None:
                break
        state = session.runner.state
        chosen = [(c.choice, c.option, c.by) for c in state.chosen if not c.auto]
        last = self.scenario.choices().get(state.chosen[-1].choice) if state.chosen else None
        game = _Game(chosen, last.moment if last else "the opening", session.ended, uid=saved.header.uid,
                     role=saved.header.role)
        if session.ended:
            report = build_debrief(session.runner)
            game.ending = report.ending.title
            game.objectives = tuple((o.objective.id, o.met) for r in report.roles for o in r.objectives
                                    if seat is None or r.role.id == seat)
            mine = [r for r in report.roles if seat is None or r.role.id == seat]
            game.matched = sum(r.matched for r in mine)
            game.total = sum(r.total for r in mine)
        if len(self._games) > 20_000:
            self._games.clear()
        self._games[cache_key] = game
        return game

    def uids(self, row: ClassRow) -> list[str]:
        """The results ids of the class's games (for the exports)."""
        out = []
        logs = [s.log for s in self.store.class_players(row.id)] + [p.log for p in self.store.class_pairs(row.id)]
        for log in logs:
            if not log:
                continue
            try:
                out.append(parse_log(log.encode("utf-8")).header.uid)
            except (LogError, UnicodeError):
                continue
        return list(dict.fromkeys(out))
