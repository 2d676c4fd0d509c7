"""Every front end draws the scenario's own `presentation` (issue 11): the mini fixture played
through the window, the kiosk, the text mode and the browser (plain HTTP and Chromium) shows its
memo, blurb, seats, flag and tagline, and nothing of the shipped scenario's."""

from __future__ import annotations

import signal
from pathlib import Path

import pygame
import pytest

from game.engine.checked import load_scenario
from game.session.kiosk_config import KioskConfig
from game.ui.app import App
from game.ui.kiosk import Kiosk
from game.ui.scenes.kiosk import AttractScene
from game.ui.scenes.title import TitleScene
from game.web.classroom import assigns

from .diagnostic_cases import MANIFEST, edit
from .test_kiosk import FakeClock, read_until, start_game
from .test_text_play import play as play_text
from .ui_driver import HumanClock, click, find, make_app, play_by_mouse, rendered_texts
from .web_support import Browser, LiveServer, play_to_end, start

MINI = Path(__file__).parent / "fixtures" / "mini"
MINI_WORDS = ("Copy 1 of 2", "A guest and a host, a cold day and a pot of tea.", "noted the same day")
SHIPPED_WORDS = ("No. 831", "Khrushchev", "Bulganin", "Shah", "Iran", "30.VI", "Soviet")
MAP_BLOCK = ('  kiosk:\n', '  map:\n    image: flag_tea.png\n    title: "Map: the tea room"\n'
                         '    description: "A plan of the room where the tea was drunk."\n  kiosk:\n')


def shows_none_of_the_shipped(texts) -> None:
    text = " ".join(texts)
    for word in SHIPPED_WORDS:
        assert word not in text, word


@pytest.fixture
def mini_with_map(mini: Path) -> Path:
    edit(mini, MANIFEST, *MAP_BLOCK)
    return mini


# --- the window -------------------------------------------------------------------------------------

def test_the_mini_title_sheet_in_the_window_is_its_own(mini_scenario, monkeypatch, tmp_path):
    app = make_app(mini_scenario, monkeypatch, tmp_path, title=False)
    drawn = rendered_texts(app)
    app.push(TitleScene(app))
    app.frame(0.05)
    text = " ".join(drawn)
    assert all(words in text for words in ("Copy 1 of 2", "A guest and a host", "1 January 1956 · noted the same day",
                                           "Source: a tiny record written for the tests."))
    shows_none_of_the_shipped(drawn)


def test_the_shipped_title_sheet_still_carries_the_records_mark(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path, title=False)
    drawn = rendered_texts(app)
    app.push(TitleScene(app))
    app.frame(0.05)
    text = " ".join(drawn)
    assert "No. 831 · 11 copies" in text and "record signed 30.VI." in text and "Khrushchev," in text
    assert app.texture(shipped.presentation.emblem, (10, 10)) is not None


def test_the_mini_fixture_plays_through_the_window_at_its_own_table(mini_scenario, monkeypatch, tmp_path):
    app = make_app(mini_scenario, monkeypatch, tmp_path)
    drawn = rendered_texts(app)
    click(app, "Play as the guest")
    assert app.scene.name == "role"
    text = " ".join(line.text for line in app.scene.lines)
    assert "The record says nothing of where they sat." in text
    click(app, "Begin")
    seen = play_by_mouse(app)
    assert seen["choices"] >= 1 and app.scene.name == "debrief"
    # the seating plan: its label, the cook who only attended, its caption; its flag is drawn
    assert {"At home", "A cook", "Host", "Guest", "Seating illustrative: a table for tea."} <= set(drawn)
    flag = mini_scenario.presentation.seating[0].flag
    assert flag is not None and app.picture(flag) is not None
    shows_none_of_the_shipped(drawn)


def test_the_map_is_shown_only_when_the_scenario_names_one(mini_scenario, mini_with_map, monkeypatch, tmp_path):
    app = make_app(mini_scenario, monkeypatch, tmp_path / "a")
    click(app, "Glossary")
    assert not any(b.label == "Map" for b in app.scene.buttons)
    with_map = load_scenario(mini_with_map)
    app = make_app(with_map, monkeypatch, tmp_path / "b")
    click(app, "Glossary")
    click(app, "Map")
    assert app.scene.name == "map" and app.picture(with_map.presentation.map.image) is not None


# --- the kiosk ------------------------------------------------------------------------------------

