"""The title: choose a chair, replay the record, read the source, settings, continue."""

from __future__ import annotations

from ..session import Session, autosave_path, continue_session
from ..widgets.button import Button
from .base import Scene


def _lower_article(title: str) -> str:
    return "the " + title[4:] if title.startswith("The ") else title


class TitleScene(Scene):
    name = "title"

    def __init__(self, app, message: str = ""):
        super().__init__(app)
        self.message = message

    def layout(self) -> None:
        scenario = self.app.scenario
        entries = []
        if autosave_path().is_file():
            entries.append(("Continue the saved game", self.resume))
        entries += [(f"Play as {_lower_article(scenario.roles[r].title)}", lambda r=r: self.start(r)) for r in scenario.roles]
        entries += [
            ("Two players: both sides", lambda: self.start("both")),
            ("Replay the record as it happened", self.replay),
            (f"Length: {scenario.paths[self.path].title}", self.toggle_path),
            ("Read the source", self.source),
            ("Glossary", self.glossary),
            ("Settings", self.settings),
            ("Quit", self.app.quit),
        ]
        self.buttons = [Button((1110, 120 + i * 88, 720, 76), label, action, font_size=29)
                        for i, (label, action) in enumerate(entries)]
        self.place_buttons()

    @property
    def path(self) -> str:
        """The length chosen on the title; kept by the app so it survives the title being rebuilt."""
        return getattr(self.app, "path_choice", "full")

    def toggle_path(self) -> None:
        paths = list(self.app.scenario.paths)
        self.app.path_choice = paths[(paths.index(self.path) + 1) % len(paths)]
        focus = self.focus
        self.layout()
        self.focus = focus

    def _new_session(self, role: str, replay: bool = False) -> Session:
        return Session(self.app.scenario, role, self.path, autosave=None if replay else autosave_path(),
                       lock_choices=self.app.settings.lock_choices, replay=replay)

    def start(self, role: str) -> None:
        from .role_intro import RoleIntroScene

        self.app.push(RoleIntroScene(self.app, self._new_session(role)))

    def replay(self) -> None:
        from .role_intro import RoleIntroScene

        self.app.push(RoleIntroScene(self.app, self._new_session("both", replay=True)))

    def resume(self) -> None:
        from .dialogue import DialogueScene

        session, message = continue_session(self.app.scenario, autosave_path(), self.app.settings.lock_choices)
        if session is None:
            self.message = message
            self.layout()
            return
        self.app.push(DialogueScene(self.app, session))

    def source(self) -> None:
        from .source_reader import SourceScene

        self.app.push(SourceScene(self.app))

    def glossary(self) -> None:
        from .glossary import GlossaryScene

        self.app.push(GlossaryScene(self.app))

    def settings(self) -> None:
        from .settings_scene import SettingsScene

        self.app.push(SettingsScene(self.app))

    def back(self) -> None:
        pass  # the title is the bottom of the stack: Esc does nothing here

    def draw(self, surface) -> None:
        ui = self.app
        theme = ui.theme
        scenario = ui.scenario
        rect = self.paper(surface, (90, 90, 960, 900))
        self.text(surface, "No. 831 · 11 copies", "mono", 24, theme.ink_soft, (140, 130))
        self.text(surface, scenario.title.upper(), "mono_bold", 84, theme.accent, (140, 190))
        self.text(surface, "A role-play from the record", "serif_italic", 38, theme.ink, (140, 300))
        self.text(surface, f"{scenario.place}", "serif", 32, theme.ink, (140, 370))
        self.text(surface, f"{scenario.date} · record signed 30.VI.", "serif", 32, theme.ink, (140, 414))
        lines = ["The Shah of Iran at the table with Khrushchev,", "Bulganin, Voroshilov and Mikoyan. Every line",
                 "shows its source; every choice is set beside", "what was really said."]
        for i, line in enumerate(lines):
            self.text(surface, line, "serif", 30, theme.ink, (140, 490 + i * 42))
        emblem = ui.texture("title_emblem.png", (ui.viewport.px(330), ui.viewport.px(330)))
        if emblem is not None:
            surface.blit(emblem, (rect.right - emblem.get_width() - ui.viewport.px(40), rect.bottom - emblem.get_height() - ui.viewport.px(40)))
        self.text(surface, "Source: Soviet record, trans. S. Dunn and", "sans", 24, theme.ink_soft, (140, 862))
        self.text(surface, "S. Savranskaya, National Security Archive", "sans", 24, theme.ink_soft, (140, 896))
        if self.message:
            self.text(surface, self.message, "sans", 24, theme.on_desk, (1110, 1060), "bottomleft")
        self.draw_buttons(surface)
