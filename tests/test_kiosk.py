"""Kiosk mode on a fake clock: idle countdown, full reset, no way out but the admin chord."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pygame
import pytest

from game.session.kiosk_config import KioskConfig, check_against, load_kiosk_config
from game.ui.app import App
from game.ui.kiosk import Kiosk
from game.ui.scenes.kiosk import AttractScene
from game.ui.settings import Settings

from .ui_driver import rendered_texts


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def kiosk_app(shipped, tmp_path, monkeypatch):
    monkeypatch.setenv("MOSCOW1956_HOME", str(tmp_path))
    from game.results.recorder import ResultsFile

    clock = FakeClock()
    results = ResultsFile(tmp_path / "results.sqlite", "kiosk")
    kiosk = Kiosk(KioskConfig(idle_timeout=90, countdown=15), clock=clock, results=results)
    pygame.display.quit()
    app = App(shipped, kiosk.visitor_settings(), (1280, 720))
    app.results = results
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
    assert not (Path(app.results.db_path).parent / "settings.json").exists()
    summary = " ".join(kiosk.summary())
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
    assert "1 finished" in " ".join(kiosk.summary())
    assert "0 cut short" in " ".join(kiosk.summary())   # the reset after a finished visit adds no row


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
    """The problem stays on the screen for staff until they stop the kiosk (here: SIGTERM); the
    same diagnostics go to standard error and the log, and the exit status is 1."""
    bad = tmp_path / "kiosk.yaml"
    bad.write_text("idle_timeout: [90]\n")
    proc = start_game(project_root, tmp_path, "--kiosk", "--kiosk-config", str(bad))
    err = read_until(proc.stderr, "E101")
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 1
    err += proc.stderr.read()
    assert "E101" in err and str(bad) in err and "Traceback" not in err
    assert "E101" in (tmp_path / "moscow-1956.log").read_text()


def start_game(project_root: Path, home: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "MOSCOW1956_HOME": str(home), "MOSCOW1956_READY_LINE": "1",
           "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    return subprocess.Popen([sys.executable, str(project_root / "main.py"), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def read_until(stream, marker: str, timeout: float = 60.0) -> str:
    """Lines of `stream` until one contains `marker` (bounded in time: a thread reads)."""
    import queue
    import threading

    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(ln) for ln in iter(stream.readline, "")] and None, daemon=True).start()
    seen = ""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            continue
        seen += line
        if marker in line:
            return seen
    raise AssertionError(f"{marker!r} did not appear within {timeout} s; got {seen!r}")


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT"])
@pytest.mark.parametrize("mode", ["kiosk", "window"])
def test_sigterm_and_sigint_stop_the_game_cleanly(tmp_path: Path, project_root: Path, sig: str, mode: str):
    """SDL would turn these into a window close, which a kiosk ignores: they must stop it."""
    proc = start_game(project_root, tmp_path, *(["--kiosk"] if mode == "kiosk" else []))
    try:
        read_until(proc.stdout, "ready")
        proc.send_signal(getattr(signal, sig))
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "Traceback" not in proc.stderr.read()


# --- what visitors can reach -----------------------------------------------------------------------

def test_visitors_reach_only_their_own_settings_and_every_reset_restores_the_window(kiosk_app):
    app, kiosk, clock = kiosk_app
    start_visit(app)
    press_key(app, pygame.K_ESCAPE)
    assert app.scene.name == "menu"
    assert [b.label for b in app.scene.buttons] == ["Back to the table", "Settings", "Read the source", "Glossary",
                                                    "Start again"]
    next(b for b in app.scene.buttons if b.label == "Settings").action()
    labels = [b.label for b in app.scene.buttons]
    assert labels == ["Text size: Large", "High contrast: off", "Done"]   # no fullscreen, no lock
    press_key(app, pygame.K_F11)
    assert app.screen.get_flags() & pygame.FULLSCREEN and app.settings.fullscreen
    app.scene.buttons[0].action()
    app.scene.buttons[1].action()
    assert app.settings.text_size == "largest" and app.settings.high_contrast
    app.set_fullscreen(False)                       # however the window left fullscreen…
    assert not app.screen.get_flags() & pygame.FULLSCREEN
    kiosk.reset(app)                                 # …the next visitor gets it back
    assert app.screen.get_flags() & pygame.FULLSCREEN
    assert app.settings == kiosk.visitor_settings()


def press_key(app, key, mod=0):
    app.dispatch(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode=""))
    app.frame()


# --- the kiosk stays up ----------------------------------------------------------------------------

def test_a_failure_shows_one_moment_then_the_attract_loop_and_a_crash_loop_exits(kiosk_app, monkeypatch, tmp_path):
    from game.ui.guard import CrashLoop, Guard, make_logger

    app, kiosk, clock = kiosk_app
    app.guard = Guard(make_logger(tmp_path), limit=3, window=600, clock=clock)
    start_visit(app)

    def broken(surface):
        raise RuntimeError("a scene that cannot draw")

    for attempt in (1, 2):
        monkeypatch.setattr(app.scene, "draw", broken)
        app.dirty = True
        app.step()                                   # the failure is caught, logged, recovered from
        assert app.scene.name == "one-moment" and app.session is None
        clock.now += 1
        app.step()
        assert app.scene.name == "one-moment"        # shown for a short moment…
        clock.now += 2
        app.step()
        assert app.scene.name == "attract"           # …then the next visitor can start
        if attempt == 1:
            start_visit(app)
    assert "a scene that cannot draw" in (tmp_path / "moscow-1956.log").read_text()
    assert "2 cut short" in " ".join(kiosk.summary())   # both interrupted visits are kept
    monkeypatch.setattr(app.scene, "draw", broken)
    app.dirty = True
    with pytest.raises(CrashLoop):                   # the third time in ten minutes: exit for a restart
        app.step()


def test_control_characters_in_a_line_never_crash_the_window(kiosk_app):
    """NUL, ESC, C1 controls, bidi overrides and zero-width characters in a line (content that
    slipped past validate) are drawn as replacement marks, never passed to the font renderer."""
    from game.engine.model import Line
    from game.session.play import OnScreen, PlaySession
    from game.ui.scenes.dialogue import DialogueScene

    app, _kiosk, _clock = kiosk_app
    session = PlaySession(app.scenario, "shah", "short")
    for bad in ("a\x00b", "\x1b]0;title\x07", "\x85\x9b", "\u202eevil\u202c", "zero\u200bwidth", "\t\r\n"):
        session.shown = OnScreen(line=Line("bad", "khrushchev", f"Before {bad} after", "invented"))
        app.push(DialogueScene(app, session))
        app.dirty = True
        app.frame()
        app.pop()


# --- words for a touch screen ----------------------------------------------------------------------

KEYBOARD_WORDS = re.compile(r"keyboard|\bEsc\b|\bEnter\b|\bTab\b|\(S\)|arrow keys|F11|1–9|press its number",
                            re.IGNORECASE)


def test_kiosk_screens_speak_of_touch_not_keys(kiosk_app):
    """Every word a visitor sees on every kiosk screen: nothing asks for a key."""
    app, kiosk, clock = kiosk_app
    seen = rendered_texts(app)

    def look():
        app.dirty = True
        app.frame()
        seen.extend(b.label for b in app.scene.buttons)
        for block in (getattr(app.scene, "prompt_block", None),):
            if block is not None:
                seen.append(block.text)

    look()
    app.scene.begin()                                # whose chair?
    look()
    from game.ui.scenes.kiosk import start_session

    start_session(app, kiosk, "both")                # two visitors: the hand-over screen too
    look()
    app.scene.begin()
    for _ in range(400):
        look()
        name = app.scene.name
        if name == "handover":
            app.scene.ready()
        elif name == "dialogue" and app.session.shown.choice is not None:
            app.scene.pick(0)
        elif name == "dialogue":
            app.scene.next()
        else:
            break
    assert app.scene.name == "debrief"
    for tab in range(len(app.scene.tabs())):
        app.scene.choose_tab(tab)
        look()
    from game.ui.scenes.menu import MenuScene
    from game.ui.scenes.settings_scene import SettingsScene
    from game.ui.scenes.source_reader import SourceScene

    for scene in (MenuScene(app, app.session), SettingsScene(app), SourceScene(app, 3)):
        app.push(scene)
        look()
        app.pop()
    clock.now += 1000
    kiosk.tick(app)                                  # still there?
    look()
    bad = sorted({text for text in seen if KEYBOARD_WORDS.search(text)})
    assert not bad, bad


# --- screens the kiosk does not fit ----------------------------------------------------------------

def test_a_portrait_screen_gets_a_notice_not_a_shrunken_game(shipped, tmp_path, monkeypatch):
    monkeypatch.setenv("MOSCOW1956_HOME", str(tmp_path))
    pygame.display.quit()
    app = App(shipped, Settings(typing="instant"), (720, 1280))
    from game.ui.scenes.title import TitleScene

    app.push(TitleScene(app))
    drawn = []
    monkeypatch.setattr(app.scene, "draw", lambda surface: drawn.append(1))
    assert app.portrait
    app.frame()
    assert not drawn                                  # the game is not drawn squeezed in
    app.screen = pygame.display.set_mode((1280, 720), pygame.RESIZABLE)
    app.dispatch(pygame.event.Event(pygame.VIDEORESIZE, size=(1280, 720), w=1280, h=720))
    app.frame()
    assert drawn and not app.portrait


def test_the_problem_sheet_shows_every_kiosk_config_problem_for_staff(tmp_path, monkeypatch, project_root):
    """Staff read the problem on the screen: the headline, what to do, each file:line: CODE."""
    from game.ui import fonts as fonts_module
    from game.ui.splash import Splash

    bad = tmp_path / "kiosk.yaml"
    bad.write_text("idle_timeout: [90]\ncountdwn: 20\nadmin_chord: k\n")
    config, diags = load_kiosk_config(bad)
    assert len(diags.sorted()) == 3
    rendered: list[str] = []
    real_get = fonts_module.FontBook.get

    class Recording:
        def __init__(self, font):
            self.font = font

        def render(self, text, *args):
            rendered.append(text)
            return self.font.render(text, *args)

        def __getattr__(self, name):
            return getattr(self.font, name)

    monkeypatch.setattr(fonts_module.FontBook, "get", lambda self, *a, **k: Recording(real_get(self, *a, **k)))
    pygame.display.quit()
    splash = Splash(project_root, None, Settings(text_size="large", fullscreen=False))
    splash.show_problems(diags.sorted(), "The kiosk settings file has problems", "Fix the file named below", timeout=0.1)
    text = " ".join(rendered)
    assert "The kiosk settings file has problems" in text and "Fix the file named below" in text
    for d in diags.sorted():
        assert f"{d.origin.line}:{d.origin.col}: {d.code}" in text


def test_a_failure_in_the_window_says_what_happened_and_keeps_the_game(shipped, monkeypatch, tmp_path):
    from game.results.recorder import ResultsFile
    from game.ui.guard import Guard, make_logger

    from .ui_driver import click, labels, make_app

    app = make_app(shipped, monkeypatch, tmp_path)
    app.results = ResultsFile(tmp_path / "r.sqlite", "window")
    app.guard = Guard(make_logger(tmp_path))
    click(app, "Play as the Shah of Iran")
    click(app, "Begin")
    monkeypatch.setattr(app.scene, "draw", lambda surface: 1 / 0)
    app.dirty = True
    app.step()
    assert app.scene.name == "problem" and app.session is None
    app.dirty = True
    app.step()                                       # the problem page itself draws fine
    click(app, "Back to the title")
    assert app.scene.name == "title" and labels(app)[0].startswith("Continue: the Shah of Iran")
    assert "ZeroDivisionError" in (tmp_path / "moscow-1956.log").read_text()
