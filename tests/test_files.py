"""Files written so that a crash leaves nothing half-done, and nothing behind either."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from game.engine.files import remove_orphans, write_atomic

WRITER = r"""
import sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from game.engine.files import write_atomic
target = Path(sys.argv[2])
print("go", flush=True)
while True:
    write_atomic(target, "x" * 200_000)   # big enough that a kill often lands mid-write
"""


def test_kill_9_during_writes_leaves_temp_files_that_the_next_start_removes(tmp_path: Path, project_root: Path):
    """Kill a writer with SIGKILL at random moments, many times: the target is always whole, and
    the temporary files of the killed writers are removed at the next start (their process is
    gone), while a live writer's are left alone."""
    target = tmp_path / "settings.json"
    killed_mid_write = 0
    for attempt in range(40):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(project_root), str(target)],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "go"
        time.sleep(0.002 * (attempt % 9))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        if any(p.name.endswith(".tmp") for p in tmp_path.iterdir()):
            killed_mid_write += 1
        if target.exists():
            assert target.read_text() == "x" * 200_000   # never half a file
    left = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert killed_mid_write and left, "no kill landed in the middle of a write; the test proved nothing"
    live = tmp_path / f".settings.json.{os.getpid()}.abcd1234.tmp"   # this process is alive
    live.write_text("in progress")
    other = tmp_path / "notes.tmp"                                    # not ours
    other.write_text("keep")
    assert remove_orphans(tmp_path) == len(left)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["settings.json", live.name, other.name])


def test_the_window_removes_orphans_from_every_folder_of_the_game(tmp_path: Path, project_root: Path):
    """The start of the game cleans the config, data and cache folders (one folder with HOME set)."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    orphans = [tmp_path / f".autosave.log.{pid}.x1y2z3.tmp", tmp_path / "cache" / f".abc-default.json.{pid}.q9.tmp"]
    for orphan in orphans:
        orphan.parent.mkdir(parents=True, exist_ok=True)
        orphan.write_text("half")
    env = {**os.environ, "MOSCOW1956_HOME": str(tmp_path), "MOSCOW1956_EXIT_AFTER_FIRST_FRAME": "1",
           "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    proc = subprocess.run([sys.executable, str(project_root / "main.py")], env=env, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert not any(o.exists() for o in orphans)


def test_write_atomic_keeps_the_old_file_when_writing_fails(tmp_path: Path, monkeypatch):
    target = tmp_path / "file.json"
    target.write_text("old")

    def broken(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    try:
        write_atomic(target, "new")
    except OSError:
        pass
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["file.json"]
