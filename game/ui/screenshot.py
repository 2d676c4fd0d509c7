"""Headless screenshots of any scene, for people to look at and for documentation."""

from __future__ import annotations

import os
from pathlib import Path

from ..engine.autoplay import RandomPolicy, RecordPolicy
from ..engine.model import Scenario
from ..engine.roles import BOTH
from ..engine.runner import ChoiceEvent, EndEvent
from .routes import shots
from .settings import Settings

SCENES = shots(kiosk=False)        # what `screenshot --scene` renders in the window (routes.py)
KIOSK_SCENES = shots(kiosk=True)   # and with --kiosk


def build(app, scene: str, role: str, path: str, tab: int = 0):
    """Put `app` into a representative state of `scene`."""
    scenario = app.scenario
    app.go("title")
    if scene == "title":
        return
    if scene == "settings":
        app.go("settings")
        return
    if scene == "source":
        app.go("source", paragraph=76)
        return
    if scene == "glossary":
        app.go("glossary", entry="baghdad-pact")
        return
    if scene == "sources":
        app.go("sources")
        return
    if scene == "witnesses":
        app.go("witnesses")
        return
    from ..session.play import PlaySession

    session = PlaySession(scenario, role, path)
    if scene == "role":
        app.go("role", session=session)
        return
    if scene == "debrief":
        policy = RandomPolicy(5) if role != BOTH else RecordPolicy()
        runner = session.runner
        while not isinstance(event := runner.advance(), EndEvent):
            if isinstance(event, ChoiceEvent):
                runner.choose(policy.pick(event))
        app.go("debrief", session=session, tab=tab)
        return
    want_choice = scene in ("choice", "handover")
    for _ in range(2000):
        shown = session.advance()
        if want_choice and shown.choice is not None:
            break
        if shown.choice is not None:
            session.choose(RecordPolicy().pick(ChoiceEvent(shown.choice, shown.options)))
            continue
        if not want_choice and shown.line is not None and scenario.is_person(shown.line.speaker) and len(shown.line.text) > 200 \
                and any(term.casefold() in shown.line.text.casefold() for term in ("Baghdad", "Yugoslavia", "Austria")):
            break
    if scene == "backlog":
        app.go("dialogue", session=session)
        app.go("backlog", session=session)
        return
    app.settings.typing = "instant"
    app.go("dialogue", session=session)
    if scene == "menu":
        app.go("menu", session=session)
    elif scene == "handover":
        if app.scene.name != "handover":
            app.go("handover", session=session)
    elif app.scene.name == "handover":
        app.scene.ready()


def build_kiosk(app, scene: str) -> None:
    """Kiosk scenes on a fixed clock, with example counts for the visitors screen."""
    from .kiosk import Kiosk, KioskConfig
    from .scenes.visitors import MomentCount, moments_in_order

    now = [40.0]
    kiosk = Kiosk(KioskConfig(), clock=lambda: now[0])
    app.kiosk = kiosk
    app.flow.start(app)
    if scene == "still-there":
        kiosk.countdown_until = now[0] + 11.5
        app.go("still-there", kiosk=kiosk)
    elif scene == "admin":
        app.go("admin", kiosk=kiosk)
    elif scene == "visitors":
        # An illustration for the screenshot only: the real screen reads the results database.
        path = kiosk.config.path_for(app.scenario)
        counts = [MomentCount(c.id, c.by, c.moment, followed=(7 * i + 5) % 23, total=23)
                  for i, c in enumerate(moments_in_order(app.scenario, path))]
        app.go("visitors", path=path, counts=counts, note="Example figures (screenshot): 23 visitors.")


def screenshot(scenario: Scenario, scene: str, role: str, size: tuple[int, int], out: Path, path: str = "full",
               tab: int = 0, settings: Settings | None = None) -> Path:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    import pygame

    from .app import App

    app = App(scenario, settings or Settings(), size)
    if scene in KIOSK_SCENES:
        build_kiosk(app, scene)
    else:
        build(app, scene, role, path, tab)
    app.draw()
    out.parent.mkdir(parents=True, exist_ok=True)
    pygame.image.save(app.screen, str(out))
    pygame.quit()
    return out
