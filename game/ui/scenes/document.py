"""A long, scrollable document on memo paper: the base of the source, glossary, backlog and debrief.

Blocks are wrapped once per layout into lines; only the lines in view are rendered (through the
app's text cache), so even the whole record (about 7,000 words) costs a few blits per frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pygame

from ..keys import action_of
from ..text import wrap_words
from ..theme import TOUCH_TARGET
from ..widgets.button import Button
from ..widgets.scroll import Scroll
from ..wording import back_label
from .base import Scene

SHEET = (90, 36, 1740, 900)
STYLES = {
    # kind: (font role, design size, theme colour, indent, space before)
    "title": ("serif_bold", 46, "accent", 0, 0),
    "heading": ("serif_bold", 34, "accent", 0, 34),
    "subheading": ("sans_bold", 28, "ink", 0, 22),
    "body": ("serif", 30, "ink", 0, 10),
    "quote": ("serif_italic", 30, "ink", 40, 8),
    "meta": ("sans", 24, "ink_soft", 0, 6),
    "invented": ("sans_bold", 24, "invented", 0, 6),
    "link": ("sans_bold", 26, "link", 0, 8),
}


@dataclass
class Block:
    kind: str
    text: str
    anchor: str | None = None
    action: Callable[[], None] | None = None
    marks: tuple[str, ...] = ()      # kind "timeline": one mark per moment: "followed", "left" or "off" (the record)


@dataclass
class _Line:
    text: str
    kind: str
    y: int
    height: int
    action: Callable[[], None] | None
    marks: tuple[str, ...] = ()


class DocumentScene(Scene):
    arrows_move_focus = False
    has_back = True     # a Back button (Esc) under the page

    def __init__(self, app, anchor: str | None = None):
        super().__init__(app)
        self.anchor = anchor
        self.lines: list[_Line] = []
        self.anchors: dict[str, int] = {}
        self.scroll = Scroll(pygame.Rect(0, 0, 0, 0))
        self.links: list[tuple[int, int]] = []   # first and last line of each link (keyboard targets)
        self.tab = 0

    def tabs(self) -> list[str]:
        return []

    def blocks(self) -> list[Block]:
        raise NotImplementedError

    def extra_buttons(self) -> list[tuple[str, Callable[[], None]]]:
        return []

    def choose_tab(self, index: int) -> None:
        self.tab = index
        self.anchor = None
        self.layout()
        self.scroll.scroll_to(0)

    def layout(self) -> None:
        ui = self.app
        x, y, w, h = SHEET
        tabs = self.tabs()
        top = y + (96 if tabs else 24)
        self.sheet = ui.viewport.rect(*SHEET)
        view = ui.viewport.rect(x + 50, top, w - 100, h - (top - y) - 24)
        offset = self.scroll.offset
        self.scroll = Scroll(view)
        self.lines, self.anchors = [], {}
        cursor = 0
        for block in self.blocks():
            if block.kind == "timeline":
                cursor += ui.viewport.px(12)
                height = ui.viewport.px(96)
                self.lines.append(_Line(block.text, "timeline", cursor, height, None, block.marks))
                cursor += height
                continue
            role, size, colour, indent, before = STYLES[block.kind]
            font = ui.fonts.get(role, size)
            if self.lines:
                cursor += ui.viewport.px(before)
            if block.anchor:
                self.anchors[block.anchor] = cursor
            lh = round(font.get_linesize() * 1.18)
            for text in wrap_words(font, block.text, view.width - ui.viewport.px(indent) - ui.viewport.px(20)):
                self.lines.append(_Line(text, block.kind, cursor, lh, block.action))
                cursor += lh
        self.scroll.content_height = cursor + ui.viewport.px(20)
        # Links (lines with an action) are keyboard targets too: Tab moves through the buttons,
        # then the links; Enter follows the focused one.
        self.links = []
        for index, line in enumerate(self.lines):
            if line.action is None:
                continue
            if self.links and self.links[-1][1] == index - 1 and self.lines[index - 1].action is line.action:
                self.links[-1] = (self.links[-1][0], index)
            else:
                self.links.append((index, index))
        self.scroll.scroll_to(self.anchors.get(self.anchor, offset) if self.anchor else offset)
        self.buttons = []
        for i, label in enumerate(tabs):
            self.buttons.append(Button((x + 40 + i * 300, y + 20, 284, TOUCH_TARGET), label, lambda i=i: self.choose_tab(i),
                                       font_size=24, selected=i == self.tab, id=f"tab-{i + 1}"))
        bx = x
        closing = [(back_label(ui.touch), self.back, "back")] if self.has_back else []
        extra = [(label, action, "") for label, action in self.extra_buttons()]
        width = min(330, (SHEET[2] - 20 * (len(extra) + len(closing) - 1)) / max(1, len(extra) + len(closing)))
        for label, action, key in [*extra, *closing]:
            self.buttons.append(Button((bx, 960, width, 84), label, action, font_size=28, id=key))
            bx += width + 20
        self.ring.extra = len(self.links)
        self.place_buttons()

    def focus_moved(self) -> None:
        """A link that took the focus is scrolled into view."""
        super().focus_moved()
        link = self.focused_link()
        if link is not None:
            first, last = self.lines[link[0]], self.lines[link[1]]
            view = self.scroll.view
            if first.y < self.scroll.offset or last.y + last.height > self.scroll.offset + view.height:
                self.scroll.scroll_to(first.y - view.height // 3)

    def focused_link(self) -> tuple[int, int] | None:
        if self.focus is None:
            return None
        k = self.focus - len(self.buttons)
        return self.links[k] if 0 <= k < len(self.links) else None

    def handle(self, event: pygame.event.Event) -> None:
        if action_of(event) == "activate":
            link = self.focused_link()
            if link is not None:
                action = self.lines[link[0]].action
                if action is not None:
                    action()
                return
        if self.scroll.handle(event):
            return
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self.scroll.view.collidepoint(event.pos):
            y = event.pos[1] - self.scroll.view.top + self.scroll.offset
            for line in self.lines:
                if line.y <= y < line.y + line.height and line.action is not None:
                    line.action()
                    return
        self.handle_buttons(event)

    def draw(self, surface: pygame.Surface) -> None:
        ui = self.app
        theme = ui.theme
        self.paper(surface, SHEET)
        view = self.scroll.view
        clip = surface.get_clip()
        surface.set_clip(view)
        for line in self.lines:
            top = view.top + line.y - self.scroll.offset
            if top + line.height < view.top:
                continue
            if top > view.bottom:
                break
            if line.kind == "timeline":
                self._draw_timeline(surface, line, top)
                continue
            role, size, colour, indent, _ = STYLES[line.kind]
            rendered = ui.render(line.text, role, size, getattr(theme, colour))
            surface.blit(rendered, (view.left + ui.viewport.px(indent), top))
            if line.action is not None:
                y = top + rendered.get_height() - 2
                pygame.draw.line(surface, getattr(theme, colour), (view.left + ui.viewport.px(indent), y),
                                 (view.left + ui.viewport.px(indent) + rendered.get_width(), y), max(1, ui.viewport.px(2)))
        link = self.focused_link() if ui.show_focus else None
        if link is not None:
            first, last = self.lines[link[0]], self.lines[link[1]]
            box = pygame.Rect(view.left - ui.viewport.px(8), view.top + first.y - self.scroll.offset - ui.viewport.px(4),
                              view.width, last.y + last.height - first.y + ui.viewport.px(8))
            pygame.draw.rect(surface, theme.accent, box, width=max(2, ui.viewport.px(3)), border_radius=ui.viewport.px(6))
        surface.set_clip(clip)
        self.scroll.draw_bar(surface, theme.ink_soft, max(4, ui.viewport.px(8)))
        self.draw_buttons(surface)

    def _draw_timeline(self, surface: pygame.Surface, line: _Line, top: int) -> None:
        """Where the record was followed (small dots) and left (large red rings), in order."""
        ui = self.app
        theme = ui.theme
        vp = ui.viewport
        view = self.scroll.view
        count = max(1, len(line.marks))
        left, right = view.left + vp.px(30), view.right - vp.px(60)
        y = top + vp.px(30)
        pygame.draw.line(surface, theme.ink_soft, (left, y), (right, y), max(1, vp.px(3)))
        step = (right - left) / max(1, count - 1) if count > 1 else 0
        for i, kind in enumerate(line.marks):
            x = round(left + i * step) if count > 1 else (left + right) // 2
            if kind == "followed":
                pygame.draw.circle(surface, theme.ink_soft, (x, y), vp.px(9))
            elif kind == "off":
                box = pygame.Rect(0, 0, vp.px(22), vp.px(22))
                box.center = (x, y)
                pygame.draw.rect(surface, theme.paper, box)
                pygame.draw.rect(surface, theme.ink_soft, box, max(2, vp.px(4)))
            else:
                pygame.draw.circle(surface, theme.paper, (x, y), vp.px(17))
                pygame.draw.circle(surface, theme.accent, (x, y), vp.px(17), max(2, vp.px(5)))
            left_it = kind == "left"
            label = ui.render(str(i + 1), "sans_bold" if left_it else "sans", 24,
                              theme.accent if left_it else theme.ink_soft)
            surface.blit(label, label.get_rect(midtop=(x, y + vp.px(22))))
