"""Which files of a content folder are content: the scenario folders and the dialogue files.

A folder copied from a Mac, edited in Emacs or opened in Office holds files that look like content
and are not (`._main.yaml`, `.#main.yaml`, `~$main.yaml`): they are skipped with a notice (W001).
Names that are almost content files (`Extra.YAML`, `extra.yml`, `extra.yaml.txt`) are not read,
with a warning (W002), because the author surely meant them to be. A folder that cannot be listed
is an error (E001), never silently skipped; a name that is not UTF-8 is reported with a safe
spelling (E014). Links to folders are followed only when they stay inside the content folder,
and each folder is visited once, so a link loop ends.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from .content_files import ContentRoot
from .diagnostics import Diagnostics, Origin
from .limits import MAX_ENTRIES, MAX_FILES, MAX_FOLDER_DEPTH
from .safe_text import visible

SUFFIX = ".yaml"
# The files a scenario folder may hold (the manifest marks a scenario folder; the others are optional).
MANIFEST = "scenario.yaml"
GLOSSARY = "glossary.yaml"
SOURCES = "sources.yaml"
WITNESSES = "witnesses.yaml"
_JUNK_FILES = (("._", "a macOS metadata file"), (".#", "an Emacs lock file"), ("~$", "an Office lock file"),
               (".~lock.", "a LibreOffice lock file"), (".", "a hidden file"))
_JUNK_FOLDERS = {"__MACOSX": "macOS archive metadata"}
_NEAR = (".yaml", ".yml", ".yaml.txt", ".yml.txt")

Shown = Callable[[Path], str]


def utf8_name(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def junk_kind(name: str) -> str | None:
    """What kind of leftover a file is (by its name), or None for an ordinary file."""
    if name.endswith("~") or (name.startswith("#") and name.endswith("#")):
        return "an editor's backup file"
    return next((kind for prefix, kind in _JUNK_FILES if name.startswith(prefix)), None)


def near_miss(name: str) -> str | None:
    """The name an author probably meant, when `name` is almost a content file name."""
    if name.endswith(SUFFIX):
        return None
    stripped = name.rstrip(" .")
    lower = stripped.lower()
    for ending in _NEAR:
        if lower.endswith(ending):
            return stripped[: -len(ending)] + SUFFIX
    return None


def _bad_name(path: Path, shown: Shown, diags: Diagnostics) -> None:
    diags.add(Origin(shown(path)), "E014", name=visible(path.name))


def is_folder(path: Path, root: ContentRoot) -> bool:
    """A folder that may be entered: a real folder, or a link to a folder inside the content folder."""
    return _is_dir(path) and (not path.is_symlink() or root.resolve(path) is not None)


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _outside(path: Path, root: ContentRoot, shown: Shown, diags: Diagnostics) -> bool:
    """True (with E012) for a folder that is a link out of the content folder."""
    if root.resolve(path) is not None:
        return False
    diags.add(Origin(shown(path)), "E012", "link", what="this folder")
    return True


def scenario_folders(root: ContentRoot, shown: Shown, diags: Diagnostics, manifest: str) -> list[Path]:
    """`scenarios/<id>/` folders that hold a manifest, in sorted order."""
    top = root.given / "scenarios"
    out = []
    for entry in _list(top, shown, diags):
        path = top / entry
        if not utf8_name(entry):
            if is_folder(path, root):
                _bad_name(path, shown, diags)
            continue
        if entry.startswith(".") or entry in _JUNK_FOLDERS or not _is_dir(path) or _outside(path, root, shown, diags):
            continue
        if os.path.lexists(path / manifest):
            out.append(path)
        else:
            near_files(path, (manifest,), shown, diags)
    return out


def near_files(folder: Path, names: tuple[str, ...], shown: Shown, diags: Diagnostics) -> None:
    """W002 for files of `folder` that are almost one of `names` (`Glossary.yml`), when that one is absent."""
    wanted = {name.lower(): name for name in names}
    for entry in _list(folder, shown, diags, quiet=True):
        meant = wanted.get((near_miss(entry) or entry).lower())
        if meant and entry != meant and not os.path.lexists(folder / meant) and utf8_name(entry):
            diags.add(Origin(shown(folder / entry)), "W002", "side_file", meant=meant)


def dialogue_files(root: ContentRoot, folder: Path, shown: Shown, diags: Diagnostics) -> list[Path]:
    """Every `*.yaml` file below `folder`, sorted by path; junk, near misses and problems reported."""
    found: list[Path] = []
    seen: set[str] = set()
    stack = [(folder, 0)]
    while stack:
        current, depth = stack.pop()
        real = os.path.realpath(current)
        if real in seen:
            continue
        seen.add(real)
        for entry in _list(current, shown, diags):
            path = current / entry
            if _is_dir(path):
                if _enter(path, entry, depth, shown, diags) and not _outside(path, root, shown, diags):
                    stack.append((path, depth + 1))
            elif _content_file(path, entry, shown, diags):
                found.append(path)
        if len(found) > MAX_FILES:
            diags.add(Origin(shown(folder)), "E013", "files", limit=MAX_FILES)
            return []
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def _enter(path: Path, entry: str, depth: int, shown: Shown, diags: Diagnostics) -> bool:
    if not utf8_name(entry):
        _bad_name(path, shown, diags)
        return False
    if entry in _JUNK_FOLDERS:
        diags.add(Origin(shown(path)), "W001", "folder", kind=_JUNK_FOLDERS[entry])
        return False
    if entry.startswith("."):
        return False   # .git, .Trashes, .Spotlight-V100: never content, and never worth a word
    if depth + 1 > MAX_FOLDER_DEPTH:
        diags.add(Origin(shown(path)), "E013", "depth", limit=MAX_FOLDER_DEPTH)
        return False
    return True


def _content_file(path: Path, entry: str, shown: Shown, diags: Diagnostics) -> bool:
    """Whether a file is to be read; junk and near misses are reported."""
    yaml_like = entry.endswith(SUFFIX) or near_miss(entry) is not None
    if not yaml_like:
        return False
    if not utf8_name(entry):
        _bad_name(path, shown, diags)
        return False
    kind = junk_kind(entry)
    if kind is not None:
        diags.add(Origin(shown(path)), "W001", "file", kind=kind)
        return False
    meant = near_miss(entry)
    if meant is not None:
        diags.add(Origin(shown(path)), "W002", "suffix", suffix=SUFFIX, meant=visible(meant))
        return False
    return True


def _list(folder: Path, shown: Shown, diags: Diagnostics, quiet: bool = False) -> list[str]:
    """The names in a folder, sorted; a folder that exists but cannot be listed, or that holds more
    than MAX_ENTRIES names, is an error."""
    try:
        with os.scandir(folder) as entries:
            names = []
            for entry in entries:
                names.append(entry.name)
                if len(names) > MAX_ENTRIES:
                    if not quiet:
                        diags.add(Origin(shown(folder)), "E013", "entries", limit=MAX_ENTRIES)
                    return []
            return sorted(names)
    except FileNotFoundError:
        return []
    except OSError as exc:
        if not quiet:
            diags.add(Origin(shown(folder)), "E001", "folder", reason=exc.strerror or exc)
        return []
