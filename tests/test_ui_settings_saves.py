"""Settings remembered between runs, autosave and Continue, and damaged files set aside with a
message instead of a crash. Every file goes to the test's own MOSCOW1956_HOME."""

from __future__ import annotations

import json
import os

import pygame
import pytest

from game.session.log import LOG_FORMAT, LOG_VERSION, read_log
from game.ui.settings import Settings, load_settings, settings_path
from game.ui.theme import HIGH_CONTRAST, TEXT_SCALES

from .ui_driver import (
    click,
    find,
    is_choice,
    labels,
    make_app,
    option_buttons,
    play_by_mouse,
    press,
    rendered_texts,
)


def start(app, role_label: str = "Play as the Shah of Iran") -> None:
    click(app, role_label)
    click(app, "Begin")
    assert app.scene.name == "dialogue"


def to_next_choice(app) -> None:
    for _ in range(500):
        if is_choice(app):
            return
        if app.scene.name == "handover":
            click(app, "I am ready")
        else:
            click(app, "Continue")
    raise AssertionError("no choice reached")


# --- settings -------------------------------------------------------------------------------------


def test_settings_changed_in_the_window_are_remembered_between_runs(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path)
    assert not (tmp_path / "settings.json").exists()
    click(app, "Settings")
    assert app.scene.name == "settings"
    click(app, "Text size: Normal")
    find(app, "Text size: Large")
    assert settings_path() == tmp_path / "settings.json"
    assert json.loads((tmp_path / "settings.json").read_text())["text_size"] == "large"
    assert app.fonts.text_scale == TEXT_SCALES["large"]  # applied at once
    click(app, "High contrast: off")
    find(app, "High contrast: on")
    assert app.theme is HIGH_CONTRAST
    click(app, "Lock choices once made (for class): off")
    press(app, pygame.K_ESCAPE)
    assert app.scene.name == "title"

    saved = json.loads((tmp_path / "settings.json").read_text())
    assert saved == {"text_size": "large", "high_contrast": True, "typing": "instant", "fullscreen": False,
                     "lock_choices": True}
    loaded, message = load_settings()
    assert message == ""
    assert loaded == Settings(text_size="large", high_contrast=True, typing="instant", lock_choices=True)

    # the next run starts with them
    again = make_app(shipped, monkeypatch, tmp_path, settings=loaded)
    assert again.theme is HIGH_CONTRAST and again.fonts.text_scale == TEXT_SCALES["large"]
    click(again, "Settings")
    for label in ("Text size: Large", "High contrast: on", "Typing effect: instant",
                  "Lock choices once made (for class): on"):
        find(again, label)
    press(again, pygame.K_ESCAPE)
    start(again)
    assert again.session.lock_choices  # the remembered lock applies to the new game


def test_text_size_cycles_back_to_normal(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path)
    click(app, "Settings")
    sizes = []
    for _ in range(3):
        click(app, "Text size: ")
        sizes.append(load_settings()[0].text_size)
    assert sizes == ["large", "largest", "normal"]


@pytest.mark.parametrize("damaged", [b"{not json", b"[1, 2, 3]", b'"normal"', b"\xff\xfe{}"],
                         ids=["not-json", "a-list", "a-string", "not-utf8"])
def test_a_damaged_settings_file_is_set_aside_and_defaults_used(shipped, monkeypatch, tmp_path, damaged):
    monkeypatch.setenv("MOSCOW1956_HOME", str(tmp_path))
    path = tmp_path / "settings.json"
    path.write_bytes(damaged)
    settings, message = load_settings()
    assert settings == Settings()
    assert "set aside" in message and "settings" in message
    assert not path.exists()
    moved = list(tmp_path.glob("settings.json.corrupt-*"))
    assert len(moved) == 1 and moved[0].read_bytes() == damaged
    assert moved[0].name in message

    # the window starts with the defaults and says what happened
    app = make_app(shipped, monkeypatch, tmp_path, settings=settings, title=False)
    texts = rendered_texts(app)
    from game.ui.scenes.title import TitleScene

    app.push(TitleScene(app, message))
    app.frame(0.05)
    assert message in " ".join(texts)
    assert app.theme is not HIGH_CONTRAST
    # and saving again writes a good file
    click(app, "Settings")
    click(app, "High contrast: off")
    assert load_settings() == (Settings(high_contrast=True), "")


