"""Content balance: do the choices matter, is the scoring fair, does a path fit a class period?

Run from the project root:  python bench/content_balance.py   (about half a minute)

It prints, for the shipped scenario (issue 13's targets in the last column):
- single departures: follow the record, leave it at one choice point only (each other option
  offered there), follow the record again; at how many of the choice points in the first
  two-thirds of the talks does some departure change the ending?   target >= 1/3
- random play: the share of each ending over many seeded random sessions, per role and for two
  players.                                                           target: none > 40%
- strategies: the golden plans marked "# Strategy:" in tests/plans, with the ending and the
  objectives each reaches (>= 3 distinct endings per role; all objectives by >= 2 routes; the
  record path not the best score).
- reading: the words of each path as `validate --stats` counts them (lines spoken on the
  record path) and as a reader meets them (also the intro, objectives, prompts and every
  option offered), in minutes at 200 words a minute; the debrief's words as the window shows
  them (tabs Outcome, Your choices, What came next, Discuss; citation lines counted apart).
- claims: how many of the random sessions end with an ending whose `objectives:` (what it
  implies or rules out) the session's own score contradicts.            target: 0
- register: a Flesch–Kincaid grade for the record's text, the game's invented speech, and the
  explanations (notes, glossary, timeline, epilogues).

The functions are also used by tests/test_lesson_*.py, so the figures and the tests agree.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.table import print_table  # noqa: E402
from game.engine.autoplay import RandomPolicy, RecordPolicy  # noqa: E402
from game.engine.checked import load_scenario  # noqa: E402
from game.engine.expressions import Condition, calls_in, holds  # noqa: E402
from game.engine.model import Option, Scenario  # noqa: E402
from game.engine.runner import BOTH, ChoiceEvent, EndEvent, LineEvent, Runner  # noqa: E402
from game.engine.scoring import build_debrief  # noqa: E402
from game.engine.stats import WORDS_PER_MINUTE, path_stats  # noqa: E402
from game.engine.testplan import parse_plan, run_plan  # noqa: E402

PLANS = ROOT / "tests" / "plans"
MAX_EVENTS = 5_000
Picker = Callable[[ChoiceEvent, int], Option]


def shipped() -> Scenario:
    return load_scenario(ROOT, "moscow-1956")


def play(scenario: Scenario, role: str, path: str, pick: Picker) -> Runner:
    """Play one session; `pick(event, n)` answers the n-th choice point the players decide (0-based)."""
    runner = Runner(scenario, role, path)
    n = 0
    for _ in range(MAX_EVENTS):
        event = runner.advance()
        if isinstance(event, EndEvent):
            return runner
        if isinstance(event, ChoiceEvent):
            runner.choose(pick(event, n))
            n += 1
    raise RuntimeError(f"no ending after {MAX_EVENTS} events ({role}, {path})")


def record_pick(event: ChoiceEvent, n: int) -> Option:
    return RecordPolicy().pick(event)


def met_objectives(runner: Runner) -> dict[str, tuple[str, ...]]:
    """Role id -> ids of the objectives met at the end of this session (every role, played or not)."""
    return {role.id: tuple(o.id for o in role.objectives if holds(o.met, runner))
            for role in runner.scenario.roles.values()}


# --- what the endings claim ------------------------------------------------------------------


def claims(scenario: Scenario) -> dict[str, dict[str, bool]]:
    """Ending id -> {objective id: met (True) or not met (False)}: the ending's `objectives:`."""
    return {e.id: {c.objective: c.met for c in e.objectives} for e in scenario.endings}


def against_claims(runner: Runner) -> list[str]:
    """The objectives whose score at the end of this session contradicts what its ending claims:
    the debrief would show, say, "A cold parting" beside "part as friends: met"."""
    met = {o for ids in met_objectives(runner).values() for o in ids}
    claimed = claims(runner.scenario).get(runner.state.ending or "", {})
    return [o for o, must in claimed.items() if (o in met) != must]


Outcome = tuple[str, frozenset[str]]   # the ending reached and the objectives met (of every role)


class TooManyStates(RuntimeError):
    """Playing every session would take more than the states allowed: sample instead."""


