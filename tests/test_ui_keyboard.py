"""The whole game by keyboard alone: only key events reach the window, from the title to the
debrief and back, with every scene on the way reached and left with keys."""

from __future__ import annotations

import pygame

from game.ui.keys import NUMBERS

from .ui_driver import document_text, focus_by_keys, focused, is_choice, labels, make_app, press

KEY_EVENTS = {pygame.KEYDOWN, pygame.KEYUP}
MOUSE_EVENTS = {pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION, pygame.MOUSEWHEEL,
                pygame.FINGERDOWN, pygame.FINGERUP, pygame.FINGERMOTION}
DIGITS = {i + 1: k for i, k in enumerate(NUMBERS[:9])}


def keyboard_only(app) -> list[int]:
    """Record every event the window gets; the test asserts none of them is a mouse event."""
    seen: list[int] = []
    dispatch = app.dispatch

    def recording(event):
        seen.append(event.type)
        dispatch(event)

    app.dispatch = recording
    return seen


def test_full_path_as_the_soviet_delegation_by_keyboard_alone(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path)
    events = keyboard_only(app)

    # title: arrows move the focus, Enter starts
    focus_by_keys(app, "Play as the Soviet delegation", pygame.K_DOWN)
    press(app, pygame.K_RETURN)
    assert app.scene.name == "role" and "You are the Soviet delegation" in document_text(app)
    press(app, pygame.K_ESCAPE)  # Esc goes back to the title, Enter again to start
    assert app.scene.name == "title"
    assert focused(app).label == "Play as the Soviet delegation"
    press(app, pygame.K_RETURN)
    press(app, pygame.K_RETURN)
    assert app.scene.name == "dialogue" and app.session.role == "soviet" and app.session.runner.state.path == "full"

    # the side scenes have their own keys, and Esc always comes back to the same line
    line = app.session.shown.line
    for key, scene in ((pygame.K_l, "backlog"), (pygame.K_s, "source"), (pygame.K_g, "glossary"),
                       (pygame.K_ESCAPE, "menu")):
        press(app, key)
        assert app.scene.name == scene
        if scene != "menu":
            press(app, pygame.K_PAGEDOWN)  # documents scroll by keyboard
            press(app, pygame.K_END)
        press(app, pygame.K_ESCAPE)
        assert app.scene.name == "dialogue" and app.session.shown.line is line

    # the menu's own buttons by Tab and Enter: settings, and back to the table
    press(app, pygame.K_ESCAPE)
    focus_by_keys(app, "Settings")
    press(app, pygame.K_RETURN)
    assert app.scene.name == "settings"
    focus_by_keys(app, "Typing effect")
    press(app, pygame.K_RETURN)
    assert app.settings.typing != "instant"
    while app.settings.typing != "instant":  # Enter cycles it round
        press(app, pygame.K_RETURN)
    focus_by_keys(app, "Done")
    press(app, pygame.K_RETURN)
    assert app.scene.name == "menu"
    focus_by_keys(app, "Back to the table", pygame.K_UP)
    press(app, pygame.K_RETURN)
    assert app.scene.name == "dialogue"

    choices = lines = 0
    for step in range(5000):
        if app.scene.name == "debrief":
            break
        assert app.scene.name == "dialogue", (app.scene.name, labels(app))
        if is_choice(app):
            count = len(app.session.shown.options)
            before = len(app.session.runner.state.chosen)
            if choices % 3 == 0:            # a number key
                press(app, DIGITS[1 + choices % count])
            elif choices % 3 == 1:          # arrows to an option (nothing has the focus before), then Enter
                for _ in range(1 + choices % count):
                    press(app, pygame.K_DOWN)
                press(app, pygame.K_RETURN)
            else:                           # Tab to the first option and Enter
                focus_by_keys(app, app.scene.buttons[0].label)
                press(app, pygame.K_RETURN)
            assert len(app.session.runner.state.chosen) == before + 1
            choices += 1
        else:
            press(app, pygame.K_SPACE if step % 2 else pygame.K_RETURN)
            lines += 1
    assert app.scene.name == "debrief", "the keyboard did not reach the debrief"
    assert choices >= 10 and lines > choices
    report = app.scene.report
    assert [r.role.id for r in report.roles] == ["soviet"] and report.roles[0].total == choices

    # debrief tabs by Tab + Enter
    for index, tab in enumerate(["Outcome", "Your choices", "What came next", "Discuss"]):
        focus_by_keys(app, tab)
        press(app, pygame.K_RETURN)
        assert app.scene.tab == index
    assert "Questions to discuss" in document_text(app)
    press(app, pygame.K_ESCAPE)
    assert app.scene.name == "title" and len(app.scenes) == 1

    assert not set(events) & MOUSE_EVENTS
    assert pygame.KEYDOWN in events


def test_two_players_and_the_short_path_by_keyboard(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path)
    events = keyboard_only(app)
    focus_by_keys(app, "Five minutes at the table")
    press(app, pygame.K_RETURN)
    assert focused(app).label == "● Five minutes at the table"  # chosen, and the focus stays on it
    focus_by_keys(app, "Two players", pygame.K_UP)
    press(app, pygame.K_KP_ENTER)
    press(app, pygame.K_RETURN)
    handovers = 0
    for _ in range(3000):
        name = app.scene.name
        if name == "debrief":
            break
        if name == "handover":
            handovers += 1
            press(app, pygame.K_RETURN)
        elif is_choice(app):
            press(app, pygame.K_KP1 if handovers % 2 else pygame.K_2)
        else:
            press(app, pygame.K_RETURN)
    assert app.scene.name == "debrief" and handovers >= 2
    assert len(app.scene.report.roles) == 2
    focus_by_keys(app, "The minutes", pygame.K_TAB)
    press(app, pygame.K_RETURN)
    assert "The minutes of your session" in document_text(app)
    assert not set(events) & MOUSE_EVENTS