def test_unknown_or_wrong_settings_fall_back_one_by_one(monkeypatch, tmp_path):
    monkeypatch.setenv("MOSCOW1956_HOME", str(tmp_path))
    (tmp_path / "settings.json").write_text(json.dumps(
        {"text_size": "huge", "high_contrast": "yes", "typing": "fast", "lock_choices": True, "volume": 11}))
    settings, message = load_settings()
    assert message == ""
    assert settings == Settings(text_size="normal", high_contrast=False, typing="fast", lock_choices=True)
    assert (tmp_path / "settings.json").exists()  # readable: nothing set aside


# --- settings that cannot be trusted ------------------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000
BAD_SETTINGS = {
    "deeply-nested": DEEP.encode(),
    "nested-in-a-map": ('{"text_size": ' + DEEP + "}").encode(),
    "5000-digit-number": ('{"text_size": ' + "9" * 5000 + "}").encode(),
    "number-where-text": b'{"text_size": 3, "typing": 1e400, "high_contrast": "yes"}',
    "nul-in-text": rb'{"text_size": "lar\u0000ge"}',
    "huge": b'{"pad": "' + b"x" * 100_000 + b'"}',
    "not-utf8": b"\xff\xfe{}",
    "empty": b"",
}


@pytest.mark.parametrize("name", sorted(BAD_SETTINGS))
def test_untrusted_settings_never_stop_the_game(shipped, monkeypatch, tmp_path, name):
    """Whatever is in settings.json, the game starts: a file that cannot be used is set aside
    with a message, a wrong value falls back to its default, and nothing raises."""
    monkeypatch.setenv("MOSCOW1956_HOME", str(tmp_path))
    (tmp_path / "settings.json").write_bytes(BAD_SETTINGS[name])
    settings, message = load_settings()
    assert settings.validated() == settings            # every value of the right type
    assert isinstance(settings.text_size, str) and settings.text_size in TEXT_SCALES
    if message:
        assert "set aside" in message and list(tmp_path.glob("settings.json.corrupt-*"))
    app = make_app(shipped, monkeypatch, tmp_path, settings=settings)
    assert app.scene.name == "title"


@pytest.mark.parametrize("kind", ["fifo", "folder", "symlink-to-dev-zero"])
def test_a_settings_file_that_is_not_a_regular_file_is_never_read(monkeypatch, tmp_path, kind):
    monkeypatch.setenv("MOSCOW1956_HOME", str(tmp_path))
    path = tmp_path / "settings.json"
    if kind == "fifo":
        os.mkfifo(path)        # reading it would block for ever
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to("/dev/zero")   # reading it would never end
    settings, message = load_settings()
    assert settings == Settings() and "could not" in message


# --- autosave and Continue --------------------------------------------------------------------------


def test_autosave_after_a_choice_and_continue_in_a_new_run(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path)
    autosave = tmp_path / "autosave.log"
    start(app)
    to_next_choice(app)
    assert read_log(autosave).choices == 0  # the talks began: a fresh log, nothing chosen yet
    click(app, option_buttons(app)[1].label)
    saved = read_log(autosave)
    assert saved.choices == 1 and saved.header.role == "shah" and saved.header.path == "full"
    assert saved.entries[-1].option == app.session.runner.state.chosen[-1].option
    node, line = app.session.runner.state.node, app.session.shown.line.id
    spoken = len(app.session.runner.state.spoken)

    # the window is closed; the next run offers to continue, saying whose game it is
    again = make_app(shipped, monkeypatch, tmp_path)
    label = labels(again)[0]
    assert label.startswith("Continue: the Shah of Iran · The whole conversation · saved today "), label
    click(again, "Continue: ")
    assert again.scene.name == "dialogue"
    session = again.session
    assert session.role == "shah" and session.runner.state.path == "full"
    assert session.runner.state.node == node
    assert session.shown.line.id == line  # the line that was on screen, not the one after it
    assert len(session.runner.state.spoken) == spoken
    assert session.message == ""
    # and the resumed game plays on to its end, after which there is nothing to continue
    play_by_mouse(again)
    assert again.scene.name == "debrief"
    assert not autosave.exists()
    click(again, "Title screen")
    assert not any(label.startswith("Continue") for label in labels(again))


