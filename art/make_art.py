"""Draw every picture of "Moscow, 1956" with pygame-ce and write the PNGs into art/out/.

Run from the project root:  python art/make_art.py

The style is archival and sober: a secret Soviet memorandum of June 1956, typed on aged paper
and lying on a dark green-baize desk; rubber stamps in red-violet ("СЕКРЕТНО") and blue
("INVENTED") ink; no portraits (the seating plan types each name on its seat); and the two
flags of the talks, the USSR's red flag and Iran's 1956 lion-and-sun tricolour, drawn flat and simply from polygons.

How it is drawn:
- Everything is made here by code; no image is downloaded. Type is Liberation (art/fonts, OFL).
- Shapes are drawn large and scaled down (`supersample`) so that edges are smooth.
- Ink (stamps, typing) is one colour whose alpha carries the shape, then roughened by an
  alpha mask (`ink_texture`), so stamps look pressed by hand rather than printed.
- Textures are low-amplitude noise made at low resolution and scaled up, which keeps text
  on them readable and the files small.
- Every drawing takes its own random generator seeded from its name, so a run gives the same
  files every time on the same machine.
"""

from __future__ import annotations

import math
import os
import random
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from statistics import NormalDist

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402

ART = Path(__file__).resolve().parent
FONT_DIR = ART / "fonts"
OUT = ART / "out"

Point = tuple[float, float]
Colour = tuple[int, ...]

PAPER = (239, 230, 210)
INK = (30, 26, 22)
INK_SOFT = (78, 68, 58)
DESK = (32, 38, 31)
STAMP_RED = (142, 27, 46)
INVENTED_BLUE = (24, 62, 140)
SOVIET_RED = (204, 0, 0)
SOVIET_GOLD = (255, 215, 0)
IRAN_GREEN = (35, 159, 64)
IRAN_WHITE = (255, 255, 255)
IRAN_RED = (218, 0, 0)
SUN_GOLD = (238, 180, 40)
LION_GOLD = (204, 146, 30)
EMBLEM_LINE = (112, 70, 10)
FOXING = (146, 98, 50)

# --- tools ----------------------------------------------------------------------------------


def rng_for(name: str) -> random.Random:
    """A random generator of its own for each drawing, so outputs do not depend on order."""
    return random.Random(f"moscow-1956:{name}")


_fonts: dict[tuple[str, int], pygame.font.Font] = {}


def font(name: str, size: int) -> pygame.font.Font:
    """A Liberation font from art/fonts: font("MonoBold", 40), font("Serif", 30), font("SansRegular", 20)."""
    key = (name, size)
    if key not in _fonts:
        style = next((st for st in ("Bold", "Italic") if name.endswith(st)), "Regular")
        family = name.removesuffix(style)
        _fonts[key] = pygame.font.Font(str(FONT_DIR / f"Liberation{family}-{style}.ttf"), size)
    return _fonts[key]


def ink_layer(size: tuple[int, int], colour: Colour) -> pygame.Surface:
    """A transparent surface whose hidden colour is the ink, so drawing and scaling keep the hue."""
    surface = pygame.Surface(size, pygame.SRCALPHA)
    surface.fill((*colour[:3], 0))
    return surface


def supersample(size: tuple[int, int], draw: Callable[[pygame.Surface, float], None],
                k: int = 4, fill: Colour = (0, 0, 0, 0)) -> pygame.Surface:
    """Call draw(surface, k) on a k-times larger surface and scale the result down smoothly."""
    big = pygame.Surface((size[0] * k, size[1] * k), pygame.SRCALPHA)
    big.fill(fill)
    draw(big, k)
    return pygame.transform.smoothscale(big, size)


def catmull_rom(points: Sequence[Point], steps: int = 8, closed: bool = True) -> list[Point]:
    """A smooth curve through the given points (for organic shapes like the lion)."""
    pts = list(points)
    n = len(pts)
    out: list[Point] = []
    last = n if closed else n - 1
    for i in range(last):
        p0 = pts[(i - 1) % n] if closed or i > 0 else pts[0]
        p1, p2 = pts[i], pts[(i + 1) % n]
        p3 = pts[(i + 2) % n] if closed or i + 2 < n else pts[-1]
        for s in range(steps):
            t = s / steps
            t2, t3 = t * t, t * t * t
            out.append(tuple(
                0.5 * (2 * p1[j] + (-p0[j] + p2[j]) * t + (2 * p0[j] - 5 * p1[j] + 4 * p2[j] - p3[j]) * t2
                       + (-p0[j] + 3 * p1[j] - 3 * p2[j] + p3[j]) * t3)
                for j in (0, 1)))
    if not closed:
        out.append(pts[-1])
    return out


def star_points(cx: float, cy: float, r: float, inner: float = 0.382) -> list[Point]:
    """A five-pointed star, one point up."""
    pts = []
    for i in range(10):
        a = -math.pi / 2 + i * math.pi / 5
        rr = r if i % 2 == 0 else r * inner
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return pts


def inset_polygon(points: Sequence[Point], d: float) -> list[Point]:
    """Move every edge of a clockwise (screen coordinates) polygon inwards by d."""
    n = len(points)
    lines = []
    for i in range(n):
        (x1, y1), (x2, y2) = points[i], points[(i + 1) % n]
        length = math.hypot(x2 - x1, y2 - y1)
        nx, ny = -(y2 - y1) / length, (x2 - x1) / length   # inward normal for clockwise order on screen
        lines.append(((x1 + nx * d, y1 + ny * d), (x2 - x1, y2 - y1)))
    out = []
    for i in range(n):
        (p, r), (q, s) = lines[i - 1], lines[i]
        cross = r[0] * s[1] - r[1] * s[0]
        t = ((q[0] - p[0]) * s[1] - (q[1] - p[1]) * s[0]) / cross
        out.append((p[0] + t * r[0], p[1] + t * r[1]))
    return out


