"""Words and small screens a player trips over: the kiosk's chairs, the debrief's labels, the pause
menu, "How players chose" (paged), and "Save your minutes" that says where and opens the file."""

from __future__ import annotations

import random
from pathlib import Path

import pygame
import pytest

from game.engine.autoplay import RandomPolicy, RecordPolicy, play_out
from game.engine.runner import BOTH
from game.results.recorder import ResultsFile
from game.session.play import PlaySession
from game.ui.scenes.debrief import DebriefScene
from game.ui.scenes.visitors import ROWS_PER_PAGE, MomentCount, VisitorsScene, moments_in_order

from .ui_driver import click, document_text, find, labels, make_app, press, rendered_texts


def played_to_the_end(scenario, role: str, policy) -> PlaySession:
    session = PlaySession(scenario, role, "full")
    play_out(session.runner, policy)
    return session


def debrief_texts(app, session) -> str:
    app.push(DebriefScene(app, session))
    texts = []
    for tab in range(len(app.scene.tabs())):
        app.scene.choose_tab(tab)
        texts.append(document_text(app))
    app.pop()
    return " ".join(texts)


def test_the_debrief_never_doubles_a_label(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path)
    for seed, role in [(0, "shah"), (1, "soviet"), (2, BOTH), (3, "shah"), (4, BOTH)]:
        policy = RecordPolicy() if seed == 0 else RandomPolicy(seed)
        text = debrief_texts(app, played_to_the_end(shipped, role, policy))
        assert "As it happened" not in text
        assert "What really happened: As" not in text and "The record (The record)" not in text
        assert "(Narrator (game))" not in text


def test_the_kiosk_offers_chairs_in_plain_words(shipped, monkeypatch, tmp_path):
    from game.session.kiosk_config import KioskConfig
    from game.ui.kiosk import Kiosk
    from game.ui.scenes.kiosk import AttractScene

    app = make_app(shipped, monkeypatch, tmp_path, title=False)
    app.kiosk = Kiosk(KioskConfig(roles=("shah", "soviet", "both")), clock=app.clock)
    app.push(AttractScene(app, app.kiosk))
    app.scene.begin()
    assert labels(app)[:3] == ["Sit as the Shah of Iran", "Sit as the Soviet delegation", "Two visitors: one each side"]


def test_the_pause_menu_can_quit_and_says_the_game_is_saved(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path)
    app.results = ResultsFile(tmp_path / "r.sqlite", "window")
    click(app, "Play as the Shah of Iran")
    click(app, "Begin")
    press(app, pygame.K_ESCAPE)
    assert labels(app)[-2:] == ["Leave to the title screen (the game is saved)", "Quit the game (the game is saved)"]
    app.running = True
    click(app, "Quit the game")
    assert not app.running and app.session is None


def test_how_players_chose_is_paged_and_named_for_who_played(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path)
    moments = moments_in_order(shipped, "full")
    assert len(moments) > 30
    counts = [MomentCount(c.id, c.by, c.moment, i % 5, 5) for i, c in enumerate(moments)]
    scene = VisitorsScene(app, "full", counts)
    app.push(scene)
    seen = rendered_texts(app)
    pages = -(-len(moments) // ROWS_PER_PAGE)
    assert scene.pages == pages
    shown = []
    for page in range(pages):
        seen.clear()
        app.dirty = True
        app.frame(0.05)
        rows = [t for t in seen if t[:1].isdigit() and ". " in t[:4]]
        assert len(rows) <= ROWS_PER_PAGE
        shown += rows
        assert "HOW PLAYERS CHOSE" in seen and not any("VISITORS" in t for t in seen)
        if page + 1 < pages:
            click(app, "Later")
    assert len(shown) == len(moments)                  # every moment once, over the pages
    assert not find(app, "Later").enabled and find(app, "Earlier").enabled


def test_saved_minutes_say_where_on_every_tab_and_open_with_a_button(shipped, monkeypatch, tmp_path):
    from game.ui import files_out

    opened: list[Path] = []
    monkeypatch.setattr(files_out, "open_file", lambda path: opened.append(path) or "")
    app = make_app(shipped, monkeypatch, tmp_path)
    app.push(DebriefScene(app, played_to_the_end(shipped, "shah", RandomPolicy(3))))
    click(app, "Save your minutes")
    saved = app.scene.saved_minutes
    assert saved is not None and saved.is_file() and saved.parent == tmp_path / "minutes"
    for tab in range(len(app.scene.tabs())):
        app.scene.choose_tab(tab)
        assert str(saved) in document_text(app)          # the message is on every tab, not only the first
    click(app, "Open your minutes")
    assert opened == [saved]


def test_minutes_go_to_the_documents_folder_not_a_hidden_one(monkeypatch, tmp_path):
    import platformdirs

    from game.ui import files_out

    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.delenv("MOSCOW1956_HOME", raising=False)
    monkeypatch.setattr(platformdirs, "user_documents_dir", lambda: str(documents))
    path = files_out.minutes_path()
    assert path.parent == documents / "Moscow 1956" and path.suffix == ".html"
    assert not any(part.startswith(".") for part in path.parts)


@pytest.mark.parametrize("seed", range(3))
def test_random_two_player_debriefs_have_no_doubled_labels(shipped, monkeypatch, tmp_path, seed):
    app = make_app(shipped, monkeypatch, tmp_path, title=False)
    text = debrief_texts(app, played_to_the_end(shipped, BOTH, RandomPolicy(random.Random(seed).randint(0, 10**6))))
    assert "The record (The record)" not in text and "As it happened" not in text
