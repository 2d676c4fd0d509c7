"""No choice made by accident, and nothing on a choice gives the record away.

The press that brings a choice up (Enter, Space, a click on Continue or on the memo) never also
answers it; no option has the keyboard focus until the player moves it; a press that began before
the options appeared (or in the moment after) is ignored; the prompt is never hidden behind an
option at any text size; options never show a provenance mark or the record's own voice.
"""

from __future__ import annotations

import re

import pygame
import pytest

from game.session.play import OnScreen, PlaySession
from game.ui.scenes.dialogue import GRACE, DialogueScene
from game.ui.settings import Settings

from .ui_driver import click, click_at, every_choice, focused, is_choice, make_app, option_buttons, press

ADVANCE = [("enter", pygame.K_RETURN), ("space", pygame.K_SPACE), ("keypad-enter", pygame.K_KP_ENTER)]


def to_line_before_choice(app) -> None:
    """Continue until the next Continue would bring a choice up."""
    from game.ui.scenes.title import TitleScene  # noqa: F401  (the app is on the table)

    for _ in range(500):
        runner = app.session.runner
        state = runner.state
        node = app.scenario.nodes[state.node]
        last_line = not state.next_line and node.choice is not None and node.choice.by in runner.players
        if app.session.shown.line is not None and last_line and state.pending is None:
            return
        if is_choice(app):
            app.scene.pick(0)
        else:
            app.scene.next()
    raise AssertionError("no line just before a choice")


def start(app, role_label="Play as the Shah of Iran"):
    click(app, role_label)
    click(app, "Begin")


def decisions(app) -> int:
    return sum(1 for c in app.session.runner.state.chosen if not c.auto)


@pytest.mark.parametrize("name,key", ADVANCE, ids=[n for n, _ in ADVANCE])
def test_the_key_that_brings_up_a_choice_never_answers_it(shipped, monkeypatch, tmp_path, name, key):
    app = make_app(shipped, monkeypatch, tmp_path)
    start(app)
    to_line_before_choice(app)
    before = decisions(app)
    press(app, key)                         # continue: the choice comes up
    assert is_choice(app)
    assert focused(app) is None             # no option has the focus
    for again in (key, pygame.K_RETURN, pygame.K_SPACE):
        press(app, again)                   # the same key again, or held: still no answer
    assert is_choice(app) and decisions(app) == before


def test_a_click_where_continue_was_does_not_land_on_an_option(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path)
    start(app)
    to_line_before_choice(app)
    before = decisions(app)
    where = next(b for b in app.scene.buttons if b.id == "continue").rect.center
    # a double click: the second press comes before the player could have read the options
    for _ in range(2):
        app.dispatch(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=where, button=1))
        app.dispatch(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=where, button=1))
        app.frame(0.01)
    assert is_choice(app) and decisions(app) == before
    # every point of every option, pressed at once after they appear: nothing is chosen
    for button in option_buttons(app):
        for pos in (button.rect.center, button.rect.topleft, button.rect.move(-1, -1).bottomright):
            app.dispatch(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
            app.dispatch(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))
    assert decisions(app) == before
    app.clock.wait(GRACE + 0.01)            # a moment later, a real click on an option answers
    click_at(app, option_buttons(app)[0].rect.center)
    assert decisions(app) == before + 1


def test_a_click_on_the_memo_that_brings_up_a_choice_picks_nothing(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path)
    start(app)
    to_line_before_choice(app)
    before = decisions(app)
    body = app.scene.body_rect
    for pos in (body.center, body.topleft, (body.centerx, body.bottom - 2)):
        if app.session.shown.line is None:
            break
        click_at(app, pos)
    assert is_choice(app) and decisions(app) == before


def test_a_press_that_began_before_the_options_appeared_is_ignored(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path)
    start(app)
    to_line_before_choice(app)
    before = decisions(app)
    target = app.scene.body_rect.center
    app.dispatch(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=target, button=1))   # pressed on the line…
    press(app, pygame.K_RETURN)                                                      # …the choice appears
    assert is_choice(app)
    app.clock.wait(2.0)
    for button in option_buttons(app):
        app.dispatch(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=button.rect.center, button=1))  # …released
    assert decisions(app) == before


@pytest.mark.parametrize("size", ["normal", "large", "largest"])
def test_no_prompt_is_hidden_behind_an_option(shipped, monkeypatch, tmp_path, size):
    """Every choice point, alone and for two players, at every text size: the prompt, each option
    and the button bar each have their own room, inside the window."""
    app = make_app(shipped, monkeypatch, tmp_path, Settings(typing="instant", text_size=size), title=False)
    screen = app.screen.get_rect()
    for choice in every_choice(app, shipped):
        scene = app.scene
        prompt = scene.prompt_rect()
        options = option_buttons(app)
        bar = [b for b in scene.buttons if b.number is None]
        assert prompt.height > 0
        for i, button in enumerate(options):
            assert not button.rect.colliderect(prompt), (choice.id, size, button.label)
            assert screen.contains(button.rect), (choice.id, size)
            assert all(not button.rect.colliderect(b.rect) for b in options[i + 1:] + bar), (choice.id, size)
        assert prompt.bottom <= options[0].rect.top


