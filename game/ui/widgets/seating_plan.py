"""Who was in the room: a table with the two delegations, the speaker's seat highlighted.

The record lists who attended but not where anyone sat, so the plan says that its seating is
illustrative. Seats are drawn once per size and theme; a highlight costs one extra blit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

SOVIET_SEATS = [
    ("semenov", "Semenov"), ("ilyichev", "Ilyichev"), ("bulganin", "Bulganin"), ("voroshilov", "Voroshilov"),
    ("khrushchev", "Khrushchev"), ("mikoyan", "Mikoyan"), ("lavrentyev", "Lavrentyev"), ("pavlov", "Pavlov"),
]
IRANIAN_SEATS = [
    ("kashani", "Kashani"), ("saed", "Saed"), ("shah", "The Shah"), ("yazdan_panah", "Yazdan Panah"), ("ansari", "Ansari"),
]
CAPTION = "Seating illustrative: the record lists who attended, not where they sat."


@dataclass
class SeatingPlan:
    design: tuple[float, float, float, float]
    rect: pygame.Rect = field(default_factory=lambda: pygame.Rect(0, 0, 0, 0))
    seats: dict[str, pygame.Rect] = field(default_factory=dict)
    _base: pygame.Surface | None = None
    _labels: dict[str, pygame.Surface] = field(default_factory=dict)

    def place(self, ui) -> None:
        self.rect = ui.viewport.rect(*self.design)
        self.seats.clear()
        self._labels.clear()
        self._base = self._draw_base(ui)

    def _seat_rects(self, ui) -> None:
        w, h = self.rect.size
        table = pygame.Rect(round(w * 0.06), round(h * 0.36), round(w * 0.88), round(h * 0.22))
        seat_h = round(h * 0.22)
        for row, top in ((SOVIET_SEATS, table.top - seat_h - ui.viewport.px(6)), (IRANIAN_SEATS, table.bottom + ui.viewport.px(6))):
            gap = ui.viewport.px(6)
            seat_w = (table.width - gap * (len(SOVIET_SEATS) - 1)) // len(SOVIET_SEATS)
            total = seat_w * len(row) + gap * (len(row) - 1)
            left = table.left + (table.width - total) // 2
            for i, (key, _name) in enumerate(row):
                self.seats[key] = pygame.Rect(left + i * (seat_w + gap), top, seat_w, seat_h)
        self.table = table

    def _draw_base(self, ui) -> pygame.Surface:
        theme = ui.theme
        surf = pygame.Surface(self.rect.size, pygame.SRCALPHA)
        self._seat_rects(ui)
        pygame.draw.rect(surf, (92, 62, 38) if theme.use_textures else theme.ink_soft, self.table,
                         border_radius=ui.viewport.px(8))
        label = ui.render("Soviet delegation", "mono", 20, theme.on_desk)
        surf.blit(label, (self.table.left, ui.viewport.px(2)))
        flag = ui.texture("flag_ussr.png", (ui.viewport.px(48), ui.viewport.px(24)))
        if flag is not None:
            surf.blit(flag, (self.table.left + label.get_width() + ui.viewport.px(12), ui.viewport.px(2)))
        label2 = ui.render("Iranian delegation", "mono", 20, theme.on_desk)
        y2 = self.rect.height - label2.get_height() - ui.viewport.px(30)
        surf.blit(label2, (self.table.left, y2))
        flag2 = ui.texture("flag_iran_1956.png", (ui.viewport.px(42), ui.viewport.px(24)))
        if flag2 is not None:
            surf.blit(flag2, (self.table.left + label2.get_width() + ui.viewport.px(12), y2))
        caption = ui.render(CAPTION, "sans", 18, theme.on_desk)
        surf.blit(caption, (self.table.left, self.rect.height - caption.get_height()))
        for key, name in SOVIET_SEATS + IRANIAN_SEATS:
            seat = self.seats[key]
            pygame.draw.rect(surf, theme.paper, seat, border_radius=ui.viewport.px(5))
            text = ui.render(name, "sans_bold" if key in {"voroshilov", "khrushchev", "bulganin", "mikoyan", "shah"} else "sans",
                             20, theme.ink)
            if text.get_width() > seat.width - 4:
                text = pygame.transform.smoothscale(text, (seat.width - 4, text.get_height()))
            surf.blit(text, text.get_rect(center=seat.center))
        return surf

    def draw(self, target: pygame.Surface, ui, speaker: str | None) -> None:
        if self._base is None:
            return
        target.blit(self._base, self.rect)
        seat = self.seats.get(speaker or "")
        if seat is None:
            return
        theme = ui.theme
        box = seat.move(self.rect.topleft).inflate(ui.viewport.px(6), ui.viewport.px(6))
        pygame.draw.rect(target, theme.highlight, box, border_radius=ui.viewport.px(6))
        name = dict(SOVIET_SEATS + IRANIAN_SEATS)[speaker]
        text = ui.render(name, "sans_bold", 20, theme.highlight_text)
        if text.get_width() > box.width - 4:
            text = pygame.transform.smoothscale(text, (box.width - 4, text.get_height()))
        target.blit(text, text.get_rect(center=box.center))
