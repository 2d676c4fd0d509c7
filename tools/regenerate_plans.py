"""Rewrite the golden plans in tests/plans/ after a reviewed content change: `make plans`.

Each plan keeps its comment lines and is played again with the picks its second comment line
names (`--picks 1,3,2`). Read the result with `git diff tests/plans` before committing it: a
plan is a promise about what players see, and a change to it must be a change you meant.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.engine.checked import load_scenario  # noqa: E402
from game.engine.testplan import WILDCARD, PlanError, line_matches, record_plan  # noqa: E402

PICKS = re.compile(r"--role (\S+) --path (\S+) --picks ([\d,]*)")


def keep_wildcards(old: list[str], new: list[str]) -> list[str]:
    """The new plan's lines, where the old plan's step at the same place was a `line: *` wildcard
    still matching what is spoken there, the wildcard again: an author's choice to promise only who
    speaks survives a regeneration. (Steps are compared in order; comments and blank lines are not steps.)"""
    def steps(lines: list[str]) -> list[int]:
        return [i for i, ln in enumerate(lines) if ln.strip() and not ln.startswith("#")]

    old_at, new_at = steps(old), steps(new)
    if len(old_at) != len(new_at):
        return new
    out = list(new)
    for o, n in zip(old_at, new_at, strict=True):
        was, now = old[o], new[n]
        value = was.partition(":")[2].strip()
        if was.startswith("line:") and WILDCARD in value and now.startswith("line:") and line_matches(value, now):
            out[n] = was
    return out


def regenerate(plan: Path, scenario) -> bool:
    """True when the plan file changed."""
    text = plan.read_text(encoding="utf-8")
    comments = [ln for ln in text.splitlines() if ln.startswith("#")]
    found = next((PICKS.search(c) for c in comments if PICKS.search(c)), None)
    if found is None:
        raise PlanError(f"{plan.name}: no '--role R --path P --picks …' comment to replay")
    role, path, picks = found.group(1), found.group(2), [int(p) for p in found.group(3).split(",") if p]
    body = keep_wildcards(text.splitlines(), record_plan(scenario, role, path, picks, None).splitlines()[1:])
    new = "\n".join([*comments, *body]) + "\n"
    if new != text:
        plan.write_text(new, encoding="utf-8")
        return True
    return False


def main() -> int:
    scenario = load_scenario(ROOT, "moscow-1956")
    changed = []
    for plan in sorted((ROOT / "tests" / "plans").glob("*.testplan")):
        try:
            if regenerate(plan, scenario):
                changed.append(plan.name)
        except PlanError as exc:
            print(f"{exc}", file=sys.stderr)
            return 1
    print(f"{len(changed)} plan(s) rewritten" + (": " + ", ".join(changed) if changed else ""))
    print("Review them with: git diff tests/plans")
    return 0


if __name__ == "__main__":
    sys.exit(main())
