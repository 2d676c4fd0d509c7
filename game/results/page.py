"""What the printable HTML pages share: escaping, provenance marks, bars and the page frame.

The pages work offline and on paper: inline CSS only, no scripts, no fonts or images fetched from
anywhere. Everything that comes from content or a results file goes through `esc`.
"""

from __future__ import annotations

import html

TYPEWRITER = '"Courier Prime", "Courier New", Courier, "Nimbus Mono PS", "Liberation Mono", "DejaVu Sans Mono", monospace'


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def refs_text(refs: tuple[int, ...] | list[int]) -> str:
    return ", ".join(f"¶{r}" for r in refs)


def mark(provenance: str, refs: tuple[int, ...] | list[int]) -> str:
    """The visible source of a line, as the game shows it: ¶12, adapted from ¶12, or invented."""
    if provenance == "record" and refs:
        return refs_text(refs)
    if provenance == "adapted" and refs:
        return f"adapted from {refs_text(refs)}"
    return "invented for the game"


def bar(share: float, width: int = 100, height: int = 12, label: str = "") -> str:
    """A horizontal bar as inline SVG: it prints as drawn, unlike CSS backgrounds."""
    share = min(1.0, max(0.0, share))
    filled = round(share * width, 2)
    title = f"<title>{esc(label)}</title>" if label else ""
    return (f'<svg class="bar" role="img" aria-label="{esc(label)}" width="{width * 2}" height="{height}" '
            f'viewBox="0 0 {width} {height}" preserveAspectRatio="none">{title}'
            f'<rect x="0" y="0" width="{width}" height="{height}" fill="#e4dccb" stroke="#6b5d45" stroke-width="0.4"/>'
            f'<rect x="0" y="0" width="{filled}" height="{height}" fill="#3b3222"/></svg>')


def percent(part: int | float, whole: int | float) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def page(title: str, css: str, body: str, lang: str = "en") -> str:
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>\n{css}\n</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
