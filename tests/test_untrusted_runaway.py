"""Issue 10, class 4: content that passes `validate` and then runs forever.

`validate` finds nodes that can never reach an ending under the conditions it can decide
(constants, and comparisons the declared ranges settle); at run time a session that says
MAX_LINES_WITHOUT_CHOICE lines without giving the player a choice is stopped with a message.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine.checked import load_scenario, validate_folder
from game.engine.limits import MAX_LINES_WITHOUT_CHOICE
from game.engine.runner import ChoiceEvent, RunawayError, Runner

from .bounded import run_main
from .diagnostic_cases import MANIFEST, edit, write

CROSS = "dialogue/mini/host/cross.yaml"
NEVER = ["false", "not true", "1 > 2", "2 + 2 == 5", "false and visited('close')", "not (true or tea)",
         "warmth > 5", "warmth + 3 < 0", "mood == 'calm' and false", "-warmth > 2"]


def runaway(root: Path) -> list[str]:
    """The E402 messages `validate` gives for the content."""
    return [d.message for d in validate_folder(root).sorted() if d.code == "E402"]


def loop_with_exit(root: Path, condition: str) -> None:
    edit(root, CROSS, "    end: auto\n",
         f'    branch:\n      - {{if: "{condition}", goto: close}}\n      - {{goto: host.cross}}\n')


@pytest.mark.parametrize("condition", NEVER)
def test_a_loop_whose_only_exit_never_holds_is_found(mini: Path, condition: str):
    loop_with_exit(mini, condition)
    found = runaway(mini)
    assert found and "can never hold" in found[0], found


@pytest.mark.parametrize("condition", NEVER[:4])
def test_the_loop_is_found_across_several_nodes_and_files(mini: Path, condition: str):
    edit(mini, CROSS, "    end: auto\n", "    goto: host.sulk\n")
    write(mini, "dialogue/mini/host/sulk.yaml", f"""nodes:
  - id: host.sulk
    lines:
      - {{id: host.sulk.l1, speaker: host, provenance: invented, text: "Hmph."}}
    goto: host.wait
  - id: host.wait
    lines:
      - {{id: host.wait.l1, speaker: host, provenance: invented, text: "I wait."}}
    branch:
      - {{if: "{condition}", goto: close}}
      - {{if: "tea", goto: host.sulk}}
      - {{goto: host.cross}}
""")
    found = runaway(mini)
    assert len(found) == 3 and all("can never hold" in m for m in found), found


@pytest.mark.parametrize("condition", NEVER[:3])
def test_an_option_that_is_never_offered_is_no_way_out(mini: Path, condition: str):
    edit(mini, CROSS, "    end: auto\n", f"""    choice:
      id: c-loop
      by: host
      moment: "Again"
      note: "A loop."
      off_record: true
      options:
        - {{id: c-loop.out, provenance: invented, text: "Leave.", if: "{condition}", goto: close}}
        - {{id: c-loop.again, provenance: invented, text: "Again.", default: true, goto: host.cross}}
""")
    assert any("can never hold" in m for m in runaway(mini))


@pytest.mark.parametrize("condition", ["tea", "warmth > 1", "mood == 'cross'", "visited('tea')", "not tea",
                                       "warmth + warmth > 3", "true or false"])
def test_an_exit_that_may_hold_is_not_reported(mini: Path, condition: str):
    loop_with_exit(mini, condition)
    assert runaway(mini) == []


def test_an_arm_after_one_that_always_holds_is_never_taken(mini: Path):
    edit(mini, CROSS, "    end: auto\n",
         '    branch:\n      - {if: "1 == 1", goto: host.cross}\n      - {if: "tea", goto: close}\n'
         '      - {goto: close}\n')
    assert any("can never hold" in m for m in runaway(mini))


def test_the_shipped_content_has_no_such_loop(project_root: Path):
    assert [d for d in validate_folder(project_root).sorted() if d.code == "E402"] == []


# --- at run time --------------------------------------------------------------------------------

def undecidable_loop(root: Path, lines: int = 1) -> None:
    """A loop `validate` cannot rule out: its exit needs tea, which the rude guest never gets."""
    said = "".join(f'      - {{id: host.cross.l{i}, speaker: host, provenance: invented, text: "Then you may leave."}}\n'
                   for i in range(2, lines + 1))
    edit(root, CROSS, "    end: auto\n", '    branch:\n      - {if: "tea", goto: close}\n      - {goto: host.cross}\n')
    if said:
        edit(root, CROSS, "text: \"Then you may leave.\"}\n", "text: \"Then you may leave.\"}\n" + said)


@pytest.mark.parametrize("lines", [1, 7])
def test_the_runner_stops_a_session_that_talks_without_end(mini: Path, lines: int):
    undecidable_loop(mini, lines)
    scenario = load_scenario(mini)           # it passes every check
    runner = Runner(scenario, "guest")
    event = runner.advance()
    while not isinstance(event, ChoiceEvent):
        event = runner.advance()
    runner.choose(event.options[1])          # "Complain": the host sulks for ever
    said = 0
    with pytest.raises(RunawayError, match="without a choice"):
        while True:
            runner.advance()
            said += 1
    assert MAX_LINES_WITHOUT_CHOICE - 1 <= said <= MAX_LINES_WITHOUT_CHOICE


def test_a_loop_through_the_other_sides_answers_is_stopped_too(mini: Path):
    """The host's choice answered by the record for a guest player: no choice for the player."""
    edit(mini, "dialogue/mini/common/main.yaml", "historical: true, effects: [\"tea = true\"], goto: close}",
         "historical: true, goto: tea}")
    edit(mini, MANIFEST, 'when: "tea"', 'when: "visited(\'close\')"')
    # tea is no longer served on the way to `tea`: its claims about the tea would be false (E515)
    edit(mini, MANIFEST, ", objectives: {host.tea: met}", "")
    edit(mini, MANIFEST, ", objectives: {host.tea: not met}", "")
    scenario = load_scenario(mini)
    runner = Runner(scenario, "guest")
    event = runner.advance()
    while not isinstance(event, ChoiceEvent):
        event = runner.advance()
    runner.choose(event.options[0])
    with pytest.raises(RunawayError):
        for _ in range(3 * MAX_LINES_WITHOUT_CHOICE):
            runner.advance()


@pytest.mark.parametrize("command", [
    ("play", "--text", "--role", "guest", "--no-results"),
    ("plan", "--role", "guest", "--picks", "2"),
])
def test_play_and_plan_end_such_a_session_with_a_message_in_bounded_time_and_memory(mini: Path, command):
    undecidable_loop(mini)
    run = run_main(*command, "--content", str(mini), stdin="2\n")   # "Complain": the host sulks for ever
    assert not run.hung
    assert run.returncode == 1, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    assert "without a choice" in run.stdout + run.stderr
    assert len(run.stdout) < 4 * MAX_LINES_WITHOUT_CHOICE * 80       # bounded: not 112 MB
