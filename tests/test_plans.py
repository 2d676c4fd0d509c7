"""Golden transcripts: every plan in tests/plans/ replays exactly, line by line and option by option."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine.testplan import PlanError, parse_plan, record_plan, run_plan

PLANS = sorted((Path(__file__).parent / "plans").glob("*.testplan"))


def test_there_are_plans_for_every_role_and_ending(shipped):
    assert PLANS, "no golden plans found"
    plans = [parse_plan(p.read_text(encoding="utf-8"), p.name) for p in PLANS]
    roles = {p.role for p in plans}
    assert {"shah", "soviet", "both"} <= roles
    endings = {s.value for p in plans for s in p.steps if s.key == "ending"}
    assert endings == {e.id for e in shipped.endings}
    paths = {p.path for p in plans}
    assert paths == set(shipped.paths)


@pytest.mark.parametrize("plan_file", PLANS, ids=[p.stem for p in PLANS])
def test_golden_plan(shipped, plan_file: Path):
    plan = parse_plan(plan_file.read_text(encoding="utf-8"), plan_file.name)
    runner = run_plan(shipped, plan, plan_file.name)
    assert runner.ended


def test_a_changed_line_fails_the_plan_with_its_line_number(mini_scenario):
    text = record_plan(mini_scenario, "guest", "full", [1], None)
    assert "select: 1" in text and "ending: tea" in text
    run_plan(mini_scenario, parse_plan(text))
    broken = text.replace("line: host: Welcome.", "line: host: Hello.")
    with pytest.raises(PlanError, match=r"plan:\d+: expected"):
        run_plan(mini_scenario, parse_plan(broken))
    wrong_options = text.replace("option: Complain", "option: Shout")
    with pytest.raises(PlanError, match="options"):
        run_plan(mini_scenario, parse_plan(wrong_options))
    wrong_match = text.replace("match: 1 of 1", "match: 0 of 1")
    with pytest.raises(PlanError, match="record match"):
        run_plan(mini_scenario, parse_plan(wrong_match))
    truncated = "\n".join(text.splitlines()[:6]) + "\n"
    with pytest.raises(PlanError, match="goes on"):
        run_plan(mini_scenario, parse_plan(truncated))


def test_malformed_plans_are_reported():
    with pytest.raises(PlanError, match="role"):
        parse_plan("path: full\n")
    with pytest.raises(PlanError, match="cannot read"):
        parse_plan("role: shah\nchoose 1\n")


def test_wildcard_lines_survive_a_typo_fix_but_not_a_change_of_speaker_or_a_missing_line(mini_scenario):
    text = record_plan(mini_scenario, "guest", "full", [1], None)
    welcome = next(ln for ln in text.splitlines() if ln.startswith("line: host: Welcome."))
    run_plan(mini_scenario, parse_plan(text.replace(welcome, "line: host: *")))
    run_plan(mini_scenario, parse_plan(text.replace(welcome, "line: *")))
    with pytest.raises(PlanError, match="expected"):        # the line is said by the host, not the guest
        run_plan(mini_scenario, parse_plan(text.replace(welcome, "line: guest: *")))
    with pytest.raises(PlanError, match="expected"):        # a wildcard is one line: never a choice point
        run_plan(mini_scenario, parse_plan(text.replace(welcome, f"{welcome}\nline: *", 1)))


def test_regenerating_a_plan_keeps_its_wildcards_where_they_still_fit(mini_scenario):
    import importlib.util

    spec = importlib.util.spec_from_file_location("regenerate_plans", Path(__file__).parent.parent / "tools/regenerate_plans.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    new = record_plan(mini_scenario, "guest", "full", [1], None).splitlines()
    welcome = next(ln for ln in new if ln.startswith("line: host: Welcome."))
    old = ["line: host: *" if ln == welcome else ln for ln in new]
    kept = tool.keep_wildcards(old, new)
    assert "line: host: *" in kept and welcome not in kept
    moved = ["line: guest: *" if ln == welcome else ln for ln in new]   # no longer fits: the real line comes back
    assert welcome in tool.keep_wildcards(moved, new)
