"""The map of the places the talks name (Iran and its neighbours, the Zagros and Alborz, Tabriz,
Baku…), from the glossary and the source reader: the argument about mountains and borders cannot
be followed without it. The picture is the content's own (art/out/map.png), drawn to fit."""

from __future__ import annotations

from pathlib import Path

import pygame

from ..widgets.button import Button
from ..wording import back_label
from .base import Scene

MAP = "map.png"


def has_map(app) -> bool:
    """Only a content folder that has its own map shows one (another scenario's places differ)."""
    folder = app.scenario.folder
    return bool(folder) and (Path(folder).parents[1] / "art" / "out" / MAP).is_file() and app.image(MAP) is not None


class MapScene(Scene):
    name = "map"

    def layout(self) -> None:
        self.buttons = [Button((90, 960, 330, 84), back_label(self.app.touch), self.back, font_size=28)]
        self.place_buttons()

    def back(self) -> None:
        self.app.pop()

    def draw(self, surface: pygame.Surface) -> None:
        ui = self.app
        sheet = self.paper(surface, (90, 40, 1740, 890))
        image = ui.image(MAP)
        if image is not None:
            room = sheet.inflate(-ui.viewport.px(40), -ui.viewport.px(40))
            scale = min(room.width / image.get_width(), room.height / image.get_height())
            size = (round(image.get_width() * scale), round(image.get_height() * scale))
            scaled = ui.texture(MAP, size)     # scaled once a size, as every picture of the window
            if scaled is not None:
                surface.blit(scaled, scaled.get_rect(center=room.center))
        self.draw_buttons(surface)
