"""What the printable pages share: one Jinja2 environment, the stylesheet inline, marks and bars.

"Your minutes" and the class report are saved as files and opened from disk, offline, or printed:
so they carry the browser edition's one stylesheet inline, fetch nothing and run no script. The
Python side computes plain data; the templates in game/web/templates/print/ write all the markup,
with autoescape on, so everything that comes from content or a results file is escaped there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment

WEB = Path(__file__).resolve().parents[1] / "web"
TEMPLATES = WEB / "templates"
STYLESHEET = WEB / "static" / "style.css"
# The stylesheet's fonts are served by the browser edition at /fonts/: a page opened from disk
# has no such folder, so each font it used would be a failed request. It uses the local fonts
# named in its own font stacks instead.
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}\s*")


@cache
def environment() -> Environment:
    """The printable pages' templates: the browser pages' folder (so they can share macros), with
    autoescape always on and a missing value an error rather than an empty string on paper.
    Jinja2 is imported here, not above, so that the report's CSV needs nothing but the standard library."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def stylesheet() -> str:
    """The stylesheet as the pages inline it; read again only when the file has changed."""
    return _stylesheet(STYLESHEET.stat().st_mtime_ns)


@lru_cache(maxsize=1)
def _stylesheet(mtime_ns: int) -> str:
    return _FONT_FACE.sub("", STYLESHEET.read_text(encoding="utf-8")).strip()


def render(template: str, **context: Any) -> str:
    """A whole page, its stylesheet inline (the browser edition allows exactly that one by its hash)."""
    return environment().get_template(template).render(stylesheet=stylesheet(), **context)


def refs_text(refs: tuple[int, ...] | list[int]) -> str:
    return ", ".join(f"¶{r}" for r in refs)


def mark(provenance: str, refs: tuple[int, ...] | list[int]) -> str:
    """The visible source of a line, as the game shows it: ¶12, adapted from ¶12, or invented."""
    if provenance == "record" and refs:
        return refs_text(refs)
    if provenance == "adapted" and refs:
        return f"adapted from {refs_text(refs)}"
    return "invented for the game"


@dataclass(frozen=True)
class Bar:
    """A horizontal bar, drawn as inline SVG by the `bar` macro: it prints as drawn, unlike CSS
    backgrounds, which browsers leave off paper by default."""

    share: float
    label: str
    width: int = 100
    height: int = 12

    @property
    def filled(self) -> float:
        return round(min(1.0, max(0.0, self.share)) * self.width, 2)


def percent(part: int | float, whole: int | float) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"
