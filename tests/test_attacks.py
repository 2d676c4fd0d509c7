"""Every attack of attack_cases.py is rejected cleanly, in bounded time and memory (docs/design.md §7):
`path:line:col: CODE message` lines and exit 1, no traceback, no hang, nothing raw on the terminal,
and nothing of a file outside the content folder is read or quoted."""

from __future__ import annotations

import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from game.engine.safe_text import UNSAFE_BUT_NEWLINE

from .attack_cases import ATTACKS, CANARY, Attack
from .bounded import Run, run_main
from .test_diagnostics import LINE

MINI = Path(__file__).parent / "fixtures" / "mini"
SUMMARY = re.compile(r"^\d+ problem\(s\) (found|in the content)")


def prepare(tmp_path: Path, attack: Attack) -> tuple[Path, list[str]]:
    root = tmp_path / "content"
    shutil.copytree(MINI, root)
    extra = attack.make(root)
    extra = extra if isinstance(extra, list) else []   # edits made in a lambda may return anything
    return root, extra


def assert_clean(run, attack: Attack, stream: str) -> None:
    text = run.stdout if stream == "stdout" else run.stderr
    assert not run.hung, f"{attack.name}: still running after the time limit"
    assert run.returncode == 1, f"{attack.name}: exit {run.returncode}\n{run.stdout[-2000:]}{run.stderr[-2000:]}"
    assert "Traceback" not in run.stdout + run.stderr, run.stderr[-3000:]
    assert not UNSAFE_BUT_NEWLINE.search(run.stdout + run.stderr), f"{attack.name}: raw control characters printed"
    assert CANARY not in run.stdout + run.stderr
    lines = [ln for ln in text.splitlines() if ln.strip() and not SUMMARY.match(ln)]
    assert lines and all(LINE.match(ln) for ln in lines), f"{attack.name}:\n{text[-3000:]}"
    assert attack.code in {LINE.match(ln)["code"] for ln in lines}, f"{attack.name}: no {attack.code} in\n{text[-3000:]}"


PLAYED = [a for a in ATTACKS if a.play]


def attempt(folder: Path, attack: Attack, command: str) -> Run:
    """One bounded run of `main.py validate` or `main.py play --text` on the attacked content."""
    root, extra = prepare(folder, attack)
    if command == "validate":
        return run_main("validate", "--content", str(root), *extra)
    return run_main("play", "--text", "--role", "guest", "--autoplay", "record", "--no-results", "--content", str(root))


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[tuple[str, str], Run]:
    """Every run, two at a time (each in its own process with its own limits): the runs are
    independent, and the machine has at least two cores."""
    jobs = [(a, "validate") for a in ATTACKS] + [(a, "play") for a in PLAYED]
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {(a.name, cmd): pool.submit(attempt, tmp_path_factory.mktemp("attack"), a, cmd) for a, cmd in jobs}
    return {key: future.result() for key, future in futures.items()}


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_validate_rejects_every_attack_cleanly(runs, attack: Attack):
    assert_clean(runs[attack.name, "validate"], attack, "stdout")


@pytest.mark.parametrize("attack", PLAYED, ids=[a.name for a in PLAYED])
def test_play_refuses_every_attack_cleanly(runs, attack: Attack):
    run = runs[attack.name, "play"]
    assert_clean(run, attack, "stderr")
    assert run.stdout == ""


def test_the_attacks_cover_every_class_with_several_variants():
    by_class: dict[int, int] = {}
    for attack in ATTACKS:
        by_class[attack.issue_class] = by_class.get(attack.issue_class, 0) + 1
    assert {1, 2, 3, 4, 6, 7, 8, 9} <= set(by_class)
    assert all(n >= 3 or c == 6 for c, n in by_class.items()), by_class
