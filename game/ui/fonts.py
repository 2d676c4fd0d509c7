"""Fonts by role and design size, created once per pixel size and reused."""

from __future__ import annotations

import pygame

from ..paths import game_files
from .theme import FONT_FILES

FONT_DIR = game_files() / "art" / "fonts"


class FontBook:
    def __init__(self, scale: float = 1.0, text_scale: float = 1.0):
        self.scale = scale
        self.text_scale = text_scale
        self._cache: dict[tuple[str, int], pygame.font.Font] = {}

    def rescale(self, scale: float, text_scale: float) -> None:
        self.scale, self.text_scale = scale, text_scale

    def pixel_size(self, design_size: float, scaled_text: bool = True) -> int:
        return max(8, round(design_size * self.scale * (self.text_scale if scaled_text else 1.0)))

    def get(self, role: str, design_size: float, scaled_text: bool = True) -> pygame.font.Font:
        size = self.pixel_size(design_size, scaled_text)
        key = (role, size)
        font = self._cache.get(key)
        if font is None:
            path = FONT_DIR / FONT_FILES[role]
            font = pygame.font.Font(str(path) if path.is_file() else None, size)
            self._cache[key] = font
        return font
