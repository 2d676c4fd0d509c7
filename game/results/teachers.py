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
from ..engine.model import PlacesMap, Scenario
from ..engine.presentation import image_bytes
from .page import render

ORDER = ("README", "guide", "background", "vocabulary", "worksheet", "answers", "standards")
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
    places: PlacesMap | None = None   # the scenario's map and its words (None: the page has no map)
    map_src: str = ""                 # where the page finds the map's picture


def kit_folder(content: Path) -> Path | None:
    folder = content / "docs" / "teachers"
    return folder if folder.is_dir() and not folder.is_symlink() else None


def read_kit(content: Path, places: PlacesMap | None = None, map_src: str = "") -> Kit | None:
    """The kit of a content folder (None if it has none), with the scenario's map when it names
    one: `map_src` is where the page finds the picture (a data: URL from `map_data_url`, so a
    saved file needs nothing beside it, or the server's address)."""
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
    if not sections:
        return None
    return Kit(tuple(sections), places, map_src) if places is not None and map_src else Kit(tuple(sections))


def map_data_url(scenario: Scenario) -> str:
    """The scenario's map as a data: URL ("" if it has none, or it is no longer a usable PNG)."""
    places = scenario.presentation.map
    data = image_bytes(scenario, places.image) if places is not None else None
    return "data:image/png;base64," + base64.b64encode(data).decode() if data else ""


def teachers_html(kit: Kit, title: str) -> str:
    return render("print/teachers.html", kit=kit, title=title)
