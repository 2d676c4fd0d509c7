"""The map in the game window: a Map button in the glossary and the source reader opens it (drawn
to fit, on the paper), Back returns; a content folder without its own map has no button."""

from __future__ import annotations

import pygame

from .ui_driver import click, labels, make_app, press


def test_the_glossary_and_the_source_reader_open_the_map(shipped, monkeypatch, tmp_path):
    from game.ui.scenes.glossary import GlossaryScene
    from game.ui.scenes.source_reader import SourceScene

    app = make_app(shipped, monkeypatch, tmp_path)
    for scene in (GlossaryScene(app), SourceScene(app, 12)):
        app.push(scene)
        app.frame(0.05)
        click(app, "Map")
        assert app.scene.name == "map"
        before = pygame.transform.average_color(app.screen, pygame.Rect(400, 150, 400, 300))
        assert before[:3] != pygame.transform.average_color(app.screen, pygame.Rect(20, 20, 30, 30))[:3]
        press(app, pygame.K_ESCAPE)
        assert app.scene is scene
        app.pop()


def test_no_map_button_without_a_map_of_the_contents_own(mini_scenario, monkeypatch, tmp_path):
    from game.ui.scenes.glossary import GlossaryScene

    app = make_app(mini_scenario, monkeypatch, tmp_path)
    app.push(GlossaryScene(app))
    app.frame(0.05)
    assert "Map" not in labels(app)
