"""The kiosk's start files (deploy/): the systemd unit and the Windows start script run the game
as a kiosk with options the command line really takes, start it again after a crash loop's exit
status, stop it by SIGTERM (recorded as cut short), and leave it closed when staff exit it."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from game.cli import build_parser
from game.ui.guard import CRASH_EXIT

ROOT = Path(__file__).resolve().parent.parent
UNIT = ROOT / "deploy" / "moscow-1956-kiosk.service"
SCRIPT = ROOT / "deploy" / "moscow-1956-kiosk.cmd"


def unit_settings() -> dict[str, str]:
    settings = {}
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith(("#", "[")) and "=" in line:
            key, _, value = line.partition("=")
            settings[key.strip()] = value.strip()
    return settings


def game_arguments(command: str) -> list[str]:
    words = shlex.split(command.replace("%h", "HOME"))
    return words[words.index("main.py") + 1:]


def test_the_systemd_unit_starts_a_kiosk_restarts_it_and_stops_it_by_sigterm():
    unit = unit_settings()
    args = build_parser().parse_args(game_arguments(unit["ExecStart"]))   # exits 2 on an unknown option
    assert args.kiosk and args.kiosk_config
    assert unit["Restart"] == "always" and unit["KillSignal"] == "SIGTERM"
    assert unit["WorkingDirectory"] and "MOSCOW1956_HOME=" in unit["Environment"]
    assert f"exits {CRASH_EXIT} when it fails three times" in UNIT.read_text(encoding="utf-8")


def test_the_windows_script_starts_a_kiosk_and_loops_unless_staff_exited():
    text = SCRIPT.read_text(encoding="utf-8")
    run = next(ln for ln in text.splitlines() if "main.py" in ln)
    args = build_parser().parse_args(game_arguments(run.replace("\\", "/")))
    assert args.kiosk and args.kiosk_config
    assert re.search(r"if %errorlevel%==0 goto end", text) and "goto loop" in text
    assert f"status {CRASH_EXIT}" in text
