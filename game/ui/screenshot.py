"""Headless screenshots of any scene, for people to look at and for documentation."""

from __future__ import annotations

import os
from pathlib import Path

from ..engine.autoplay import RandomPolicy, RecordPolicy
from ..engine.model import Scenario
from ..engine.roles import BOTH
from ..engine.runner import ChoiceEvent, EndEvent
from .settings import Settings

SCENES = ("title", "role", "dialogue", "choice", "debrief", "source", "glossary", "sources", "witnesses", "settings",
          "backlog", "handover", "menu")
KIOSK_SCENES = ("attract", "still-there", "visitors", "admin")


def build(app, scene: str, role: str, path: str, tab: int = 0):
    """Put `app` into a representative state of `scene`."""
    from .scenes.backlog import BacklogScene
    from .scenes.debrief import DebriefScene
    from .scenes.dialogue import DialogueScene
    from .scenes.glossary import GlossaryScene
    from .scenes.handover import HandoverScene
    from .scenes.menu import MenuScene
    from .scenes.role_intro import RoleIntroScene
    from .scenes.settings_scene import SettingsScene
    from .scenes.source_reader import SourceScene
    from .scenes.title import TitleScene

    scenario = app.scenario
    app.reset_to(TitleScene(app))
    if scene == "title":
        return
    if scene in ("settings",):
        app.push(SettingsScene(app))
        return
    if scene == "source":
        app.push(SourceScene(app, 76))
        return
    if scene == "glossary":
        app.push(GlossaryScene(app, "baghdad-pact"))
        return
    if scene == "sources":
        from .scenes.sources import SourcesScene

        app.push(SourcesScene(app))
        return
    if scene == "witnesses":
        from .scenes.witnesses import WitnessesScene

        app.push(WitnessesScene(app))
        return
    from ..session.play import PlaySession

    session = PlaySession(scenario, role, path)
    if scene == "role":
        app.push(RoleIntroScene(app, session))
        return
    if scene == "debrief":
        policy = RandomPolicy(5) if role != BOTH else RecordPolicy()
        runner = session.runner
        while not isinstance(event := runner.advance(), EndEvent):
            if isinstance(event, ChoiceEvent):
                runner.choose(policy.pick(event))
        debrief = DebriefScene(app, session)
        debrief.tab = tab
        app.push(debrief)
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
        app.push(DialogueScene(app, session))
        app.push(BacklogScene(app, session))
        return
    app.settings.typing = "instant"
    dialogue = DialogueScene(app, session)
    app.push(dialogue)
    if scene == "menu":
        app.push(MenuScene(app, session))
    elif scene == "handover":
        if not isinstance(app.scene, HandoverScene):
            app.push(HandoverScene(app, session))
    elif isinstance(app.scene, HandoverScene):
        app.scene.ready()


def build_kiosk(app, scene: str) -> None:
    """Kiosk scenes on a fixed clock, with example counts for the visitors screen."""
    from .kiosk import Kiosk, KioskConfig
    from .scenes.kiosk import AdminScene, AttractScene, StillThereScene
    from .scenes.visitors import MomentCount, VisitorsScene, moments_in_order

    now = [40.0]
    kiosk = Kiosk(KioskConfig(), clock=lambda: now[0])
    app.kiosk = kiosk
    kiosk.touched()
    app.reset_to(AttractScene(app, kiosk))
    if scene == "still-there":
        kiosk.countdown_until = now[0] + 11.5
        app.push(StillThereScene(app, kiosk))
    elif scene == "admin":
        app.push(AdminScene(app, kiosk))
    elif scene == "visitors":
        # An illustration for the screenshot only: the real screen reads the results database.
        path = kiosk.config.path_for(app.scenario)
        counts = [MomentCount(c.id, c.by, c.moment, followed=(7 * i + 5) % 23, total=23)
                  for i, c in enumerate(moments_in_order(app.scenario, path))]
        app.push(VisitorsScene(app, path, counts, "Example figures (screenshot): 23 visitors."))


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
