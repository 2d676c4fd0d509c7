"""Figures for authors and teachers: how big each role's path is and how long it takes to read."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .autoplay import RecordPolicy
from .graph import reachable
from .model import Scenario
from .runner import BOTH, ChoiceEvent, EndEvent, LineEvent, Runner, players_for

WORDS_PER_MINUTE = 200


@dataclass
class PathStats:
    role: str
    path: str
    choice_points: int = 0
    record_lines: Counter = field(default_factory=Counter)
    record_words: int = 0
    record_cited: set[int] = field(default_factory=set)
    all_lines: Counter = field(default_factory=Counter)
    all_words: int = 0
    all_cited: set[int] = field(default_factory=set)
    paragraphs: int = 0

    @property
    def minutes(self) -> float:
        return self.record_words / WORDS_PER_MINUTE

    def share(self, cited: set[int]) -> float:
        return len(cited) / self.paragraphs if self.paragraphs else 0.0


def _words(text: str) -> int:
    return len(text.split())


def path_stats(scenario: Scenario, role: str, path: str) -> PathStats:
    stats = PathStats(role, path, paragraphs=len(scenario.source.paragraphs))
    players = players_for(scenario, role)
    for node_id in reachable(scenario, [scenario.paths[path].start], players):
        node = scenario.nodes[node_id]
        items = list(node.lines)
        if node.choice:
            options = node.choice.options if node.choice.by in players else (node.choice.fallback,)
            items += options
        for item in items:
            stats.all_lines[item.provenance] += 1
            stats.all_words += _words(item.text)
            stats.all_cited.update(item.refs)
    runner = Runner(scenario, role, path)
    policy = RecordPolicy()
    for _ in range(100_000):
        event = runner.advance()
        if isinstance(event, EndEvent):
            break
        if isinstance(event, ChoiceEvent):
            stats.choice_points += 1            # the moments a player meets on the record path
            event = runner.choose(policy.pick(event))
        assert isinstance(event, LineEvent)
        stats.record_lines[event.line.provenance] += 1
        stats.record_words += _words(event.line.text)
        stats.record_cited.update(event.line.refs)
    return stats


def all_stats(scenario: Scenario) -> list[PathStats]:
    roles = [*scenario.roles, BOTH] if len(scenario.roles) > 1 else list(scenario.roles)
    return [path_stats(scenario, r, p) for r in roles for p in scenario.paths]


def format_stats(scenario: Scenario, rows: list[PathStats]) -> str:
    head = (f"{'role':<8} {'path':<7} {'choices':>7} {'record path: lines rec/adp/inv':>31} "
            f"{'words':>6} {'min':>5} {'¶ cited':>8} {'all branches: lines':>20} {'words':>6} {'¶ cited':>8}")
    out = [f"{scenario.id}: {scenario.title} — {len(scenario.source.paragraphs)} source paragraphs, "
           f"reading at {WORDS_PER_MINUTE} words a minute", head, "-" * len(head)]
    for s in rows:
        rec = s.record_lines
        lines = f"{rec['record']}/{rec['adapted']}/{rec['invented']}"
        out.append(
            f"{s.role:<8} {s.path:<7} {s.choice_points:>7} {lines:>31} {s.record_words:>6} {s.minutes:>5.1f} "
            f"{s.share(s.record_cited):>7.0%} {sum(s.all_lines.values()):>20} {s.all_words:>6} {s.share(s.all_cited):>7.0%}"
        )
    out.append("")
    out.append("record path = every choice as the record shows it; all branches = everything this role can reach.")
    out.append("choices = choice points this role decides on the path; min = estimated reading minutes of the record path.")
    return "\n".join(out)
