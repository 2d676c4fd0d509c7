"""For teachers, in the game window: the title has the button when the content has a kit (never
in the kiosk), and it saves the whole kit as one printable page beside the minutes and opens it."""

from __future__ import annotations

from game.ui import files_out

from .ui_driver import click, labels, make_app


def test_for_teachers_saves_the_kit_and_opens_it(shipped, monkeypatch, tmp_path):
    opened = []
    monkeypatch.setattr(files_out, "open_file", lambda path: opened.append(path) or "")
    app = make_app(shipped, monkeypatch, tmp_path)
    click(app, "For teachers")
    [path] = opened
    assert path.name == "For teachers.html" and path.parent == files_out.minutes_folder()
    html = path.read_text(encoding="utf-8")
    assert 'id="guide"' in html and 'id="worksheet"' in html and "data:image/png;base64," in html
    assert "saved as" in app.scene.message and str(path) in app.scene.message


def test_a_game_without_a_kit_has_no_for_teachers_button(mini_scenario, monkeypatch, tmp_path):
    app = make_app(mini_scenario, monkeypatch, tmp_path)
    assert "For teachers" not in labels(app)
