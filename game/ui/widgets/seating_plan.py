"""Who was in the room: a table with the delegations, the speaker's seat highlighted.

The seats, cards, leaders, side labels, flags and caption are the scenario's own (its
`presentation.seating`, or seats made from its speakers by side). Records rarely say where
anyone sat, so the caption says how illustrative the plan is. The first side sits beyond the
table, the others in front of it. Seats are drawn once per size and theme; a highlight costs one
extra blit (`draw_highlight`, over a layer that holds the plan unlit).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from ...engine.model import Seat, SeatingSide

LABEL_W = 250   # design px kept on the left for the delegation labels and flags
FONT = 24
ROW_H, TABLE_H, GAP = 58, 48, 8   # design px: a row of seats, the table, the space between rows
FLAG_H = 30


@dataclass
class SeatingPlan:
    design: tuple[float, float, float, float]
    rect: pygame.Rect = field(default_factory=lambda: pygame.Rect(0, 0, 0, 0))
    seats: list[tuple[Seat, pygame.Rect]] = field(default_factory=list)
    by_speaker: dict[str, int] = field(default_factory=dict)   # speaker id -> index in `seats`
    _base: pygame.Surface | None = None
    _drawn_for: tuple = ()    # the rectangle and theme `_base` was drawn for

    def place(self, ui) -> None:
        """Lay the plan out for the window; drawn again only when its size or the theme changed
        (the table is laid out again at every line)."""
        self.rect = ui.viewport.rect(*self.design)
        if self._drawn_for != (tuple(self.rect), ui.theme.name):
            self._base = self._draw_base(ui)
            self._drawn_for = (tuple(self.rect), ui.theme.name)

    @staticmethod
    def rows(sides: tuple[SeatingSide, ...]) -> list[tuple[SeatingSide | None, tuple[Seat, ...]]]:
        """Rows from the far side of the table to the near side; (None, ()) is the table itself."""
        out: list[tuple[SeatingSide | None, tuple[Seat, ...]]] = []
        for i, side in enumerate(sides):
            if i == 1:
                out.append((None, ()))
            out += [(side, row) for row in side.rows]
        if len(sides) == 1:
            out.append((None, ()))
        return out

    def _layout(self, ui, caption_h: int) -> list[tuple[SeatingSide | None, pygame.Rect]]:
        """The rectangle of every row (and of each seat in `seats`), shrunk to fit when a scenario
        seats more rows than the plan has room for."""
        vp = ui.viewport
        w = self.rect.width
        left = vp.px(LABEL_W)
        rows = self.rows(ui.scenario.presentation.seating)
        people = sum(1 for side, _ in rows if side is not None)
        room = self.rect.height - caption_h - vp.px(GAP) * len(rows)
        shrink = min(1.0, room / max(1, vp.px(ROW_H) * people + vp.px(TABLE_H)))
        row_h, table_h, gap = int(vp.px(ROW_H) * shrink), int(vp.px(TABLE_H) * shrink), vp.px(GAP)
        self.seats.clear()
        self.by_speaker.clear()
        out = []
        y = 0
        for side, seats in rows:
            height = table_h if side is None else row_h
            out.append((side, pygame.Rect(left, y, w - left, height)))
            if seats:
                seat_w = (w - left - gap * (len(seats) - 1)) // len(seats)
                for i, seat in enumerate(seats):
                    if seat.speaker:
                        self.by_speaker[seat.speaker] = len(self.seats)
                    self.seats.append((seat, pygame.Rect(left + i * (seat_w + gap), y, seat_w, height)))
            y += height + gap
        return out

    def _draw_base(self, ui) -> pygame.Surface:
        theme = ui.theme
        vp = ui.viewport
        presentation = ui.scenario.presentation
        surf = pygame.Surface(self.rect.size, pygame.SRCALPHA)
        caption = ui.render(presentation.seating_caption, "sans", FONT, theme.on_desk, scaled=False) \
            if presentation.seating_caption else None
        rows = self._layout(ui, caption.get_height() if caption is not None else 0)
        labelled: set[str] = set()
        for side, row in rows:
            if side is None:
                pygame.draw.rect(surf, (92, 62, 38) if theme.use_textures else theme.ink_soft, row,
                                 border_radius=vp.px(8))
            elif side.side not in labelled:   # the label and flag at the side's first row
                labelled.add(side.side)
                self._label(surf, ui, side, row.top)
        for seat, rect in self.seats:
            self._seat(surf, ui, seat, rect, theme.paper, theme.ink)
        if caption is not None:
            surf.blit(caption, (0, self.rect.height - caption.get_height()))
        return surf

    def _label(self, surf: pygame.Surface, ui, side: SeatingSide, top: int) -> None:
        vp = ui.viewport
        room = vp.px(LABEL_W - 12)
        text = _fitted(ui, side.label, "mono_bold", ui.theme.on_desk, room)
        surf.blit(text, (0, top))
        if side.flag is not None:
            height = vp.px(FLAG_H)
            width = min(room, round(height * side.flag.width / side.flag.height))
            image = ui.texture(side.flag, (width, height))
            if image is not None:
                surf.blit(image, (0, top + text.get_height() + vp.px(4)))

    def _seat(self, target: pygame.Surface, ui, seat: Seat, rect: pygame.Rect, bg, fg) -> None:
        pygame.draw.rect(target, bg, rect, border_radius=ui.viewport.px(6))
        role = "sans_bold" if seat.leader else "sans"
        text = _fitted(ui, seat.name, role, fg, rect.width - ui.viewport.px(6))
        target.blit(text, text.get_rect(center=rect.center))

    def draw(self, target: pygame.Surface, ui, speaker: str | None) -> None:
        if self._base is None:
            return
        target.blit(self._base, self.rect)
        self.draw_highlight(target, ui, speaker)

    def draw_highlight(self, target: pygame.Surface, ui, speaker: str | None) -> None:
        """The speaker's seat lit, over the plan as `draw` left it."""
        index = self.by_speaker.get(speaker or "")
        if index is not None:
            seat, rect = self.seats[index]
            box = rect.move(self.rect.topleft).inflate(ui.viewport.px(8), ui.viewport.px(8))
            self._seat(target, ui, seat, box, ui.theme.highlight, ui.theme.highlight_text)


def _fitted(ui, text: str, role: str, colour, width: int) -> pygame.Surface:
    """`text` at FONT, or smaller (down to 16) until it fits `width`: cards and labels are the
    content's, of any length."""
    size = FONT
    rendered = ui.render(text, role, size, colour, scaled=False)
    while rendered.get_width() > width and size > 16:
        size -= 1
        rendered = ui.render(text, role, size, colour, scaled=False)
    return rendered
