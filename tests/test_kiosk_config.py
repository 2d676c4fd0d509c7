"""Kiosk config as untrusted input: chords that are really chords, each chair once, a PIN kept only
as a hash, a keypad that asks for it (touch targets, keyboard digits, a lock after wrong tries),
and a config file that is a pipe or a device never hangs the kiosk."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pygame
import pytest

from game.session.kiosk_config import (
    KEY_NAMES,
    PIN_LOCK_SECONDS,
    PIN_TRIES,
    KioskConfig,
    check_pin,
    hash_pin,
    load_kiosk_config,
)
from game.ui.app import App
from game.ui.kiosk import Kiosk, key_constant
from game.ui.scenes.kiosk import AdminScene, AttractScene

from .test_diagnostics import LINE
from .ui_driver import MIN_TARGET, small_targets

FAST = 1_000   # PBKDF2 iterations in tests (the real default takes about a second on purpose)


def config_with(tmp_path: Path, text: str) -> tuple[KioskConfig, list[str]]:
    path = tmp_path / "kiosk.yaml"
    path.write_text(text, encoding="utf-8")
    config, diags = load_kiosk_config(path)
    return config, [f"{d.code} {d.message}" for d in diags.sorted()]


@pytest.mark.parametrize("chord", [
    "shift+shift+a", "ctrl+ctrl+k", "alt+alt+alt+f12", "ctrl+alt+ctrl+x",     # a modifier twice
    "shift+a", "ctrl+k", "a",                                                 # fewer than two
    "ctrl+alt+shift", "ctrl+alt+ctrl", "ctrl+meta+a", "ctrl+alt+nokey", "ctrl+alt++",
])
def test_a_chord_that_is_not_two_different_modifiers_and_a_key_is_refused(tmp_path: Path, chord: str):
    config, problems = config_with(tmp_path, f"admin_chord: {chord!r}\n")
    assert [p[:4] for p in problems] == ["E106"], problems
    assert config.admin_chord == KioskConfig().admin_chord


@pytest.mark.parametrize("chord", ["ctrl+alt+a", "ctrl+shift+k", "alt+shift+f12", "CTRL+ALT+SHIFT+Z"])
def test_real_chords_are_accepted(tmp_path: Path, chord: str):
    config, problems = config_with(tmp_path, f"admin_chord: {chord}\n")
    assert problems == [] and config.admin_chord == chord


@pytest.mark.parametrize("roles", ["[shah, shah]", "[shah, soviet, shah]", "[both, soviet, both]",
                                   "[soviet, soviet, soviet]", "[shah, 'Shah']", "[shah, '../x']"])
def test_each_chair_is_offered_once_and_is_an_id(tmp_path: Path, roles: str):
    config, problems = config_with(tmp_path, f"roles: {roles}\n")
    assert [p[:4] for p in problems] == ["E106"], problems
    assert config.roles == KioskConfig().roles


@pytest.mark.parametrize("pin", ["1234", "000000", "123456789012"])
def test_a_pin_is_kept_as_a_salted_hash_and_checked(tmp_path: Path, pin: str):
    stored = hash_pin(pin, FAST)
    assert pin not in stored.split("$")[2:] and stored != hash_pin(pin, FAST)   # salted: never the same twice
    config, problems = config_with(tmp_path, f"admin_pin: '{stored}'\n")
    assert problems == [] and config.admin_pin == stored
    assert check_pin(pin, stored)
    assert not check_pin(pin[:-1] + str((int(pin[-1]) + 1) % 10), stored)
    assert not check_pin("١٢٣٤", stored) and not check_pin("", stored)


@pytest.mark.parametrize("value", ["1234", "'1234'", "pbkdf2-sha256$1000$zz$00", "true", "[1, 2]",
                                   "'pbkdf2-sha256$1000$" + "0" * 32 + "$" + "0" * 63 + "'"])
def test_an_admin_pin_that_is_not_a_hash_is_refused(tmp_path: Path, value: str):
    config, problems = config_with(tmp_path, f"admin_pin: {value}\n")
    assert [p[:4] for p in problems] == ["E106"], problems
    assert config.admin_pin == ""


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "dev-stdin", "folder"])
def test_a_config_that_is_not_a_regular_file_never_hangs(tmp_path: Path, kind: str, project_root: Path):
    path = tmp_path / "kiosk.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to("/dev/zero" if kind == "dev-zero" else "/dev/stdin")
    proc = subprocess.run([sys.executable, str(project_root / "main.py"), "validate", "--kiosk-config", str(path)],
                          capture_output=True, text=True, timeout=20, stdin=subprocess.PIPE)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stdout.splitlines()
    assert lines and all(LINE.match(ln) for ln in lines) and ("E011" in proc.stdout or "E001" in proc.stdout)


@pytest.fixture
def pin_app(shipped, tmp_path, monkeypatch):
    monkeypatch.setenv("MOSCOW1956_HOME", str(tmp_path))
    clock = [1000.0]
    config = KioskConfig(admin_pin=hash_pin("2468", FAST))
    kiosk = Kiosk(config, clock=lambda: clock[0])
    pygame.display.quit()
    app = App(shipped, kiosk.visitor_settings(), (1280, 720))
    app.kiosk = kiosk
    kiosk.touched()
    app.push(AttractScene(app, kiosk))
    app.frame()
    yield app, kiosk, clock
    pygame.display.quit()


def chord(app: App) -> None:
    app.dispatch(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_a,
                                    mod=pygame.KMOD_LCTRL | pygame.KMOD_LALT | pygame.KMOD_LSHIFT, unicode="a"))
    app.frame()


def key(app: App, code: int) -> None:
    app.dispatch(pygame.event.Event(pygame.KEYDOWN, key=code, mod=0, unicode=""))
    app.frame()


def press(app: App, label: str) -> None:
    next(b for b in app.scene.buttons if b.label == label).action()
    app.frame()


def test_with_a_pin_the_chord_opens_a_keypad_not_the_admin_screen(pin_app):
    app, kiosk, _clock = pin_app
    chord(app)
    assert isinstance(app.scene, AdminScene) and app.scene.name == "admin-pin"
    labels = [b.label for b in app.scene.buttons]
    assert "Exit the kiosk" not in labels and set("0123456789") <= set(labels)
    assert not small_targets(app), f"keys under {MIN_TARGET} px"
    for d in "2468":
        press(app, d)
    press(app, "OK")
    assert app.scene.name == "admin" and "Exit the kiosk" in [b.label for b in app.scene.buttons]


@pytest.mark.parametrize("keys", [
    [pygame.K_2, pygame.K_4, pygame.K_6, pygame.K_8, pygame.K_RETURN],
    [pygame.K_KP2, pygame.K_KP4, pygame.K_KP6, pygame.K_KP8, pygame.K_KP_ENTER],
    [pygame.K_2, pygame.K_4, pygame.K_9, pygame.K_BACKSPACE, pygame.K_6, pygame.K_8, pygame.K_RETURN],
])
def test_the_pin_can_be_typed_on_a_keyboard(pin_app, keys):
    app, _kiosk, _clock = pin_app
    chord(app)
    for code in keys:
        key(app, code)
    assert app.scene.name == "admin"


def test_wrong_pins_lock_the_keypad_for_a_while_then_it_works_again(pin_app):
    app, kiosk, clock = pin_app
    chord(app)
    for _ in range(PIN_TRIES):
        for d in "1111":
            press(app, d)
        press(app, "OK")
        assert app.scene.name == "admin-pin"
    for d in "2468":                      # the right PIN, but the keypad waits
        press(app, d)
    press(app, "OK")
    assert app.scene.name == "admin-pin" and app.scene.entered == ""
    clock[0] += PIN_LOCK_SECONDS + 1
    for d in "2468":
        press(app, d)
    press(app, "OK")
    assert app.scene.name == "admin"


def test_a_keypad_left_alone_goes_back_to_the_attract_loop(pin_app):
    app, kiosk, clock = pin_app
    chord(app)
    press(app, "1")
    clock[0] += kiosk.config.idle_timeout + 1
    app.frame()
    assert app.scene.name == "still-there"
    clock[0] += kiosk.config.countdown + 1
    app.frame()
    assert app.scene.name == "attract"


def test_without_a_pin_the_chord_opens_the_admin_screen_as_before(shipped, tmp_path, monkeypatch):
    monkeypatch.setenv("MOSCOW1956_HOME", str(tmp_path))
    kiosk = Kiosk(KioskConfig())
    pygame.display.quit()
    app = App(shipped, kiosk.visitor_settings(), (1280, 720))
    app.kiosk = kiosk
    app.push(AttractScene(app, kiosk))
    app.frame()
    chord(app)
    assert app.scene.name == "admin"
    pygame.display.quit()


def test_every_key_a_chord_may_end_in_is_a_key_pygame_knows():
    """The config is checked without pygame (game.session.kiosk_config); its list of key names
    must be keys the window can really see pressed."""
    assert all(key_constant(name) is not None for name in KEY_NAMES)
    assert key_constant("notakey") is None
