"""Window speed targets (docs/design.md §6), measured and printed as a table. Run: `make bench-frame`.

- start to first drawn frame: the game against a bare pygame-ce window, side by side in one run
  (target: the game ≤ 1.5× the bare window)
- drawing one frame of the dialogue scene at 1920×1080 (target: p99 ≤ 4 ms), and how many texts
  are rendered per steady frame (target: 0 — nothing re-renders text that did not change)
- idle: CPU used by the running game with no input for 10 s (target: ≤ 2% of one core)

Runs headless by default (SDL's dummy video driver); with Xvfb installed it also measures idle CPU
on a real X11 window, where waiting for events blocks inside the X server connection.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.table import print_table  # noqa: E402

BARE = """
import os, pygame
pygame.init()
screen = pygame.display.set_mode((1280, 720), pygame.RESIZABLE)
screen.fill((32, 38, 31))
pygame.display.flip()
print("first-frame", flush=True)
pygame.quit()
"""


@functools.cache
def bytecode_folder() -> str:
    """Where this run's launches keep their compiled modules (removed when the run ends).

    Launches are timed as on an installed game, whose modules are compiled once: Python writes the
    bytecode of the game and of pygame-ce (both, so neither is favoured) here, never into the
    checkout, even where PYTHONDONTWRITEBYTECODE would have every launch compile them again. The
    first launch of each writes it; the medians are of the launches after."""
    folder = tempfile.mkdtemp(prefix="bench-pyc-")
    atexit.register(shutil.rmtree, folder, True)
    return folder


def env(**extra: str) -> dict[str, str]:
    out = dict(os.environ)
    out.pop("PYTHONDONTWRITEBYTECODE", None)
    out["PYTHONPYCACHEPREFIX"] = bytecode_folder()
    out.setdefault("SDL_VIDEODRIVER", "dummy")
    out.setdefault("SDL_AUDIODRIVER", "dummy")
    out["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"
    out.update(extra)
    return out


def time_to_first_frame(cmd: list[str], extra: dict[str, str]) -> tuple[float, float]:
    """Seconds to the first drawn frame, and to the title being ready for input (if reported)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env(**extra), text=True)
    assert proc.stdout is not None
    first = ready = 0.0
    for line in proc.stdout:
        if line.strip() == "first-frame":
            first = time.perf_counter() - start
        elif line.strip() == "title-ready":
            ready = time.perf_counter() - start
    proc.wait(timeout=30)
    if not first:
        raise RuntimeError(f"{cmd} never drew a frame")
    return first, ready


def startup_times(runs: int = 7, home: str | None = None) -> tuple[list[float], list[float], list[float]]:
    """Interleaved launches: the bare window's first frame, the game's first frame (the title
    sheet) and the game's title ready (its first frame drawn), in seconds, `runs` of each."""
    home = home or tempfile.mkdtemp()
    bare, game, ready = [], [], []
    time_to_first_frame([sys.executable, "-c", BARE], {})            # each compiled once (bytecode_folder)
    time_to_first_frame([sys.executable, str(ROOT / "main.py")],
                        {"MOSCOW1956_EXIT_AFTER_FIRST_FRAME": "1", "MOSCOW1956_HOME": home})
    for _ in range(runs):
        bare.append(time_to_first_frame([sys.executable, "-c", BARE], {})[0])
        first, title = time_to_first_frame([sys.executable, str(ROOT / "main.py")],
                                           {"MOSCOW1956_EXIT_AFTER_FIRST_FRAME": "1", "MOSCOW1956_HOME": home})
        game.append(first)
        ready.append(title)
    return bare, game, ready


def startup(rows: list[tuple[str, str, str]]) -> None:
    bare, game, ready = startup_times(7)
    b, g = statistics.median(bare), statistics.median(game)
    rows.append(("start to first frame: bare pygame-ce window (median of 7)", f"{b * 1000:.0f} ms", ""))
    rows.append(("start to first frame: the game (the title sheet)", f"{g * 1000:.0f} ms", ""))
    rows.append(("  ratio game / bare", f"{g / b:.2f}×", "≤ 1.5×"))
    rows.append(("  the title ready for input (content loaded and checked)", f"{statistics.median(ready) * 1000:.0f} ms", ""))

class CountingFont:
    """Wraps a pygame Font to count render() calls."""

    calls = 0

    def __init__(self, font):
        self._font = font

    def render(self, *args, **kwargs):
        CountingFont.calls += 1
        return self._font.render(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._font, name)


def dialogue_app(size: tuple[int, int], role: str = "shah", path: str = "full"):
    """A headless game window of `size` showing the dialogue scene (typing instant), as in the screenshots."""
    os.environ.update(env(MOSCOW1956_HOME=tempfile.mkdtemp()))
    from game.engine.checked import load_scenario
    from game.ui.app import App
    from game.ui.screenshot import build
    from game.ui.settings import Settings

    scenario = load_scenario(ROOT, "moscow-1956")
    app = App(scenario, Settings(typing="instant"), size)
    build(app, "dialogue", role, path)
    return app


def frame_times(rows: list[tuple[str, str, str]]) -> None:
    app = dialogue_app((1920, 1080))
    import pygame

    original = app.fonts.get
    app.fonts.get = lambda *a, **k: CountingFont(original(*a, **k))
    app.relayout()
    app.draw()
    CountingFont.calls = 0
    times = []
    for _ in range(2000):
        start = time.perf_counter()
        app.draw()
        pygame.display.flip()
        times.append(time.perf_counter() - start)
    times.sort()
    p50, p99 = times[len(times) // 2], times[int(len(times) * 0.99)]
    rows.append(("dialogue frame at 1920×1080: median", f"{p50 * 1000:.2f} ms", ""))
    rows.append(("dialogue frame at 1920×1080: p99 (2,000 frames)", f"{p99 * 1000:.2f} ms", "≤ 4 ms"))
    rows.append(("text renders per steady frame", f"{CountingFont.calls / len(times):.2f}", "0"))
    pygame.quit()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def idle(rows: list[tuple[str, str, str]], label: str, extra: dict[str, str]) -> None:
    if not Path("/proc/self/stat").exists():
        rows.append((f"idle CPU ({label})", "n/a (needs /proc)", "≤ 2%"))
        return
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py")], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env(MOSCOW1956_HOME=tempfile.mkdtemp(), **extra))
    try:
        time.sleep(4)  # start-up and the first frame
        before = cpu_seconds(proc.pid)
        time.sleep(10)
        used = cpu_seconds(proc.pid) - before
        rows.append((f"idle CPU, 10 s without input ({label})", f"{used / 10 * 100:.2f}% of a core", "≤ 2%"))
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    rows: list[tuple[str, str, str]] = []
    startup(rows)
    frame_times(rows)
    idle(rows, "SDL dummy driver", {})
    xvfb = shutil.which("Xvfb")
    if xvfb:
        display = ":97"
        server = subprocess.Popen([xvfb, display, "-screen", "0", "1920x1080x24"], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            time.sleep(1.5)
            idle(rows, "X11 window on Xvfb", {"SDL_VIDEODRIVER": "x11", "DISPLAY": display})
        finally:
            server.terminate()
    else:
        rows.append(("idle CPU on a real window", "not measured (install xvfb)", ""))
    print_table(("measure", "value", "target"), rows)


if __name__ == "__main__":
    main()
