"""Two players at one device: pass it over before the other side's choice."""

from __future__ import annotations

from ..widgets.button import Button
from ..wording import handover_body, handover_title
from .base import Scene


class HandoverScene(Scene):
    name = "handover"

    def __init__(self, app, session):
        super().__init__(app)
        self.session = session

    def layout(self) -> None:
        self.buttons = [Button((660, 640, 600, 100), "I am ready  →", self.ready, font_size=34, id="ready")]
        self.primary = self.buttons[0]
        self.place_buttons()

    def ready(self) -> None:
        self.session.take_turn()
        self.app.pop()

    def back(self) -> None:
        pass

    def draw(self, surface) -> None:
        ui = self.app
        theme = ui.theme
        choice = self.session.shown.choice
        who = ui.scenario.roles[choice.by].title if choice else ""
        self.paper(surface, (460, 280, 1000, 520))
        self.text(surface, handover_title(ui.touch), "mono_bold", 40, theme.accent, (960, 350), "midtop")
        self.text(surface, f"Next choice: {who}", "serif_bold", 44, theme.ink, (960, 440), "midtop")
        self.text(surface, handover_body(ui.touch), "serif", 32, theme.ink, (960, 530), "midtop")
        self.draw_buttons(surface)
