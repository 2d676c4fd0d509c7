"""Scripted playthroughs of the game window with the mouse: clicks on the real button rectangles,
from the title through every kind of scene to the debrief."""

from __future__ import annotations

import pygame

from game.ui.app import autosave_path

from .ui_driver import (
    click,
    click_at,
    document_text,
    find,
    flat,
    is_choice,
    labels,
    make_app,
    option_buttons,
    play_by_mouse,
    press,
    small_targets,
)

DEBRIEF_TABS = {
    "Outcome": "The end of the talks",
    "Your choices": "Your choices beside the record",
    "What came next": "What happened next",
    "Discuss": "Questions to discuss",
    "The minutes": "The minutes of your session",
}


def check_debrief_tabs(app, expected: list[str]) -> None:
    assert app.scene.name == "debrief"
    assert labels(app)[: len(expected)] == expected
    for index, tab in enumerate(expected):
        click(app, tab)
        assert app.scene.name == "debrief" and app.scene.tab == index
        assert DEBRIEF_TABS[tab] in document_text(app)
        assert not small_targets(app)


def test_mouse_short_path_as_the_shah_to_the_debrief(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path)
    assert app.scene.name == "title" and not any(label.startswith("Continue") for label in labels(app))
    find(app, "● The whole conversation")          # the length is a choice of two, the chosen one marked
    click(app, "Five minutes at the table")
    find(app, "● Five minutes at the table")
    find(app, "○ The whole conversation")
    click(app, "Play as the Shah of Iran")
    assert app.scene.name == "role"
    assert "You are the Shah of Iran" in document_text(app)
    assert not small_targets(app)
    click(app, "Begin")
    assert app.scene.name == "dialogue" and app.session.role == "shah"
    assert app.session.runner.state.path == "short"
    assert not find(app, "Back to last choice").enabled  # nothing chosen yet

    # side trips from the table, each closed with Esc back to the same line
    line = app.session.shown.line
    for button, scene in (("What was said", "backlog"), ("The source", "source"), ("Glossary", "glossary"),
                          ("Menu", "menu")):
        click(app, button)
        assert app.scene.name == scene, button
        assert not small_targets(app)
        press(app, pygame.K_ESCAPE)
        assert app.scene.name == "dialogue" and app.session.shown.line is line

    # vary the options so the session leaves the record now and then
    seen = play_by_mouse(app, pick=lambda n, count: n * 2)
    assert seen["choices"] >= 3
    assert seen["scenes"] == {"dialogue", "debrief"}
    assert seen["small"] == []
    report = app.scene.report
    assert [r.role.id for r in report.roles] == ["shah"]
    assert report.roles[0].total == seen["choices"]
    assert not autosave_path().exists()  # a finished game leaves nothing to continue

    check_debrief_tabs(app, ["Outcome", "Your choices", "What came next", "Discuss"])
    assert "The minutes" not in labels(app)
    click(app, "Title screen")
    assert app.scene.name == "title" and len(app.scenes) == 1
    assert not any(label.startswith("Continue") for label in labels(app))


def test_debrief_source_link_opens_the_paragraph(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path)
    click(app, "Five minutes at the table")
    click(app, "Play as the Soviet delegation")
    click(app, "Begin")
    play_by_mouse(app)
    click(app, "Your choices")
    scene = app.scene
    link = next(line for line in scene.lines if line.action is not None)
    # scroll the link into view, then click on it
    scene.scroll.scroll_to(link.y)
    app.frame(0.05)
    y = scene.scroll.view.top + link.y - scene.scroll.offset + link.height // 2
    click_at(app, (scene.scroll.view.left + 10, y))
    assert app.scene.name == "source"
    press(app, pygame.K_ESCAPE)
    assert app.scene.name == "debrief" and app.scene.tab == 1


def test_two_players_hand_over_before_each_change_of_side(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path)
    click(app, "Five minutes at the table")
    click(app, "Two players: both sides")
    assert app.scene.name == "role" and "Two players, one table" in document_text(app)
    click(app, "Begin")

    # the very first choice is preceded by a hand-over screen; Esc must not skip it
    for _ in range(200):
        if app.scene.name == "handover":
            break
        assert not is_choice(app), "a choice was shown to two players without a hand-over"
        click(app, "Continue")
    assert app.scene.name == "handover"
    press(app, pygame.K_ESCAPE)
    assert app.scene.name == "handover"

    seen = play_by_mouse(app, pick=lambda n, count: n)
    sides = seen["sides"]
    assert set(sides) == {"shah", "soviet"}
    # one hand-over before the first choice and before every choice of the other side, no more
    changes = [side for i, side in enumerate(sides) if i == 0 or side != sides[i - 1]]
    assert seen["handovers"] == changes
    assert seen["small"] == []

    report = app.scene.report
    assert len(report.roles) == 2
    assert {r.role.id for r in report.roles} == {"shah", "soviet"}
    assert sum(r.total for r in report.roles) == len(sides)
    check_debrief_tabs(app, ["Outcome", "Your choices", "What came next", "Discuss", "The minutes"])
    click(app, "Your choices")
    text = document_text(app)
    for result in report.roles:  # both sides' choices, each beside the record
        assert f"{result.role.title}: {result.matched} of {result.total} as in the record" in text
    click(app, "The minutes")
    minutes = document_text(app)
    missing = [entry.text for entry in report.minutes if flat(entry.text) not in minutes]
    assert not missing


