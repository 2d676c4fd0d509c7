"""Colours and type: the archival memo look, in a normal and a high-contrast variant.

Every text/background pair the UI draws is listed in `Theme.text_pairs`, and a test checks each
against WCAG AA (4.5:1), so a colour change cannot quietly make text unreadable.
"""

from __future__ import annotations

Colour = tuple[int, int, int]


def relative_luminance(c: Colour) -> float:
    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in c)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Colour, b: Colour) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


class Theme:
    """A named set of colours (a plain class: it is used before the first frame)."""

    def __init__(self, name: str, use_textures: bool = True, **colours: Colour):
        self.name = name
        self.use_textures = use_textures
        for key in COLOUR_KEYS:
            setattr(self, key, colours[key])

    def pairs(self) -> dict[str, tuple[Colour, Colour]]:
        return {name: (getattr(self, fg), getattr(self, bg)) for name, (fg, bg) in PAIRS.items()}


COLOUR_KEYS = ("desk", "paper", "paper_edge", "ink", "ink_soft", "accent", "invented", "link", "button",
               "button_text", "button_focus", "button_focus_text", "on_desk", "highlight", "highlight_text")
PAIRS: dict[str, tuple[str, str]] = {
    "body text on paper": ("ink", "paper"),
    "secondary text on paper": ("ink_soft", "paper"),
    "speaker and headings on paper": ("accent", "paper"),
    "invented mark on paper": ("invented", "paper"),
    "links on paper": ("link", "paper"),
    "button label": ("button_text", "button"),
    "focused button label": ("button_focus_text", "button_focus"),
    "text on the desk": ("on_desk", "desk"),
    "speaking seat": ("highlight_text", "highlight"),
    "text on paper edge": ("ink", "paper_edge"),
}

ARCHIVE = Theme(
    name="archive",
    desk=(32, 38, 31),
    paper=(239, 230, 210),
    paper_edge=(226, 214, 188),
    ink=(30, 26, 22),
    ink_soft=(78, 68, 58),
    accent=(142, 27, 46),
    invented=(24, 62, 140),
    link=(26, 72, 120),
    button=(58, 52, 44),
    button_text=(246, 240, 226),
    button_focus=(142, 27, 46),
    button_focus_text=(255, 250, 240),
    on_desk=(236, 228, 206),
    highlight=(142, 27, 46),
    highlight_text=(255, 250, 240),
)

HIGH_CONTRAST = Theme(
    name="high-contrast",
    desk=(0, 0, 0),
    paper=(255, 255, 255),
    paper_edge=(235, 235, 235),
    ink=(0, 0, 0),
    ink_soft=(40, 40, 40),
    accent=(120, 0, 20),
    invented=(0, 40, 150),
    link=(0, 50, 130),
    button=(0, 0, 0),
    button_text=(255, 255, 255),
    button_focus=(255, 214, 0),
    button_focus_text=(0, 0, 0),
    on_desk=(255, 255, 255),
    highlight=(255, 214, 0),
    highlight_text=(0, 0, 0),
    use_textures=False,
)

THEMES = {t.name: t for t in (ARCHIVE, HIGH_CONTRAST)}

# Font roles → file in art/fonts; sizes are design pixels at 1920×1080 before the text-size step.
FONT_FILES = {
    "serif": "LiberationSerif-Regular.ttf",
    "serif_bold": "LiberationSerif-Bold.ttf",
    "serif_italic": "LiberationSerif-Italic.ttf",
    "sans": "LiberationSans-Regular.ttf",
    "sans_bold": "LiberationSans-Bold.ttf",
    "mono": "LiberationMono-Regular.ttf",
    "mono_bold": "LiberationMono-Bold.ttf",
}
TEXT_SCALES = {"normal": 1.0, "large": 1.2, "largest": 1.45}
BODY_SIZE = 34      # dialogue text at 1080p, normal size (≥ 24 px required)
TOUCH_TARGET = 66   # minimum button height in design px (= 44 px at 720p)
