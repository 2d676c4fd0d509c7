"""What an ending says about the objectives (`objectives:`), proved by `validate`: E515, E516, W003.

Built on the tiny `mini` scenario: its ending `tea` implies the host's objective `host.tea` (tea
served) and `nothing` rules it out. Each test breaks that in one way and reads what `validate`
prints, and the example values it shows are checked against the conditions themselves.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

from game.engine.cases import Case
from game.engine.checked import load_scenario, validate_folder
from game.engine.decide import Span
from game.engine.diagnostics import Diagnostics
from game.engine.expressions import evaluate, parse_condition
from game.engine.flow import exit_values
from game.engine.implies import check_implications
from game.engine.limits import MAX_CASE_WORK, MAX_CASES, MAX_FLOW_WORK
from game.engine.loader import load_folder
from game.engine.validator import validate_loaded

from .diagnostic_cases import MAIN, MANIFEST, edit, write

CROSS = "dialogue/mini/host/cross.yaml"
TEA = "objectives: {host.tea: met}"
NOTHING = "objectives: {host.tea: not met}"


def printed(root: Path, code: str | None = None) -> list[str]:
    return [str(d) for d in validate_folder(root, "").sorted() if code is None or d.code == code]


def example(line: str) -> Case:
    """The values after 'e.g.' in a message, as an assignment."""
    shown = line.split("e.g. ", 1)[1].removesuffix(" can hold here")
    values = {}
    for part in shown.split(", "):
        name, value = part.split(" = ")
        values[name] = {"true": True, "false": False}.get(value, value.strip("'") if "'" in value else None)
        if values[name] is None:
            values[name] = int(value)
    return Case(values, {})


def test_the_shipped_claims_and_the_fixtures_pass(mini: Path, shipped):
    assert printed(mini) == []
    assert all(e.objectives for e in shipped.endings)
    assert [(c.objective, c.met) for c in load_scenario(mini).ending("tea").objectives] == [("host.tea", True)]


def test_an_ending_reached_against_its_claim_is_an_error_with_a_real_example(mini: Path):
    edit(mini, MANIFEST, 'epilogue: "Not so."}', 'epilogue: "Not so.", objectives: {host.tea: not met}}')
    found = printed(mini, "E515")
    assert found == ["scenarios/mini/scenario.yaml:35:133: E515 ending 'cross' is reached with objective "
                     "'host.tea' met, which it rules out: e.g. mood = 'cross', tea = true"]
    case = example(found[0])
    assert evaluate(parse_condition("mood == 'cross'").expr, case) and evaluate(parse_condition("tea").expr, case)
    # narrowing the ending's `when` settles it
    edit(mini, MANIFEST, "when: \"mood == 'cross'\"", "when: \"mood == 'cross' and not tea\"")
    assert printed(mini) == []


def test_an_implied_objective_that_can_fail_is_an_error_too(mini: Path):
    edit(mini, MANIFEST, TEA, "objectives: {host.tea: met, guest.warm: met}")
    found = printed(mini, "E515")
    assert len(found) == 1 and "ending 'tea' is reached with objective 'guest.warm' not met, which it implies" in found[0]
    case = example(found[0])
    assert case.values["tea"] is True and case.values["warmth"] < 1 and case.values["mood"] == "calm"


def test_the_endings_are_tried_in_order(mini: Path):
    """`tea` comes after `cross`: a cross guest who was served tea reaches `cross`, not `tea`, so
    `tea` may claim the guest stayed calm."""
    edit(mini, MANIFEST, '{id: guest.warm, text: "Stay warm.", met: "warmth >= 1"}',
         '{id: guest.warm, text: "Stay warm.", met: "warmth >= 1"}\n      - {id: guest.calm, text: "Stay calm.", '
         'met: "mood == \'calm\'"}')
    edit(mini, MANIFEST, TEA, "objectives: {host.tea: met, guest.calm: met}")
    assert printed(mini) == []
    edit(mini, MANIFEST, "  - {id: cross, title: \"A cross parting\", when: \"mood == 'cross'\",",
         "  - {id: cross, title: \"A cross parting\", when: \"mood == 'cross' and not tea\",")
    found = printed(mini, "E515")
    assert len(found) == 1 and "ending 'tea' is reached with objective 'guest.calm' not met" in found[0]
    assert "mood = 'cross'" in found[0] and "tea = true" in found[0]


def test_an_objective_that_does_not_exist_is_named(mini: Path):
    edit(mini, MANIFEST, TEA, "objectives: {host.teas: met}")
    assert printed(mini) == ["scenarios/mini/scenario.yaml:36:156: E516 ending 'tea' names objective 'host.teas', "
                             "which no role has (did you mean 'host.tea'?)"]


def test_a_claim_is_met_or_not_met_and_objectives_is_a_map(mini: Path):
    edit(mini, MANIFEST, TEA, "objectives: {host.tea: yes}")
    assert [d.split(": ", 1)[1] for d in printed(mini)] == [
        "E106 objective 'host.tea' must be 'met' or 'not met', not the boolean true"]
    edit(mini, MANIFEST, "objectives: {host.tea: yes}", "objectives: [host.tea]")
    assert [d.split(": ", 1)[1] for d in printed(mini)] == [
        "E101 'objectives' in an ending must be a map of objective ids to 'met' or 'not met', not a list"]


def test_a_forced_ending_is_checked_with_the_values_where_it_is_forced(mini: Path, project_root: Path):
    """`end: tea` in `host.cross` skips `when: tea`: no tea was served there, so the claim that
    `tea` implies `host.tea` fails, and the page of E515 shows exactly this line."""
    edit(mini, CROSS, "end: auto", "end: tea")
    line = ("dialogue/mini/host/cross.yaml:2:5: E515 node 'host.cross' forces ending 'tea' (skipping its 'when') "
            "with objective 'host.tea' not met, which the ending implies: e.g. tea = false can hold here")
    assert printed(mini, "E515") == [line]
    assert line in (project_root / "docs" / "diagnostics.md").read_text(encoding="utf-8")


def test_the_same_forced_ending_passes_where_the_values_agree_and_fails_where_they_do_not(mini: Path):
    """`nothing` rules out tea. Forced where the guest left crossly (no tea) it is right; forced at
    the close, which the guest reaches after tea or without it, it is not."""
    edit(mini, CROSS, "end: auto", "end: nothing")
    assert printed(mini) == []
    edit(mini, MAIN, "    end: auto", "    end: nothing")
    found = printed(mini, "E515")
    assert found == ["dialogue/mini/common/main.yaml:23:5: E515 node 'close' forces ending 'nothing' (skipping its "
                     "'when') with objective 'host.tea' met, which the ending rules out: e.g. tea = true can hold here"]


def test_a_break_that_sets_what_its_ending_needs_passes(mini: Path):
    """As the shipped breaks set `press = 'cold'`: the node's effects decide the values there."""
    edit(mini, MAIN, "    end: auto", "    effects: [\"tea = false\"]\n    end: nothing")
    assert printed(mini) == []


