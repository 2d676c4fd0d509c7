"""Choices that matter (issue 13, §1): early departures change the ending, random play spreads
over the endings, sensible strategies end differently, and a conciliatory Soviet player still
hears the proposal, the silence and "This will be sufficient".

The figures come from bench/content_balance.py, which prints them; these tests hold the targets.
"""

from __future__ import annotations

from collections import Counter

import pytest

from bench.content_balance import (
    departure_share,
    play,
    random_endings,
    record_pick,
    single_departures,
    strategies,
)
from game.engine.runner import BOTH

SEEDS = 2000


@pytest.mark.parametrize("role", ["shah", "soviet"])
def test_one_departure_changes_the_ending_at_a_third_of_the_early_choice_points(shipped, role):
    deps = single_departures(shipped, role, "full")
    assert all(d.record_ending == shipped.historical_ending.id for d in deps)
    changed, total = departure_share(deps)
    assert total >= 9, "the first two-thirds of the talks should hold most of the choice points"
    assert 3 * changed >= total, f"{role}: only {changed} of {total} early choice points change the ending"
    # and not only in act 4: some act 1-3 choice points change it
    assert any(d.changes and not d.choice.startswith("act4.") for d in deps)


@pytest.mark.parametrize("role", ["shah", "soviet", BOTH])
def test_no_ending_takes_more_than_forty_percent_of_random_play(shipped, role):
    counts, runners = random_endings(shipped, role, "full", SEEDS)
    top, n = counts.most_common(1)[0]
    assert 100 * n <= 40 * SEEDS, f"{role}: '{top}' ends {n} of {SEEDS} random sessions"
    assert len(counts) >= 5, counts


def test_random_play_of_the_class_path_is_spread_too(shipped):
    for role in ("shah", "soviet", BOTH):
        counts, _ = random_endings(shipped, role, "class", 500)
        top, n = counts.most_common(1)[0]
        assert 100 * n <= 50 * 500, (role, counts)


def test_at_least_three_sensible_strategies_per_role_end_differently(shipped):
    found = strategies(shipped)
    for role in shipped.roles:
        endings = {s.ending for s in found if s.role == role and s.path == "full"}
        assert len(endings) >= 3, (role, endings)
        assert shipped.historical_ending.id in endings   # the record is one of them, not the only one


def test_every_strategy_plan_follows_the_record_where_it_does_not_say_otherwise(shipped):
    """A strategy is a sensible line of play, not a random walk: it leaves the record at a few
    named moments and must still be a complete game."""
    for s in strategies(shipped):
        assert s.ending, s.file
        if s.name == "the record":
            assert s.followed[0] == s.followed[1] or s.role == BOTH, s.file


def conciliatory_pick(event, n):
    """The option that raises the Shah's trust most and the tension least (else the record's)."""
    def change(option, variable):
        total = 0
        for effect in option.effects:
            if effect.target == variable and effect.op in ("+=", "-="):
                amount = int(effect.source.rsplit("=", 1)[1])
                total += amount if effect.op == "+=" else -amount
        return total

    def score(option):
        return (change(option, "shah_trust") - change(option, "tension"), option is event.choice.fallback)
    if event.choice.by != "soviet":
        return record_pick(event, n)
    return max(event.options, key=score)


@pytest.mark.parametrize("path", ["full", "class"])
def test_a_conciliatory_soviet_player_still_reaches_the_proposal_the_silence_and_this_will_be_sufficient(shipped, path):
    runner = play(shipped, "soviet", path, conciliatory_pick)
    heard = {r for s in runner.state.spoken for r in s.refs}
    assert {76, 77, 78, 83, 84, 85} <= heard, sorted(heard & set(range(70, 90)))
    assert runner.state.ending != "cold-break"
    for s in strategies(shipped):
        if s.role == "soviet" and s.name == "the conciliator":
            assert {76, 77, 78, 84} <= s.spoken_refs, s.file


def test_tension_can_come_down(shipped):
    """De-escalation is a real move: some options of each side lower the tension, and some are
    offered only when the talk has grown heated."""
    lowering = Counter()
    heated_only = Counter()
    for choice in shipped.choices().values():
        for option in choice.options:
            if any(e.target == "tension" and "-=" in e.source for e in option.effects):
                lowering[choice.by] += 1
                if option.condition is not None and "tension >=" in option.condition.source:
                    heated_only[choice.by] += 1
    assert lowering["shah"] >= 6 and lowering["soviet"] >= 6, lowering
    assert heated_only["shah"] >= 2 and heated_only["soviet"] >= 2, heated_only


def test_the_record_path_itself_ends_as_the_record_does(shipped):
    for role in ("shah", "soviet", BOTH):
        for path in shipped.paths:
            assert play(shipped, role, path, record_pick).state.ending == shipped.historical_ending.id