def test_leaving_through_the_menu_continues_at_the_same_line(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path)
    start(app, "Play as the Soviet delegation")
    to_next_choice(app)
    click(app, option_buttons(app)[0].label)
    click(app, "Continue")
    click(app, "Continue")
    node, line = app.session.runner.state.node, app.session.shown.line.id
    press(app, pygame.K_ESCAPE)
    click(app, "Leave to the title screen")
    assert app.scene.name == "title" and len(app.scenes) == 1
    click(app, "Continue: the Soviet delegation")
    assert app.scene.name == "dialogue"
    # a log of decisions resumes at the last decision: the line it produced is shown again
    assert app.session.runner.state.chosen[-1].option == app.session.shown.line.id
    assert app.session.runner.state.node != "" and (node, line) != ("", "")


def test_two_players_continue_with_the_hand_over(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path)
    click(app, "Two players: both sides")
    click(app, "Begin")
    to_next_choice(app)
    click(app, option_buttons(app)[0].label)
    to_next_choice(app)
    choice = app.session.shown.choice.id
    press(app, pygame.K_ESCAPE)
    click(app, "Leave to the title screen")  # saved at a choice
    again = make_app(shipped, monkeypatch, tmp_path)
    click(again, "Continue: two players")
    for _ in range(200):
        if again.scene.name == "handover" or is_choice(again):
            break
        click(again, "Continue")
    assert again.scene.name == "handover"  # whoever's turn it is gets the device first
    click(again, "I am ready")
    assert is_choice(again) and again.session.shown.choice.id == choice


def test_a_new_game_replaces_the_saved_one_only_when_it_begins(shipped, monkeypatch, tmp_path):
    autosave = tmp_path / "autosave.log"
    app = make_app(shipped, monkeypatch, tmp_path)
    start(app)
    to_next_choice(app)
    click(app, option_buttons(app)[0].label)
    saved = autosave.read_text()

    again = make_app(shipped, monkeypatch, tmp_path)
    for label in ("Play as the Soviet delegation", "Two players", "Replay the record"):
        click(again, label)  # a look at the introduction, then back: the saved game is still there
        assert again.scene.name == "role"
        press(again, pygame.K_ESCAPE)
        assert again.scene.name == "title" and labels(again)[0].startswith("Continue: the Shah")
        assert autosave.read_text() == saved
    click(again, "Replay the record")
    click(again, "Begin")  # a replay is never saved and leaves the saved game alone
    assert autosave.read_text() == saved
    press(again, pygame.K_ESCAPE)
    click(again, "Leave to the title screen")
    assert labels(again)[0].startswith("Continue: the Shah")
    click(again, "Play as the Soviet delegation")
    click(again, "Begin")  # a new game begins: it replaces the saved one
    assert read_log(autosave).header.role == "soviet" and read_log(autosave).choices == 0


def _header(**changes) -> str:
    head = {"format": LOG_FORMAT, "version": LOG_VERSION, "scenario": "moscow-1956", "role": "shah",
            "path": "full", "uid": "0123456789abcdef", "started_at": "2026-01-01T10:00:00Z", "lock": False}
    head.update(changes)
    return json.dumps(head) + "\n"


