"""The logical canvas: every scene lays out in a 1920×1080 design space, scaled to the window.

Text is rendered at the window's real pixel size (not scaled afterwards), so it stays sharp from
1280×720 to 3840×2160; the design space is letterboxed when the window has another shape.
"""

from __future__ import annotations

import pygame

DESIGN_W, DESIGN_H = 1920, 1080


class Viewport:
    """Window size → scale and letterbox offset (a plain class: it is used before the first frame)."""

    def __init__(self, width: int, height: int):
        self.width = width
        self.height = height

    @property
    def scale(self) -> float:
        return min(self.width / DESIGN_W, self.height / DESIGN_H)

    @property
    def offset(self) -> tuple[int, int]:
        s = self.scale
        return round((self.width - DESIGN_W * s) / 2), round((self.height - DESIGN_H * s) / 2)

    def px(self, v: float) -> int:
        return max(1, round(v * self.scale)) if v > 0 else round(v * self.scale)

    def point(self, x: float, y: float) -> tuple[int, int]:
        ox, oy = self.offset
        return ox + round(x * self.scale), oy + round(y * self.scale)

    def rect(self, x: float, y: float, w: float, h: float) -> pygame.Rect:
        ox, oy = self.offset
        s = self.scale
        left, top = ox + round(x * s), oy + round(y * s)
        return pygame.Rect(left, top, round((x + w) * s) + ox - left, round((y + h) * s) + oy - top)

    @property
    def canvas(self) -> pygame.Rect:
        return self.rect(0, 0, DESIGN_W, DESIGN_H)
