"""Kiosk mode on a fake clock: idle countdown, full reset, no way out but the admin chord."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from game.ui.app import App
from game.ui.kiosk import Kiosk, KioskConfig, check_against, load_kiosk_config
from game.ui.scenes.kiosk import AttractScene


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def kiosk_app(shipped, tmp_path, monkeypatch):
    monkeypatch.setenv("MOSCOW1956_HOME", str(tmp_path))
    from game.results.recorder import SessionRecorder

    clock = FakeClock()
    recorder = SessionRecorder(tmp_path / "results.sqlite", "kiosk")
    kiosk = Kiosk(KioskConfig(idle_timeout=90, countdown=15), clock=clock, recorder=recorder)
    app = App(shipped, kiosk.visitor_settings(), (1280, 720))
    app.kiosk = kiosk
    kiosk.touched()
    app.push(AttractScene(app, kiosk))
    app.frame()
    yield app, kiosk, clock
    pygame.display.quit()


def tap(app, pos=(640, 360)):
    app.dispatch(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    app.dispatch(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))
    app.frame()


def start_visit(app):
    app.scene.begin()
    app.frame()
    app.scene.buttons[0].action()           # the first chair offered
    app.frame()
    app.scene.begin()                       # role introduction → the table
    app.frame()
    assert app.scene.name == "dialogue"


def test_idle_countdown_then_full_reset_leaves_nothing(kiosk_app):
    app, kiosk, clock = kiosk_app
    start_visit(app)
    app.settings.text_size = "largest"      # the visitor changed a setting
    app.apply_settings()
    app.scene.next()
    clock.now += 89
    app.frame()
    assert app.scene.name == "dialogue"
    clock.now += 2
    app.frame()
    assert app.scene.name == "still-there"
    clock.now += 14
    app.frame()
    assert app.scene.name == "still-there"
    clock.now += 2
    app.frame()
    assert app.scene.name == "attract"
    assert app.session is None and len(app.scenes) == 1
    assert app.settings == kiosk.visitor_settings()
    assert kiosk.resets == 1 and kiosk.last_reset_seconds > 0  # its speed is measured by bench/kiosk_soak.py
    assert not (Path(app.kiosk.recorder.db_path).parent / "settings.json").exists()
    summary = " ".join(kiosk.recorder.summary())
    assert "1 cut short" in summary


def test_touch_during_countdown_keeps_the_visitor(kiosk_app):
    app, kiosk, clock = kiosk_app
    start_visit(app)
    clock.now += 91
    app.frame()
    assert app.scene.name == "still-there"
    tap(app)
    assert app.scene.name == "dialogue" and app.session is not None
    clock.now += 60
    app.frame()
    assert app.scene.name == "dialogue"


def test_attract_loop_never_times_out_and_rotates_quotes(kiosk_app):
    app, kiosk, clock = kiosk_app
    first = app.scene.index
    clock.now += 10_000
    app.frame()
    assert app.scene.name == "attract"
    assert app.scene.index != first or len(app.scene.quotes) == 1
    who, text, refs = app.scene.quotes[app.scene.index]
    assert refs and all(1 <= r <= 108 for r in refs)


def test_visitors_cannot_quit_but_the_admin_chord_can(kiosk_app):
    app, kiosk, clock = kiosk_app
    app.running = True
    app.dispatch(pygame.event.Event(pygame.QUIT))
    app.dispatch(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_F4, mod=pygame.KMOD_ALT, unicode=""))
    app.dispatch(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0, unicode=""))
    app.frame()
    assert app.running and app.scene.name == "attract"
    app.dispatch(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_a, mod=pygame.KMOD_CTRL | pygame.KMOD_SHIFT, unicode="a"))
    assert app.scene.name == "attract"      # not the whole chord
    app.dispatch(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_a,
                                    mod=pygame.KMOD_LCTRL | pygame.KMOD_LALT | pygame.KMOD_LSHIFT, unicode="a"))
    app.frame()
    assert app.scene.name == "admin"
    exit_button = next(b for b in app.scene.buttons if b.label == "Exit the kiosk")
    exit_button.action()
    assert app.running is False


def test_a_finished_visit_is_recorded_and_returns_to_the_attract_loop(kiosk_app):
    app, kiosk, clock = kiosk_app
    start_visit(app)
    for _ in range(3000):
        if app.scene.name == "handover":
            app.scene.ready()
        elif app.scene.name == "dialogue":
            shown = app.scene.session.shown
            app.scene.pick(0) if shown.choice is not None else app.scene.next()
        else:
            break
    assert app.scene.name == "debrief"
    next(b for b in app.scene.buttons if b.label == "Finish").action()
    assert app.scene.name == "attract"
    assert "1 finished" in " ".join(kiosk.recorder.summary())


def test_kiosk_config_is_checked_like_content(tmp_path: Path, shipped):
    good = tmp_path / "kiosk.yaml"
    good.write_text("idle_timeout: 120\ncountdown: 20\npath: short\nroles: [shah, both]\nadmin_chord: ctrl+shift+k\n")
    config, diags = load_kiosk_config(good)
    assert not diags and config.idle_timeout == 120 and config.roles == ("shah", "both")
    assert not check_against(config, shipped, str(good))
    bad = tmp_path / "bad.yaml"
    bad.write_text("idle_timeout: 2\ncountdwn: 20\nadmin_chord: k\nroles: [tsar]\npath: long\n")
    config, diags = load_kiosk_config(bad)
    codes = sorted(d.code for d in diags.items)
    assert codes == ["E102", "E106", "E106"]
    assert all(d.origin.path == str(bad) and d.origin.line >= 1 for d in diags.items)
    assert {d.code for d in check_against(config, shipped, str(bad)).items} == {"E505", "E206"}


def test_kiosk_command_refuses_a_bad_config(tmp_path: Path, project_root: Path):
    import subprocess
    import sys

    bad = tmp_path / "kiosk.yaml"
    bad.write_text("idle_timeout: [90]\n")
    proc = subprocess.run([sys.executable, str(project_root / "main.py"), "--kiosk", "--kiosk-config", str(bad)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "E101" in proc.stderr and "Traceback" not in proc.stderr
