"""The pause menu during the talks."""

from __future__ import annotations

from ..widgets.button import Button
from .base import Scene


class MenuScene(Scene):
    name = "menu"

    def __init__(self, app, session):
        super().__init__(app)
        self.session = session

    def layout(self) -> None:
        entries = [("Back to the table", self.app.pop), ("Settings", self.settings),
                   ("Read the source", self.source), ("Glossary", self.glossary),
                   ("Start again" if self.app.kiosk is not None else "Leave to the title screen (the game is saved)",
                    self.title)]
        self.buttons = [Button((560, 250 + i * 104, 800, 88), label, action, font_size=30) for i, (label, action) in enumerate(entries)]
        self.place_buttons()

    def settings(self) -> None:
        from .settings_scene import SettingsScene

        self.app.push(SettingsScene(self.app))

    def source(self) -> None:
        from .source_reader import SourceScene

        self.app.push(SourceScene(self.app))

    def glossary(self) -> None:
        from .glossary import GlossaryScene

        self.app.push(GlossaryScene(self.app))

    def title(self) -> None:
        if self.app.kiosk is not None:
            self.app.kiosk.reset(self.app)
            return
        from .title import TitleScene

        self.session.save()
        if self.app.recorder is not None and not self.session.replay:
            self.app.recorder.abandoned(self.session.runner)
        self.app.reset_to(TitleScene(self.app))

    def draw(self, surface) -> None:
        self.paper(surface, (500, 140, 920, 800))
        self.text(surface, "PAUSED", "mono_bold", 40, self.app.theme.accent, (960, 176), "midtop")
        self.draw_buttons(surface)
