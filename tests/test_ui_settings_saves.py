"""Settings remembered between runs, autosave and Continue, and damaged files set aside with a
message instead of a crash. Every file goes to the test's own MOSCOW1956_HOME."""

from __future__ import annotations

import json

import pygame
import pytest

from game.engine import saves
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
)


def rendered_texts(app) -> list[str]:
    """Record the text the window draws (through its text cache) from now on."""
    seen: list[str] = []
    render = app.render

    def recording(text, *args, **kwargs):
        seen.append(text)
        return render(text, *args, **kwargs)

    app.render = recording
    return seen


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
    assert message in texts
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


# --- autosave and Continue --------------------------------------------------------------------------


def test_autosave_after_a_choice_and_continue_in_a_new_run(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path)
    autosave = tmp_path / "autosave.json"
    start(app)
    to_next_choice(app)
    assert not autosave.exists()  # nothing chosen yet: nothing saved
    click(app, option_buttons(app)[1].label)
    assert autosave.exists()
    restored = saves.load(autosave, shipped)
    assert restored.state.node == app.session.runner.state.node
    assert restored.state.chosen == app.session.runner.state.chosen
    node, line = app.session.runner.state.node, app.session.shown.line.id
    spoken = len(app.session.runner.state.spoken)

    # the window is closed; the next run offers to continue
    again = make_app(shipped, monkeypatch, tmp_path)
    assert labels(again)[0] == "Continue the saved game"
    click(again, "Continue the saved game")
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
    assert "Continue the saved game" not in labels(again)


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
    click(app, "Continue the saved game")
    assert app.scene.name == "dialogue"
    assert (app.session.runner.state.node, app.session.shown.line.id) == (node, line)


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
    click(again, "Continue the saved game")
    assert again.scene.name == "handover"  # whoever's turn it is gets the keyboard first
    click(again, "I am ready")
    assert is_choice(again) and again.session.shown.choice.id == choice


def test_a_new_game_replaces_the_saved_one_only_when_it_begins(shipped, monkeypatch, tmp_path):
    autosave = tmp_path / "autosave.json"
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
        assert again.scene.name == "title" and labels(again)[0] == "Continue the saved game"
        assert autosave.read_text() == saved
    click(again, "Replay the record")
    click(again, "Begin")  # a replay is never saved and leaves the saved game alone
    assert autosave.read_text() == saved
    press(again, pygame.K_ESCAPE)
    click(again, "Leave to the title screen")
    assert labels(again)[0] == "Continue the saved game"
    click(again, "Play as the Soviet delegation")
    click(again, "Begin")  # a new game begins: it replaces the saved one
    assert not autosave.exists()


@pytest.mark.parametrize("damaged", [
    "{broken",
    json.dumps({"format": "another-game", "version": 1}),
    json.dumps({"format": saves.SAVE_FORMAT, "version": 99, "scenario": "moscow-1956"}),
    json.dumps({"format": saves.SAVE_FORMAT, "version": saves.SAVE_VERSION, "scenario": "moscow-1956",
                "role": "shah", "path": "full"}),  # no place in the talks
])
def test_a_corrupt_autosave_is_set_aside_with_a_message(shipped, monkeypatch, tmp_path, damaged):
    autosave = tmp_path / "autosave.json"
    autosave.write_text(damaged)
    app = make_app(shipped, monkeypatch, tmp_path)
    texts = rendered_texts(app)
    assert labels(app)[0] == "Continue the saved game"
    click(app, "Continue the saved game")
    assert app.scene.name == "title" and len(app.scenes) == 1
    message = app.scene.message
    assert "could not be used" in message and "set aside" in message
    assert message in texts  # shown on the title
    assert not autosave.exists()
    moved = list(tmp_path.glob("autosave.json.corrupt-*"))
    assert len(moved) == 1 and moved[0].read_text() == damaged and moved[0].name in message
    assert "Continue the saved game" not in labels(app)
    start(app)  # and a new game starts normally
    assert app.session.runner.state.spoken


def test_a_save_from_changed_content_continues_with_a_message(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path)
    start(app)
    to_next_choice(app)
    first = app.session.shown.choice.id
    click(app, option_buttons(app)[0].label)
    to_next_choice(app)
    click(app, option_buttons(app)[0].label)
    autosave = tmp_path / "autosave.json"
    data = json.loads(autosave.read_text())
    data["node"] = "a-node-that-was-renamed"
    data["pending"] = None
    autosave.write_text(json.dumps(data))

    again = make_app(shipped, monkeypatch, tmp_path)
    texts = rendered_texts(again)
    click(again, "Continue the saved game")
    assert again.scene.name == "dialogue"
    assert "going back to the last choice" in again.session.message
    assert again.session.message in texts  # said on the table, not only in a log
    to_next_choice(again)
    assert again.session.shown.choice.id != first  # back at the second choice, not the start