def every_session(scenario: Scenario, role: str, path: str, max_states: int = 20_000) -> Counter[Outcome]:
    """Every session of this role and path, played through the engine: how many end with each
    ending and score. Sessions that agree on everything the conditions read (the node, the
    variables, the `visited`/`chose` calls some condition makes) go on alike, so each such state
    at a choice point is played once and its sessions counted; past `max_states` it stops
    (TooManyStates) rather than run for hours or fill memory."""
    watched = _watched_calls(scenario)
    memo: dict[tuple, Counter[Outcome]] = {}

    def key(runner: Runner) -> tuple:
        st = runner.state
        return (st.node, st.pending, st.entered, st.next_line, tuple(sorted(st.variables.items())),
                frozenset(("visited", n) for n in st.visited if ("visited", n) in watched),
                frozenset(("chose", c.option) for c in st.chosen if ("chose", c.option) in watched))

    def from_here(runner: Runner, depth: int) -> Counter[Outcome]:
        for _ in range(MAX_EVENTS):
            event = runner.advance()
            if isinstance(event, EndEvent):
                met = frozenset(o for ids in met_objectives(runner).values() for o in ids)
                return Counter({(runner.state.ending or "", met): 1})
            if isinstance(event, ChoiceEvent):
                break
        else:
            raise RuntimeError(f"no choice or ending after {MAX_EVENTS} events ({role}, {path})")
        here = key(runner)
        if here in memo:
            return memo[here]
        if len(memo) >= max_states or depth > MAX_DEPTH:
            raise TooManyStates(f"more than {max_states:,} states at choice points ({role}, {path})")
        out: Counter[Outcome] = Counter()
        for option in event.options:
            st = runner.state   # a copy for each option; the minutes and rollback are not needed here
            state = dataclasses.replace(st, variables=dict(st.variables), visited=list(st.visited),
                                        chosen=list(st.chosen), spoken=[], snapshots=[])
            branch = Runner(scenario, st.role, st.path, state=state)
            branch.choose(option)
            out.update(from_here(branch, depth + 1))
        memo[here] = out
        return out

    return from_here(Runner(scenario, role, path), 0)


MAX_DEPTH = 500   # choice points in one session: far more than any scenario has, well within the stack


def _watched_calls(scenario: Scenario) -> set[tuple[str, str]]:
    """The `visited(...)` and `chose(...)` calls some condition of the scenario makes."""
    conditions: list[Condition | None] = [o.met for r in scenario.roles.values() for o in r.objectives]
    conditions += [e.when for e in scenario.endings]
    for node in scenario.nodes.values():
        conditions += [line.condition for line in node.lines] + [arm.condition for arm in node.branch]
        if node.choice:
            conditions += [o.condition for o in node.choice.options]
    return {call for c in conditions if c is not None for call in calls_in(c.expr)}


def sessions_against_claims(scenario: Scenario, counts: Counter[Outcome]) -> int:
    """How many of these sessions end with an ending whose claims their own score contradicts."""
    table = claims(scenario)
    return sum(n for (ending, met), n in counts.items()
               if any((o in met) != must for o, must in table.get(ending, {}).items()))


# --- single departures -------------------------------------------------------------------------


@dataclass
class Departure:
    number: int                  # 1-based place of the choice point among the role's, on the record path
    choice: str
    endings: dict[str, str]      # option id -> ending reached when only this choice leaves the record

    @property
    def changes(self) -> bool:
        return any(e != self.record_ending for e in self.endings.values())

    record_ending: str = ""


def record_choice_points(scenario: Scenario, role: str, path: str) -> list[str]:
    seen: list[str] = []

    def pick(event: ChoiceEvent, n: int) -> Option:
        seen.append(event.choice.id)
        return record_pick(event, n)

    play(scenario, role, path, pick)
    return seen


def single_departures(scenario: Scenario, role: str, path: str = "full") -> list[Departure]:
    record_ending = play(scenario, role, path, record_pick).state.ending or ""
    points = record_choice_points(scenario, role, path)
    out = []
    for k, choice_id in enumerate(points):
        choice = scenario.choices()[choice_id]
        endings: dict[str, str] = {}
        for option in choice.options:
            if option is choice.fallback:
                continue

            def pick(event: ChoiceEvent, n: int, k=k, option=option) -> Option:
                if n == k and option in event.options:
                    return option
                return record_pick(event, n)

            runner = play(scenario, role, path, pick)
            if option.id in runner._chosen:      # the option was offered at that moment
                endings[option.id] = runner.state.ending or ""
        out.append(Departure(k + 1, choice_id, endings, record_ending))
    return out


