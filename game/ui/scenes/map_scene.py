"""The map of the places the talks name (for the shipped scenario: Iran and its neighbours, the
Zagros and Alborz, Tabriz, Baku…), from the glossary and the source reader: an argument about
mountains and borders cannot be followed without it. The picture and its words are the
scenario's own (its presentation's `map`), drawn to fit; a scenario without one has no Map button."""

from __future__ import annotations

import pygame

from ..widgets.button import Button
from ..wording import back_label
from .base import Scene


class MapScene(Scene):
    name = "map"

    def layout(self) -> None:
        self.buttons = [Button((90, 960, 330, 84), back_label(self.app.touch), self.back, font_size=28, id="back")]
        self.place_buttons()

    def back(self) -> None:
        self.app.pop()

    def draw(self, surface: pygame.Surface) -> None:
        ui = self.app
        places = ui.scenario.presentation.map
        sheet = self.paper(surface, (90, 40, 1740, 890))
        if places is not None:   # the picture carries its own heading and legend
            room = sheet.inflate(-ui.viewport.px(40), -ui.viewport.px(40))
            image = places.image
            scale = min(room.width / image.width, room.height / image.height)
            size = (round(image.width * scale), round(image.height * scale))
            scaled = ui.texture(image, size)     # scaled once a size, as every picture of the window
            if scaled is not None:
                surface.blit(scaled, scaled.get_rect(center=room.center))
        self.draw_buttons(surface)
