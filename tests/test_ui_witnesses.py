"""What others wrote, in the game window: from the source reader (beside each ¶ a witness bears
on, and at the top) and from the debrief's Discuss tab, by keyboard (Tab to the link, Enter);
each witness leads back to its ¶s and to the Sources page."""

from __future__ import annotations

import pygame

from .ui_driver import make_app, press


def tab_to(app, text: str, limit: int = 4000) -> None:
    """Tab through the scene's targets until a link containing `text` has the focus."""
    scene = app.scene
    for _ in range(limit):
        press(app, pygame.K_TAB)
        link = scene.focused_link()
        if link is not None and text in " ".join(scene.lines[i].text for i in range(link[0], link[1] + 1)):
            return
    raise AssertionError(f"no link with {text!r} on {scene.name}")


def test_the_source_reader_leads_to_the_witness_beside_its_paragraph_and_back(shipped, monkeypatch, tmp_path):
    from game.ui.scenes.source_reader import SourceScene

    witness = next(w for w in shipped.witnesses if 83 in w.refs)
    app = make_app(shipped, monkeypatch, tmp_path)
    app.push(SourceScene(app, 83))
    app.frame(0.05)
    tab_to(app, witness.title[:30])
    press(app, pygame.K_RETURN)
    scene = app.scene
    assert scene.name == "witnesses" and scene.anchor == f"w-{witness.id}"
    assert scene.scroll.offset == min(scene.anchors[f"w-{witness.id}"], scene.scroll.max_offset)   # opened at it
    shown = " ".join(line.text for line in scene.lines)
    assert all(w.title in shown for w in shipped.witnesses) and "The US record" in shown
    tab_to(app, "Beside the record at ¶83")
    press(app, pygame.K_RETURN)
    assert app.scene.name == "source" and app.scene.anchor == "p83"
    app.pop()
    tab_to(app, "Sources:")
    press(app, pygame.K_RETURN)
    assert app.scene.name == "sources"
    assert "what others wrote:" in " ".join(line.text for line in app.scene.lines)


def test_the_debrief_discuss_tab_leads_to_what_others_wrote(shipped, monkeypatch, tmp_path):
    from game.engine.autoplay import RecordPolicy
    from game.engine.runner import ChoiceEvent
    from game.session.play import PlaySession
    from game.ui.scenes.debrief import DebriefScene

    app = make_app(shipped, monkeypatch, tmp_path)
    session = PlaySession(shipped, "shah", "short")
    session.begin()
    while not (shown := session.advance_to_stop()).ended:
        session.choose(RecordPolicy().pick(ChoiceEvent(shown.choice, shown.options)))
    app.session = session
    app.push(DebriefScene(app, session))
    app.frame(0.05)
    app.scene.choose_tab(3)
    tab_to(app, "What others wrote")
    press(app, pygame.K_RETURN)
    assert app.scene.name == "witnesses"