def test_the_values_at_each_node_follow_effects_and_conditions(mini: Path):
    (item,), _ = load_folder(mini)
    at = exit_values(item.scenario)
    assert at["host.cross"] == {"warmth": Span(0, 0), "tea": frozenset({False}), "mood": frozenset({"cross"})}
    assert at["close"]["tea"] == frozenset({False, True}) and at["close"]["warmth"] == Span(1, 1)


def test_branch_arms_narrow_the_values_behind_them(mini: Path):
    edit(mini, CROSS, "    end: auto\n", "    goto: host.sort\n")
    write(mini, "dialogue/mini/host/sort.yaml", """nodes:
  - id: host.sort
    lines:
      - {id: host.sort.l1, speaker: host, provenance: invented, text: "Tea, perhaps?", effects: ["warmth += 2"]}
    branch:
      - {if: "warmth > 1 and mood == 'cross'", goto: host.warm}
      - {goto: host.cold}
  - id: host.warm
    lines:
      - {id: host.warm.l1, speaker: guest, provenance: invented, text: "Thank you."}
    end: auto
  - id: host.cold
    lines:
      - {id: host.cold.l1, speaker: guest, provenance: invented, text: "No, thank you."}
    end: auto
""")
    edit(mini, MANIFEST, "default: 0, min: -2, max: 2}", "default: 0, min: -2, max: 2}\n"
                                                         "  - {id: cups, type: int, default: 0, min: 0, max: 9}")
    (item,), diags = load_folder(mini)
    assert not diags
    at = exit_values(item.scenario)
    assert at["host.sort"]["warmth"] == Span(2, 2)
    assert at["host.warm"]["warmth"] == Span(2, 2) and at["host.warm"]["mood"] == frozenset({"cross"})
    assert "host.cold" not in at   # the arm before it always holds there