def test_the_kiosk_runs_the_mini_fixture_with_its_tagline_length_and_chairs(mini_scenario, tmp_path, monkeypatch):
    monkeypatch.setenv("MOSCOW1956_HOME", str(tmp_path))
    clock = FakeClock()
    kiosk = Kiosk(KioskConfig(), clock=clock, results=None)
    pygame.display.quit()
    app = App(mini_scenario, kiosk.visitor_settings(), (1280, 720))
    app.kiosk = kiosk
    app.clock = HumanClock()
    kiosk.clock = app.clock
    drawn = rendered_texts(app)
    kiosk.touched()
    app.push(AttractScene(app, kiosk))
    app.frame()
    text = " ".join(drawn)
    assert "Sit down to tea with the host" in text and "about 1 minute" in text and "TEA" in text
    shows_none_of_the_shipped(drawn)
    app.scene.begin()
    app.frame()
    assert [b.label for b in app.scene.buttons] == ["Sit as the guest", "Sit as the host", "Back"]
    find(app, "Sit as the host").action()
    app.frame()
    click(app, "Begin")
    assert play_by_mouse(app)["choices"] >= 1
    pygame.display.quit()


def test_the_kiosk_command_starts_with_the_mini_fixture(tmp_path: Path, project_root: Path):
    proc = start_game(project_root, tmp_path, "--content", str(MINI), "--kiosk")
    try:
        read_until(proc.stdout, "ready")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0            # no problem sheet: that exits 1
    finally:
        if proc.poll() is None:
            proc.kill()
    err = proc.stderr.read()
    assert "Traceback" not in err and "E505" not in err and "E206" not in err


# --- the text mode ----------------------------------------------------------------------------------

def test_the_text_mode_heads_the_mini_session_with_its_own_words(project_root: Path):
    proc = play_text(project_root, "--role", "guest", "--autoplay", "record")
    assert proc.returncode == 0, proc.stderr
    head = proc.stdout[:proc.stdout.index("YOUR ROLE")]
    assert all(words in head for words in MINI_WORDS)
    assert "Narrator (game) is the game's own voice" in proc.stdout
    shows_none_of_the_shipped([proc.stdout])


# --- the browser ------------------------------------------------------------------------------------

def test_the_mini_fixture_in_the_browser_shows_its_own_title_room_and_chairs(mini_scenario, tmp_path):
    live = LiveServer(mini_scenario, tmp_path).start()
    try:
        browser = Browser(live.url)
        _, _, title = browser.get("/")
        assert all(words in title for words in (*MINI_WORDS, "Source: a tiny record written for the tests."))
        shows_none_of_the_shipped([title])
        for page in ("/glossary", "/source"):
            assert '<details class="map">' not in browser.get(page)[2]
        assert browser.get("/art/map.png")[0] == 404          # the shipped map is not this scenario's
        start(browser, "host", "full")
        play_to_end(browser)
        assert 'data-testid="debrief"' in browser.last
        shows_none_of_the_shipped([browser.last])
    finally:
        live.stop()


def test_the_browser_serves_the_map_a_scenario_names_and_no_other_picture(mini_with_map, tmp_path):
    live = LiveServer(load_scenario(mini_with_map), tmp_path).start()
    try:
        browser = Browser(live.url)
        page = browser.get("/glossary")[2]
        assert "<summary>Map: the tea room</summary>" in page and 'alt="A plan of the room' in page
        status, headers, _ = browser.get("/art/flag_tea.png")
        assert status == 200 and headers["content-type"] == "image/png"
        assert browser.get("/art/map.png")[0] == 404
    finally:
        live.stop()


def test_the_classroom_hands_out_the_scenarios_own_chairs(mini_scenario, shipped):
    assert assigns(mini_scenario) == {"free": "each student chooses", "guest": "everyone the guest",
                                      "host": "everyone the host", "random": "at random",
                                      "pairs": "pairs on two devices"}
    assert list(assigns(shipped)) == ["free", "shah", "soviet", "random", "pairs"]


def test_the_mini_fixture_plays_in_chromium_from_its_own_title(chromium, mini_scenario, tmp_path):
    from .test_web_browser import page_for, play
    from .test_web_browser import start as start_page

    live = LiveServer(mini_scenario, tmp_path).start()
    try:
        page = page_for(chromium)
        page.goto(live.url + "/")
        sheet = page.inner_text(".title-sheet")
        assert "Copy 1 of 2" in sheet and "A guest and a host" in sheet
        shows_none_of_the_shipped([sheet])
        start_page(page, live, "guest", "full")
        seen = play(page, lambda loc: loc.click())
        assert seen["choices"] >= 1 and "Record match" in page.inner_text("[data-testid=debrief]")
    finally:
        live.stop()
