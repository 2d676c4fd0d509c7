"""The teacher's kit as one printable page: docs/teachers/*.md of the content folder, in the
order a teacher reads them, with the map, from the title screen ("For teachers") or the browser
edition's /teachers. Markdown is rendered by markdown-it (CommonMark and tables; raw HTML in a
file is shown as text, never run), links between the kit's files become links within the page."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path

from ..engine.content_files import ContentRoot, read_bytes
from ..engine.diagnostics import Diagnostics
from .page import render

ORDER = ("README", "guide", "background", "vocabulary", "worksheet", "answers", "standards")
MAP = Path("art") / "out" / "map.png"
MAX_FILE = 512 * 1024
_LINK = re.compile(r'href="(?:\./)?([A-Za-z0-9_-]+)\.md(#[^"]*)?"')
_MAP_LINK = re.compile(r'href="[^"]*art/out/map\.png"')


@dataclass(frozen=True)
class KitSection:
    id: str
    html: str          # rendered by markdown-it from the file: its own text escaped


@dataclass(frozen=True)
class Kit:
    sections: tuple[KitSection, ...]
    map_src: str       # "" when the content has no map


def kit_folder(content: Path) -> Path | None:
    folder = content / "docs" / "teachers"
    return folder if folder.is_dir() and not folder.is_symlink() else None


def read_kit(content: Path, map_src: str | None = None) -> Kit | None:
    """The kit of a content folder (None if it has none). `map_src` is where the page finds the
    map; by default the map is put inside the page, so a saved file needs nothing beside it."""
    from markdown_it import MarkdownIt

    folder = kit_folder(content)
    if folder is None:
        return None
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    names = [n for n in ORDER if (folder / f"{n}.md").is_file()]
    names += sorted(p.stem for p in folder.glob("*.md") if p.stem not in ORDER and p.is_file())
    root = ContentRoot.of(content)
    sections = []
    for name in names:
        data = read_bytes(folder / f"{name}.md", name, Diagnostics(), root, MAX_FILE)   # a bad file is left out
        if data is None:
            continue
        html = md.render(data.decode("utf-8", "replace"))
        html = _LINK.sub(lambda m: f'href="#{m.group(1).lower()}"', html)
        html = _MAP_LINK.sub('href="#map"', html)
        sections.append(KitSection(name.lower(), html))
    map_path = content / MAP
    if map_src is None:
        raw = read_bytes(map_path, "map", Diagnostics(), root, 4 * 1024 * 1024) if map_path.is_file() else None
        map_src = "data:image/png;base64," + base64.b64encode(raw).decode() if raw else ""
    elif not map_path.is_file():
        map_src = ""
    return Kit(tuple(sections), map_src) if sections else None


def teachers_html(kit: Kit, title: str) -> str:
    return render("print/teachers.html", kit=kit, title=title)
