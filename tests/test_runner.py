"""The runner: lines, choices, auto-answers for the side nobody plays, rollback, endings."""

from __future__ import annotations

import pytest

from game.engine.runner import ChoiceEvent, EndEvent, LineEvent, Phase, Runner, RunnerError


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
    spoken = runner.choose_id("c-weather.cold")
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
    runner.choose_index(1)
    event = runner.advance()
    assert isinstance(event, ChoiceEvent) and event.choice.by == "host"
    runner.choose_id("c-tea.none")
    assert [e.line.id for e in [runner.advance()]] == ["close.l1"]  # conditional line: tea is false
    assert runner.advance().ending.id == "nothing"


def test_effects_clamp_to_declared_bounds_and_endings_follow_order(mini_scenario):
    runner = Runner(mini_scenario, "guest")
    lines_until_choice(runner)
    runner.choose_id("c-weather.rude")
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
    runner.choose_id("c-weather.cold")
    assert isinstance(runner.advance(), ChoiceEvent)
    before = len(runner.state.spoken)
    assert runner.rollback() is True
    event = runner.advance()
    assert event.choice.id == "c-weather"
    assert runner.state.variables["warmth"] == 0
    assert len(runner.state.spoken) == before - 1
    runner.choose_id("c-weather.rude")
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
                event = runner.choose_index(picks.pop(0))
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
        runner.choose_index(1)
    lines_until_choice(runner)
    with pytest.raises(RunnerError):
        runner.choose_index(3)
    with pytest.raises(RunnerError):
        runner.choose_id("c-tea.tea")


def test_the_phase_says_what_advance_does_next_and_is_read_from_the_state(mini_scenario):
    import copy

    runner = Runner(mini_scenario, "guest")
    assert runner.phase is Phase.ENTER                      # the start node's effects are not applied yet
    runner.advance()
    assert runner.phase is Phase.SPEAK                      # start.l2 is left to say
    runner.advance()
    while not isinstance(runner.advance(), ChoiceEvent):
        pass
    assert runner.phase is Phase.CHOOSE
    again = Runner(mini_scenario, "guest", state=copy.deepcopy(runner.state))   # as a save restores it
    assert again.phase is Phase.CHOOSE and again.advance() == runner.advance()
    runner.choose_id("c-weather.cold")
    assert runner.phase in (Phase.ENTER, Phase.SPEAK, Phase.LEAVE)
    while not isinstance(runner.advance(), EndEvent):
        pass
    assert runner.phase is Phase.ENDED and runner.ended


def test_choose_takes_an_option_and_numbers_and_ids_have_their_own_calls(mini_scenario):
    runner = Runner(mini_scenario, "guest")
    event = lines_until_choice(runner) and runner.advance()
    assert isinstance(event, ChoiceEvent)
    with pytest.raises(TypeError, match="choose_index or choose_id"):
        runner.choose(1)
    with pytest.raises(TypeError):
        runner.choose("c-weather.cold")
    with pytest.raises(RunnerError, match="not offered"):
        runner.choose_index(len(event.options) + 1)
    with pytest.raises(RunnerError, match="not offered"):
        runner.choose_id("c-weather.nothing")
    assert runner.phase is Phase.CHOOSE                      # a refused answer leaves the choice open
    assert runner.choose_index(1).line.id == event.options[0].id


def test_a_jump_loop_is_stopped_after_its_budget_of_jumps(mini_scenario):
    import dataclasses

    from game.engine import runner as runner_module

    node = mini_scenario.nodes["start"]
    looped = dataclasses.replace(mini_scenario, nodes={**mini_scenario.nodes,
                                                       "start": dataclasses.replace(node, lines=(), goto="start",
                                                                                    choice=None, branch=(), end="")})
    runner = Runner(looped, "guest")
    with pytest.raises(RunnerError, match=f"jumps {runner_module.MAX_SILENT_STEPS} times"):
        runner.advance()
