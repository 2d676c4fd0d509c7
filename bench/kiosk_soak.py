"""Kiosk soak: 1,000 visitor cycles (play → debrief → idle reset) in one process.

Targets (docs/design.md §6): memory grows ≤ 10 MB, every reset ≤ 0.5 s, no exception. The kiosk runs on a
fake clock so the idle timeout and countdown pass instantly; every screen is really drawn.
Run: `make soak` (or `python bench/kiosk_soak.py [CYCLES]`).
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.table import print_table  # noqa: E402

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("MOSCOW1956_HOME", tempfile.mkdtemp())
os.environ["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Soak:
    """What one soak measured: the RSS after warm-up and at the end (MB), and each reset's wall
    and CPU time (seconds; the machine may deschedule the process in the middle of a reset)."""

    def __init__(self, cycles: int, warm_up: int):
        self.cycles, self.warm_up = cycles, warm_up
        self.steps = 0
        self.elapsed = 0.0
        self.start_rss = self.end_rss = float("nan")
        self.resets: list[float] = []
        self.reset_cpu: list[float] = []
        self.recorder = None



def play_at_the_table(app, rng: random.Random, limit: int, after_step, first: int = 1) -> int:
    """From the table to the debrief through the window's own scenes: random options, Continue
    otherwise, the hand-over when two play; `after_step(n)` after each step (numbered from
    `first`). The steps taken. Shared by the soak and the speed table's memory row."""
    steps = 0
    for _ in range(limit):
        scene = app.scene
        if scene.name == "handover":
            scene.ready()
        elif scene.name == "dialogue":
            shown = scene.session.shown
            if shown.choice is not None:
                scene.pick(rng.randrange(len(shown.options)))
            else:
                scene.next()
        else:
            break
        after_step(first + steps)
        steps += 1
    return steps


def soak(cycles: int = 1000) -> Soak:
    """Play `cycles` kiosk visits in this process, every screen drawn, on a fake clock."""
    import gc

    from game.engine.checked import load_scenario
    from game.ui.app import App
    from game.ui.kiosk import Kiosk, KioskConfig
    from game.ui.scenes.kiosk import AttractScene

    scenario = load_scenario(ROOT, "moscow-1956")
    now = [0.0]
    config = KioskConfig(roles=("shah", "soviet", "both"))
    kiosk = Kiosk(config, clock=lambda: now[0])
    app = App(scenario, kiosk.visitor_settings(), (1920, 1080))
    app.kiosk = kiosk
    recorder = None
    try:
        if os.environ.get("SOAK_NO_RESULTS"):
            raise ImportError
        from game.results.recorder import SessionRecorder

        recorder = SessionRecorder(Path(os.environ["MOSCOW1956_HOME"]) / "results.sqlite", "kiosk")
        kiosk.recorder = recorder
    except ImportError:
        pass
    kiosk.touched()
    app.push(AttractScene(app, kiosk))
    rng = random.Random(1956)
    warm_up = min(20, cycles // 5)
    out = Soak(cycles, warm_up)
    out.recorder = recorder
    resets, steps, start_rss = out.resets, 0, float("nan")
    started = time.perf_counter()
    for cycle in range(cycles):
        if cycle == warm_up:
            gc.collect()
            start_rss = rss_mb()
        now[0] += 5
        app.frame(0.0)
        app.scene.begin()                                   # attract → whose chair?
        app.frame(0.0)
        rng.choice([b for b in app.scene.buttons if b.label != "Back"]).action()   # a chair
        app.frame(0.0)
        app.scene.begin()                                   # role intro → the table
        def tapping(step: int) -> None:
            now[0] += 1
            kiosk.touched()                                 # the visitor is tapping
            if step % 5 == 0:
                app.frame(0.05)

        steps += play_at_the_table(app, rng, 2000, tapping, first=steps + 1)
        assert app.scene.name == "debrief", app.scene.name
        app.frame(0.0)
        now[0] += config.idle_timeout + 1                   # the visitor walks away
        app.frame(0.0)
        assert app.scene.name == "still-there", app.scene.name
        now[0] += config.countdown + 1
        app.frame(0.0)
        assert app.scene.name == "attract", app.scene.name
        resets.append(kiosk.last_reset_seconds)
        out.reset_cpu.append(kiosk.last_reset_cpu)
        if os.environ.get("SOAK_TRACE") and cycle % 50 == 0:
            print(f"cycle {cycle}: {rss_mb():.1f} MB", flush=True)
    gc.collect()
    out.end_rss = rss_mb()
    out.elapsed = time.perf_counter() - started
    out.start_rss, out.steps = start_rss, steps
    return out


def main(cycles: int = 1000) -> None:
    s = soak(cycles)
    resets = s.resets
    worst = max(range(len(resets)), key=resets.__getitem__)
    rows = [
        ("cycles (play → debrief → idle reset)", f"{cycles:,}", ""),
        ("dialogue steps driven", f"{s.steps:,}", ""),
        ("wall time", f"{s.elapsed:.0f} s", ""),
        (f"memory (RSS) after {s.warm_up} cycles", f"{s.start_rss:.1f} MB", ""),
        ("memory (RSS) at the end", f"{s.end_rss:.1f} MB", ""),
        ("  growth", f"{s.end_rss - s.start_rss:+.1f} MB", "≤ 10 MB"),
        ("reset time: median", f"{sorted(resets)[len(resets) // 2] * 1000:.1f} ms", ""),
        ("reset time: worst", f"{resets[worst] * 1000:.1f} ms", "≤ 500 ms"),
        ("  CPU time of that reset / worst CPU time of any",
         f"{s.reset_cpu[worst] * 1000:.1f} / {max(s.reset_cpu) * 1000:.1f} ms", ""),
        ("exceptions", "0", "0"),
    ]
    recorder = s.recorder
    print_table(("measure", "value", "target"), rows)
    if recorder is not None and hasattr(recorder, "summary"):
        print("results:", "; ".join(recorder.summary()))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