def thick_line(surface: pygame.Surface, colour: Colour, a: Point, b: Point, width: float) -> None:
    """A straight bar of the given width with square ends, as a polygon."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / length * width / 2, dx / length * width / 2
    pygame.draw.polygon(surface, colour, [(a[0] + nx, a[1] + ny), (b[0] + nx, b[1] + ny),
                                          (b[0] - nx, b[1] - ny), (a[0] - nx, a[1] - ny)])


def stroke(surface: pygame.Surface, colour: Colour, points: Sequence[Point], width: float) -> None:
    """A thick polyline with round joins."""
    for a, b in zip(points, points[1:], strict=False):
        thick_line(surface, colour, a, b, width)
    for p in points:
        pygame.draw.circle(surface, colour, p, width / 2)


def tapered(points: Sequence[Point], start: float, end: float) -> list[Point]:
    """The outline of a stroke along `points` whose width goes from `start` to `end`."""
    left, right = [], []
    n = len(points)
    for i, (x, y) in enumerate(points):
        a, b = points[max(0, i - 1)], points[min(n - 1, i + 1)]
        dx, dy = b[0] - a[0], b[1] - a[1]
        length = math.hypot(dx, dy) or 1.0
        half = (start + (end - start) * i / max(1, n - 1)) / 2
        left.append((x - dy / length * half, y + dx / length * half))
        right.append((x + dy / length * half, y - dx / length * half))
    return left + right[::-1]


def grey_image(raw: bytes, size: tuple[int, int]) -> pygame.Surface:
    """An RGB surface whose grey levels are the given bytes, one per pixel."""
    indexed = pygame.image.frombytes(raw, size, "P")
    indexed.set_palette([(i, i, i) for i in range(256)])
    surface = pygame.Surface(size)
    surface.blit(indexed, (0, 0))
    return surface


def add_signed_noise(target: pygame.Surface, rng: random.Random, sigma: float, cell: int, smooth: bool = True) -> None:
    """Lighten and darken `target` by noise of about ±sigma levels, one value per cell×cell pixels
    (blurred, so the amplitude that shows is somewhat less than sigma)."""
    w, h = target.get_size()
    small = (max(2, w // cell), max(2, h // cell))
    raw = rng.randbytes(small[0] * small[1])
    scale = pygame.transform.smoothscale if smooth else pygame.transform.scale
    for sign, flag in ((1, pygame.BLEND_RGB_ADD), (-1, pygame.BLEND_RGB_SUB)):
        dist = NormalDist(0, sigma)
        table = bytes(max(0, min(255, round(sign * dist.inv_cdf((i + 0.5) / 256)))) for i in range(256))
        layer = scale(grey_image(raw.translate(table), small), (w, h))
        if smooth and cell >= 4:   # soften the cells so that no grid shows
            layer = pygame.transform.gaussian_blur(layer, cell // 2)
        target.blit(layer, (0, 0), special_flags=flag)


def vignette(target: pygame.Surface, edge: int, power: float = 2.2) -> None:
    """Darken towards the edges: multiply by 255 in the middle down to `edge` in the corners."""
    w, h = target.get_size()
    cols, rows = 192, 108
    small = pygame.Surface((cols, rows))
    for x in range(cols):
        for y in range(rows):
            dx, dy = (x + 0.5) / (cols / 2) - 1, (y + 0.5) / (rows / 2) - 1
            d = min(1.0, math.hypot(dx, dy) / math.sqrt(2))
            v = round(255 - (255 - edge) * d ** power)
            small.set_at((x, y), (v, v, v))
    layer = pygame.transform.gaussian_blur(pygame.transform.smoothscale(small, (w, h)), max(1, w // cols))
    target.blit(layer, (0, 0), special_flags=pygame.BLEND_RGB_MULT)


def ink_texture(surface: pygame.Surface, rng: random.Random, cell: int = 4, low: int = 150,
                speckles: float = 0.004, fade: int = 200) -> None:
    """Roughen the alpha of an ink layer: uneven pressure, blotches, and specks where ink did not take."""
    w, h = surface.get_size()
    small = (max(2, w // cell), max(2, h // cell))
    raw = rng.randbytes(small[0] * small[1]).translate(bytes(low + (255 - low) * i // 255 for i in range(256)))
    grey = pygame.transform.smoothscale(grey_image(raw, small), (w, h))
    # one side of a hand stamp is always pressed a little less
    pressure = pygame.Surface((2, 1))
    pressure.set_at((0, 0), (fade, fade, fade))
    pressure.set_at((1, 0), (255, 255, 255))
    grey.blit(pygame.transform.smoothscale(pressure, (w, h)), (0, 0), special_flags=pygame.BLEND_RGB_MULT)
    for _ in range(int(w * h * speckles)):
        v = rng.randint(0, 110)
        pygame.draw.circle(grey, (v, v, v), (rng.randrange(w), rng.randrange(h)), rng.choice((1, 1, 1, 2)))
    surface.blit(alpha_from_grey(grey), (0, 0), special_flags=pygame.BLEND_RGBA_MULT)


def alpha_from_grey(grey: pygame.Surface) -> pygame.Surface:
    """A white surface whose alpha channel is the red channel of `grey`."""
    w, h = grey.get_size()
    rgb = pygame.image.tobytes(grey, "RGB")
    a = rgb[0::3]
    rgba = bytearray(w * h * 4)
    rgba[0::4] = b"\xff" * (w * h)
    rgba[1::4] = b"\xff" * (w * h)
    rgba[2::4] = b"\xff" * (w * h)
    rgba[3::4] = a
    return pygame.image.frombytes(bytes(rgba), (w, h), "RGBA")


def set_opacity(surface: pygame.Surface, opacity: float) -> None:
    """Scale a surface's per-pixel alpha by `opacity` (0..1)."""
    surface.fill((255, 255, 255, round(255 * opacity)), special_flags=pygame.BLEND_RGBA_MULT)


