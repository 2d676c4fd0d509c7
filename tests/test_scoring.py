"""Scoring compares, it does not grade: record match, objectives, ending beside history."""

from __future__ import annotations

from game.engine.autoplay import RecordPolicy
from game.engine.runner import ChoiceEvent, EndEvent, Runner
from game.engine.scoring import build_debrief


def finish(runner: Runner, picks: dict[str, str] | None = None) -> Runner:
    picks = picks or {}
    while not isinstance(event := runner.advance(), EndEvent):
        if isinstance(event, ChoiceEvent):
            wanted = picks.get(event.choice.id)
            runner.choose_id(wanted) if wanted else runner.choose(RecordPolicy().pick(event))
    return runner


def test_record_path_matches_every_moment_and_reaches_the_historical_ending(mini_scenario):
    debrief = build_debrief(finish(Runner(mini_scenario, "guest")))
    assert debrief.ending.id == "tea" and debrief.ending_is_historical
    (guest,) = debrief.roles
    assert (guest.matched, guest.total) == (1, 1)
    assert [r.met for r in guest.objectives] == [True]
    comparison = guest.comparisons[0]
    assert comparison.followed and comparison.historical.refs == (3,)


def test_leaving_the_record_is_listed_beside_the_record(mini_scenario):
    debrief = build_debrief(finish(Runner(mini_scenario, "both"), {"c-tea": "c-tea.none"}))
    guest, host = debrief.roles
    assert (guest.matched, guest.total, host.matched, host.total) == (1, 1, 0, 1)
    assert [c.choice.id for c in host.departures] == ["c-tea"]
    assert host.comparisons[0].chosen.id == "c-tea.none"
    assert host.comparisons[0].historical.id == "c-tea.tea"
    assert [r.met for r in host.objectives] == [False]
    assert debrief.ending.id == "nothing" and not debrief.ending_is_historical
    assert [s.id for s in debrief.minutes][-2:] == ["c-tea.none", "close.l1"]


def test_auto_answers_for_the_other_side_are_not_scored(mini_scenario):
    debrief = build_debrief(finish(Runner(mini_scenario, "host")))
    (host,) = debrief.roles
    assert host.total == 1 and host.comparisons[0].choice.by == "host"
