"""The title: choose a chair, replay the record, read the source, settings, continue."""

from __future__ import annotations

import time
from pathlib import Path

from ...engine.roles import BOTH
from ...paths import game_files
from ...session.log import SavedGame
from ...session.play import PlaySession, load_saved
from ..app import autosave_path
from ..widgets.button import Button
from ..wording import lower_article
from .base import Scene

SHEET_W = 860     # design px of text across the title sheet
BLURB_W = 580     # the blurb's measure: it sits above the emblem, in lines of a hand-set width
CREDIT_W = 540    # the credit's, beside the emblem


def saved_when(moment: float, now: float | None = None) -> str:
    """'today 14:05', 'yesterday 09:10' or '3 March 14:05': enough to tell whose game it is."""
    now = time.time() if now is None else now
    then, today = time.localtime(moment), time.localtime(now)
    clock = time.strftime("%H:%M", then)
    days = (time.mktime(today[:3] + (0, 0, 0, 0, 0, -1)) - time.mktime(then[:3] + (0, 0, 0, 0, 0, -1))) / 86400
    if round(days) == 0:
        return f"today {clock}"
    if round(days) == 1:
        return f"yesterday {clock}"
    return f"{then.tm_mday} {time.strftime('%B', then)} {clock}"


class TitleScene(Scene):
    name = "title"

    def __init__(self, app, message: str = ""):
        super().__init__(app)
        self.message = message
        self.saved: SavedGame | None = None

    def enter(self) -> None:
        self.saved, problem = load_saved(autosave_path())
        self.message = self.message or problem
        super().enter()

    def continue_label(self) -> str:
        """Whose game it is: role, length and when it was saved (lab PCs are shared)."""
        head = self.saved.header if self.saved else None
        if head is None:
            return ""
        scenario = self.app.scenario
        who = ("two players" if head.role == BOTH else
               lower_article(scenario.roles[head.role].title) if head.role in scenario.roles else head.role)
        length = scenario.paths[head.path].title if head.path in scenario.paths else head.path
        return f"Continue: {who} · {length} · saved {saved_when(self.saved.saved_at)}"

    def layout(self) -> None:
        scenario = self.app.scenario
        entries = []
        if self.saved is not None:
            entries.append((self.continue_label(), self.resume))
        entries += [(f"Play as {lower_article(scenario.roles[r].title)}", lambda r=r: self.start(r)) for r in scenario.roles]
        entries += [
            ("Two players: both sides", lambda: self.start(BOTH)),
            ("Replay the record as it happened", self.replay),
        ]
        rows = [*entries, ("", None)]   # the row of length choices
        rows += [("Read the source", self.open_source), ("Glossary", self.open_glossary)]
        if self.kit_folder() is not None:
            rows.append(("For teachers", self.teachers))
        rows += [("Settings", self.open_settings), ("Quit", self.app.quit)]
        self.buttons = []
        step = min(88, 860 / len(rows))
        for i, (label, action) in enumerate(rows):
            y = 120 + i * step
            if action is None:
                self._length_row(y, step - 12)
                continue
            self.buttons.append(Button((1110, y, 720, step - 12), label, action, font_size=29))
        self.place_buttons()

    def _length_row(self, y: float, height: float) -> None:
        """The length as a choice of two (or more), the chosen one marked, not a label that flips."""
        paths = list(self.app.scenario.paths)
        width = (720 - 12 * (len(paths) - 1)) / len(paths)
        for i, path_id in enumerate(paths):
            title = self.app.scenario.paths[path_id].title
            chosen = path_id == self.path
            self.buttons.append(Button((1110 + i * (width + 12), y, width, height), f"{'●' if chosen else '○'} {title}",
                                       lambda p=path_id: self.choose_path(p), font_size=26, selected=chosen))

    @property
    def path(self) -> str:
        """The length chosen on the title; kept by the app so it survives the title being rebuilt."""
        return self.app.path_choice if self.app.path_choice in self.app.scenario.paths else "full"

    def choose_path(self, path: str) -> None:
        self.app.path_choice = path
        focus = self.focus
        self.layout()
        self.focus = focus

    def _new_session(self, role: str, replay: bool = False) -> PlaySession:
        return self.app.new_session(role, self.path, replay)

    def start(self, role: str) -> None:
        self.app.go("role", session=self._new_session(role))

    def replay(self) -> None:
        self.app.go("role", session=self._new_session(BOTH, replay=True))

    def resume(self) -> None:
        from ...session.log import ChoiceLog, LogError

        saved, problem = load_saved(autosave_path())
        if saved is None:
            self.saved, self.message = None, problem or "The saved game is no longer there."
            self.layout()
            return
        try:
            session = PlaySession.resume(self.app.scenario, saved, ChoiceLog(autosave_path()), self.app.results)
        except LogError as exc:
            self.saved, self.message = None, f"The saved game cannot be continued: {exc}."
            self.layout()
            return
        session.begin(fresh_log=False)
        self.app.go("dialogue", session=session)

    def content_root(self) -> Path:
        scenario = self.app.scenario
        return Path(scenario.folder).parents[1] if scenario.folder else game_files()

    def kit_folder(self) -> Path | None:
        from ...results.teachers import kit_folder

        return kit_folder(self.content_root()) if self.app.flow.saves else None

    def teachers(self) -> None:
        """The teacher's kit as one printable page, saved beside the player's minutes and opened."""
        from ...results.teachers import map_data_url, read_kit, teachers_html
        from ..files_out import minutes_folder, open_file

        scenario = self.app.scenario
        kit = read_kit(self.content_root(), scenario.presentation.map, map_data_url(scenario))
        if kit is None:
            self.message = "This game has no teacher's kit."
            return
        path = minutes_folder() / "For teachers.html"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(teachers_html(kit, self.app.scenario.title), encoding="utf-8")
        except OSError as exc:
            self.message = f"The teacher's kit could not be saved ({exc.strerror or exc})."
            return
        problem = open_file(path)
        self.message = f"The teacher's kit is saved as {path}. {problem or 'It opens in your browser: print it from there.'}"

    def back(self) -> None:
        pass  # the title is the bottom of the stack: Esc does nothing here

    def draw(self, surface) -> None:
        """The title sheet: the scenario's own words (its `presentation`), or without them its
        title, subtitle, place and date only."""
        ui = self.app
        theme = ui.theme
        scenario = ui.scenario
        shown = scenario.presentation
        rect = self.paper(surface, (90, 90, 960, 900))
        if shown.memo:
            self.fitted(surface, shown.memo, "mono", 24, theme.ink_soft, (140, 130), SHEET_W)
        self.fitted(surface, scenario.title.upper(), "mono_bold", 84, theme.accent, (140, 190), SHEET_W, smallest=48)
        if shown.short_subtitle:
            self.fitted(surface, shown.short_subtitle, "serif_italic", 38, theme.ink, (140, 300), SHEET_W)
        self.fitted(surface, scenario.place, "serif", 32, theme.ink, (140, 370), SHEET_W)
        date = f"{scenario.date} · {shown.record_date}" if shown.record_date else scenario.date
        self.fitted(surface, date, "serif", 32, theme.ink, (140, 414), SHEET_W)
        if shown.blurb:
            self.paragraph(surface, shown.blurb, "serif", 30, theme.ink, (140, 490), BLURB_W, 850, step=42)
        emblem = ui.texture(shown.emblem, (ui.viewport.px(330), ui.viewport.px(330)))
        if emblem is not None:
            surface.blit(emblem, (rect.right - emblem.get_width() - ui.viewport.px(40), rect.bottom - emblem.get_height() - ui.viewport.px(40)))
        if shown.credit:
            self.paragraph(surface, shown.credit, "sans", 24, theme.ink_soft, (140, 862), CREDIT_W, 966, step=34)
        if self.message:
            self.note(surface, self.message, (90, 996, 1740, 80))
        self.draw_buttons(surface)