def fit(surface: pygame.Surface, size: tuple[int, int]) -> pygame.Surface:
    """Centre `surface` on a transparent canvas of `size` (cropping if larger)."""
    canvas = pygame.Surface(size, pygame.SRCALPHA)
    canvas.fill((0, 0, 0, 0))
    canvas.blit(surface, surface.get_rect(center=(size[0] // 2, size[1] // 2)))
    return canvas


def spaced_text(text: str, fnt: pygame.font.Font, colour: Colour, spacing: int = 0) -> pygame.Surface:
    """Text rendered letter by letter with extra spacing, onto an ink layer of its colour."""
    widths = [fnt.size(ch)[0] for ch in text]
    w = sum(widths) + spacing * (len(text) - 1)
    layer = ink_layer((w, fnt.get_height()), colour)
    x = 0
    for ch, cw in zip(text, widths, strict=True):
        if ch != " ":
            layer.blit(fnt.render(ch, True, colour), (x, 0))
        x += cw + spacing
    return layer


def typed_text(text: str, fnt: pygame.font.Font, colour: Colour, rng: random.Random,
               jitter: float = 0.25, light: int = 200) -> pygame.Surface:
    """A line as a typewriter leaves it: each letter struck a little harder or softer, a few off the line."""
    widths = [fnt.size(ch)[0] for ch in text]
    layer = ink_layer((sum(widths) + 2, fnt.get_height() + 2), colour)
    x = 1
    for ch, cw in zip(text, widths, strict=True):
        if ch != " ":
            glyph = fnt.render(ch, True, colour)
            glyph.set_alpha(rng.randint(light, 255))
            dy = 1 + (1 if rng.random() < jitter else 0)
            layer.blit(glyph, (x, dy))
        x += cw
    return layer


def drop_shadow(surface: pygame.Surface, blur: int = 6, opacity: float = 0.45) -> pygame.Surface:
    """The soft dark shadow of a surface's shape, the same size plus a margin of 2*blur."""
    w, h = surface.get_size()
    m = blur * 2
    shadow = ink_layer((w + 2 * m, h + 2 * m), (0, 0, 0))
    silhouette = surface.copy()
    silhouette.fill((0, 0, 0, 255), special_flags=pygame.BLEND_RGBA_MIN)
    shadow.blit(silhouette, (m, m))
    shadow = pygame.transform.gaussian_blur(shadow, blur)
    set_opacity(shadow, opacity)
    return shadow


# --- paper and desk -------------------------------------------------------------------------


def draw_fibres(target: pygame.Surface, rng: random.Random, count: int) -> None:
    """Short, faint, slightly curved fibres in the paper, some darker and some lighter."""
    w, h = target.get_size()
    layer = pygame.Surface((w, h), pygame.SRCALPHA)
    layer.fill((0, 0, 0, 0))
    for _ in range(count):
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        angle = rng.uniform(0, math.pi)
        length = rng.uniform(5, 26)
        bend = rng.uniform(-0.35, 0.35)
        dark = rng.random() < 0.6
        colour = (150, 128, 92, rng.randint(10, 26)) if dark else (255, 252, 240, rng.randint(18, 40))
        pts = []
        for i in range(5):
            t = i / 4
            a = angle + bend * (t - 0.5)
            pts.append((x + math.cos(a) * length * t, y + math.sin(a) * length * t))
        pygame.draw.lines(layer, colour, False, pts, 1)
    target.blit(layer, (0, 0))


def draw_foxing(target: pygame.Surface, rng: random.Random, count: int) -> None:
    """Faint brown age spots (foxing), more of them near the edges."""
    w, h = target.get_size()
    layer = ink_layer((w, h), FOXING)
    for _ in range(count):
        if rng.random() < 0.65:   # near an edge
            side = rng.choice("lrtb")
            x = rng.uniform(0, w * 0.12) if side == "l" else rng.uniform(w * 0.88, w) if side == "r" else rng.uniform(0, w)
            y = rng.uniform(0, h * 0.15) if side == "t" else rng.uniform(h * 0.85, h) if side == "b" else rng.uniform(0, h)
        else:
            x, y = rng.uniform(0, w), rng.uniform(0, h)
        radius = rng.choice((2, 3, 4, 6, 9, 14, 20))
        strength = rng.uniform(0.05, 0.12)
        for _ in range(rng.randint(3, 7)):   # a spot is a few overlapping soft blobs, never a perfect disc
            r = max(1, round(radius * rng.uniform(0.4, 0.9)))
            bx, by = x + rng.uniform(-0.6, 0.6) * radius, y + rng.uniform(-0.6, 0.6) * radius
            spot = ink_layer((r * 2 + 2, r * 2 + 2), FOXING)
            for rr in range(r, 0, -1):
                a = round(255 * strength * (1 - (rr / r) ** 2) ** 0.8 + 3)
                pygame.draw.circle(spot, (*FOXING, min(255, a)), (r + 1, r + 1), rr)
            layer.blit(spot, (bx - r, by - r))
        if radius >= 6:   # the darker core of larger spots
            r = max(1, radius // 5)
            core = ink_layer((r * 2 + 2, r * 2 + 2), FOXING)
            pygame.draw.circle(core, (*FOXING, rng.randint(14, 26)), (r + 1, r + 1), r)
            layer.blit(core, (x - r - 1, y - r - 1))
        for _ in range(rng.randint(0, 4)):   # satellites
            sx, sy = x + rng.uniform(-3, 3) * radius, y + rng.uniform(-3, 3) * radius
            pygame.draw.circle(layer, (*FOXING, rng.randint(12, 30)), (sx, sy), rng.choice((1, 1, 2)))
    layer.fill((255, 255, 255, 60), special_flags=pygame.BLEND_RGBA_MIN)   # never dark enough to hurt reading
    target.blit(layer, (0, 0))


def draw_paper() -> pygame.Surface:
    """Aged memo paper, 1920×1080: warm off-white with fibres, mottling, foxing and a soft vignette."""
    rng = rng_for("paper")
    paper = pygame.Surface((1920, 1080))
    paper.fill((243, 235, 217))
    add_signed_noise(paper, rng, sigma=4.0, cell=64)     # broad cloudy mottling
    add_signed_noise(paper, rng, sigma=2.0, cell=12)     # finer mottling
    add_signed_noise(paper, rng, sigma=0.8, cell=2)      # grain
    draw_fibres(paper, rng, 5200)
    draw_foxing(paper, rng, 46)
    vignette(paper, edge=222, power=2.6)
    return paper


def min_contrast(surface: pygame.Surface, ink: Colour, step: int = 3) -> float:
    """The worst WCAG contrast of `ink` on any sampled pixel of `surface`."""
    def lum(c: Sequence[int]) -> float:
        def ch(v: int) -> float:
            s = v / 255
            return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
        return 0.2126 * ch(c[0]) + 0.7152 * ch(c[1]) + 0.0722 * ch(c[2])

    rgb = pygame.image.tobytes(surface, "RGB")
    w, h = surface.get_size()
    seen = set()
    for y in range(0, h, step):
        row = y * w * 3
        for x in range(0, w, step):
            i = row + x * 3
            seen.add(rgb[i:i + 3])
    li = lum(ink)
    return min((max(lum(c), li) + 0.05) / (min(lum(c), li) + 0.05) for c in seen)


def draw_desk() -> pygame.Surface:
    """A very dark green-baize desk top, 1920×1080: felt grain, a little lamp light in the middle."""
    rng = rng_for("desk")
    desk = pygame.Surface((1920, 1080))
    desk.fill((36, 44, 35))
    add_signed_noise(desk, rng, sigma=3.0, cell=96)     # the cloth's uneven dye
    add_signed_noise(desk, rng, sigma=2.0, cell=2, smooth=False)   # felt grain
    layer = pygame.Surface((1920, 1080), pygame.SRCALPHA)
    layer.fill((0, 0, 0, 0))
    for _ in range(2600):   # loose hairs of the felt
        x, y = rng.uniform(0, 1920), rng.uniform(0, 1080)
        a, length = rng.uniform(0, math.tau), rng.uniform(3, 10)
        pygame.draw.line(layer, (78, 94, 72, rng.randint(20, 45)), (x, y),
                         (x + math.cos(a) * length, y + math.sin(a) * length))
    desk.blit(layer, (0, 0))
    vignette(desk, edge=150, power=1.8)
    return desk


# --- the USSR flag --------------------------------------------------------------------------


def draw_hammer_and_sickle(surface: pygame.Surface, x: float, y: float, side: float, colour: Colour) -> None:
    """The hammer and sickle inscribed in a square (x, y, side), as in the flag's regulation:
    the sickle's tip at the middle of the top side, the handles at the lower corners, the
    hammer 3/4 of the square's diagonal long."""
    def p(u: float, v: float) -> Point:
        return (x + u * side, y + v * side)

    # sickle blade: a tapering crescent from the tip (top middle) round the right to the heel
    cx, cy, r_out = 0.53, 0.45, 0.45
    a0, a1 = math.radians(-95), math.radians(128)
    outer, inner = [], []
    steps = 48
    for i in range(steps + 1):
        t = i / steps
        a = a0 + (a1 - a0) * t
        width = 0.135 * math.sin(min(1.0, t / 0.62) * math.pi / 2) ** 1.2 - 0.02 * max(0.0, t - 0.8) / 0.2
        outer.append(p(cx + r_out * math.cos(a), cy + r_out * math.sin(a)))
        inner.append(p(cx + (r_out - width) * math.cos(a), cy + (r_out - width) * math.sin(a)))
    pygame.draw.polygon(surface, colour, outer + inner[::-1])
    # sickle handle, from the heel down to the lower-left corner
    heel = ((outer[-1][0] + inner[-1][0]) / 2, (outer[-1][1] + inner[-1][1]) / 2)
    thick_line(surface, colour, heel, p(0.035, 0.965), 0.095 * side)
    pygame.draw.circle(surface, colour, p(0.045, 0.955), 0.047 * side)
    # hammer: handle from the lower-right corner up the diagonal, head across its end
    diag = 0.75 * math.sqrt(2)
    ux, uy = -1 / math.sqrt(2), -1 / math.sqrt(2)          # along the handle, towards the head
    vx, vy = -1 / math.sqrt(2), 1 / math.sqrt(2)           # across it, towards the lower left
    start = (0.975, 0.975)
    head_t = 0.16
    neck = (start[0] + ux * (diag - head_t), start[1] + uy * (diag - head_t))
    thick_line(surface, colour, p(*start), p(*neck), 0.085 * side)
    end = (start[0] + ux * diag, start[1] + uy * diag)
    near, far = 0.22, 0.13   # head length towards the lower left and the upper right
    head = [(neck[0] + vx * near, neck[1] + vy * near), (end[0] + vx * near, end[1] + vy * near),
            (end[0] - vx * far, end[1] - vy * far), (neck[0] - vx * far, neck[1] - vy * far)]
    pygame.draw.polygon(surface, colour, [p(*q) for q in head])


def draw_ussr_flag(size: tuple[int, int] = (300, 150)) -> pygame.Surface:
    """The flag of the USSR (1955 pattern), ratio 1:2: red field, in the canton a red star
    bordered in gold above the gold hammer and sickle."""
    def draw(s: pygame.Surface, k: float) -> None:
        H = size[1] * k
        s.fill((*SOVIET_RED, 255))
        star_r = H / 16
        cx, cy = H / 3, H / 8
        star = star_points(cx, cy, star_r)
        pygame.draw.polygon(s, SOVIET_GOLD, star)
        pygame.draw.polygon(s, SOVIET_RED, inset_polygon(star, H * 0.0085))
        side = H / 4
        draw_hammer_and_sickle(s, cx - side / 2, cy + star_r, side, SOVIET_GOLD)   # the star's circle touches the square

    return supersample(size, draw, k=8 if size[1] < 100 else 4)


# --- the Iranian flag of 1956 ---------------------------------------------------------------

LION_BODY = [   # the silhouette without the head and the raised foreleg, facing the hoist (left)
    (0.330, 0.470), (0.450, 0.505), (0.600, 0.512), (0.720, 0.505), (0.795, 0.530), (0.830, 0.590),
    (0.826, 0.660), (0.805, 0.745), (0.800, 0.830), (0.805, 0.870), (0.800, 0.888), (0.738, 0.888),
    (0.748, 0.862), (0.758, 0.790), (0.748, 0.720), (0.715, 0.690), (0.695, 0.760), (0.672, 0.835),
    (0.668, 0.870), (0.662, 0.888), (0.602, 0.888), (0.612, 0.862), (0.628, 0.800), (0.632, 0.735),
    (0.612, 0.695), (0.540, 0.690), (0.460, 0.695), (0.425, 0.710), (0.415, 0.780), (0.408, 0.845),
    (0.412, 0.872), (0.405, 0.888), (0.342, 0.888), (0.352, 0.862), (0.356, 0.800), (0.352, 0.735),
    (0.335, 0.650), (0.318, 0.585), (0.310, 0.520),
]
LION_FACE = [   # the head in profile, drawn over the mane
    (0.255, 0.300), (0.200, 0.318), (0.165, 0.345), (0.140, 0.372), (0.132, 0.392), (0.140, 0.412),
    (0.165, 0.418), (0.160, 0.432), (0.175, 0.452), (0.220, 0.462), (0.262, 0.430), (0.275, 0.360),
]
LION_MANE_LINES = [
    [(0.290, 0.310), (0.310, 0.390), (0.300, 0.470)],
    [(0.330, 0.330), (0.352, 0.420), (0.340, 0.510)],
    [(0.250, 0.480), (0.285, 0.530), (0.320, 0.560)],
]
LION_TAIL = [(0.815, 0.560), (0.868, 0.545), (0.888, 0.480), (0.862, 0.420), (0.880, 0.355)]
LION_TUFT = [(0.880, 0.300), (0.912, 0.330), (0.905, 0.375), (0.872, 0.372), (0.862, 0.335)]
LION_RAISED_LEG = [(0.350, 0.610), (0.260, 0.650), (0.165, 0.600), (0.100, 0.545)]
SWORD_BLADE = [(0.086, 0.505), (0.076, 0.410), (0.082, 0.310), (0.107, 0.215), (0.157, 0.135)]


def lion_mane(p: Callable[[float, float], Point]) -> list[Point]:
    """A shaggy mane: an oval whose edge goes in and out in small locks."""
    cx, cy, rx, ry = 0.290, 0.430, 0.112, 0.150
    pts = []
    for i in range(26):
        a = math.tau * i / 26
        r = 1.0 if i % 2 == 0 else 0.87
        pts.append((cx + rx * r * math.cos(a), cy + ry * r * math.sin(a)))
    return [p(*q) for q in catmull_rom(pts, steps=4)]


def draw_crown(surface: pygame.Surface, p: Callable[[float, float], Point], s: float,
               fill: Colour, line: Colour, lw: float) -> None:
    """The Pahlavi crown, simplified: a jewelled band, a dome of arches and a plume on top."""
    band = [p(0.455, 0.160), p(0.645, 0.160), p(0.640, 0.195), p(0.460, 0.195)]
    dome = catmull_rom([p(0.465, 0.160), p(0.470, 0.110), p(0.510, 0.072), p(0.550, 0.062),
                        p(0.590, 0.072), p(0.630, 0.110), p(0.635, 0.160)], steps=6, closed=False)
    for shape in (dome, band):
        pygame.draw.polygon(surface, fill, shape)
        pygame.draw.polygon(surface, line, shape, max(1, round(lw)))
    for u in (0.505, 0.550, 0.595):
        stroke(surface, line, [p(u, 0.158), p(u + (u - 0.55) * 0.2, 0.085)], lw * 0.8)
    stroke(surface, line, [p(0.55, 0.062), p(0.55, 0.035)], lw * 1.2)
    pygame.draw.circle(surface, fill, p(0.55, 0.030), 0.018 * s)
    pygame.draw.circle(surface, line, p(0.55, 0.030), 0.018 * s, max(1, round(lw * 0.8)))
    for u in (0.48, 0.515, 0.55, 0.585, 0.62):
        pygame.draw.circle(surface, line, p(u, 0.178), 0.007 * s)


def draw_lion_and_sun(surface: pygame.Surface, x: float, y: float, s: float, line_width: float) -> None:
    """The lion and sun with the crown, in the square (x, y, s): a lion passant facing the hoist,
    a curved sword raised in its right forepaw, the sun rising behind its back, the crown above."""
    def p(u: float, v: float) -> Point:
        return (x + u * s, y + v * s)

    lw = line_width
    # the sun: a disc with alternating long and short rays
    sx, sy, sr = 0.565, 0.370, 0.122
    rays = []
    for i in range(32):
        a = math.tau * i / 32
        rr = sr * (1.78 if i % 2 == 0 else 1.18)
        rays.append(p(sx + rr * math.cos(a), sy + rr * math.sin(a)))
        rays.append(p(sx + sr * 0.95 * math.cos(a + math.tau / 64), sy + sr * 0.95 * math.sin(a + math.tau / 64)))
    pygame.draw.polygon(surface, SUN_GOLD, rays)
    pygame.draw.polygon(surface, EMBLEM_LINE, rays, max(1, round(lw * 0.7)))
    pygame.draw.circle(surface, SUN_GOLD, p(sx, sy), sr * s)
    pygame.draw.circle(surface, EMBLEM_LINE, p(sx, sy), sr * s, max(1, round(lw * 0.8)))
    draw_crown(surface, p, s, LION_GOLD, EMBLEM_LINE, lw)
    outline = max(1, round(lw))
    # the tail, raised in an S with a tuft
    tail = [p(*q) for q in catmull_rom(LION_TAIL, steps=6, closed=False)]
    stroke(surface, EMBLEM_LINE, tail, 0.034 * s + lw * 2)
    stroke(surface, LION_GOLD, tail, 0.034 * s)
    tuft = [p(*q) for q in catmull_rom(LION_TUFT, steps=5)]
    pygame.draw.polygon(surface, LION_GOLD, tuft)
    pygame.draw.polygon(surface, EMBLEM_LINE, tuft, outline)
    # the raised right foreleg (the far one, so behind the body), its paw closed on the grip
    leg = tapered([p(*q) for q in catmull_rom(LION_RAISED_LEG, steps=6, closed=False)], 0.090 * s, 0.052 * s)
    pygame.draw.polygon(surface, LION_GOLD, leg)
    pygame.draw.polygon(surface, EMBLEM_LINE, leg, outline)
    # the body and legs, then the mane and the head over them
    body = [p(*q) for q in catmull_rom(LION_BODY, steps=5)]
    pygame.draw.polygon(surface, LION_GOLD, body)
    pygame.draw.polygon(surface, EMBLEM_LINE, body, outline)
    mane = lion_mane(p)
    pygame.draw.polygon(surface, LION_GOLD, mane)
    pygame.draw.polygon(surface, EMBLEM_LINE, mane, outline)
    for lock in LION_MANE_LINES:
        stroke(surface, EMBLEM_LINE, [p(*q) for q in catmull_rom(lock, steps=4, closed=False)], lw * 0.8)
    face = [p(*q) for q in catmull_rom(LION_FACE, steps=5)]
    pygame.draw.polygon(surface, LION_GOLD, face)
    pygame.draw.polygon(surface, EMBLEM_LINE, face, outline)
    pygame.draw.circle(surface, EMBLEM_LINE, p(0.192, 0.352), max(1.0, 0.011 * s))   # eye
    stroke(surface, EMBLEM_LINE, [p(0.141, 0.411), p(0.172, 0.417)], lw * 0.8)       # mouth
    # the sword: a curved blade tapering to its point, a cross-guard, and the grip in the paw
    blade = tapered([p(*q) for q in catmull_rom(SWORD_BLADE, steps=8, closed=False)], 0.034 * s, 0.004 * s)
    pygame.draw.polygon(surface, SUN_GOLD, blade)
    pygame.draw.polygon(surface, EMBLEM_LINE, blade, outline)
    stroke(surface, EMBLEM_LINE, [p(0.050, 0.508), p(0.124, 0.500)], 0.020 * s + lw)
    pygame.draw.circle(surface, LION_GOLD, p(0.092, 0.540), 0.036 * s)
    pygame.draw.circle(surface, EMBLEM_LINE, p(0.092, 0.540), 0.036 * s, outline)


def draw_iran_flag(size: tuple[int, int] = (300, 171)) -> pygame.Surface:
    """Iran's flag as in 1956, ratio 4:7: green, white and red stripes, and in the white the
    lion and sun with the crown, in gold."""
    def draw(s: pygame.Surface, k: float) -> None:
        w, h = size[0] * k, size[1] * k
        s.fill((*IRAN_WHITE, 255))
        pygame.draw.rect(s, IRAN_GREEN, (0, 0, w, math.ceil(h / 3)))
        pygame.draw.rect(s, IRAN_RED, (0, math.floor(2 * h / 3), w, h - math.floor(2 * h / 3)))
        e = h / 3 * 0.98
        line = max(1.0, e / 110)
        draw_lion_and_sun(s, w / 2 - e * 0.49, h / 2 - e * 0.455, e, line)

    return supersample(size, draw, k=8 if size[1] < 100 else 4)


# --- stamps and marks ------------------------------------------------------------------------


def double_border(layer: pygame.Surface, rect: pygame.Rect, colour: Colour, outer: int, inner: int, gap: int) -> None:
    """The double rule of a rubber stamp: a heavy outer frame and a thin inner one."""
    pygame.draw.rect(layer, (*colour, 255), rect, outer, border_radius=outer * 2)
    pygame.draw.rect(layer, (*colour, 255), rect.inflate(-2 * (outer + gap), -2 * (outer + gap)), inner,
                     border_radius=outer)


def draw_stamp_secret() -> pygame.Surface:
    """The 'СЕКРЕТНО / SECRET' rubber stamp in red-violet ink, slightly rotated, ~420×140."""
    rng = rng_for("stamp_secret")
    layer = ink_layer((380, 108), STAMP_RED)
    double_border(layer, layer.get_rect(), STAMP_RED, 5, 2, 4)
    big = spaced_text("СЕКРЕТНО", font("MonoBold", 46), STAMP_RED, spacing=3)
    small = spaced_text("SECRET", font("MonoBold", 24), STAMP_RED, spacing=10)
    layer.blit(big, big.get_rect(center=(190, 42)))
    layer.blit(small, small.get_rect(center=(190, 80)))
    ink_texture(layer, rng, cell=5, low=175, speckles=0.005, fade=195)
    set_opacity(layer, 0.85)
    return fit(pygame.transform.rotozoom(layer, 3.0, 1.0), (420, 140))


def draw_stamp_invented() -> pygame.Surface:
    """A blue-ink 'INVENTED' stamp for lines the game made up, ~300×90 (blue, unlike the secret stamp)."""
    rng = rng_for("stamp_invented")
    layer = ink_layer((270, 68), INVENTED_BLUE)
    pygame.draw.rect(layer, (*INVENTED_BLUE, 255), layer.get_rect(), 4, border_radius=10)
    word = spaced_text("INVENTED", font("MonoBold", 38), INVENTED_BLUE, spacing=4)
    layer.blit(word, word.get_rect(center=(135, 35)))
    ink_texture(layer, rng, cell=5, low=180, speckles=0.005, fade=205)
    set_opacity(layer, 0.88)
    return fit(pygame.transform.rotozoom(layer, -2.5, 1.0), (300, 90))


# --- title emblem and icon ------------------------------------------------------------------


def draw_memo_sheet(size: tuple[int, int], rng: random.Random) -> pygame.Surface:
    """A typed memo sheet: heading, a few typed lines shown as faint bars, and the footer."""
    w, h = size
    sheet = pygame.Surface(size, pygame.SRCALPHA)
    sheet.fill((*PAPER, 255))
    paper = pygame.Surface(size)
    paper.fill(PAPER)
    add_signed_noise(paper, rng, sigma=1.4, cell=8)
    vignette(paper, edge=226, power=2.4)
    sheet.blit(paper, (0, 0))
    mono, bold = font("Mono", 15), font("MonoBold", 17)
    copy = typed_text("Copy N 1", mono, INK, rng)
    sheet.blit(copy, (30, 24))
    y = 92
    for text, fnt in (("RECORD OF CONVERSATION", bold), ("with the Shah of Iran", mono), ("Kremlin, Moscow, June 1956", mono)):
        line = typed_text(text, fnt, INK, rng)
        sheet.blit(line, line.get_rect(midtop=(w // 2, y)))
        y += 24
    sheet.blit(illegible_lines((w - 60, h - y - 70), rng), (30, y + 16))
    foot = typed_text("11 copies.  N 831.  30.VI.", mono, INK, rng)
    sheet.blit(foot, (30, h - 40))
    pygame.draw.rect(sheet, (200, 188, 160, 255), sheet.get_rect(), 1)
    return sheet


def illegible_lines(size: tuple[int, int], rng: random.Random) -> pygame.Surface:
    """Typed lines out of focus: random letters in words, blurred so that nothing can be read
    (the picture must not put words in anyone's mouth)."""
    w, h = size
    layer = ink_layer((w, h), INK)
    fnt = font("Mono", 14)
    cw = fnt.size("x")[0]
    letters = "abcdefghiklmnoprstuvw"
    y = 0
    for i in range(h // 21):
        indent = 4 if i % 4 == 0 else 0
        last = i % 4 == 3
        chars = rng.randint(10, 22) if last else w // cw - indent
        words, n = [], 0
        while n < chars - 3:
            k = rng.randint(2, 9)
            words.append("".join(rng.choice(letters) for _ in range(k)))
            n += k + 1
        text = (" " * indent + " ".join(words))[: w // cw]
        layer.blit(fnt.render(text, True, INK), (0, y))
        y += 21
    layer = pygame.transform.gaussian_blur(layer, 3)
    set_opacity(layer, 0.6)
    return layer


def draw_title_emblem(ussr: pygame.Surface, iran: pygame.Surface, stamp: pygame.Surface) -> pygame.Surface:
    """The title composition, 600×600: the two flags side by side, a typed memo sheet in front
    with the secret stamp across its corner."""
    rng = rng_for("title_emblem")
    canvas = ink_layer((600, 600), (0, 0, 0))
    for flag, angle, centre in ((ussr, 4.0, (165, 152)), (iran, -4.0, (435, 152))):
        framed = ink_layer((flag.get_width() + 2, flag.get_height() + 2), (0, 0, 0))
        framed.fill((60, 50, 40, 255))
        framed.blit(flag, (1, 1))
        turned = pygame.transform.rotozoom(framed, angle, 1.0)
        shadow = drop_shadow(turned, blur=5, opacity=0.35)
        canvas.blit(shadow, shadow.get_rect(center=(centre[0] + 3, centre[1] + 5)))
        canvas.blit(turned, turned.get_rect(center=centre))
    sheet = draw_memo_sheet((400, 330), rng)
    turned = pygame.transform.rotozoom(sheet, -2.0, 1.0)
    shadow = drop_shadow(turned, blur=8, opacity=0.40)
    canvas.blit(shadow, shadow.get_rect(center=(306, 418)))
    canvas.blit(turned, turned.get_rect(center=(300, 410)))
    small = pygame.transform.rotozoom(stamp, 7.0, 0.52)
    canvas.blit(small, small.get_rect(center=(392, 292)))
    return canvas


def draw_icon() -> pygame.Surface:
    """The window icon, 64×64: a small memo sheet with typed lines and a red stamp."""
    def draw(s: pygame.Surface, k: float) -> None:
        def r(x: float, y: float, w: float, h: float) -> pygame.Rect:
            return pygame.Rect(round(x * k), round(y * k), round(w * k), round(h * k))
        pygame.draw.rect(s, (20, 20, 18, 90), r(13, 6, 44, 56), border_radius=round(2 * k))
        pygame.draw.polygon(s, (*PAPER, 255), [(11 * k, 3 * k), (44 * k, 3 * k), (54 * k, 13 * k), (54 * k, 60 * k), (11 * k, 60 * k)])
        pygame.draw.polygon(s, (*INK_SOFT, 255), [(11 * k, 3 * k), (44 * k, 3 * k), (54 * k, 13 * k), (54 * k, 60 * k), (11 * k, 60 * k)], round(1.2 * k))
        pygame.draw.polygon(s, (214, 202, 176, 255), [(44 * k, 3 * k), (44 * k, 13 * k), (54 * k, 13 * k)])
        pygame.draw.polygon(s, (*INK_SOFT, 255), [(44 * k, 3 * k), (44 * k, 13 * k), (54 * k, 13 * k)], round(1.0 * k))
        for i, length in enumerate((22, 34, 30, 34, 18)):
            pygame.draw.rect(s, (*INK, 255), r(16, 10 + i * 6.5, length, 2.6))
        stamp = ink_layer((round(36 * k), round(18 * k)), STAMP_RED)
        pygame.draw.rect(stamp, (*STAMP_RED, 255), stamp.get_rect(), round(2.6 * k))
        pygame.draw.rect(stamp, (*STAMP_RED, 255), stamp.get_rect().inflate(round(-9 * k), round(-9 * k)))
        turned = pygame.transform.rotozoom(stamp, 10, 1.0)
        s.blit(turned, turned.get_rect(center=(34 * k, 47 * k)))

    return supersample((64, 64), draw, k=8)


# --- checks and main ------------------------------------------------------------------------

FONT_FILES = ["SerifRegular", "SerifBold", "SerifItalic", "SansRegular", "SansBold", "MonoRegular", "MonoBold"]
# --- the map (issue 13: the teacher's kit, the glossary and the source reader) -----------------
#
# Country outlines are Natural Earth's 1:110m "admin 0" countries (public domain), as shipped in
# the PyPI package geopandas==0.14.4 (dataset "naturalearth_lowres"). They are read only when the
# art is built: geopandas is not a dependency of the game. The USSR is drawn as the union of the
# republics it had in 1956. Mountains, the river and the cities are hand-entered coordinates
# (degrees east, degrees north): they show where things are, not exact courses.

MAP_SIZE = (1600, 1500)
MAP_LON = (24.0, 76.0)
MAP_LAT = (22.0, 58.5)
SOVIET_REPUBLICS = ("Russia", "Ukraine", "Belarus", "Moldova", "Georgia", "Armenia", "Azerbaijan",
                    "Kazakhstan", "Turkmenistan", "Uzbekistan", "Kyrgyzstan", "Tajikistan",
                    "Lithuania", "Latvia", "Estonia")
PACT_MEMBERS = ("Iran", "Turkey", "Iraq", "Pakistan")        # the Baghdad Pact's members in the region, 1956
MAP_LAND = (226, 214, 188)
MAP_PACT = (196, 206, 160)
MAP_IRAN = (214, 178, 104)
MAP_USSR = (214, 166, 156)
MAP_WATER = (200, 214, 214)
MAP_RIVER = (40, 84, 130)
MAP_MOUNTAIN = (96, 62, 30)
ZAGROS = [(44.6, 37.6), (45.9, 35.8), (47.0, 34.3), (48.6, 32.9), (50.1, 31.3), (51.7, 30.0),
          (53.6, 28.8), (55.6, 27.9), (57.2, 27.4)]
ALBORZ = [(48.6, 37.6), (49.6, 36.8), (51.0, 36.1), (52.5, 35.9), (54.0, 36.3), (55.5, 36.9),
          (56.8, 37.4)]
HELMAND = [(68.4, 34.6), (67.4, 33.9), (66.2, 32.7), (65.0, 31.9), (64.2, 31.3), (63.3, 31.0),
           (62.4, 31.1), (61.8, 31.2)]
CITIES = {   # name: (lon, lat, label offset x, label offset y)
    "Tehran": (51.39, 35.69, 14, 2), "Tabriz": (46.29, 38.08, -86, -34), "Baku": (49.87, 40.41, 14, -18),
    "Moscow": (37.62, 55.75, 14, -14), "Ankara": (32.86, 39.93, 12, -30), "Baghdad": (44.37, 33.31, -112, -4),
    "Karachi": (67.00, 24.86, 14, -6), "Kabul": (69.17, 34.53, 12, -26),
}
LABELS = [   # text, lon, lat, font, size
    ("IRAN", 54.5, 32.4, "SansBold", 46), ("SOVIET UNION", 52.0, 50.0, "SansBold", 46),
    ("TURKEY", 34.5, 38.7, "SansBold", 34), ("IRAQ", 43.2, 31.6, "SansBold", 30),
    ("AFGHANISTAN", 65.8, 33.4, "SansBold", 26), ("PAKISTAN", 69.6, 28.4, "SansBold", 28),
    ("Caspian Sea", 50.6, 42.0, "SerifItalic", 26), ("Black Sea", 34.3, 43.2, "SerifItalic", 26),
    ("Persian Gulf", 51.2, 27.4, "SerifItalic", 24),
]


def map_xy(lon: float, lat: float, k: float = 1.0) -> Point:
    """Equirectangular, east–west shrunk by cos(40°) so that shapes near Iran are not stretched."""
    width, height = MAP_SIZE
    top, bottom = 140, 170
    shrink = math.cos(math.radians(40))
    s = min((width - 80) / ((MAP_LON[1] - MAP_LON[0]) * shrink), (height - top - bottom) / (MAP_LAT[1] - MAP_LAT[0]))
    return (40 + (lon - MAP_LON[0]) * shrink * s) * k, (top + (MAP_LAT[1] - lat) * s) * k


def map_rings(geometry) -> list[list[tuple[float, float]]]:
    return [list(part.exterior.coords) for part in getattr(geometry, "geoms", [geometry])]


def draw_map() -> pygame.Surface | None:
    """Iran and its neighbours in June 1956 (art/out/map.png), or None without geopandas."""
    try:
        import warnings

        import geopandas
    except ImportError:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        world = geopandas.read_file(geopandas.datasets.get_path("naturalearth_lowres"))
    soviet = world[world.name.isin(SOVIET_REPUBLICS)].geometry.unary_union
    others = world[~world.name.isin(SOVIET_REPUBLICS)]

    def shape(s: pygame.Surface, k: float, rings, colour: Colour, outline: Colour = INK_SOFT, width: float = 1.5) -> None:
        for ring in rings:
            pts = [map_xy(lon, lat, k) for lon, lat in ring]
            if len(pts) > 2:
                pygame.draw.polygon(s, colour, pts)
                pygame.draw.lines(s, outline, True, pts, max(1, int(width * k)))

    def draw(s: pygame.Surface, k: float) -> None:
        s.fill(MAP_WATER)
        for _, row in others.iterrows():
            colour = MAP_IRAN if row["name"] == "Iran" else MAP_PACT if row["name"] in PACT_MEMBERS else MAP_LAND
            shape(s, k, map_rings(row.geometry), colour)
        shape(s, k, map_rings(soviet), MAP_USSR)
        for ridge in (ZAGROS, ALBORZ):                                       # mountains: a row of peaks
            pts = catmull_rom([map_xy(lon, lat, k) for lon, lat in ridge], steps=6, closed=False)
            for (x0, y0), (x1, y1) in zip(pts[::3], pts[3::3], strict=False):
                pygame.draw.polygon(s, MAP_MOUNTAIN, [(x0, y0), ((x0 + x1) / 2, (y0 + y1) / 2 - 14 * k), (x1, y1)])
        river = catmull_rom([map_xy(lon, lat, k) for lon, lat in HELMAND], steps=6, closed=False)
        pygame.draw.lines(s, MAP_RIVER, False, river, int(4 * k))
        for lon, lat, _, _ in CITIES.values():
            x, y = map_xy(lon, lat, k)
            pygame.draw.circle(s, INK, (x, y), 7 * k)
            pygame.draw.circle(s, PAPER, (x, y), 3 * k)

    out = pygame.Surface(MAP_SIZE)
    out.fill(PAPER)
    out.blit(supersample(MAP_SIZE, draw, k=2), (0, 0))
    out.fill(PAPER, pygame.Rect(0, 0, MAP_SIZE[0], 130))                    # paper for the title and the notes
    out.fill(PAPER, pygame.Rect(0, MAP_SIZE[1] - 160, MAP_SIZE[0], 160))
    pygame.draw.rect(out, INK_SOFT, pygame.Rect(0, 130, MAP_SIZE[0], MAP_SIZE[1] - 290), 2)

    def label(text: str, lon: float, lat: float, name: str, size: int, colour: Colour,
              dx: int = 0, dy: int = 0, centred: bool = True) -> None:
        img = font(name, size).render(text, True, colour)
        halo = font(name, size).render(text, True, PAPER)
        x, y = map_xy(lon, lat)
        rect = img.get_rect(center=(x + dx, y + dy)) if centred else img.get_rect(topleft=(x + dx, y + dy))
        for ox, oy in ((-2, 0), (2, 0), (0, -2), (0, 2)):
            out.blit(halo, rect.move(ox, oy))
        out.blit(img, rect)

    for text, lon, lat, name, size in LABELS:
        label(text, lon, lat, name, size, MAP_RIVER if text.endswith(("Sea", "Gulf")) else INK)
    for city, (lon, lat, dx, dy) in CITIES.items():
        label(city, lon, lat, "SansBold", 24, INK, dx, dy, centred=False)
    label("Zagros Mountains", 49.6, 31.2, "SerifItalic", 24, MAP_MOUNTAIN, 110, 46)
    label("Alborz Mountains", 53.4, 37.0, "SerifItalic", 24, MAP_MOUNTAIN, 0, -44)
    label("Helmand", 64.6, 31.6, "SerifItalic", 24, MAP_RIVER, 0, 28)
    ax, ay = map_xy(46.9, 38.5)                                               # Iranian Azerbaijan, with a leader
    tx, ty = map_xy(40.6, 35.9)
    half = font("SerifItalic", 22).size("Iranian Azerbaijan")[0] / 2
    pygame.draw.line(out, INK_SOFT, (tx + half + 4, ty - 6), (ax, ay), 2)
    label("Iranian Azerbaijan", 40.6, 35.9, "SerifItalic", 22, INK)
    out.blit(font("SerifBold", 44).render("Iran and its neighbours, June 1956", True, INK), (40, 30))
    x = 40
    for colour, text in ((MAP_IRAN, "Iran"), (MAP_PACT, "other members of the Baghdad Pact (the fifth, Britain, is far to the west)"),
                         (MAP_USSR, "the Soviet Union")):
        pygame.draw.rect(out, colour, pygame.Rect(x, 90, 30, 22))
        pygame.draw.rect(out, INK_SOFT, pygame.Rect(x, 90, 30, 22), 1)
        img = font("SansRegular", 22).render(text, True, INK)
        out.blit(img, (x + 40, 88))
        x += 40 + img.get_width() + 30
    notes = ("Country outlines: Natural Earth 1:110m (public domain); the USSR drawn as its republics of 1956.",
             "In 1956 Pakistan also included East Pakistan (today Bangladesh), far to the east of this map.",
             "Mountains, river and cities placed by hand: they show where things are, not exact courses.")
    for i, note in enumerate(notes):
        out.blit(font("SansRegular", 20).render(note, True, INK_SOFT), (40, MAP_SIZE[1] - 140 + 30 * i))
    x0, y0 = 1180, MAP_SIZE[1] - 120                                           # a 500 km scale bar at 35°N
    x1 = x0 + map_xy(MAP_LON[0] + 500 / (111.32 * math.cos(math.radians(35))), 35)[0] - map_xy(MAP_LON[0], 35)[0]
    pygame.draw.line(out, INK, (x0, y0), (x1, y0), 4)
    for x in (x0, x1):
        pygame.draw.line(out, INK, (x, y0 - 8), (x, y0 + 8), 3)
    out.blit(font("SansRegular", 20).render("500 km (at 35° N)", True, INK), (x0, y0 + 12))
    return out


GLYPH_SAMPLE = "Хрущёв — Shah ¶12 Булганин Ворошилов Микоян СЕКРЕТНО №«»"


def check_fonts() -> None:
    """Every font must draw Latin and Cyrillic with real glyphs, not its .notdef box."""
    for name in FONT_FILES:
        fnt = font(name, 32)

        def glyph(ch: str, fnt: pygame.font.Font = fnt) -> bytes:
            s = fnt.render(ch, True, (0, 0, 0), (255, 255, 255))
            return bytes(s.get_size()) + pygame.image.tobytes(s, "RGB")

        notdef = glyph("\u4e01")   # a CJK ideograph: surely not in Liberation
        missing = [ch for ch in set(GLYPH_SAMPLE) if ch != " " and glyph(ch) == notdef]
        if missing:
            sys.exit(f"{name} lacks glyphs for {''.join(sorted(missing))}")


def save(surface: pygame.Surface, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    pygame.image.save(surface, str(OUT / name))


def main() -> None:
    pygame.font.init()
    check_fonts()
    paper = draw_paper()
    worst = min_contrast(paper, INK)
    if worst < 7.0:
        sys.exit(f"paper too dark for text: contrast {worst:.2f} < 7")
    save(paper, "paper.png")
    save(draw_desk(), "desk.png")
    flags = {"ussr": draw_ussr_flag(), "iran": draw_iran_flag()}
    save(flags["ussr"], "flag_ussr.png")
    save(flags["iran"], "flag_iran_1956.png")
    stamp = draw_stamp_secret()
    save(stamp, "stamp_secret.png")
    save(draw_stamp_invented(), "stamp_invented.png")
    save(draw_title_emblem(draw_ussr_flag((250, 125)), draw_iran_flag((238, 136)), stamp), "title_emblem.png")
    save(draw_icon(), "icon.png")
    world_map = draw_map()
    if world_map is None:
        print("map.png not redrawn: its country outlines need geopandas==0.14.4 (see art/README.md)")
    else:
        save(world_map, "map.png")
    total = sum(p.stat().st_size for p in OUT.glob("*.png"))
    print(f"wrote {len(list(OUT.glob('*.png')))} files to {OUT} ({total / 1e6:.2f} MB); paper contrast ≥ {worst:.2f}:1")


if __name__ == "__main__":
    main()
