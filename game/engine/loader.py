"""Read a content folder (manifests, sources, glossary, dialogue) into `Loaded` scenarios.

The loader only reads: the manifest and the files beside it in manifest_reader.py, the dialogue
in dialogue_reader.py. It keeps reading after a problem, so an author sees every diagnostic in one
run. The semantic checks are validator.py's; `load_scenario` and `validate_folder` (checked.py)
put reading and checking together.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .content_files import ContentRoot
from .diagnostics import Diagnostics, Origin
from .folders import GLOSSARY, MANIFEST, SOURCES, WITNESSES, dialogue_files, is_folder, scenario_folders
from .loaded import Loaded


class Shown:
    """Turns real paths into the paths printed in diagnostics (as the user named the folder)."""

    def __init__(self, root: Path, shown_root: str):
        self.root = root
        self.shown_root = shown_root

    def __call__(self, path: Path) -> str:
        rel = os.path.relpath(path, self.root)
        return rel if self.shown_root in ("", ".") else os.path.join(self.shown_root, rel)


def shown_root_for(content: Path) -> str:
    """How to print the content folder: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(content)
    except ValueError:
        return str(content)
    return str(content) if rel.startswith("..") else rel


def find_scenarios(root: ContentRoot, shown: Shown, diags: Diagnostics) -> list[Path]:
    """The scenario folders (those holding a manifest), sorted; junk and unreadable folders reported."""
    top = root.given / "scenarios"
    if root.resolve(top) is None:
        diags.add(Origin(shown(top)), "E012", "link", what="the scenarios folder")
        return []
    return scenario_folders(root, shown, diags, MANIFEST)


def listing(content: Path) -> list[str]:
    """The files the loader would consider, without reading any of them: the manifests, the glossary
    and sources files present, and the dialogue files. With the bytes of every file read, this is
    what makes a cached scenario the same as a fresh load (cache.py)."""
    diags = Diagnostics()
    root = ContentRoot.of(content)
    shown = Shown(content, "")
    out = []
    for folder in find_scenarios(root, shown, diags):
        out += [root.relative(folder / name) for name in (MANIFEST, GLOSSARY, SOURCES, WITNESSES)
                if os.path.lexists(folder / name)]
        dialogue = content / "dialogue" / folder.name
        if root.resolve(dialogue) is not None and is_folder(dialogue, root):
            out += [root.relative(p) for p in dialogue_files(root, dialogue, shown, diags)]
    return out


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Loading builds hundreds of thousands of small acyclic objects; the cyclic garbage
    collector would rescan them again and again (loading time grew faster than linearly).

    On the way out they are frozen (moved where the collector never scans) before it is turned
    back on: what survives a load is the scenario, kept as long as it is played, and the first
    collections after loading would otherwise walk all of it. Frozen objects are still freed
    when nothing refers to them; only a reference cycle among them would outlive its use."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()


def load_folder(content: Path, shown_root: str | None = None) -> tuple[list[Loaded], Diagnostics]:
    """Read every scenario under `content` (no semantic checks yet)."""
    loaded, diags, _root = read_folder(content, shown_root)
    return loaded, diags


def read_folder(content: Path, shown_root: str | None = None) -> tuple[list[Loaded], Diagnostics, ContentRoot]:
    """`load_folder`, and the content root that knows every file read (for the cache)."""
    with no_cycle_collection():
        return _load_folder(content, shown_root)


def _load_folder(content: Path, shown_root: str | None) -> tuple[list[Loaded], Diagnostics, ContentRoot]:
    # Imported here: the readers bring in PyYAML and the field checks, which a game started from
    # the cache never needs (it asks this module only for `listing`).
    from .manifest_reader import read_scenario

    diags = Diagnostics()
    root = ContentRoot.of(content)
    shown = Shown(content, shown_root if shown_root is not None else shown_root_for(content))
    folders = find_scenarios(root, shown, diags)
    if not folders:
        diags.add(Origin(shown(content / "scenarios")), "E501", "none", folder=shown(content / "scenarios"),
                  manifest=MANIFEST)
        return [], diags, root
    loaded = []
    for folder in folders:
        item = read_scenario(folder, root, shown, diags)
        if item:
            loaded.append(item)
    return loaded, diags, root
