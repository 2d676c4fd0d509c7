"""Who was in the room: a table with the two delegations, the speaker's seat highlighted.

The record lists who attended but not where anyone sat, so the plan says that its seating is
illustrative. Seats are drawn once per size and theme; a highlight costs one extra blit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

# Rows from the far side of the table to the near side: (side, [(speaker id, name as on the card)]).
ROWS = [
    ("soviet", [("semenov", "Semenov"), ("ilyichev", "Ilyichev"), ("lavrentyev", "Lavrentyev"), ("pavlov", "Pavlov")]),
    ("soviet", [("bulganin", "Bulganin"), ("voroshilov", "Voroshilov"), ("khrushchev", "Khrushchev"), ("mikoyan", "Mikoyan")]),
    ("table", []),
    ("shah", [("kashani", "Kashani"), ("saed", "Saed"), ("shah", "The Shah"), ("yazdan_panah", "Yazdan Panah"),
              ("ansari", "Ansari")]),
]
LEADERS = {"voroshilov", "khrushchev", "bulganin", "mikoyan", "shah"}
NAMES = {key: name for _side, seats in ROWS for key, name in seats}
CAPTION = "Seating illustrative: the record lists who attended, not where they sat."
LABEL_W = 250   # design px kept on the left for the delegation labels and flags
FONT = 24


@dataclass
class SeatingPlan:
    design: tuple[float, float, float, float]
    rect: pygame.Rect = field(default_factory=lambda: pygame.Rect(0, 0, 0, 0))
    seats: dict[str, pygame.Rect] = field(default_factory=dict)
    _base: pygame.Surface | None = None

    def place(self, ui) -> None:
        self.rect = ui.viewport.rect(*self.design)
        self.seats.clear()
        self._base = self._draw_base(ui)

    def _layout(self, ui) -> list[pygame.Rect]:
        vp = ui.viewport
        w = self.rect.width
        left = vp.px(LABEL_W)
        row_h, gap = vp.px(58), vp.px(8)
        rows = []
        y = 0
        for side, seats in ROWS:
            height = vp.px(48) if side == "table" else row_h
            rows.append(pygame.Rect(left, y, w - left, height))
            if seats:
                seat_w = (w - left - gap * (len(seats) - 1)) // len(seats)
                for i, (key, _name) in enumerate(seats):
                    self.seats[key] = pygame.Rect(left + i * (seat_w + gap), y, seat_w, height)
            y += height + gap
        return rows

    def _draw_base(self, ui) -> pygame.Surface:
        theme = ui.theme
        vp = ui.viewport
        surf = pygame.Surface(self.rect.size, pygame.SRCALPHA)
        rows = self._layout(ui)
        table = rows[2]
        pygame.draw.rect(surf, (92, 62, 38) if theme.use_textures else theme.ink_soft, table, border_radius=vp.px(8))
        for label, flag, row, size in (("Soviet side", "flag_ussr.png", rows[0], (60, 30)),
                                       ("Iranian side", "flag_iran_1956.png", rows[3], (53, 30))):
            text = ui.render(label, "mono_bold", FONT, theme.on_desk, scaled=False)
            surf.blit(text, (0, row.top))
            image = ui.texture(flag, (vp.px(size[0]), vp.px(size[1])))
            if image is not None:
                surf.blit(image, (0, row.top + text.get_height() + vp.px(4)))
        for key in self.seats:
            self._seat(surf, ui, key, self.seats[key], theme.paper, theme.ink)
        caption = ui.render(CAPTION, "sans", FONT, theme.on_desk, scaled=False)
        surf.blit(caption, (0, self.rect.height - caption.get_height()))
        return surf

    def _seat(self, target: pygame.Surface, ui, key: str, rect: pygame.Rect, bg, fg) -> None:
        pygame.draw.rect(target, bg, rect, border_radius=ui.viewport.px(6))
        role = "sans_bold" if key in LEADERS else "sans"
        size = FONT
        text = ui.render(NAMES[key], role, size, fg, scaled=False)
        while text.get_width() > rect.width - ui.viewport.px(6) and size > 16:
            size -= 1
            text = ui.render(NAMES[key], role, size, fg, scaled=False)
        target.blit(text, text.get_rect(center=rect.center))

    def draw(self, target: pygame.Surface, ui, speaker: str | None) -> None:
        if self._base is None:
            return
        target.blit(self._base, self.rect)
        seat = self.seats.get(speaker or "")
        if seat is not None:
            box = seat.move(self.rect.topleft).inflate(ui.viewport.px(8), ui.viewport.px(8))
            self._seat(target, ui, speaker, box, ui.theme.highlight, ui.theme.highlight_text)
