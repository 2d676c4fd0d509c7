"""The window's routes: every move between scenes, by name, with how the stack changes.

A scene asks `app.go("glossary", entry=...)` and never imports another scene: the route names the
scene's class by module path, imported only when the move is made, so the scenes form no import
circles (title → role → dialogue → debrief → title). How a move changes the stack is the route's,
not the caller's: "push" opens a sheet over the current scene (Esc comes back), "replace" lets the
current scene give way (the introduction to the table), "reset" starts the stack afresh (the
title, the attract loop). Ren'Py's named screens and `ShowMenu("preferences")` are the model.

The same scene may be reached by two moves, so it has two routes: "dialogue" opens the table over
the title (a saved game continued), "talks" replaces the introduction with it.

`shots` names what `screenshot --scene NAME` renders for a route (the dialogue at a line, and at
a choice); `kiosk` says those screenshots need `--kiosk`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .scenes.base import Scene

MOVES = ("push", "replace", "reset")
SCENES_PACKAGE = __package__ + ".scenes"


@dataclass(frozen=True)
class Route:
    module: str                  # a module of game/ui/scenes
    cls: str                     # the Scene class in it
    move: str                    # one of MOVES
    shots: tuple[str, ...] = ()  # screenshot names of this route
    kiosk: bool = False          # its screenshots are of kiosk mode

    def scene_class(self) -> type[Scene]:
        """The class, imported now: the route table itself imports no scene."""
        return getattr(importlib.import_module(f"{SCENES_PACKAGE}.{self.module}"), self.cls)


# In the order `screenshot --scene` lists them.
ROUTES: dict[str, Route] = {
    "title": Route("title", "TitleScene", "reset", ("title",)),
    "role": Route("role_intro", "RoleIntroScene", "push", ("role",)),
    "dialogue": Route("dialogue", "DialogueScene", "push", ("dialogue", "choice")),
    "debrief": Route("debrief", "DebriefScene", "replace", ("debrief",)),
    "source": Route("source_reader", "SourceScene", "push", ("source",)),
    "glossary": Route("glossary", "GlossaryScene", "push", ("glossary",)),
    "sources": Route("sources", "SourcesScene", "push", ("sources",)),
    "witnesses": Route("witnesses", "WitnessesScene", "push", ("witnesses",)),
    "settings": Route("settings_scene", "SettingsScene", "push", ("settings",)),
    "backlog": Route("backlog", "BacklogScene", "push", ("backlog",)),
    "handover": Route("handover", "HandoverScene", "push", ("handover",)),
    "menu": Route("menu", "MenuScene", "push", ("menu",)),
    "attract": Route("kiosk", "AttractScene", "reset", ("attract",), kiosk=True),
    "still-there": Route("kiosk", "StillThereScene", "push", ("still-there",), kiosk=True),
    "visitors": Route("visitors", "VisitorsScene", "push", ("visitors",), kiosk=True),
    "admin": Route("kiosk", "AdminScene", "push", ("admin",), kiosk=True),
    "talks": Route("dialogue", "DialogueScene", "replace"),
    "map": Route("map_scene", "MapScene", "push"),
    "kiosk-roles": Route("kiosk", "KioskRolesScene", "push"),
    "one-moment": Route("problem", "OneMomentScene", "reset"),
    "problem": Route("problem", "ProblemScene", "reset"),
}


def shots(kiosk: bool) -> tuple[str, ...]:
    """The names `screenshot --scene` takes, of the window's scenes or of the kiosk's."""
    return tuple(shot for route in ROUTES.values() if route.kiosk == kiosk for shot in route.shots)


def route_of_shot(shot: str) -> str:
    """The route a screenshot name shows ("choice" is the dialogue at a choice)."""
    return next(name for name, route in ROUTES.items() if shot in route.shots)
