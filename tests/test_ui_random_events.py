"""10,000 random events never crash the window: keys, clicks, drags, the wheel, text input and
window resizes, fed to the real App from the title, with a fixed seed."""

from __future__ import annotations

import random

import pygame

from game.ui.app import MIN_SIZE

from .ui_driver import click, make_app

SEED = 1956
EVENTS = 10_000
FRAME_EVERY = 500
KEYS = ([pygame.K_ESCAPE, pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_TAB, pygame.K_SPACE, pygame.K_BACKSPACE,
         pygame.K_UP, pygame.K_DOWN, pygame.K_LEFT, pygame.K_RIGHT, pygame.K_PAGEUP, pygame.K_PAGEDOWN,
         pygame.K_HOME, pygame.K_END, pygame.K_F11, pygame.K_DELETE, pygame.K_F1]
        + [getattr(pygame, f"K_{i}") for i in range(10)] + [getattr(pygame, f"K_KP{i}") for i in range(10)]
        + [getattr(pygame, f"K_{c}") for c in "abcdefghijklmnopqrstuvwxyz"])
# the events that move a player on most: Enter, Tab, Esc, the digits and the dialogue's letters
LIKELY = [pygame.K_RETURN, pygame.K_RETURN, pygame.K_TAB, pygame.K_ESCAPE, pygame.K_1, pygame.K_2, pygame.K_3,
          pygame.K_b, pygame.K_l, pygame.K_s, pygame.K_g]
MODS = [0, 0, 0, 0, pygame.KMOD_SHIFT, pygame.KMOD_CTRL, pygame.KMOD_ALT]


def random_events(rng: random.Random, app):
    """One or two events at a time (a click is a press and a release); resizes first change the
    window, as the system does before it tells the game."""
    w, h = app.screen.get_size()
    r = rng.random()
    if app.scene.name == "dialogue" and rng.random() < 0.5:
        # a player who mostly reads on and chooses, so the walk also gets to the end of the talks
        key = rng.choice([pygame.K_RETURN, pygame.K_SPACE, pygame.K_1, pygame.K_2, pygame.K_3])
        yield pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0)
    elif r < 0.38:
        key = rng.choice(LIKELY) if rng.random() < 0.5 else rng.choice(KEYS)
        mod = rng.choice(MODS)
        char = chr(key) if 32 <= key < 127 else ""
        yield pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode=char, scancode=0)
        if rng.random() < 0.3:
            yield pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode=char, scancode=0)
    elif r < 0.55:  # a click on one of the scene's buttons (disabled ones too)
        buttons = app.scene.buttons
        if buttons:
            rect = rng.choice(buttons).rect
            pos = (rng.randint(rect.left, max(rect.left, rect.right - 1)), rng.randint(rect.top, max(rect.top, rect.bottom - 1)))
        else:
            pos = (rng.randrange(w), rng.randrange(h))
        yield pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1)
        yield pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1)
    elif r < 0.70:  # presses and releases anywhere, with any button, not always in pairs
        pos = (rng.randrange(-20, w + 20), rng.randrange(-20, h + 20))
        button = rng.choice([1, 1, 1, 2, 3, 4, 5])
        if rng.random() < 0.8:
            yield pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button)
        if rng.random() < 0.8:
            pos = (pos[0] + rng.randint(-60, 60), pos[1] + rng.randint(-200, 200))
            yield pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button)
    elif r < 0.84:  # moves, some of them drags
        pos = (rng.randrange(w), rng.randrange(h))
        buttons = (1, 0, 0) if rng.random() < 0.3 else (0, 0, 0)
        yield pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(rng.randint(-50, 50), rng.randint(-50, 50)),
                                 buttons=buttons)
    elif r < 0.95:
        y = rng.randint(-6, 6)
        yield pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=y, flipped=False, precise_x=0.0, precise_y=float(y))
    elif r < 0.975:
        yield pygame.event.Event(pygame.TEXTINPUT, text=rng.choice("abc 123 ¶é"))
    else:
        size = (rng.randint(960, 2560), rng.randint(540, 1440))
        pygame.display.set_mode(size, pygame.RESIZABLE)
        if rng.random() < 0.5:
            yield pygame.event.Event(pygame.VIDEORESIZE, size=size, w=size[0], h=size[1])
        else:
            yield pygame.event.Event(pygame.WINDOWSIZECHANGED, x=size[0], y=size[1])