def test_replay_the_record_reaches_the_historical_ending_without_choices(shipped, monkeypatch, tmp_path):
    app = make_app(shipped, monkeypatch, tmp_path)
    click(app, "Replay the record as it happened")
    assert app.scene.name == "role" and "Replaying the record" in document_text(app)
    click(app, "Begin")
    assert app.session.replay
    seen = play_by_mouse(app, limit=5000)
    assert seen["choices"] == 0 and seen["handovers"] == []
    assert seen["scenes"] == {"dialogue", "debrief"}
    report = app.scene.report
    assert report.ending_is_historical
    assert all(c.followed for r in report.roles for c in r.comparisons)
    assert "This is the ending the record shows." in document_text(app)
    assert not autosave_path().exists()  # a replay is never saved


def test_clicks_on_the_memo_itself(shipped, monkeypatch, tmp_path):
    """A click on the line moves on; an underlined term opens its glossary entry; the source line
    under a record line opens the source at that paragraph."""
    app = make_app(shipped, monkeypatch, tmp_path)
    click(app, "Play as the Shah of Iran")
    click(app, "Begin")
    scene = app.scene

    # move on with a click on empty paper below the text
    line = app.session.shown.line
    body = scene.body_rect
    click_at(app, (body.right - 3, body.bottom - 3))
    assert app.scene.name == "dialogue" and (app.session.shown.line is not line or scene.page > 0)

    # find a record line with a glossary term in it
    for _ in range(300):
        shown = app.session.shown
        if shown.line is not None and scene.block is not None and scene.block.hot and shown.line.refs \
                and shown.line.provenance == "record" and len(scene.pages) == 1:
            break
        if shown.choice is not None:
            click(app, option_buttons(app)[0].label)
        else:
            click(app, "Continue")
    else:
        raise AssertionError("no record line with a glossary term")
    rect, entry = scene.block.hot[0]
    click_at(app, (scene.body_rect.left + rect.centerx, scene.body_rect.top + rect.centery))
    assert app.scene.name == "glossary" and app.scene.anchor == entry
    assert app.scene.scroll.offset == min(app.scene.anchors[entry], app.scene.scroll.max_offset)
    press(app, pygame.K_ESCAPE)
    assert app.scene.name == "dialogue"

    click_at(app, scene.provenance_rect().center)
    assert app.scene.name == "source" and app.scene.anchor == f"p{app.session.shown.line.refs[0]}"
    press(app, pygame.K_ESCAPE)
    assert app.scene.name == "dialogue"


def test_a_long_line_is_paged(shipped, monkeypatch, tmp_path):
    """A line longer than the memo holds (the longest of the record, four times over, at the
    largest text size) is shown page by page, whole lines on each page, Continue turning pages."""
    from game.engine.model import Line
    from game.session.play import OnScreen
    from game.session.play import PlaySession as Session
    from game.ui.scenes.dialogue import DialogueScene
    from game.ui.settings import Settings

    app = make_app(shipped, monkeypatch, tmp_path, Settings(typing="instant", text_size="largest"), title=False)
    longest = max((ln for node in shipped.nodes.values() for ln in node.lines), key=lambda ln: len(ln.text))
    line = Line("test.long", longest.speaker, " ".join([longest.text] * 4), "record", longest.refs)
    session = Session(shipped, "shah")
    app.push(DialogueScene(app, session))
    session.shown = OnScreen(line=line)
    scene = app.scene
    scene.layout()
    app.frame(0.05)
    pages = scene.pages
    assert len(pages) > 1
    assert [p[0] for p in pages] == [0] + [p[1] + 1 for p in pages[:-1]]  # every line on exactly one page
    assert pages[-1][1] == len(scene.block.surfaces) - 1
    for number in range(len(pages)):
        assert scene.page == number and app.session.shown.line is line
        first, last = pages[number]
        assert (last - first + 1) * scene.block.line_height <= scene.body_rect.height  # whole lines that fit
        click(app, "Continue")
    assert app.session.shown.line is not line  # past the last page: the next thing is said
