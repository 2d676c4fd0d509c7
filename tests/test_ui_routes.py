"""The window's routes (game/ui/routes.py): scenes reach each other only through `app.go`, never by
importing one another; every route names a real scene; every screenshot name is a route's."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from game.ui.routes import MOVES, ROUTES, SCENES_PACKAGE, route_of_shot, shots

from .test_layers import imported, modules
from .ui_driver import make_app

SHARED = {f"{SCENES_PACKAGE}.base", f"{SCENES_PACKAGE}.document"}   # base classes every scene may build on


def scene_imports(name: str, path: Path) -> list[tuple[int, str]]:
    """(line, module) for each import of another module of game/ui/scenes, base classes apart."""
    found: list[tuple[int, str]] = []
    depth = len(SCENES_PACKAGE.split(".")) + 1
    for line, target in imported(name, path):
        # "game.ui.scenes.title" and "game.ui.scenes.title.TitleScene" are both the title's module
        module = ".".join(target.split(".")[:depth])
        if module.startswith(SCENES_PACKAGE + ".") and module not in SHARED and module != name \
                and (line, module) not in found:
            found.append((line, module))
    return found


def test_no_scene_module_imports_another_not_even_inside_a_function():
    found = [f"{path.name}:{line}: imports {target}"
             for name, path in modules(SCENES_PACKAGE) for line, target in scene_imports(name, path)]
    assert not found, "\n".join(found)


def test_the_checker_sees_a_scene_imported_inside_a_function(tmp_path):
    module = tmp_path / "x.py"
    module.write_text("from .base import Scene\nfrom .document import Block\n"
                      "def f():\n    from .title import TitleScene\n    import game.ui.scenes.menu\n")
    assert [t for _, t in scene_imports(f"{SCENES_PACKAGE}.x", module)] == [
        f"{SCENES_PACKAGE}.title", f"{SCENES_PACKAGE}.menu"]


@pytest.mark.parametrize("name", list(ROUTES))
def test_every_route_resolves_to_a_scene_class(name):
    from game.ui.scenes.base import Scene

    route = ROUTES[name]
    cls = route.scene_class()
    assert isinstance(cls, type) and issubclass(cls, Scene), name
    assert route.move in MOVES


def test_every_screenshot_name_is_a_route_and_the_command_line_offers_them_all():
    from game.cli import build_parser
    from game.ui.screenshot import KIOSK_SCENES, SCENES

    for shot in (*SCENES, *KIOSK_SCENES):
        assert shot in ROUTES or shot in ROUTES[route_of_shot(shot)].shots, shot
        assert ROUTES[route_of_shot(shot)].kiosk == (shot in KIOSK_SCENES)
    assert [s for s in (*SCENES, *KIOSK_SCENES) if s not in ROUTES] == ["choice"]   # the dialogue at a choice
    assert SCENES == shots(kiosk=False) and KIOSK_SCENES == shots(kiosk=True)
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    scene = next(a for a in sub.choices["screenshot"]._actions if a.dest == "scene")
    assert list(scene.choices) == [*SCENES, *KIOSK_SCENES]


@pytest.mark.parametrize("shot", [*shots(kiosk=False), *shots(kiosk=True)])
def test_each_screenshot_name_shows_its_routes_scene(shipped, monkeypatch, tmp_path, shot):
    from game.ui.screenshot import build, build_kiosk

    app = make_app(shipped, monkeypatch, tmp_path)
    if ROUTES[route_of_shot(shot)].kiosk:
        build_kiosk(app, shot)
    else:
        build(app, shot, next(iter(shipped.roles)), "full")
    assert type(app.scene) is ROUTES[route_of_shot(shot)].scene_class()
    app.draw()


def test_the_flow_follows_the_kiosk(shipped, monkeypatch, tmp_path):
    from game.ui.flow import KioskFlow, WindowFlow
    from game.ui.kiosk import Kiosk, KioskConfig

    app = make_app(shipped, monkeypatch, tmp_path)
    assert type(app.flow) is WindowFlow and app.flow.can_quit
    app.kiosk = Kiosk(KioskConfig(), clock=app.clock)
    assert isinstance(app.flow, KioskFlow) and app.flow.kiosk is app.kiosk and not app.flow.can_quit
    app.flow.start(app)
    assert app.scene.name == "attract" and len(app.scenes) == 1
