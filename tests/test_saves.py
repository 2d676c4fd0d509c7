"""Saves: versioned JSON written atomically; edited content and damaged files handled gently."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from game.engine import saves
from game.engine.files import set_aside, write_atomic
from game.engine.runner import ChoiceEvent, EndEvent, Runner


def play_to_second_choice(scenario) -> Runner:
    runner = Runner(scenario, "both")
    while not isinstance(runner.advance(), ChoiceEvent):
        pass
    runner.choose("c-weather.cold")
    assert isinstance(runner.advance(), ChoiceEvent)
    return runner


def test_round_trip_continues_exactly(mini_scenario, tmp_path: Path):
    runner = play_to_second_choice(mini_scenario)
    path = tmp_path / "saves" / "slot.json"
    saves.save(runner.state, path)
    data = json.loads(path.read_text())
    assert data["format"] == saves.SAVE_FORMAT and data["version"] == saves.SAVE_VERSION
    restored = saves.load(path, mini_scenario)
    assert restored.messages == []
    assert restored.state == runner.state
    again = Runner(mini_scenario, "both", state=restored.state)
    assert again.advance().choice.id == "c-tea"
    assert again.rollback() and again.advance().choice.id == "c-weather"
    assert list(tmp_path.joinpath("saves").iterdir()) == [path]  # no temp files left behind


def test_a_vanished_line_restarts_its_node(mini_scenario):
    runner = Runner(mini_scenario, "guest")
    runner.advance()
    data = json.loads(saves.dumps(runner.state))
    data["next_line"] = "start.l9"
    restored = saves.loads(json.dumps(data), mini_scenario)
    assert any("no longer exists" in m for m in restored.messages)
    assert Runner(mini_scenario, "guest", state=restored.state).advance().line.id == "start.l1"


def test_a_vanished_node_goes_back_to_the_last_choice_that_exists(mini_scenario):
    runner = play_to_second_choice(mini_scenario)
    data = json.loads(saves.dumps(runner.state))
    data["node"] = "renamed-node"
    data["pending"] = None
    restored = saves.loads(json.dumps(data), mini_scenario)
    assert any("going back" in m for m in restored.messages)
    resumed = Runner(mini_scenario, "both", state=restored.state)
    assert resumed.advance().choice.id == "c-tea"
    assert len(restored.state.snapshots) == 2


def test_without_any_known_place_the_session_starts_again(mini_scenario):
    runner = Runner(mini_scenario, "guest")
    data = json.loads(saves.dumps(runner.state))
    data["node"] = "gone"
    restored = saves.loads(json.dumps(data), mini_scenario)
    assert restored.state.node == "start" and restored.messages


def test_changed_variables_fall_back_to_defaults_with_a_message(mini_scenario):
    state = Runner(mini_scenario, "guest").state
    data = json.loads(saves.dumps(state))
    data["variables"] = {"warmth": "hot", "mood": "calm", "retired": 3}
    restored = saves.loads(json.dumps(data), mini_scenario)
    assert restored.state.variables == {"warmth": 0, "tea": False, "mood": "calm"}
    assert len(restored.messages) == 2


@pytest.mark.parametrize(
    "text",
    ["", "{not json", "[]", '{"format": "other"}', '{"format": "moscow-1956-save", "version": 99, "scenario": "mini"}',
     '{"format": "moscow-1956-save", "version": 1, "scenario": "elsewhere"}',
     '{"format": "moscow-1956-save", "version": 1, "scenario": "mini", "role": "guest"}',
     '{"format": "moscow-1956-save", "version": 1, "scenario": "mini", "role": "guest", "path": "full", "node": "start", "chosen": [5]}'],
)
def test_damaged_saves_raise_save_error_not_crashes(mini_scenario, text):
    with pytest.raises(saves.SaveError):
        saves.loads(text, mini_scenario)


def test_corrupt_file_is_set_aside_not_deleted(tmp_path: Path):
    path = tmp_path / "slot.json"
    path.write_text("{garbage")
    moved = set_aside(path)
    assert not path.exists() and moved.read_text() == "{garbage"


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path: Path, monkeypatch):
    path = tmp_path / "slot.json"
    write_atomic(path, "old")

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(OSError):
        write_atomic(path, "new")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["slot.json"]


def test_state_of_a_finished_session_round_trips(mini_scenario):
    runner = Runner(mini_scenario, "guest")
    while not isinstance(event := runner.advance(), EndEvent):
        if isinstance(event, ChoiceEvent):
            runner.choose(1)
    restored = saves.loads(saves.dumps(runner.state), mini_scenario).state
    assert dataclasses.asdict(restored) == dataclasses.asdict(runner.state)
    assert Runner(mini_scenario, "guest", state=restored).advance().ending.id == "tea"
