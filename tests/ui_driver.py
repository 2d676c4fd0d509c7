"""Driving the real game window in tests: events in, scene names and real button rectangles out.

Every App made here keeps its settings and autosave in the test's own folder (MOSCOW1956_HOME is
set before the App exists), and starts from a fresh display so one test's window size, fullscreen
flag or focus state cannot leak into the next.
"""

from __future__ import annotations

from pathlib import Path

import pygame

from game.ui.app import App
from game.ui.settings import Settings

MIN_TARGET = 44  # px at 1280×720: the smallest comfortable touch target


class HumanClock:
    """The app's clock in tests: time moves on by a human's half second before every click and
    key press, as it does between a person's actions (options ignore presses in their first
    moment on screen, dialogue.GRACE)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def wait(self, seconds: float = 0.5) -> None:
        self.now += seconds


def make_app(scenario, monkeypatch, home: Path, settings: Settings | None = None,
             size: tuple[int, int] = (1280, 720), title: bool = True, message: str = "") -> App:
    """A real App on the title screen, with user files in `home`."""
    from game.ui.scenes.title import TitleScene

    monkeypatch.setenv("MOSCOW1956_HOME", str(home))
    pygame.display.quit()  # a fresh display each test: no window flag or focus state carries over
    app = App(scenario, settings if settings is not None else Settings(typing="instant"), size)
    app.clock = HumanClock()
    assert app.screen.get_size() == size
    if title:
        app.push(TitleScene(app, message))
        app.frame(0.05)
    return app


def rendered_texts(app: App) -> list[str]:
    """Every text the window renders from now on (through its text cache), in order: the screen's words."""
    seen: list[str] = []
    render = app.render

    def recording(text, *args, **kwargs):
        seen.append(text)
        return render(text, *args, **kwargs)

    app.render = recording
    return seen


def labels(app: App) -> list[str]:
    return [b.label for b in app.scene.buttons]


def find(app: App, text: str):
    """The button of the current scene whose label contains `text` (fails with what is there)."""
    for button in app.scene.buttons:
        if text in button.label:
            return button
    raise AssertionError(f"no button with {text!r} on the {app.scene.name!r} scene; buttons: {labels(app)}")


def human_pause(app: App) -> None:
    wait = getattr(app.clock, "wait", None) or getattr(getattr(app, "kiosk", None) and app.kiosk.clock, "wait", None)
    if wait is not None:
        wait()


def click_at(app: App, pos: tuple[int, int], button: int = 1, dt: float = 0.05) -> None:
    human_pause(app)
    app.dispatch(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
    app.dispatch(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button))
    app.dispatch(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button))
    app.frame(dt)


def click(app: App, text: str) -> None:
    """Click the centre of the real rectangle of the button labelled `text`."""
    target = find(app, text)
    assert target.enabled, f"{target.label!r} is disabled on {app.scene.name!r}"
    click_at(app, target.rect.center)


def key_event(key: int, mod: int = 0, unicode: str = "") -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode=unicode, scancode=0)


def press(app: App, key: int, mod: int = 0, unicode: str = "", dt: float = 0.05) -> None:
    human_pause(app)
    app.dispatch(key_event(key, mod, unicode))
    app.dispatch(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode=unicode, scancode=0))
    app.frame(dt)


def focused(app: App):
    scene = app.scene
    focus = scene.focus
    return scene.buttons[focus] if focus is not None and scene.buttons and 0 <= focus < len(scene.buttons) else None


def focus_by_keys(app: App, text: str, key: int = pygame.K_TAB, limit: int = 40) -> None:
    """Move the keyboard focus (Tab by default) until the button labelled `text` has it."""
    for _ in range(limit):
        button = focused(app)
        if app.show_focus and button is not None and text in button.label:
            return
        press(app, key)
    raise AssertionError(f"could not reach {text!r} with the keyboard on {app.scene.name!r}; buttons: {labels(app)}")


def small_targets(app: App) -> list[str]:
    """Buttons of the current scene smaller than a touch target, described for the failure message."""
    return [f"{app.scene.name}: {b.label!r} {b.rect.size}" for b in app.scene.buttons
            if b.rect.width < MIN_TARGET or b.rect.height < MIN_TARGET]


def is_choice(app: App) -> bool:
    return app.scene.name == "dialogue" and app.session.shown.choice is not None


def flat(text: str) -> str:
    return " ".join(text.split())


def document_text(app: App) -> str:
    """All text laid out on a document scene (source, glossary, backlog, debrief tab), the
    wrapped lines joined again with single spaces."""
    return flat(" ".join(line.text for line in app.scene.lines))


def option_buttons(app: App) -> list:
    return [b for b in app.scene.buttons if b.number is not None]