DAMAGED_SAVES = {
    "not-json": b"{broken\n",
    "another-game": (json.dumps({"format": "another-game", "version": 1}) + "\n").encode(),
    "another-version": _header(version=99).encode(),
    "deeply-nested": ("[" * 50_000 + "]" * 50_000 + "\n").encode(),
    "5000-digit-number": (_header() + '{"kind": "choose", "option": "x", "t": ' + "9" * 5000 + "}\n").encode(),
    "number-where-text": _header(role=5).encode(),
    "nul-in-an-id": _header(role="sh\u0000ah").encode(),
    "escape-in-an-id": _header(uid="\u001b]0;pwned\u0007").encode(),
    "too-big": _header().encode() + b'{"kind": "back"}\n' * 20_000,
    "empty": b"",
    "binary": b"\x00\xff\x00\xfe" * 100,
}


@pytest.mark.parametrize("name", sorted(DAMAGED_SAVES))
def test_a_damaged_autosave_is_set_aside_with_a_message(shipped, monkeypatch, tmp_path, name):
    autosave = tmp_path / "autosave.log"
    autosave.write_bytes(DAMAGED_SAVES[name])
    app = make_app(shipped, monkeypatch, tmp_path)
    texts = rendered_texts(app)
    assert not any(label.startswith("Continue") for label in labels(app))  # checked before it is offered
    message = app.scene.message
    assert "could not be used" in message and "set aside" in message
    app.dirty = True
    app.frame(0.05)
    assert message in " ".join(texts)  # shown on the title
    assert not autosave.exists()
    moved = list(tmp_path.glob("autosave.log.corrupt-*"))
    assert len(moved) == 1 and moved[0].read_bytes() == DAMAGED_SAVES[name] and moved[0].name in message
    start(app)  # and a new game starts normally
    assert app.session.runner.state.spoken


@pytest.mark.parametrize("kind", ["fifo", "symlink-to-dev-zero", "folder"])
def test_an_autosave_that_is_not_a_regular_file_is_never_read(shipped, monkeypatch, tmp_path, kind):
    autosave = tmp_path / "autosave.log"
    if kind == "fifo":
        os.mkfifo(autosave)
    elif kind == "folder":
        autosave.mkdir()
    else:
        autosave.symlink_to("/dev/zero")
    app = make_app(shipped, monkeypatch, tmp_path)
    assert "could not be used" in app.scene.message
    assert not any(label.startswith("Continue") for label in labels(app))


def test_a_torn_last_line_is_ignored(shipped, monkeypatch, tmp_path):
    """kill -9 in the middle of an append leaves half a line: the game goes on without it."""
    app = make_app(shipped, monkeypatch, tmp_path)
    start(app)
    to_next_choice(app)
    click(app, option_buttons(app)[0].label)
    autosave = tmp_path / "autosave.log"
    with autosave.open("a") as handle:
        handle.write('{"kind": "choose", "opt')
    again = make_app(shipped, monkeypatch, tmp_path)
    click(again, "Continue: ")
    assert again.scene.name == "dialogue" and len([c for c in again.session.runner.state.chosen if not c.auto]) == 1


def test_a_save_from_changed_content_continues_with_a_message(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path)
    start(app)
    to_next_choice(app)
    first = app.session.shown.choice.id
    click(app, option_buttons(app)[0].label)
    to_next_choice(app)
    second = app.session.shown.choice.id
    click(app, option_buttons(app)[0].label)
    autosave = tmp_path / "autosave.log"
    lines = autosave.read_text().splitlines()
    data = json.loads(lines[-1])
    data["option"] = "an-option-that-was-renamed"
    autosave.write_text("\n".join([*lines[:-1], json.dumps(data)]) + "\n")

    again = make_app(shipped, monkeypatch, tmp_path)
    texts = rendered_texts(again)
    click(again, "Continue: ")
    assert again.scene.name == "dialogue"
    assert "no longer offered" in again.session.message
    again.scene.layout()
    again.dirty = True
    again.frame(0.05)
    assert again.session.message in " ".join(texts)  # said on the table, not only in a log
    to_next_choice(again)
    assert again.session.shown.choice.id == second != first  # back at the second choice, not the start
