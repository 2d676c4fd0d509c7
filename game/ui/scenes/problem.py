"""Sheets shown after something went wrong: "One moment…" in a kiosk, an explanation in a window."""

from __future__ import annotations

from ..text import TextBlock
from ..widgets.button import Button
from .base import Scene

ONE_MOMENT = 2.0   # seconds the kiosk shows its sheet before the attract loop comes back


class OneMomentScene(Scene):
    name = "one-moment"

    def __init__(self, app, kiosk):
        super().__init__(app)
        self.kiosk = kiosk
        self.until = kiosk.clock() + ONE_MOMENT

    def tick(self, now: float) -> bool:
        if now >= self.until:
            self.kiosk.reset(self.app)
            return True
        return False

    def back(self) -> None:
        pass

    def draw(self, surface) -> None:
        theme = self.app.theme
        self.paper(surface, (460, 300, 1000, 420))
        self.text(surface, "ONE MOMENT…", "mono_bold", 56, theme.accent, (960, 380), "midtop")
        self.text(surface, "The talks start again in a moment.", "serif", 36, theme.ink, (960, 500), "midtop")


class ProblemScene(Scene):
    name = "problem"

    def __init__(self, app, exc: BaseException):
        super().__init__(app)
        self.detail = f"{type(exc).__name__}: {exc}"[:300]

    def layout(self) -> None:
        self.buttons = [Button((560, 760, 380, 96), "Back to the title", lambda: self.app.go("title"), font_size=30, id="title"),
                        Button((980, 760, 380, 96), "Quit", self.app.quit, font_size=30, id="quit")]
        self.primary = self.buttons[0]
        self.place_buttons()
        self.block = TextBlock(
            "Something went wrong, and this screen could not go on. Your game was saved at your last choice: "
            "“Continue” on the title goes on from there. What happened is written in the game's log file "
            "(moscow-1956.log in the game's data folder). Details: " + self.detail,
            self.app.fonts.get("serif", 30), self.app.theme.ink, self.app.viewport.px(1040))

    def back(self) -> None:
        pass

    def draw(self, surface) -> None:
        theme = self.app.theme
        self.paper(surface, (380, 180, 1160, 720))
        self.text(surface, "SOMETHING WENT WRONG", "mono_bold", 44, theme.accent, (960, 230), "midtop")
        self.block.draw(surface, *self.app.viewport.point(440, 320))
        self.draw_buttons(surface)
