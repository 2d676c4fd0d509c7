"""Every session the window or the terminal starts is recorded exactly once: finished, cut short,
or cut short, continued and then finished (one row, not two)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pygame

from game.results.db import ResultsDB
from game.results.recorder import ResultsFile

from .ui_driver import click, is_choice, make_app, option_buttons, play_by_mouse, press


def rows(path: Path) -> list[tuple[str, str, int]]:
    with ResultsDB(path, readonly=True) as db:
        return [(s.uid, s.status, sum(1 for c in s.choices if not c.auto)) for s in db.sessions()]


def recording_app(shipped, monkeypatch, home: Path):
    app = make_app(shipped, monkeypatch, home)
    app.results = ResultsFile(home / "results.sqlite", "window")
    return app


def start_and_choose(app, role_label: str = "Play as the Shah of Iran") -> None:
    click(app, role_label)
    click(app, "Begin")
    for _ in range(500):
        if is_choice(app):
            break
        click(app, "Continue")
    click(app, option_buttons(app)[0].label)


def test_closing_the_window_in_the_middle_records_the_session_as_cut_short(shipped, monkeypatch, tmp_path):
    app = recording_app(shipped, monkeypatch, tmp_path)
    start_and_choose(app)
    app.running = True
    app.dispatch(pygame.event.Event(pygame.QUIT))
    assert not app.running
    [(uid, status, chosen)] = rows(tmp_path / "results.sqlite")
    assert status == "abandoned" and chosen == 1


def test_left_continued_and_finished_is_one_finished_row(shipped, monkeypatch, tmp_path):
    app = recording_app(shipped, monkeypatch, tmp_path)
    start_and_choose(app)
    uid = app.session.uid
    press(app, pygame.K_ESCAPE)
    click(app, "Leave to the title screen")
    assert rows(tmp_path / "results.sqlite") == [(uid, "abandoned", 1)]
    # the next day, on the same computer
    again = recording_app(shipped, monkeypatch, tmp_path)
    click(again, "Continue: ")
    assert again.session.uid == uid
    play_by_mouse(again)
    assert again.scene.name == "debrief"
    [(same, status, chosen)] = rows(tmp_path / "results.sqlite")
    assert same == uid and status == "finished" and chosen >= 5


def test_a_window_closed_after_continuing_is_still_one_row(shipped, monkeypatch, tmp_path):
    app = recording_app(shipped, monkeypatch, tmp_path)
    start_and_choose(app, "Play as the Soviet delegation")
    app.running = True
    app.dispatch(pygame.event.Event(pygame.QUIT))              # closed once…
    again = recording_app(shipped, monkeypatch, tmp_path)
    click(again, "Continue: ")
    for _ in range(400):
        if is_choice(again):
            break
        click(again, "Continue")
    click(again, option_buttons(again)[0].label)
    again.running = True
    again.dispatch(pygame.event.Event(pygame.QUIT))            # …and closed again, further on
    [(_uid, status, chosen)] = rows(tmp_path / "results.sqlite")
    assert status == "abandoned" and chosen == 2


def test_a_replay_of_the_record_is_not_recorded(shipped, monkeypatch, tmp_path):
    app = recording_app(shipped, monkeypatch, tmp_path)
    click(app, "Replay the record")
    click(app, "Begin")
    app.running = True
    app.dispatch(pygame.event.Event(pygame.QUIT))
    assert not (tmp_path / "results.sqlite").exists() or rows(tmp_path / "results.sqlite") == []


def test_a_text_session_stopped_with_q_or_end_of_input_is_recorded_once(project_root: Path, tmp_path: Path):
    db = tmp_path / "r.sqlite"
    for answers in ("1\nq\n", "2\n", ""):
        proc = subprocess.run([sys.executable, str(project_root / "main.py"), "play", "--text", "--role", "shah",
                               "--path", "short", "--results-db", str(db)], input=answers, capture_output=True,
                              text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
    recorded = rows(db)
    assert len(recorded) == 3 and {status for _, status, _ in recorded} == {"abandoned"}
    assert sorted(chosen for _, _, chosen in recorded) == [0, 1, 1]
