"""Rollback ("Back to last choice", or B) and the class setting that locks choices once made."""

from __future__ import annotations

import pygame

from game.ui.settings import Settings

from .ui_driver import click, click_at, document_text, find, is_choice, make_app, option_buttons, press


def decisions(app) -> list[tuple[str, str]]:
    return [(c.choice, c.option) for c in app.session.runner.state.chosen if not c.auto]


def to_next_choice(app) -> None:
    for _ in range(500):
        if is_choice(app):
            return
        click(app, "I am ready" if app.scene.name == "handover" else "Continue")
    raise AssertionError("no choice reached")


def start(app, role_label: str = "Play as the Shah of Iran") -> None:
    click(app, role_label)
    click(app, "Begin")


def test_back_to_last_choice_offers_the_previous_choice_again(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path)
    start(app)
    assert not find(app, "Back to last choice").enabled
    to_next_choice(app)
    first = app.session.shown.choice
    offered = [o.id for o in app.session.shown.options]
    said_before = len(app.session.runner.state.spoken)
    assert not find(app, "Back to last choice").enabled  # nothing chosen yet
    chosen = app.session.shown.options[1]
    click(app, option_buttons(app)[1].label)
    assert decisions(app) == [(first.id, chosen.id)]
    click(app, "Continue")
    click(app, "Continue")

    click(app, "Back to last choice")
    assert is_choice(app) and app.session.shown.choice.id == first.id
    assert [o.id for o in app.session.shown.options] == offered
    assert decisions(app) == []
    assert len(app.session.runner.state.spoken) == said_before  # what was said after it is unsaid
    click(app, "What was said")
    assert chosen.text not in document_text(app)
    press(app, pygame.K_ESCAPE)

    # choose otherwise this time; at the next choice, B goes back to this one again
    click(app, option_buttons(app)[0].label)
    assert decisions(app) == [(first.id, app.session.shown.line.id)]
    to_next_choice(app)
    second = app.session.shown.choice.id
    assert second != first.id
    press(app, pygame.K_b)
    assert is_choice(app) and app.session.shown.choice.id == first.id and decisions(app) == []
    assert app.scene.name == "dialogue"


def test_locked_choices_cannot_be_taken_back(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path, Settings(typing="instant", lock_choices=True))
    start(app)
    assert app.session.lock_choices
    to_next_choice(app)
    click(app, option_buttons(app)[0].label)
    made = decisions(app)
    assert len(made) == 1

    def where():
        state = app.session.runner.state
        return state.node, len(state.spoken), decisions(app), app.session.shown

    back = find(app, "Back to last choice")
    assert not back.enabled
    before = where()
    click_at(app, back.rect.center)  # a click on the greyed button does nothing
    press(app, pygame.K_b)           # nor does the key
    assert where() == before and app.scene.name == "dialogue"
    to_next_choice(app)
    before = where()
    press(app, pygame.K_b)
    assert where() == before and is_choice(app)
    assert not find(app, "Back to last choice").enabled

    # the teacher unlocks it in the settings (from the pause menu): it applies to this game at once
    press(app, pygame.K_ESCAPE)
    click(app, "Settings")
    click(app, "Lock choices once made (for class): on")
    find(app, "Lock choices once made (for class): off")
    press(app, pygame.K_ESCAPE)
    press(app, pygame.K_ESCAPE)
    assert app.scene.name == "dialogue" and not app.session.lock_choices
    assert find(app, "Back to last choice").enabled
    press(app, pygame.K_b)
    assert is_choice(app) and decisions(app) == []


def test_locking_in_the_middle_of_a_game_disables_back_at_once(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path)
    start(app, "Play as the Soviet delegation")
    to_next_choice(app)
    click(app, option_buttons(app)[0].label)
    assert find(app, "Back to last choice").enabled
    press(app, pygame.K_ESCAPE)
    click(app, "Settings")
    click(app, "Lock choices once made (for class): off")
    click(app, "Done")
    click(app, "Back to the table")
    assert app.scene.name == "dialogue" and app.session.lock_choices
    assert not find(app, "Back to last choice").enabled
    made = decisions(app)
    press(app, pygame.K_b)
    assert decisions(app) == made


def test_a_locked_game_stays_locked_when_continued(shipped, monkeypatch, tmp_path):
    settings = Settings(typing="instant", lock_choices=True)
    app = make_app(shipped, monkeypatch, tmp_path, settings)
    start(app)
    to_next_choice(app)
    click(app, option_buttons(app)[0].label)
    # the lock belongs to the saved game: it holds even if the next run's settings are unlocked
    again = make_app(shipped, monkeypatch, tmp_path, Settings(typing="instant", lock_choices=False))
    click(again, "Continue: ")
    assert again.session.lock_choices and not find(again, "Back to last choice").enabled


def test_no_going_back_in_a_replay_of_the_record(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path)
    click(app, "Replay the record as it happened")
    click(app, "Begin")
    for _ in range(60):
        click(app, "Continue")
    assert app.session.runner.state.chosen  # the record has answered choices by now
    assert not find(app, "Back to last choice").enabled
    line = app.session.shown.line
    press(app, pygame.K_b)
    assert app.session.shown.line is line


def test_two_players_going_back_to_the_other_sides_choice_hands_the_keyboard_over(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path)
    click(app, "Two players: both sides")
    click(app, "Begin")
    sides = []
    for _ in range(40):  # play until two consecutive choices belong to different sides
        to_next_choice(app)
        sides.append(app.session.shown.choice.by)
        if len(sides) >= 2 and sides[-1] != sides[-2]:
            break
        click(app, option_buttons(app)[0].label)
    assert sides[-1] != sides[-2]
    # the player of sides[-1] has the keyboard and goes back to sides[-2]'s choice
    press(app, pygame.K_b)
    assert app.scene.name == "handover", "the other side's options were shown without a hand-over"
    press(app, pygame.K_ESCAPE)
    assert app.scene.name == "handover"
    press(app, pygame.K_RETURN)
    assert is_choice(app) and app.session.shown.choice.by == sides[-2]
    # going back to one's own choice needs no hand-over
    click(app, option_buttons(app)[0].label)
    assert app.session.shown.line is not None
    press(app, pygame.K_b)
    assert app.scene.name == "dialogue" and is_choice(app) and app.session.shown.choice.by == sides[-2]