def test_a_loop_that_keeps_counting_ends_the_analysis_with_the_whole_range(mini: Path):
    edit(mini, MANIFEST, "{id: warmth, type: int, default: 0, min: -2, max: 2}",
         "{id: warmth, type: int, default: 0, min: -2, max: 100000000000000}")
    edit(mini, CROSS, "    end: auto\n", """    choice:
      id: c-again
      by: host
      moment: "Again?"
      note: "An invented loop."
      off_record: true
      options:
        - {id: c-again.yes, label: "Again", provenance: invented, text: "Once more.", historical: false, effects: ["warmth += 1"], goto: host.cross}
        - {id: c-again.no, label: "Stop", provenance: invented, text: "Enough.", historical: false, default: true, goto: close}
""")
    (item,), diags = load_folder(mini)
    assert not diags
    at = exit_values(item.scenario)
    assert at["host.cross"]["warmth"] == Span(0, 100_000_000_000_000)
    assert at["close"]["warmth"].hi == 100_000_000_000_000


def test_past_the_budget_it_warns_what_it_could_not_try_and_does_not_hang(mini: Path):
    """Seventeen switches the claim reads: with the guest's mood and the tea, 2**19 combinations,
    more than MAX_CASES for one claim and more than the budget of work allows for both."""
    names = [f"s{i}" for i in range(17)]
    edit(mini, MANIFEST, "  - {id: tea, type: bool", "".join(f"  - {{id: {n}, type: bool, default: false}}\n"
                                                           for n in names) + "  - {id: tea, type: bool")
    edit(mini, MANIFEST, 'met: "tea"', f'met: "tea or ({" and ".join(names)})"')
    found = printed(mini)
    assert [d.split(" ")[1] for d in found] == ["W003", "W003"]
    tried = [int(re.search(r"\(tried ([\d,]+)\)", d)[1].replace(",", "")) for d in found]
    assert f"could not check all {2 ** 19:,} combinations of values for ending 'tea' and objective 'host.tea'" in found[0]
    assert 0 < tried[0] <= MAX_CASES and tried[0] * len('tea or (' + ' and '.join(names) + ')') <= MAX_CASE_WORK
    assert "ending 'nothing'" in found[1] and tried[1] == 0   # the budget is spent: nothing is tried, and it says so


def test_a_contradiction_is_still_found_within_the_budget(mini: Path):
    names = [f"s{i}" for i in range(17)]
    edit(mini, MANIFEST, "  - {id: tea, type: bool", "".join(f"  - {{id: {n}, type: bool, default: false}}\n"
                                                           for n in names) + "  - {id: tea, type: bool")
    edit(mini, MANIFEST, 'met: "tea"', f'met: "tea and not s0 and ({" or ".join(names[1:])})"')
    codes = sorted(d.split(" ")[1] for d in printed(mini))
    assert "E515" in codes and "W003" in codes