def play_by_mouse(app, pick=lambda n, count: 0, limit: int = 3000) -> dict:
    """Click Continue / an option until the debrief; returns what was seen on the way."""
    seen = {"scenes": set(), "choices": 0, "handovers": [], "small": [], "sides": []}
    for _ in range(limit):
        scene = app.scene.name
        seen["scenes"].add(scene)
        seen["small"] += small_targets(app)
        if scene == "debrief":
            return seen
        if scene == "handover":
            seen["handovers"].append(app.session.shown.choice.by)
            click(app, "I am ready")
            assert app.scene.name == "dialogue" and is_choice(app)
        elif is_choice(app):
            options = option_buttons(app)
            assert [b.number for b in options] == list(range(1, len(options) + 1))
            assert len(options) == len(app.session.shown.options)
            seen["sides"].append(app.session.shown.choice.by)
            spoken = len(app.session.runner.state.spoken)
            before = app.session.shown.choice.id
            click(app, options[pick(seen["choices"], len(options)) % len(options)].label)
            seen["choices"] += 1
            # the chosen option is said as a line, and it is recorded
            assert app.scene.name == "dialogue" and app.session.shown.line is not None
            assert app.session.runner.state.chosen[-1].choice == before
            assert len(app.session.runner.state.spoken) == spoken + 1
        else:
            assert scene == "dialogue", f"unexpected scene {scene!r} ({labels(app)})"
            assert app.session.shown.line is not None
            click(app, "Continue")
    raise AssertionError(f"no debrief after {limit} clicks; stuck on {app.scene.name!r} with {labels(app)}")


def tour(app: App, path_label: str = "Five minutes at the table"):
    """Every scene of the window, drawn: the title (also with a message), its settings, source and
    glossary, every role's introduction, then a two-player session to the debrief with each kind
    of line (record, adapted, invented), choice, hand-over, the backlog, the menu and every debrief
    tab. A generator: it stops after each screen so the test can look at it."""
    from game.ui.scenes.title import TitleScene

    yield
    app.reset_to(TitleScene(app, "The saved game could not be used and was set aside as autosave.json.corrupt."))
    app.frame(0.05)
    yield
    click(app, path_label)
    for label in ("Settings", "Read the source", "Glossary"):
        click(app, label)
        yield
        press(app, pygame.K_ESCAPE)
    for label in ("Replay the record", "Play as the Shah", "Play as the Soviet", "Two players"):
        click(app, label)
        assert app.scene.name == "role"
        yield
        press(app, pygame.K_ESCAPE)
    click(app, "Two players")
    click(app, "Begin")
    visits = ["What was said", "Menu", "The source", "Glossary"]
    choices = 0
    for _ in range(3000):
        yield
        name = app.scene.name
        if name == "debrief":
            break
        if name == "handover":
            click(app, "I am ready")
        elif is_choice(app):
            options = option_buttons(app)
            click(app, options[choices % len(options)].label)
            choices += 1
        else:
            if visits and choices >= 2:
                click(app, visits.pop())
                yield
                press(app, pygame.K_ESCAPE)
                app.session.message = "Could not save the game (disk full); play goes on."
                app.scene.layout()
                app.frame(0.05)
                yield
                app.session.message = ""
                app.scene.layout()
            click(app, "Continue")
    assert app.scene.name == "debrief"
    for tab in ("Outcome", "Your choices", "What came next", "Discuss", "The minutes"):
        click(app, tab)
        yield
    yield from longest_line(app)


def longest_line(app: App):
    """The longest line of the scenario on the table, page by page."""
    from game.session.play import OnScreen, PlaySession
    from game.ui.scenes.dialogue import DialogueScene

    line = max((ln for node in app.scenario.nodes.values() for ln in node.lines), key=lambda ln: len(ln.text))
    session = PlaySession(app.scenario, "shah")
    app.push(DialogueScene(app, session))
    session.shown = OnScreen(line=line)
    app.scene.layout()
    app.frame(0.05)
    yield
    for _ in range(len(app.scene.pages) - 1):
        click(app, "Continue")
        assert app.session.shown.line is line
        yield


def every_choice(app: App, scenario):
    """Each choice point of the scenario laid out and drawn on the table, alone and for two players
    (whose options can belong to several speakers)."""
    from game.session.play import OnScreen, PlaySession
    from game.ui.scenes.dialogue import DialogueScene

    for role in ("shah", "both"):
        session = PlaySession(scenario, role)
        app.push(DialogueScene(app, session))
        for choice in scenario.choices().values():
            session.shown = OnScreen(choice=choice, options=choice.options)
            session.last_turn = choice.by
            while app.scene.name != "dialogue":
                app.pop()
            app.scene.layout()
            app.dirty = True
            app.frame(0.05)
            yield choice
        app.pop()
