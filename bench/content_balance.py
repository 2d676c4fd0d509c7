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
- register: a Flesch–Kincaid grade for the record's text, the game's invented speech, and the
  explanations (notes, glossary, timeline, epilogues).

The functions are also used by tests/test_lesson_*.py, so the figures and the tests agree.
"""

from __future__ import annotations

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
from game.engine.expressions import holds  # noqa: E402
from game.engine.loader import load_scenario  # noqa: E402
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
    for role in [*sc.roles, BOTH]:
        counts, _ = random_endings(sc, role, "full", seeds)
        top, n = counts.most_common(1)[0]
        shares = ", ".join(f"{e} {pct(c, seeds)}" for e, c in counts.most_common())
        rows.append((role, shares, f"{top} {pct(n, seeds)}", "none > 40%"))
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
