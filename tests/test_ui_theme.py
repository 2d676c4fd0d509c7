"""Readability: every text/background pair of every theme meets WCAG AA (4.5:1, computed here),
and no text anywhere in the window is smaller than 24 px at 1080p with the default settings
(measured by recording every font the window asks for while it draws every scene)."""

from __future__ import annotations

import pygame
import pytest

from game.ui.fonts import FontBook
from game.ui.settings import Settings
from game.ui.text import wrap_words
from game.ui.theme import THEMES, contrast
from game.ui.widgets.button import Button

from .ui_driver import every_choice, make_app, tour

AA = 4.5
MIN_TEXT_1080P = 24


def srgb_to_linear(v: int) -> float:
    s = v / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


def wcag_ratio(a, b) -> float:
    """WCAG 2.x contrast ratio, computed independently of the game's own helper."""
    def lum(c):
        r, g, b_ = (srgb_to_linear(v) for v in c)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_contrast_formula_is_wcag():
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast((255, 255, 255), (0, 0, 0)) == pytest.approx(21.0)
    assert contrast((90, 90, 90), (90, 90, 90)) == pytest.approx(1.0)
    assert contrast((118, 118, 118), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)  # #767676 on white
    for fg, bg in [((142, 27, 46), (239, 230, 210)), ((24, 62, 140), (255, 255, 255)), ((1, 2, 3), (250, 9, 120))]:
        assert contrast(fg, bg) == pytest.approx(wcag_ratio(fg, bg), rel=1e-3)


@pytest.mark.parametrize("name", sorted(THEMES))
def test_every_text_pair_of_the_theme_meets_aa(name):
    theme = THEMES[name]
    pairs = theme.pairs()
    assert len(pairs) >= 10
    ratios = {pair: wcag_ratio(fg, bg) for pair, (fg, bg) in pairs.items()}
    low = {pair: round(r, 2) for pair, r in ratios.items() if r < AA}
    assert not low, f"{name}: pairs below {AA}:1: {low}"


@pytest.mark.parametrize("name", sorted(THEMES))
def test_button_labels_as_drawn_meet_aa(name, shipped, monkeypatch, tmp_path):
    """The button colours on screen, read back from the pixels: plain, focused and disabled."""
    theme = THEMES[name]
    app = make_app(shipped, monkeypatch, tmp_path, Settings(typing="instant", high_contrast=name == "high-contrast"),
                   title=False)
    assert app.theme is theme
    for focused, enabled, fg in ((False, True, theme.button_text), (True, True, theme.button_focus_text),
                                 (False, False, theme.button_text)):
        button = Button((0, 0, 600, 90), "Back to last choice", lambda: None, enabled=enabled)
        button.place(app)
        surface = button.surface(app, focused)
        # the background just above the label (inside the focus ring and any edge)
        bg = tuple(surface.get_at((surface.get_width() // 2, app.viewport.px(12))))[:3]
        assert bg != fg
        ratio = wcag_ratio(fg, bg)
        assert ratio >= AA, f"{name}: label {fg} on {bg} (focused={focused}, enabled={enabled}) is {ratio:.2f}:1"


@pytest.fixture
def font_requests(monkeypatch):
    """Every font the window asks for while drawing: (role, design size, pixel size)."""
    asked: list[tuple[str, float, int]] = []
    original = FontBook.get

    def recording(self, role, design_size, scaled_text=True):
        asked.append((role, design_size, self.pixel_size(design_size, scaled_text)))
        return original(self, role, design_size, scaled_text)

    monkeypatch.setattr(FontBook, "get", recording)
    return asked


def too_small(asked) -> list:
    return sorted({a for a in asked if a[1] < MIN_TEXT_1080P or a[2] < MIN_TEXT_1080P})


def test_every_text_of_every_scene_is_at_least_24px_at_1080p(shipped, monkeypatch, tmp_path, font_requests):
    app = make_app(shipped, monkeypatch, tmp_path, size=(1920, 1080))
    assert app.fonts.scale == 1.0 and app.fonts.text_scale == 1.0
    scenes = set()
    for _ in tour(app):
        scenes.add(app.scene.name)
    for _ in every_choice(app, shipped):
        pass
    assert {"title", "settings", "source", "glossary", "role", "dialogue", "handover", "backlog", "menu",
            "debrief"} <= scenes
    roles = {role for role, _design, _px in font_requests}
    assert {"serif", "serif_bold", "sans", "sans_bold", "mono", "mono_bold"} <= roles
    assert not too_small(font_requests), f"text under {MIN_TEXT_1080P} px at 1080p: {too_small(font_requests)}"
    assert min(px for _r, _d, px in font_requests) >= MIN_TEXT_1080P


def test_the_visitors_screen_and_the_first_frame_are_at_least_24px_at_1080p(shipped, monkeypatch, tmp_path,
                                                                             font_requests, project_root):
    from game.ui.scenes.visitors import VisitorsScene
    from game.ui.splash import Splash

    app = make_app(shipped, monkeypatch, tmp_path, size=(1920, 1080))
    app.push(VisitorsScene(app, "short"))  # without results: the screen explains there are none
    app.frame(0.05)
    assert app.scene.name == "visitors"
    Splash(project_root, "moscow-1956", Settings(), (1920, 1080)).show()
    assert font_requests
    assert not too_small(font_requests), too_small(font_requests)


def test_kiosk_screens_are_at_least_24px_at_1080p(shipped, monkeypatch, tmp_path, font_requests):
    from game.ui.screenshot import KIOSK_SCENES, build_kiosk

    app = make_app(shipped, monkeypatch, tmp_path, size=(1920, 1080))
    for scene in KIOSK_SCENES:
        build_kiosk(app, scene)
        app.draw()
    assert not too_small(font_requests), too_small(font_requests)


def test_a_long_button_label_shrinks_to_24px_and_no_further(shipped, monkeypatch, tmp_path, font_requests):
    """A label too long for its button once made the label loop forever; now it shrinks a step
    at a time and stops at the smallest allowed size."""
    app = make_app(shipped, monkeypatch, tmp_path, size=(1920, 1080), title=False)
    limit = len(font_requests) + 50

    def guard(*args, **kwargs):  # turn a hang into a failure
        assert len(font_requests) < limit, "the button keeps asking for fonts"
        return recording_get(*args, **kwargs)

    recording_get = FontBook.get
    monkeypatch.setattr(FontBook, "get", guard)
    button = Button((0, 0, 300, 80), "a very long label " * 12, lambda: None, font_size=30)
    button.place(app)
    surface = button.surface(app, False)
    assert surface.get_size() == button.rect.size
    sizes = [design for _r, design, _px in font_requests]
    assert min(sizes) == MIN_TEXT_1080P and max(sizes) == 30


def test_wrapped_lines_never_overflow(shipped):
    pygame.font.init()
    texts = [p.text for p in shipped.source.paragraphs.values()] + [e.text for e in shipped.glossary]
    texts += ["", "x", "a" * 200, "two  spaces", "line\nbreak", "Supercalifragilistic " * 5]
    book = FontBook()
    for role, size, width in (("serif", 30, 1620), ("serif_italic", 45, 700), ("sans_bold", 24, 240), ("mono", 24, 60)):
        font = book.get(role, size)
        for text in texts:
            lines = wrap_words(font, text, width)
            assert "".join(lines).replace(" ", "") == text.replace("\n", "").replace(" ", "")
            for line in lines:
                assert font.size(line)[0] <= width or len(line) == 1, (role, size, width, line)
            assert wrap_words(font, text, width) == lines  # remembered, and the same
