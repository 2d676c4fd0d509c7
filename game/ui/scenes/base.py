"""What every scene shares: buttons with keyboard focus, number keys, clicks, Esc to go back.

The focus, hover and clicks are the focus ring's and the buttons' own (widgets/focus.py,
widgets/button.py); a scene lists its buttons and says what Esc does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from ..keys import action_of
from ..text import wrap_words
from ..widgets.button import Button
from ..widgets.focus import FocusRing
from ..widgets.paper import draw_paper

if TYPE_CHECKING:
    from ..app import App


class Scene:
    """A screen. Subclasses build `self.buttons` in `layout()` and draw in `draw()`."""

    name = "scene"
    arrows_move_focus = True
    draws_desk = False        # True when draw() paints the whole window itself

    def __init__(self, app: App):
        self.app = app
        self.ring = FocusRing(on_move=self.focus_moved)

    def focus_moved(self) -> None:
        """The player moved the focus with the keyboard: from now on the window draws it."""
        self.app.show_focus = True

    # The ring's state, under the names the scenes and tests use.
    @property
    def buttons(self) -> list[Button]:
        return self.ring.widgets

    @buttons.setter
    def buttons(self, buttons: list[Button]) -> None:
        self.ring.widgets = buttons

    @property
    def focus(self) -> int | None:
        """The keyboard focus (an index into `buttons`): None until Tab or an arrow moves it."""
        return self.ring.focus

    @focus.setter
    def focus(self, index: int | None) -> None:
        self.ring.focus = index

    @property
    def hover(self) -> int | None:
        return self.ring.hover

    @property
    def primary(self) -> Button | None:
        """What Enter presses while nothing has the focus (never an option)."""
        return self.ring.primary

    @primary.setter
    def primary(self, button: Button | None) -> None:
        self.ring.primary = button

    # --- lifecycle ----------------------------------------------------------------------------

    def layout(self) -> None:
        """Build widgets and cached surfaces for the current window size, theme and text size."""

    def enter(self) -> None:
        self.layout()

    def update(self, dt: float) -> bool:
        """Advance animations; True while something moves (the app keeps drawing)."""
        return False

    def tick(self, now: float) -> bool:
        """Time-driven changes (a countdown, rotating quotes); True if a redraw is due."""
        return False

    def draw(self, surface: pygame.Surface) -> None:
        self.draw_buttons(surface)

    def back(self) -> None:
        self.app.pop()

    # --- the sheets every scene can open (routes.py) -------------------------------------------

    def open_source(self, paragraph: int | None = None) -> None:
        """The record, at `paragraph` if given: from the title, the table, the menu, any ¶ link."""
        self.app.go("source", paragraph=paragraph)

    def open_glossary(self, entry: str | None = None) -> None:
        self.app.go("glossary", entry=entry)

    def open_settings(self) -> None:
        self.app.go("settings")

    def open_sources(self) -> None:
        self.app.go("sources")

    def open_witnesses(self, witness: str | None = None) -> None:
        self.app.go("witnesses", witness=witness)

    def open_map(self) -> None:
        self.app.go("map")

    def has_map(self) -> bool:
        """Only a scenario that names a map shows one (another scenario's places differ)."""
        places = self.app.scenario.presentation.map
        return places is not None and self.app.picture(places.image) is not None

    # --- shared helpers -----------------------------------------------------------------------

    def place_buttons(self) -> None:
        for button in self.buttons:
            button.place(self.app)
        self.ring.settle()

    def draw_buttons(self, surface: pygame.Surface) -> None:
        for i, button in enumerate(self.buttons):
            button.draw(surface, self.app, focused=self.ring.lit(i, self.app.show_focus))

    def focus_on(self, button: Button) -> None:
        """Give `button` the keyboard focus (a scene rebuilt after a key press keeps its place)."""
        self.ring.focus_on(button)

    def handle(self, event: pygame.event.Event) -> None:
        self.handle_buttons(event)

    def handle_buttons(self, event: pygame.event.Event) -> bool:
        """Focus, keys and clicks for the buttons, then Esc; True when the event was used."""
        if self.ring.process_event(event, self.arrows_move_focus):
            return True
        if action_of(event) == "escape":
            self.back()
            return True
        return False

    # --- drawing helpers ----------------------------------------------------------------------

    def paper(self, surface: pygame.Surface, design: tuple[float, float, float, float]) -> pygame.Rect:
        """A sheet of the memo paper, with a soft shadow; returns its pixel rectangle."""
        return draw_paper(self.app, surface, design)

    def note(self, surface: pygame.Surface, text: str, box: tuple[float, float, float, float]) -> None:
        """A message on the desk (a file set aside, a save that failed), wrapped inside `box`
        (design px) and bottom-aligned, so a long one never runs off the screen."""
        font = self.app.fonts.get("sans", 24)
        vp = self.app.viewport
        lines = wrap_words(font, text, vp.px(box[2]))
        height = font.get_linesize()
        fits = max(1, int(vp.px(box[3]) // height))
        if len(lines) > fits:
            lines = [*lines[:fits - 1], lines[fits - 1].rstrip(".") + " …"]
        left, bottom = vp.point(box[0], box[1] + box[3])
        for i, line in enumerate(lines):
            rendered = self.app.render(line, "sans", 24, self.app.theme.on_desk)
            surface.blit(rendered, (left, bottom - (len(lines) - i) * height))

    def text(self, surface: pygame.Surface, text: str, role: str, size: float, colour, pos: tuple[float, float],
             anchor: str = "topleft") -> pygame.Rect:
        rendered = self.app.render(text, role, size, colour)
        rect = rendered.get_rect(**{anchor: self.app.viewport.point(*pos)})
        surface.blit(rendered, rect)
        return rect

    def fitted(self, surface: pygame.Surface, text: str, role: str, size: float, colour, pos: tuple[float, float],
               width: float, anchor: str = "topleft", smallest: float = 24) -> pygame.Rect:
        """One line of the content's text in at most `width` design px: smaller type down to
        `smallest`, then cut with "…" (a scenario's words can be of any length up to their cap)."""
        px = self.app.viewport.px(width)
        while size > smallest and self.app.render(text, role, size, colour).get_width() > px:
            size -= 1
        if self.app.render(text, role, size, colour).get_width() > px:
            font = self.app.fonts.get(role, size)
            text = wrap_words(font, text, max(1, px - font.size(" …")[0]))[0].rstrip(" ,.;:") + " …"
        return self.text(surface, text, role, size, colour, pos, anchor)

    def paragraph(self, surface: pygame.Surface, text: str, role: str, size: float, colour, pos: tuple[float, float],
                  width: float, bottom: float, step: float = 0, centred: bool = False) -> int:
        """The content's text wrapped to `width` design px, a line every `step` design px (at least
        the font's own line height), cut with "…" where it would pass `bottom`; the lines drawn."""
        vp = self.app.viewport
        font = self.app.fonts.get(role, size)
        step = max(step, font.get_linesize() / vp.scale)
        lines = wrap_words(font, text, vp.px(width))
        fits = max(1, int((bottom - pos[1]) // step))
        if len(lines) > fits:
            lines = [*lines[:fits - 1], lines[fits - 1].rstrip(" ,.;:") + " …"]
        x, y = pos
        for i, line in enumerate(lines):
            self.text(surface, line, role, size, colour, (x, y + i * step), "midtop" if centred else "topleft")
        return len(lines)
