"""Visitors vs the record: at each moment, how many players chose what the record shows.

Shown from the attract loop and the debrief. The counts come from the results database; without
one (or before anyone has played) the screen says so instead of drawing empty bars.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from ...engine.autoplay import RecordPolicy, play_out
from ...engine.runner import BOTH, Runner
from ..widgets.button import Button
from .base import Scene


@dataclass(frozen=True)
class MomentCount:
    choice_id: str
    role: str
    moment: str
    followed: int
    total: int


def moments_in_order(scenario, path: str) -> list:
    """The choice points of a path in the order the record meets them."""
    order: list = []
    play_out(Runner(scenario, BOTH, path), RecordPolicy(), order.append)
    return order


def load_counts(app, path: str) -> tuple[list[MomentCount], str]:
    """Per-moment counts from the results (this kiosk's file, or the museum's PostgreSQL database
    that every kiosk records to), or an explanation why there are none."""
    read = getattr(app.results, "tallies", None)
    if read is None:
        return [], "Results are not being recorded on this computer."
    from ...results.db import ResultsError

    try:
        tallies = {t.choice_id: t for t in read(app.scenario.id, path)}
    except ResultsError as exc:
        if exc.kind != "missing":
            return [], f"The results could not be read ({exc})."
        tallies = {}
    out = []
    for choice in moments_in_order(app.scenario, path):
        tally = tallies.get(choice.id)
        out.append(MomentCount(choice.id, choice.by, choice.moment, tally.followed if tally else 0,
                               tally.faced if tally else 0))
    if not any(m.total for m in out):
        return out, "No one has finished the talks here yet."
    return out, ""


ROWS_PER_PAGE = 10


class VisitorsScene(Scene):
    """One row per moment, ten to a page: the full path has 37 moments and they must stay readable."""

    name = "visitors"

    def __init__(self, app, path: str, counts: list[MomentCount] | None = None, note: str = ""):
        super().__init__(app)
        self.path = path
        if counts is None:
            counts, note = load_counts(app, path)
        self.counts = counts
        self.note = note
        self.page = 0

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.counts) // ROWS_PER_PAGE))

    def title(self) -> str:
        return "HOW VISITORS CHOSE" if self.app.kiosk is not None else "HOW PLAYERS CHOSE"

    def layout(self) -> None:
        self.buttons = []
        if self.pages > 1:
            self.buttons += [Button((140, 990, 300, 76), "← Earlier", lambda: self.turn(-1), font_size=28, id="earlier",
                                    enabled=self.page > 0),
                             Button((460, 990, 300, 76), "Later →", lambda: self.turn(1), font_size=28, id="later",
                                    enabled=self.page + 1 < self.pages)]
        self.buttons.append(Button((1380, 990, 400, 76), "Back", self.app.pop, font_size=30, id="back"))
        self.place_buttons()

    def turn(self, step: int) -> None:
        self.page = max(0, min(self.pages - 1, self.page + step))
        focus = self.focus
        self.layout()
        self.focus = focus

    def draw(self, surface: pygame.Surface) -> None:
        ui = self.app
        theme = ui.theme
        vp = ui.viewport
        self.paper(surface, (90, 30, 1740, 940))
        self.text(surface, self.title(), "mono_bold", 40, theme.accent, (140, 56))
        who = "visitors" if ui.kiosk is not None else "players on this computer"
        self.text(surface, f"At each moment: how many {who} chose what was really said. Not a score: "
                           "the record is one choice among possible ones.", "sans", 24, theme.ink_soft, (140, 110))
        if self.pages > 1:
            self.text(surface, f"page {self.page + 1} of {self.pages}", "sans", 24, theme.ink_soft, (1780, 56),
                      "topright")
        if self.note:
            self.text(surface, self.note, "serif_italic", 30, theme.ink, (140, 160))
        rows = self.counts[self.page * ROWS_PER_PAGE:(self.page + 1) * ROWS_PER_PAGE]
        top = 220
        row_h = 72
        for i, m in enumerate(rows):
            y = top + i * row_h
            number = self.page * ROWS_PER_PAGE + i + 1
            role = ui.scenario.roles[m.role].title if m.role in ui.scenario.roles else m.role
            self.text(surface, f"{number}. {m.moment}", "sans", 24, theme.ink, (140, y))
            self.text(surface, role, "sans", 24, theme.ink_soft, (140, y + 32))
            bar = vp.rect(1200, y + 8, 330, 30)
            pygame.draw.rect(surface, theme.paper_edge, bar, border_radius=vp.px(4))
            if m.total:
                filled = bar.copy()
                filled.width = round(bar.width * m.followed / m.total)
                pygame.draw.rect(surface, theme.accent, filled, border_radius=vp.px(4))
                label = f"{round(100 * m.followed / m.total)}%  ({m.followed} of {m.total})"
            else:
                label = "—"
            self.text(surface, label, "sans_bold", 24, theme.ink, (1550, y + 8))
        self.draw_buttons(surface)