def first_two_thirds(departures: list[Departure]) -> list[Departure]:
    return departures[: (2 * len(departures)) // 3]


def departure_share(departures: list[Departure]) -> tuple[int, int]:
    early = first_two_thirds(departures)
    return sum(1 for d in early if d.changes), len(early)


# --- random play -------------------------------------------------------------------------------


def random_endings(scenario: Scenario, role: str, path: str, seeds: int) -> tuple[Counter, list[Runner]]:
    counts: Counter = Counter()
    runners = []
    for seed in range(seeds):
        policy = RandomPolicy(seed)
        runner = play(scenario, role, path, lambda e, n, p=policy: p.pick(e))
        counts[runner.state.ending] += 1
        runners.append(runner)
    return counts, runners


# --- strategies (golden plans marked "# Strategy: name") ---------------------------------------


@dataclass
class Strategy:
    file: str
    name: str
    role: str
    path: str
    ending: str = ""
    met: dict[str, tuple[str, ...]] = field(default_factory=dict)
    spoken_refs: set[int] = field(default_factory=set)
    followed: tuple[int, int] = (0, 0)


def strategies(scenario: Scenario) -> list[Strategy]:
    out = []
    for file in sorted(PLANS.glob("*.testplan")):
        text = file.read_text(encoding="utf-8")
        m = re.search(r"^# Strategy: (.+)$", text, re.M)
        if not m:
            continue
        plan = parse_plan(text, file.name)
        runner = run_plan(scenario, plan, file.name)
        report = build_debrief(runner)
        result = report.roles[0] if plan.role != BOTH else None
        s = Strategy(file.name, m.group(1).strip(), plan.role, plan.path, runner.state.ending or "",
                     met_objectives(runner), {r for sp in runner.state.spoken for r in sp.refs},
                     (result.matched, result.total) if result else (0, 0))
        out.append(s)
    return out


# --- reading -----------------------------------------------------------------------------------


def words(text: str) -> int:
    return len(text.split())


def reading_words(scenario: Scenario, role: str, path: str) -> int:
    """What a reader of the record path meets before the debrief: intro, objectives, every line,
    each prompt and each option offered (its label, or its text when it has none)."""
    roles = list(scenario.roles) if role == BOTH else [role]
    total = sum(words(scenario.roles[r].intro) + sum(words(o.text) for o in scenario.roles[r].objectives)
                for r in roles)
    runner = Runner(scenario, role, path)
    policy = RecordPolicy()
    for _ in range(MAX_EVENTS):
        event = runner.advance()
        if isinstance(event, EndEvent):
            return total
        if isinstance(event, ChoiceEvent):
            total += words(event.choice.prompt or "") + sum(words(o.label or o.text) for o in event.options)
            event = runner.choose(policy.pick(event))
        assert isinstance(event, LineEvent)
        total += words(event.line.text)
    raise RuntimeError("no ending")


def debrief_words(runner: Runner) -> tuple[int, int]:
    """Words of the window's debrief tabs (as game/ui/scenes/debrief.py lays them out), and of
    the citation lines under them, counted apart."""
    from game.engine.citations import cite_list

    report = build_debrief(runner)
    sc = report.scenario
    body = [report.ending.title, report.ending.summary, "This is the ending the record shows."]
    cites: list[str] = []
    for result in report.roles:
        body.append(f"{result.role.title}: the record at {result.matched} of {result.total} moments")
        body += [f"Met: {o.objective.text}" + " " + o.objective.why for o in result.objectives]
        for c in result.comparisons:
            body.append(c.choice.moment)
            if c.chosen is not None and not c.followed:
                body.append(c.chosen.text)
            if c.historical is not None:
                body.append(c.historical.text)
            body.append("Why: " + c.choice.note)
            if c.choice.sources:
                cites.append(cite_list(sc, c.choice.sources))
        body += [o.objective.why for o in result.objectives if False]
    body += [sc.outcome, report.ending.epilogue]
    if report.ending.sources:
        cites.append(cite_list(sc, report.ending.sources))
    for item in sc.history:
        body += [item.date, item.text, item.uncertain if isinstance(item.uncertain, str) else ""]
        if item.sources:
            cites.append(cite_list(sc, item.sources))
    body += list(report.questions)
    body += [sc.source_note or sc.source.note, sc.date_note]
    cites.append(sc.source.citation)
    return sum(words(b) for b in body if b), sum(words(c) for c in cites)


# --- register ----------------------------------------------------------------------------------


def _syllables(word: str) -> int:
    word = word.lower().strip(".,;:!?\"'()[]“”‘’—–-")
    if not word:
        return 0
    groups = re.findall(r"[aeiouy]+", word)
    n = len(groups)
    if word.endswith("e") and n > 1 and not word.endswith(("le", "ee")):
        n -= 1
    return max(1, n)


def fk_grade(texts: list[str]) -> float:
    text = " ".join(texts)
    sentences = max(1, len(re.findall(r"[.!?]+(?=\s|$)", text)))
    ws = [w for w in text.split() if re.search(r"[A-Za-z]", w)]
    if not ws:
        return 0.0
    syl = sum(_syllables(w) for w in ws)
    return 0.39 * len(ws) / sentences + 11.8 * syl / len(ws) - 15.59


def register(scenario: Scenario) -> dict[str, float]:
    record, invented = [], []
    for node in scenario.nodes.values():
        items = list(node.lines) + (list(node.choice.options) if node.choice else [])
        for item in items:
            speaker = scenario.speakers.get(item.speaker)
            person = speaker is None or speaker.is_person
            if item.provenance == "record":
                record.append(item.text)
            elif item.provenance == "invented" and person:
                invented.append(item.text)
    notes = [n.choice.note for n in scenario.nodes.values() if n.choice]
    explain = notes + [g.text for g in scenario.glossary] + [h.text for h in scenario.history]
    explain += [e.epilogue for e in scenario.endings] + [o.why for r in scenario.roles.values() for o in r.objectives]
    return {"record text": fk_grade(record), "invented speech": fk_grade(invented),
            "explanations (notes, glossary, timeline, epilogues)": fk_grade(explain)}


# --- the report --------------------------------------------------------------------------------


def pct(n: int, total: int) -> str:
    return f"{100 * n / total:.0f}%" if total else "-"


def main(seeds: int = 2000) -> int:
    sc = shipped()
    print(f"Content balance of {sc.id} ({seeds} random seeds per role)\n")

    rows = []
    for role in sc.roles:
        deps = single_departures(sc, role, "full")
        changed, total = departure_share(deps)
        pairs = [(d, o, e) for d in first_two_thirds(deps) for o, e in d.endings.items()]
        moved = sum(1 for d, o, e in pairs if e != d.record_ending)
        rows.append((f"{role}: choice points (first 2/3) where one departure changes the ending",
                     f"{changed} of {total}", pct(changed, total), ">= 33%"))
        rows.append((f"{role}: departures (first 2/3) that change the ending",
                     f"{moved} of {len(pairs)}", pct(moved, len(pairs)), "(for information)"))
    print_table(("single departures, full path", "count", "share", "target"), rows)
    print()

    rows = []
    against = 0
    for role in [*sc.roles, BOTH]:
        counts, runners = random_endings(sc, role, "full", seeds)
        against += sum(1 for r in runners if against_claims(r))
        top, n = counts.most_common(1)[0]
        shares = ", ".join(f"{e} {pct(c, seeds)}" for e, c in counts.most_common())
        rows.append((role, shares, f"{top} {pct(n, seeds)}", "none > 40%"))
    rows.append(("sessions whose score contradicts their ending's `objectives:`", "",
                 f"{against} of {seeds * (len(sc.roles) + 1)}", "0"))
    print_table(("random play, full path", "endings", "largest", "target"), rows)
    print()

    rows = []
    for s in strategies(sc):
        mine = [r for r in sc.roles if s.role in (r, BOTH)]
        met = "; ".join(f"{r} {len(s.met[r])}/{len(sc.roles[r].objectives)}" for r in mine)
        rows.append((f"{s.role} / {s.path}: {s.name}", s.ending, met, s.file))
    print_table(("strategies (golden plans)", "ending", "objectives met", "plan"), rows)
    print()

    rows = []
    for path in sc.paths:
        for role in [*sc.roles, BOTH]:
            st = path_stats(sc, role, path)
            full = reading_words(sc, role, path)
            runner = play(sc, role, path, record_pick)
            body, cites = debrief_words(runner)
            target = {"class": "<= 20 min, >= 10 choices; debrief <= 10 min", "short": "<= 6 min"}.get(path, "")
            mine = [r for r in sc.roles if role in (r, BOTH)]
            played = sum(len(record_choice_points(sc, r, path)) for r in mine) if role != BOTH else \
                len(record_choice_points(sc, BOTH, path))
            rows.append((f"{path} / {role}", f"{played} ({st.choice_points})", f"{st.minutes:.1f}",
                         f"{full / WORDS_PER_MINUTE:.1f}", f"{body / WORDS_PER_MINUTE:.1f} (+{cites / WORDS_PER_MINUTE:.1f})",
                         target))
    print_table(("reading (record path)", "choices met (in graph)", "min (--stats)", "min (all read)", "debrief min (+cites)",
                 "target"), rows)
    print()
    rows = [(k, f"{v:.1f}", {"record text": "(the source)", "invented speech": "about the record's",
                             }.get(k, "8-9")) for k, v in register(sc).items()]
    print_table(("register", "grade", "target"), rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
