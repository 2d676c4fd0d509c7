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
        entries = [("Back to the table", self.app.pop), ("Settings", self.settings),
                   ("Read the source", self.source), ("Glossary", self.glossary)]
        if self.app.kiosk is not None:
            return [*entries, ("Start again", self.title)]
        saved = " (the game is saved)" if self.session.log is not None else ""
        return [*entries, (f"Leave to the title screen{saved}", self.title), (f"Quit the game{saved}", self.app.quit)]

    def layout(self) -> None:
        entries = self.entries()
        step = min(104, 700 / len(entries))
        self.buttons = [Button((560, 250 + i * step, 800, step - 16), label, action, font_size=30)
                        for i, (label, action) in enumerate(entries)]
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

        self.app.end_session()
        self.app.reset_to(TitleScene(self.app))

    def draw(self, surface) -> None:
        self.paper(surface, (500, 140, 920, 800))
        self.text(surface, "PAUSED", "mono_bold", 40, self.app.theme.accent, (960, 176), "midtop")
        self.draw_buttons(surface)
