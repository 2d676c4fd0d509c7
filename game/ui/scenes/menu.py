"""The pause menu during the talks."""

from __future__ import annotations

from ..widgets.button import Button
from .base import Scene


class MenuScene(Scene):
    name = "menu"

    def __init__(self, app, session):
        super().__init__(app)
        self.session = session

    def entries(self) -> list[tuple[str, object]]:
        entries = [("Back to the table", self.app.pop), ("Settings", self.open_settings),
                   ("Read the source", self.open_source), ("Glossary", self.open_glossary)]
        return [*entries, *self.app.flow.menu_exits(self.app, self.session)]

    def layout(self) -> None:
        entries = self.entries()
        step = min(104, 700 / len(entries))
        self.buttons = [Button((560, 250 + i * step, 800, step - 16), label, action, font_size=30)
                        for i, (label, action) in enumerate(entries)]
        self.place_buttons()

    def draw(self, surface) -> None:
        self.paper(surface, (500, 140, 920, 800))
        self.text(surface, "PAUSED", "mono_bold", 40, self.app.theme.accent, (960, 176), "midtop")
        self.draw_buttons(surface)
