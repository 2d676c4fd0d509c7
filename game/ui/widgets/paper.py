"""A sheet of the memo paper with its soft shadow: every panel of the game lies on one."""

from __future__ import annotations

import pygame


def draw_paper(ui, surface: pygame.Surface, design: tuple[float, float, float, float]) -> pygame.Rect:
    """The sheet at `design` (design px) with its shadow; returns its pixel rectangle.

    The shadow is painted only where it shows (a strip right of the sheet and one below it): the
    sheet covers the rest, and filling the whole shadow first cost as much as the sheet again at 4K.
    """
    vp = ui.viewport
    rect = vp.rect(*design)
    shadow = rect.move(vp.px(6), vp.px(8))
    clip = surface.get_clip()
    for strip in (pygame.Rect(rect.right, shadow.top, shadow.right - rect.right, shadow.height),
                  pygame.Rect(shadow.left, rect.bottom, shadow.width, shadow.bottom - rect.bottom)):
        surface.set_clip(strip.clip(clip))
        pygame.draw.rect(surface, (0, 0, 0), shadow, border_radius=vp.px(4))
    surface.set_clip(clip)
    texture = ui.texture("paper.png", rect.size)
    if texture is not None:
        surface.blit(texture, rect)
    else:
        pygame.draw.rect(surface, ui.theme.paper, rect)
    pygame.draw.rect(surface, ui.theme.paper_edge, rect, width=max(1, vp.px(2)))
    return rect