def test_number_keys_only_pick_offered_options(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path)
    press(app, pygame.K_TAB)     # nothing has the focus until Tab: then Play as the Shah (the first button)
    press(app, pygame.K_RETURN)
    press(app, pygame.K_RETURN)  # Begin
    while not is_choice(app):
        press(app, pygame.K_RETURN)

    def decisions():
        return [c for c in app.session.runner.state.chosen if not c.auto]

    choice = app.session.shown.choice
    first = app.session.shown.options[0]
    press(app, DIGITS[9])  # no ninth option here
    press(app, pygame.K_0)
    assert len(app.session.shown.options) < 9
    assert is_choice(app) and decisions() == []
    press(app, pygame.K_RETURN)  # no option has the focus: the Enter that continued the talks picks nothing
    press(app, pygame.K_SPACE)
    assert is_choice(app) and decisions() == []
    press(app, pygame.K_DOWN)    # the player moves the focus to the first option, then Enter takes it
    press(app, pygame.K_RETURN)
    assert [(c.choice, c.option) for c in decisions()] == [(choice.id, first.id)]
    assert app.session.shown.line is not None


def test_with_the_typing_effect_enter_first_shows_the_whole_line(shipped, monkeypatch, tmp_path):
    from game.ui.settings import Settings

    app = make_app(shipped, monkeypatch, tmp_path, Settings())  # the default typing speed
    assert app.settings.typing == "normal"
    press(app, pygame.K_TAB)
    press(app, pygame.K_RETURN)
    press(app, pygame.K_RETURN, dt=0.0)
    scene = app.scene
    assert scene.name == "dialogue" and scene.typing
    line = app.session.shown.line
    assert app.frame(0.05) is True  # still typing: the window keeps drawing
    assert 0 < scene.reveal < len(line.text)
    press(app, pygame.K_RETURN, dt=0.0)
    assert app.session.shown.line is line and not scene.typing and scene.reveal == len(line.text)
    assert app.frame(0.05) is False  # idle again
    press(app, pygame.K_RETURN, dt=0.0)
    assert app.session.shown.line is not line
    for _ in range(400):  # typing runs out by itself too
        if not app.frame(0.05):
            break
    assert not scene.typing


def test_links_in_documents_are_reachable_by_keyboard(shipped, tmp_path, monkeypatch):
    """Tab reaches the ¶ links of the backlog after the buttons; Enter opens that paragraph."""
    import pygame

    from game.session.play import PlaySession as Session
    from game.ui.scenes.backlog import BacklogScene

    from .ui_driver import make_app

    app = make_app(shipped, monkeypatch, tmp_path)
    session = Session(shipped, "shah", "short")
    for _ in range(3):
        session.advance()
    app.push(BacklogScene(app, session))
    app.frame(0.05)
    scene = app.scene
    assert scene.links, "the backlog has source links"
    for _ in range(len(scene.buttons) + 1):  # nothing has the focus at first; Tab goes through the buttons
        app.dispatch(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_TAB, mod=0, unicode="\t"))
    assert scene.focused_link() == scene.links[0]
    app.frame(0.05)
    app.dispatch(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r"))
    app.frame(0.05)
    assert app.scene.name == "source"
    first_ref = session.runner.state.spoken[0].refs[0]
    assert app.scene.anchor == f"p{first_ref}"


def test_a_paged_line_keeps_its_page_when_the_window_changes(shipped, tmp_path, monkeypatch):
    import pygame

    from game.session.play import PlaySession as Session
    from game.ui.scenes.dialogue import DialogueScene
    from game.ui.settings import Settings

    from .ui_driver import make_app

    app = make_app(shipped, monkeypatch, tmp_path, settings=Settings(typing="instant", text_size="largest"))
    session = Session(shipped, "soviet", "full")
    scene = DialogueScene(app, session)
    app.push(scene)
    for _ in range(400):                      # find a line long enough to need two pages
        if scene.session.shown.line is not None and len(scene.pages) > 1:
            break
        if scene.session.shown.choice is not None:
            scene.pick(next(i for i, o in enumerate(scene.session.shown.options) if o.historical))
        else:
            scene.next()
    assert len(scene.pages) > 1
    line = scene.session.shown.line.id
    scene.next()                              # to page 2 of the same line
    assert scene.page == 1
    app.screen = pygame.display.set_mode((1600, 900), pygame.RESIZABLE)
    app.relayout()
    assert scene.session.shown.line.id == line and scene.page == min(1, len(scene.pages) - 1)


def test_the_readme_key_list_is_the_key_table(project_root):
    """The README's list is made from game/ui/keys.py: a key added or changed there must be
    documented (regenerate the block between the <!-- keys --> markers)."""
    import re

    from game.ui.keys import KEYS, key_help

    readme = (project_root / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- keys -->\n(.*?)\n<!-- /keys -->", readme, re.DOTALL)
    assert block, "the README has no key list between <!-- keys --> markers"
    assert [line.strip() for line in block.group(1).splitlines()] == key_help()
    # and every key of the table has one meaning: no key code is bound twice for the same Shift state
    seen: dict[tuple[int, bool | None], str] = {}
    for binding in KEYS:
        for key in binding.keys:
            for shift in ((True, False) if binding.shift is None else (binding.shift,)):
                assert (key, shift) not in seen, (binding.action, seen.get((key, shift)))
                seen[(key, shift)] = binding.action
