"""Property tests: random play of every role and path always ends, and never crashes."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine.runner import ChoiceEvent, EndEvent, Runner
from game.engine.scoring import build_debrief
from game.session.log import ChoiceLog, read_log
from game.session.play import PlaySession

MAX_EVENTS = 5_000


def play(scenario, role: str, path: str, picks: list[int], rollbacks: list[bool], log: ChoiceLog | None = None,
         stop_after: int | None = None) -> Runner:
    session = PlaySession(scenario, role, path, log=log)
    session.begin()
    runner = session.runner
    i = 0
    for _ in range(MAX_EVENTS):
        event = runner.advance()
        if isinstance(event, EndEvent):
            return runner
        if isinstance(event, ChoiceEvent):
            assert event.options, f"no option offered at {event.choice.id}"
            if stop_after is not None and i >= stop_after:
                return runner
            if rollbacks and rollbacks[i % len(rollbacks)] and i % 7 == 3 and session.can_go_back:
                session.go_back()
                i += 1
                continue
            spoken = session.choose(event.options[picks[i % len(picks)] % len(event.options)])
            assert spoken.line is not None
            i += 1
    raise AssertionError(f"no ending after {MAX_EVENTS} events ({role}, {path})")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    role=st.sampled_from(["shah", "soviet", "both"]),
    path=st.sampled_from(["full", "short"]),
    picks=st.lists(st.integers(min_value=0, max_value=8), min_size=1, max_size=40),
    rollbacks=st.lists(st.booleans(), max_size=5),
)
def test_random_play_always_ends_with_a_complete_debrief(shipped, role, path, picks, rollbacks):
    runner = play(shipped, role, path, picks, rollbacks)
    debrief = build_debrief(runner)
    assert debrief.ending.id in {e.id for e in shipped.endings}
    expected_roles = 2 if role == "both" else 1
    assert len(debrief.roles) == expected_roles
    for result in debrief.roles:
        assert 0 <= result.matched <= result.total
        assert len(result.objectives) == len(shipped.roles[result.role.id].objectives)



@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    role=st.sampled_from(["shah", "soviet", "both"]),
    path=st.sampled_from(["full", "short"]),
    picks=st.lists(st.integers(min_value=0, max_value=8), min_size=1, max_size=40),
    rollbacks=st.lists(st.booleans(), max_size=5),
    stop_after=st.integers(min_value=0, max_value=30),
)
def test_the_choice_log_replays_any_session_exactly(shipped, role, path, picks, rollbacks, stop_after):
    """Autosave is a log of decisions: replaying it anywhere in a session (after going back too)
    gives the same state as the session had: the same lines said, choices, variables and place."""
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "autosave.log"
        runner = play(shipped, role, path, picks, rollbacks, ChoiceLog(file), stop_after)
        resumed = PlaySession.resume(shipped, read_log(file), None)
        while not isinstance(resumed.runner.advance(), ChoiceEvent | EndEvent):   # on to where the session stood
            pass
        state, again = runner.state, resumed.runner.state
        assert resumed.message == ""
        assert again.chosen == state.chosen and again.spoken == state.spoken
        assert again.variables == state.variables and again.visited == state.visited
        assert again.node == state.node


def test_every_ending_is_reached_by_random_play_of_some_role(shipped):
    reached = set()
    for seed in range(400):
        for role in ("shah", "soviet"):
            import random

            rng = random.Random(seed)
            runner = play(shipped, role, "full" if seed % 2 else "short", [rng.randrange(9) for _ in range(40)], [])
            reached.add(runner.state.ending)
        if reached == {e.id for e in shipped.endings}:
            break
    assert reached == {e.id for e in shipped.endings}


def test_record_autoplay_follows_the_record_everywhere_and_ends_historically(shipped):
    from game.engine.autoplay import RecordPolicy

    for role in ("shah", "soviet", "both"):
        for path in shipped.paths:
            runner = Runner(shipped, role, path)
            while not isinstance(event := runner.advance(), EndEvent):
                if isinstance(event, ChoiceEvent):
                    runner.choose(RecordPolicy().pick(event))
            debrief = build_debrief(runner)
            assert debrief.ending_is_historical, (role, path, debrief.ending.id)
            for result in debrief.roles:
                assert result.matched == result.total > 0