def test_options_carry_no_provenance_and_no_voice_of_the_record(shipped, monkeypatch, tmp_path):
    """While choosing, nothing says which option is the record's: no ¶, no "adapted", no
    "invented", and no name of the record's voice or the narrator before an option."""
    app = make_app(shipped, monkeypatch, tmp_path, title=False)
    voices = [s.name for s in shipped.speakers.values() if not s.is_person]
    marks = re.compile(r"¶|\badapted\b|\binvented\b|\bfrom the record\b", re.IGNORECASE)
    seen = 0
    for choice in every_choice(app, shipped):
        for button in option_buttons(app):
            assert not marks.search(button.label), (choice.id, button.label)
            assert not any(button.label.startswith(f"{v}:") for v in voices), (choice.id, button.label)
            seen += 1
    assert seen > 100


def test_the_text_mode_shows_options_without_marks(shipped):
    import io

    from game.engine.autoplay import RecordPolicy
    from game.text.play import TextSession

    for role in ("shah", "soviet", "both"):
        out = io.StringIO()
        TextSession(shipped, role, "full", out, io.StringIO(), RecordPolicy(), err=io.StringIO()).run()
        options = [ln for ln in out.getvalue().splitlines() if re.match(r"^\d+\) ", ln)]
        assert options
        voices = [s.name for s in shipped.speakers.values() if not s.is_person]
        for line in options:
            assert "¶" not in line and "[" not in line and not any(v in line for v in voices), line


def test_space_has_one_meaning_in_every_document(shipped, monkeypatch, tmp_path):
    """Space never scrolls on one screen and presses a button on another: in the source reader at
    its last paragraph (where it once closed the reader and went to the title), Space does nothing
    until a button has the focus."""
    from game.ui.scenes.glossary import GlossaryScene
    from game.ui.scenes.source_reader import SourceScene

    app = make_app(shipped, monkeypatch, tmp_path)
    for scene in (SourceScene(app, max(shipped.source.paragraphs)), GlossaryScene(app), SourceScene(app, 1)):
        app.push(scene)
        app.frame(0.05)
        for _ in range(5):
            press(app, pygame.K_SPACE)
        assert app.scene is scene and [s.name for s in app.scenes] == ["title", scene.name]
        press(app, pygame.K_END)
        press(app, pygame.K_PAGEDOWN)                # scroll keys at the end are still scroll keys
        assert app.scene is scene
        press(app, pygame.K_TAB)                     # now a button has the focus: Space presses it
        press(app, pygame.K_SPACE)
        assert app.scene is not scene
        while app.scene.name != "title":
            app.pop()


def test_glossary_links_never_clip_the_end_of_a_line(shipped, monkeypatch, tmp_path):
    """A line with underlined terms is drawn piece by piece: its surface must hold every piece."""
    from game.engine.glossary import GlossaryIndex
    from game.ui.text import Span, TextBlock
    from game.ui.theme import BODY_SIZE

    app = make_app(shipped, monkeypatch, tmp_path, title=False)
    index = GlossaryIndex(shipped.glossary)
    lines = [ln for node in shipped.nodes.values() for ln in node.lines if index.find(ln.text)]
    assert len(lines) > 100
    checked = 0
    for font_role in ("serif", "serif_italic"):
        font = app.fonts.get(font_role, BODY_SIZE)
        for line in lines:
            spans = [Span(m.start, m.end, m.entry.id) for m in index.find(line.text)]
            block = TextBlock(line.text, font, (0, 0, 0), app.viewport.px(1560), spans, (0, 0, 255))
            for number, surface in enumerate(block.surfaces):
                start = block.line_starts[number]
                end = block.line_starts[number + 1] if number + 1 < len(block.line_starts) else len(block.text)
                pieces = block._pieces(block.text[start:end].rstrip(" "), start)
                needed = sum(font.size(p.text)[0] for p in pieces)
                assert surface.get_width() >= needed, (line.id, number)
                checked += 1
    assert checked > 400


def test_a_long_prompt_and_five_options_fit_at_the_largest_text(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path, Settings(typing="instant", text_size="largest"), title=False)
    choice = max(shipped.choices().values(), key=lambda c: (len(c.options), len(c.prompt)))
    session = PlaySession(shipped, choice.by)
    app.push(DialogueScene(app, session))
    session.shown = OnScreen(choice=choice, options=choice.options)
    app.scene.layout()
    app.frame(0.05)
    prompt = app.scene.prompt_rect()
    assert all(not b.rect.colliderect(prompt) for b in option_buttons(app))
    assert all(b.rect.height >= 44 for b in option_buttons(app))   # still touch targets at 720p
