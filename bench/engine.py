"""Engine speed targets (docs/design.md §6), measured and printed as a table. Run: `make bench`.

- `validate` of all shipped content, whole process: target <= 0.5 s
- load (and check) of a generated 10,000-node scenario: target <= 2 s, growing linearly
- mean advance()+choose() step while playing
- the autosave: one appended line per choice (against the floor of a compact json.dumps of the
  whole state, which the old full save cost), and continuing a saved game (read + replay)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

os.environ.setdefault("MOSCOW1956_HOME", tempfile.mkdtemp())

from bench.generate import write_scenario  # noqa: E402
from bench.table import print_table  # noqa: E402
from game.engine.autoplay import RandomPolicy  # noqa: E402
from game.engine.checked import load_scenario  # noqa: E402
from game.engine.runner import ChoiceEvent, EndEvent, Runner  # noqa: E402
from game.session.log import ChoiceLog, read_log  # noqa: E402
from game.session.play import PlaySession  # noqa: E402


def best_of(n: int, fn) -> tuple[float, float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def validate_process() -> None:
    subprocess.run([sys.executable, str(ROOT / "main.py"), "validate"], check=True, capture_output=True)


def main() -> None:
    rows: list[tuple[str, str, str, str]] = []
    best, med = best_of(7, validate_process)
    rows.append(("validate shipped content (whole process)", f"{best:.3f} s", f"{med:.3f} s", "<= 0.5 s"))

    with tempfile.TemporaryDirectory() as tmp:
        per_node = {}
        for nodes in (1_000, 5_000, 10_000):
            root = write_scenario(Path(tmp) / f"n{nodes}", nodes)
            best, med = best_of(3, lambda root=root: load_scenario(root))
            per_node[nodes] = best / nodes * 1e6
            target = "<= 2 s" if nodes == 10_000 else ""
            rows.append((f"load + check generated scenario, {nodes:,} nodes (cold)", f"{best:.3f} s", f"{med:.3f} s", target))
            load_scenario(root, cached=True)
            best_c, med_c = best_of(3, lambda root=root: load_scenario(root, cached=True))
            rows.append(("  same, from the cache of checked content", f"{best_c:.3f} s", f"{med_c:.3f} s", target))
        rows.append(("  per node at 1k / 5k / 10k (linear if flat)",
                     " / ".join(f"{per_node[n]:.0f}" for n in (1_000, 5_000, 10_000)) + " µs", "", ""))

    scenario = load_scenario(ROOT, "moscow-1956")
    steps = 0
    start = time.perf_counter()
    for seed in range(200):
        runner = Runner(scenario, "both")
        policy = RandomPolicy(seed)
        while not isinstance(event := runner.advance(), EndEvent):
            steps += 1
            if isinstance(event, ChoiceEvent):
                runner.choose(policy.pick(event))
                steps += 1
    elapsed = time.perf_counter() - start
    rows.append(("mean advance()/choose() step (200 random sessions)", f"{elapsed / steps * 1e6:.1f} µs", f"{steps:,} steps", ""))

    rows += autosave_rows(scenario)

    print_table(("measure", "best", "median", "target"), rows)


class Autosave:
    """One session's autosave appends (seconds each) and the floor: a compact json.dumps of the
    whole finished state (best and median of 50)."""

    def __init__(self, appends: list[float], floor_best: float, floor_med: float, log_bytes: int, saved: bytes):
        self.appends, self.floor_best, self.floor_med = appends, floor_best, floor_med
        self.log_bytes, self.saved = log_bytes, saved

    @property
    def per_choice(self) -> float:
        return statistics.median(self.appends)


def measure_autosave(scenario, folder: Path, seed: int = 7) -> Autosave:
    """Play one session as the Shah with its log in `folder`, timing each choose() with its append."""
    import json

    path = folder / "autosave.log"
    session = PlaySession(scenario, "shah", log=ChoiceLog(path))
    session.begin()
    policy = RandomPolicy(seed)
    appends: list[float] = []
    while not isinstance(event := session.runner.advance(), EndEvent):
        if isinstance(event, ChoiceEvent):
            option = policy.pick(event)
            start = time.perf_counter()
            session.choose(option)            # includes the append to the log
            appends.append(time.perf_counter() - start)
    state = session.runner.state
    floor_best, floor_med = best_of(50, lambda: json.dumps(state.to_json(), separators=(",", ":")))
    session.log = None   # keep the file: it is the saved game we continue from
    return Autosave(appends, floor_best, floor_med, path.stat().st_size, path.read_bytes())


def autosave_rows(scenario) -> list[tuple[str, str, str, str]]:
    """Autosave per choice against its floor, and continuing a saved game, in one run."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "autosave.log"
        m = measure_autosave(scenario, Path(tmp))
        rows.append((f"autosave + choose, per choice ({len(m.appends)} choices, log of {m.log_bytes} bytes)",
                     f"{min(m.appends) * 1e3:.3f} ms", f"{m.per_choice * 1e3:.3f} ms", "<= 1 ms"))
        rows.append(("  floor: compact json.dumps of the whole finished state", f"{m.floor_best * 1e3:.3f} ms",
                     f"{m.floor_med * 1e3:.3f} ms", f"ratio {m.per_choice / m.floor_med:.2f}"))

        def resume() -> None:
            path.write_bytes(m.saved)
            PlaySession.resume(scenario, read_log(path), None)

        best, med = best_of(20, resume)
        rows.append(("continue a saved game: read the log and replay it", f"{best * 1e3:.2f} ms", f"{med * 1e3:.2f} ms",
                     ""))
    return rows

if __name__ == "__main__":
    main()
