"""The first frame: the title sheet, drawn before the engine and the content are loaded.

Only pygame, the fonts and the title line of the manifest are needed (YAML and the engine are
loaded after this frame, when the content is checked), so the window
shows the game within a blink of a bare pygame window; the title's buttons follow once the
content has been loaded and checked. If the content is broken, the sheet lists the problems.
"""

from __future__ import annotations

import re
from pathlib import Path

import pygame

from .fonts import FontBook
from .settings import Settings
from .text import sanitize
from .theme import ARCHIVE, HIGH_CONTRAST, TEXT_SCALES
from .viewport import Viewport

_LINE = re.compile(r'^(title|subtitle):[ \t]*(?:"([^"\\]*)"|([^"#\n][^#\n]*?))[ \t]*$', re.MULTILINE)


def _top_level(manifest: Path, key: str) -> str:
    """A one-line top-level text value, for the splash only; the real loader checks everything."""
    try:
        text = manifest.read_text(encoding="utf-8", errors="replace")[:20_000]
    except OSError:
        return ""
    for m in _LINE.finditer(text):
        if m.group(1) == key:
            return (m.group(2) if m.group(2) is not None else m.group(3) or "").strip()
    return ""


class Splash:
    def __init__(self, content: Path, scenario_id: str | None, settings: Settings, size: tuple[int, int] = (1280, 720)):
        self.settings = settings
        self.title, self.subtitle = "Moscow, 1956", ""
        folder = content / "scenarios"
        manifests = sorted(folder.glob(f"{scenario_id or '*'}/scenario.yaml")) if folder.is_dir() else []
        if manifests:
            self.title = _top_level(manifests[0], "title") or self.title
            self.subtitle = _top_level(manifests[0], "subtitle") or ""
        pygame.display.init()
        pygame.font.init()
        pygame.display.set_caption(f"{self.title} — {self.subtitle}" if self.subtitle else self.title)
        flags = pygame.FULLSCREEN if settings.fullscreen else pygame.RESIZABLE
        self.screen = pygame.display.set_mode((0, 0) if settings.fullscreen else size, flags)
        self.viewport = Viewport(*self.screen.get_size())
        self.fonts = FontBook(self.viewport.scale, TEXT_SCALES[settings.text_size])
        self.theme = HIGH_CONTRAST if settings.high_contrast else ARCHIVE

    def _sheet(self) -> pygame.Rect:
        vp, theme = self.viewport, self.theme
        self.screen.fill(theme.desk)
        sheet = vp.rect(90, 90, 960, 900)
        pygame.draw.rect(self.screen, (0, 0, 0), sheet.move(vp.px(6), vp.px(8)))
        pygame.draw.rect(self.screen, theme.paper, sheet)
        self._text(self.title.upper(), "mono_bold", 84, theme.accent, (140, 190))
        return sheet

    def _text(self, text: str, role: str, size: float, colour, pos: tuple[float, float]) -> None:
        self.screen.blit(self.fonts.get(role, size).render(text, True, colour), self.viewport.point(*pos))

    def show(self) -> None:
        self._sheet()
        self._text("Preparing the talks…", "serif_italic", 38, self.theme.ink, (140, 300))
        pygame.display.flip()

    def show_problems(self, diagnostics, headline: str, hint: str, stop=None, timeout: float | None = None) -> None:
        """Broken content or kiosk settings, for staff to read on the screen: the headline, what to
        do, and each problem with its file and line, wrapped. Stays until Esc, a window close, a
        stop signal or `timeout` seconds (tests)."""
        import time

        from .text import wrap_words

        self._sheet()
        theme = self.theme
        vp = self.viewport
        y = 290
        for text, role, size in ((headline, "serif_bold", 30), (hint, "sans", 26)):
            font = self.fonts.get(role, size)
            for line in wrap_words(font, text, vp.px(860)):
                self.screen.blit(font.render(line, True, theme.ink), vp.point(140, y))
                y += font.get_linesize() / vp.scale
            y += 14
        font = self.fonts.get("mono", 24)
        shown = 0
        for d in diagnostics:
            lines = wrap_words(font, sanitize(str(d)), vp.px(860))
            if y + len(lines) * font.get_linesize() / vp.scale > 960:
                break
            for line in lines:
                self.screen.blit(font.render(line, True, theme.ink), vp.point(140, y))
                y += font.get_linesize() / vp.scale
            y += 8
            shown += 1
        if shown < len(diagnostics):
            more = self.fonts.get("sans", 24).render(f"… and {len(diagnostics) - shown} more (see the log).", True,
                                                     theme.ink)
            self.screen.blit(more, vp.point(140, y))
        pygame.display.flip()
        started = time.monotonic()
        while not stop and (timeout is None or time.monotonic() - started < timeout):
            for event in pygame.event.get():
                if event.type == pygame.QUIT or (event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE):
                    return
            time.sleep(1 / 30)