def check(app) -> None:
    assert app.scenes, "the scene stack is empty"
    scene = app.scene
    assert scene.focus is None or 0 <= scene.focus < len(scene.buttons) + len(getattr(scene, "links", ())), (scene.name, scene.focus)
    width, height = app.screen.get_size()
    assert width >= MIN_SIZE[0] and height >= MIN_SIZE[1]
    assert (app.viewport.width, app.viewport.height) == (width, height), "layout is stale after a resize"


def test_ten_thousand_random_events_never_crash_the_window(shipped, monkeypatch, tmp_path):
    rng = random.Random(SEED)
    app = make_app(shipped, monkeypatch, tmp_path)
    click(app, "Five minutes at the table")  # the short path first (random clicks may choose again)
    visited: set[str] = set()
    count, last_scene, recent = 0, None, []
    while count < EVENTS:
        for event in random_events(rng, app):
            if event.type == pygame.QUIT:  # never sent, but never let one through either
                continue
            recent = (recent + [event])[-12:]
            try:
                app.dispatch(event)
                count += 1
                scene = app.scene
                if scene is not last_scene or count % FRAME_EVERY == 0:
                    # draw every new screen once, and everything every few hundred events
                    last_scene = scene
                    visited.add(scene.name)
                    app.frame(0.05)
                    check(app)
            except Exception as exc:  # say where it broke: the seed, the event number, the last events
                stack = [s.name for s in app.scenes]
                raise AssertionError(f"seed {SEED}, event {count}: {exc!r} on {stack}; last events: {recent}") from exc
        # "Quit" may be clicked: the window goes on drawing until the loop would end
    app.frame(0.05)
    check(app)
    # the walk gets everywhere that matters, not just around the title
    assert {"title", "role", "dialogue", "menu", "settings", "source", "glossary", "backlog"} <= visited, visited


def test_random_events_on_the_debrief(shipped, monkeypatch, tmp_path):
    """The debrief is at the end of a long walk, so it gets a walk of its own: two players' debrief
    (five tabs, source links, scrolling), entered again whenever the walk leaves it."""
    from game.ui.screenshot import build

    rng = random.Random(SEED + 1)
    app = make_app(shipped, monkeypatch, tmp_path)
    tabs, entered = set(), 0
    for count in range(2_000):
        if app.scene.name == "title":
            build(app, "debrief", "both", "short")
            entered += 1
        if app.scene.name == "debrief":
            tabs.add(app.scene.tab)
        for event in random_events(rng, app):
            try:
                app.dispatch(event)
                if count % 100 == 0:
                    app.frame(0.05)
                    check(app)
            except Exception as exc:
                stack = [s.name for s in app.scenes]
                raise AssertionError(f"seed {SEED + 1}, event {count}: {exc!r} on {stack}; event {event}") from exc
    app.frame(0.05)
    check(app)
    assert entered >= 2 and tabs == {0, 1, 2, 3, 4}


def test_a_window_made_too_small_is_brought_back_to_the_minimum(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path)
    pygame.display.set_mode((400, 300), pygame.RESIZABLE)
    app.dispatch(pygame.event.Event(pygame.VIDEORESIZE, size=(400, 300), w=400, h=300))
    app.frame(0.05)
    assert app.screen.get_size() == MIN_SIZE
    assert app.viewport.width == MIN_SIZE[0]
    assert all(b.rect.height >= 36 for b in app.scene.buttons)  # half of a 1080p button at least
