"""The runner: lines, choices, auto-answers for the side nobody plays, rollback, endings."""

from __future__ import annotations

import pytest

from game.engine.runner import ChoiceEvent, EndEvent, LineEvent, Runner, RunnerError


def lines_until_choice(runner: Runner) -> list[str]:
    out = []
    while True:
        event = runner.advance()
        if isinstance(event, LineEvent):
            out.append(event.line.id)
        else:
            return out


def test_a_role_chooses_its_own_moments_and_the_record_answers_for_the_other(mini_scenario):
    runner = Runner(mini_scenario, "guest")
    assert lines_until_choice(runner) == ["start.l1", "start.l2"]
    event = runner.advance()
    assert isinstance(event, ChoiceEvent) and event.choice.id == "c-weather"
    assert runner.advance() == event  # asking again is safe
    spoken = runner.choose("c-weather.cold")
    assert spoken.line.id == "c-weather.cold" and spoken.line.speaker == "guest"
    auto = runner.advance()  # the host's choice: nobody plays the host, so the record speaks
    assert isinstance(auto, LineEvent) and auto.auto and auto.line.id == "c-tea.tea"
    end = runner.advance()
    assert isinstance(end, EndEvent) and end.ending.id == "tea"
    assert runner.state.variables == {"warmth": 1, "tea": True, "mood": "calm"}
    assert [c.auto for c in runner.state.chosen] == [False, True]


def test_both_players_choose_in_turn(mini_scenario):
    runner = Runner(mini_scenario, "both")
    lines_until_choice(runner)
    assert runner.advance().choice.by == "guest"
    runner.choose(1)
    event = runner.advance()
    assert isinstance(event, ChoiceEvent) and event.choice.by == "host"
    runner.choose("c-tea.none")
    assert [e.line.id for e in [runner.advance()]] == ["close.l1"]  # conditional line: tea is false
    assert runner.advance().ending.id == "nothing"


def test_effects_clamp_to_declared_bounds_and_endings_follow_order(mini_scenario):
    runner = Runner(mini_scenario, "guest")
    lines_until_choice(runner)
    runner.choose("c-weather.rude")
    assert runner.state.variables["mood"] == "cross"
    while not isinstance(event := runner.advance(), EndEvent):
        pass
    assert event.ending.id == "cross"
    runner2 = Runner(mini_scenario, "guest")
    runner2.state.variables["warmth"] = 2
    runner2._apply(mini_scenario.nodes["start"].choice.options[0].effects)
    assert runner2.state.variables["warmth"] == 2


def test_rollback_returns_to_the_previous_choice_with_its_state(mini_scenario):
    runner = Runner(mini_scenario, "both")
    lines_until_choice(runner)
    assert runner.rollback() is False  # nothing before the first choice
    runner.advance()
    runner.choose("c-weather.cold")
    assert isinstance(runner.advance(), ChoiceEvent)
    before = len(runner.state.spoken)
    assert runner.rollback() is True
    event = runner.advance()
    assert event.choice.id == "c-weather"
    assert runner.state.variables["warmth"] == 0
    assert len(runner.state.spoken) == before - 1
    runner.choose("c-weather.rude")
    assert runner.advance().line.id == "host.cross.l1"
    assert runner.rollback() is True  # from lines after a choice: re-open that choice
    assert runner.advance().choice.id == "c-weather"
    assert runner.state.variables["mood"] == "calm"


def test_same_choices_give_the_same_session(mini_scenario):
    def play(picks):
        runner = Runner(mini_scenario, "both")
        seen = []
        while not isinstance(event := runner.advance(), EndEvent):
            if isinstance(event, ChoiceEvent):
                event = runner.choose(picks.pop(0))
            seen.append(event.line.id)
        return seen, runner.state.to_json()

    assert play([1, 1]) == play([1, 1])
    assert play([1, 1]) != play([1, 2])


def test_bad_requests_raise_runner_errors(mini_scenario):
    with pytest.raises(RunnerError):
        Runner(mini_scenario, "waiter")
    with pytest.raises(RunnerError):
        Runner(mini_scenario, "guest", "long")
    runner = Runner(mini_scenario, "guest")
    with pytest.raises(RunnerError):
        runner.choose(1)
    lines_until_choice(runner)
    with pytest.raises(RunnerError):
        runner.choose(3)
    with pytest.raises(RunnerError):
        runner.choose("c-tea.tea")
