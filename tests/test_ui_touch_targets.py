"""Touch targets: at 1280×720 every button of every scene is at least 44×44 px (real rectangles,
after layout), including every choice point of the scenario."""

from __future__ import annotations

from .ui_driver import MIN_TARGET, every_choice, make_app, small_targets, tour


def test_every_button_of_every_scene_is_a_44px_target_at_720p(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path, size=(1280, 720))
    small, scenes, buttons = [], set(), 0
    for _ in tour(app):
        scenes.add(app.scene.name)
        buttons += len(app.scene.buttons)
        small += small_targets(app)
    assert {"title", "settings", "source", "glossary", "role", "dialogue", "handover", "backlog", "menu",
            "debrief"} <= scenes
    assert buttons > 100
    assert not small, f"buttons under {MIN_TARGET} px at 1280x720: {sorted(set(small))}"


def test_every_choice_point_offers_44px_options_at_720p(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path, size=(1280, 720))
    small, seen = [], 0
    for choice in every_choice(app, shipped):
        options = [b for b in app.scene.buttons if b.number is not None]
        assert len(options) == len(choice.options)
        # options never overlap each other or the bar of buttons below them
        rects = [b.rect for b in app.scene.buttons]
        assert all(not a.colliderect(b) for i, a in enumerate(rects) for b in rects[i + 1:]), choice.id
        assert all(app.screen.get_rect().contains(r) for r in rects), choice.id
        small += small_targets(app)
        seen += 1
    assert seen == 2 * len(shipped.choices())
    assert not small, sorted(set(small))
