"""The widgets on their own: buttons that take their own clicks, the focus ring, and the table's
layer that a new line does not repaint."""

from __future__ import annotations

import pygame

from game.ui.scenes.dialogue import DialogueScene
from game.ui.settings import Settings
from game.ui.widgets.button import Button
from game.ui.widgets.focus import FocusRing

from .ui_driver import click, make_app


def mouse(kind: int, pos: tuple[int, int]) -> pygame.event.Event:
    return pygame.event.Event(kind, pos=pos, button=1)


def ring_of(app, count: int = 3) -> tuple[FocusRing, list[str]]:
    pressed: list[str] = []
    ring = FocusRing()
    ring.widgets = [Button((100, 100 + 120 * i, 400, 100), f"b{i}", lambda i=i: pressed.append(f"b{i}"),
                           id=f"b{i}") for i in range(count)]
    for button in ring.widgets:
        button.place(app)
    return ring, pressed


def test_a_button_fires_only_for_a_press_that_began_on_it(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path, title=False)
    ring, pressed = ring_of(app)
    first, second = (b.rect.center for b in ring.widgets[:2])
    ring.process_event(mouse(pygame.MOUSEBUTTONDOWN, first))
    assert ring.process_event(mouse(pygame.MOUSEBUTTONUP, second))   # released on another: used, nothing fires
    assert pressed == []
    ring.process_event(mouse(pygame.MOUSEBUTTONUP, first))          # a release with no press left: nothing
    assert pressed == []
    ring.process_event(mouse(pygame.MOUSEBUTTONDOWN, second))
    ring.widgets[1].place(app)                                      # laid out again under the press
    ring.process_event(mouse(pygame.MOUSEBUTTONUP, second))
    assert pressed == []
    ring.process_event(mouse(pygame.MOUSEBUTTONDOWN, second))
    ring.process_event(mouse(pygame.MOUSEBUTTONUP, second))
    assert pressed == ["b1"]


def test_nothing_has_the_focus_until_the_keyboard_moves_it(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path, title=False)
    ring, pressed = ring_of(app)
    enter = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r", scancode=0)
    tab = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_TAB, mod=0, unicode="\t", scancode=0)
    ring.process_event(pygame.event.Event(pygame.MOUSEMOTION, pos=ring.widgets[2].rect.center, rel=(0, 0), buttons=(0, 0, 0)))
    assert ring.hover == 2 and ring.focus is None                   # hovering is not focusing
    assert not ring.process_event(enter) and pressed == []
    ring.widgets[0].enabled = False
    assert ring.process_event(tab) and ring.focused() is ring.widgets[1]   # a disabled button is skipped
    assert ring.process_event(enter) and pressed == ["b1"]


def test_a_new_line_does_not_repaint_the_table(shipped, monkeypatch, tmp_path):
    """The desk, the seating plan and the header are painted once, then again only for a new
    window size or theme."""
    app = make_app(shipped, monkeypatch, tmp_path, Settings(typing="instant"))
    click(app, "Play as the Shah")
    click(app, "Begin")
    painted: list[tuple[int, int]] = []
    original = DialogueScene._draw_table
    monkeypatch.setattr(DialogueScene, "_draw_table", lambda self, surface: (painted.append(surface.get_size()),
                                                                             original(self, surface)))
    lines = 0
    while lines < 8:
        if app.session.shown.choice is not None:
            app.scene.pick(0)
        else:
            click(app, "Continue")
        app.frame(0.05)
        lines += 1
    assert len(painted) <= 1
    app.settings.high_contrast = True
    app.apply_settings()
    app.frame(0.05)
    app.screen = pygame.display.set_mode((1600, 900), pygame.RESIZABLE)
    app.dispatch(pygame.event.Event(pygame.VIDEORESIZE, size=(1600, 900), w=1600, h=900))
    app.frame(0.05)
    assert painted[-2:] == [(1280, 720), (1600, 900)]


def test_the_app_opens_its_own_window_unless_given_one(shipped, monkeypatch, tmp_path):
    """An open display of another size is not taken over by accident; the splash's window, handed
    over explicitly, is used as it is."""
    from game.ui.app import App

    monkeypatch.setenv("MOSCOW1956_HOME", str(tmp_path))
    pygame.display.quit()
    pygame.display.init()
    other = pygame.display.set_mode((1000, 600))
    app = App(shipped, Settings(typing="instant"), (1280, 720))
    assert app.screen.get_size() == (1280, 720)
    splash = pygame.display.set_mode((1100, 640))
    handed = App(shipped, Settings(typing="instant"), (1280, 720), screen=splash)
    assert handed.screen is splash and handed.viewport.width == 1100
    assert other is not None
    pygame.display.quit()


def test_whose_turn_stays_on_the_header_sheet_at_every_text_size(shipped, monkeypatch, tmp_path):
    """The header's own lines are fitted to its sheet: nothing is drawn on the desk beside it."""
    from game.ui.scenes.dialogue import HEADER

    for size in ("normal", "large", "largest"):
        app = make_app(shipped, monkeypatch, tmp_path, Settings(typing="instant", text_size=size))
        click(app, "Two players")
        click(app, "Begin")
        while app.session.shown.choice is None or app.scene.name != "dialogue":
            if app.scene.name == "handover":
                app.scene.ready()
            else:
                app.scene.next()
        app.frame(0.05)
        sheet = app.viewport.rect(*HEADER)
        beside = pygame.Rect(sheet.right + app.viewport.px(8), sheet.top, app.screen.get_width() - sheet.right
                             - app.viewport.px(8), sheet.height)
        layer = app.layer("table")   # the table as painted
        assert "'s turn" in app.session.who_plays()
        assert pygame.image.tobytes(app.screen.subsurface(beside), "RGB") == \
            pygame.image.tobytes(layer.subsurface(beside), "RGB"), size