def test_the_budget_is_shared_with_the_e403_check(mini: Path):
    (item,), _ = load_folder(mini)
    diags = Diagnostics()
    check_implications(item.scenario, diags, [0])
    assert {d.code for d in diags.items} == {"W003"}
    assert all("(tried 0)" in d.message for d in diags.items)
    diags = Diagnostics()
    budget = [MAX_CASE_WORK]
    check_implications(item.scenario, diags, budget)
    assert not diags.items and 0 < MAX_CASE_WORK - budget[0] < 1_000


def test_validate_prints_the_contradiction_and_exits_1(mini: Path, project_root: Path):
    def run() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(project_root / "main.py"), "validate", "--content", str(mini)],
                              capture_output=True, text=True, timeout=120)

    edit(mini, MANIFEST, 'epilogue: "Not so."}', 'epilogue: "Not so.", objectives: {host.tea: not met}}')
    proc = run()
    assert proc.returncode == 1 and " E515 ending 'cross' is reached with objective 'host.tea' met" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_thousands_of_endings_end_the_check_with_one_warning_not_a_hang(mini: Path):
    """Each ending is tried after all the earlier ones: 3,000 endings of long conditions would take
    minutes if every earlier condition were walked again for each, and print thousands of W003s.
    What the earlier endings read is merged as they are passed, every step is charged to the
    budget, and once it is spent one W003 counts the claims left unchecked."""
    cond = " and ".join(["warmth > 1", "tea", "mood == 'cross'"] * 11)
    edit(mini, MANIFEST, "endings:\n", "endings:\n" + "".join(
        f'  - {{id: e{i}, title: "E", when: "{cond}", summary: "S.", epilogue: "E.", '
        f'objectives: {{host.tea: met, guest.warm: met}}}}\n' for i in range(3_000)))
    started = time.perf_counter()
    found = printed(mini)
    assert time.perf_counter() - started < 10
    assert {d.split(" ")[1] for d in found} == {"W003"} and len(found) <= 3
    assert re.search(r"\(tried 0\) nor [\d,]+ more claims of the endings: the budget of work", found[-1])


def test_values_over_a_huge_graph_are_worked_out_within_a_bound(mini: Path):
    """The values where an ending is forced come from following the graph: 40,000 nodes in a row
    times the 61 variables followed (the claimed objective reads `tea`, which is set from 60
    others) is more work than MAX_FLOW_WORK, so the check stops with a W003 in seconds instead of
    filling memory with a state per node."""
    names = [f"v{i}" for i in range(60)]
    edit(mini, MANIFEST, "  - {id: tea, type: bool", "".join(f"  - {{id: {n}, type: bool, default: false}}\n"
                                                           for n in names) + "  - {id: tea, type: bool")
    edit(mini, CROSS, "    end: auto\n", f'    effects: ["tea = {" or ".join(names)}"]\n    goto: n0\n')
    for part in range(4):   # four files: one holds at most 200,000 values (E007)
        write(mini, f"dialogue/mini/host/chain{part}.yaml", "nodes:\n" + "".join(
            f"  - {{id: n{i}, goto: n{i + 1}}}\n" for i in range(part * 10_000, (part + 1) * 10_000)))
    write(mini, "dialogue/mini/host/last.yaml", "nodes:\n  - {id: n40000, end: tea}\n")
    (item,), _ = load_folder(mini)
    started = time.perf_counter()
    diags = validate_loaded(item)
    assert time.perf_counter() - started < 10
    assert [str(d).split(": ", 1)[1] for d in diags.sorted()] == [
        f"W003 could not check the endings forced at 1 node (from node 'n40000'): working out the values the "
        f"variables can have there would take more than {MAX_FLOW_WORK:,} steps; a contradiction may be missed: "
        "let the objectives these endings claim read fewer variables"]
    scenario = item.scenario   # following one variable, set from no other, fits the bound
    values = exit_values(scenario, {"warmth"})
    assert values is not None and values["n40000"] == {"warmth": Span(0, 0)}
