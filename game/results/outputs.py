"""Where the report may write: never over a results file it reads, nor over any SQLite database.

A teacher who types `--csv results.sqlite` (or a link to it) by mistake must not lose the class's
choices to a CSV. Files are compared by identity (device and inode, after following symbolic
links), so another spelling, a symbolic link or a hard link to an input is caught. An output
that does not exist yet is compared by where it would be created (its resolved path), which also
catches the journal beside an input (`results.sqlite-journal` holds an unfinished write).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from .db import SIDE_FILES, SQLITE_HEADER

FileId = tuple[int, int]


def _identity(path: Path) -> FileId | None:
    """(device, inode) of the file `path` leads to, or None when there is none yet."""
    try:
        info = os.stat(path)   # follows symbolic links
    except (FileNotFoundError, NotADirectoryError):
        return None
    return info.st_dev, info.st_ino


def _where(path: Path) -> str:
    """The place a new file would be created: symbolic links in the path (and a dangling one) followed."""
    return os.path.normcase(str(Path(path).resolve()))


def _is_sqlite(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def output_problem(inputs: Sequence[Path], outputs: Sequence[tuple[str, Path]]) -> str | None:
    """Why one of `outputs` (flag, path) must not be written, or None when all may be.

    Refused: an input (by identity), the journal or WAL file beside an input, an existing SQLite
    database of any name, a folder, a file that cannot be read to check, two outputs that are one file.
    """
    by_id: dict[FileId, Path] = {}
    by_place: dict[str, tuple[Path, str]] = {}
    for path in inputs:
        identity = _identity(path)
        if identity is not None:
            by_id[identity] = path
        for suffix in ("", *SIDE_FILES):
            by_place[_where(path.with_name(path.name + suffix))] = (path, suffix)
    taken: dict[FileId | str, tuple[str, Path]] = {}
    for flag, out in outputs:
        problem = _one_output(flag, out, by_id, by_place)
        if problem:
            return problem
        key: FileId | str = _identity(out) or _where(out)
        if key in taken:
            other_flag, other = taken[key]
            return f"{flag} {out} and {other_flag} {other} are the same file; give each its own name."
        taken[key] = (flag, out)
    return None


def _one_output(flag: str, out: Path, by_id: dict[FileId, Path], by_place: dict[str, tuple[Path, str]]) -> str | None:
    identity = _identity(out)
    source = by_id.get(identity) if identity is not None else None
    if source is None and _where(out) in by_place:
        source, suffix = by_place[_where(out)]
        if suffix:
            return (f"{flag} {out} is where the results file {source} keeps its {suffix.lstrip('-')} file "
                    "(an unfinished write); choose another name.")
    if source is not None:
        return (f"{flag} {out} is the results file {source} (the same file, perhaps through a link); "
                "the report never writes over a file it reads.")
    if identity is None:
        return None
    if out.is_dir():
        return f"{flag} {out} is a folder; give a file name."
    try:
        sqlite = _is_sqlite(out)
    except OSError as exc:
        return f"{flag} {out} cannot be read to check what it is ({exc.strerror or exc}); choose another name."
    if sqlite:
        return (f"{flag} {out} is an SQLite database (perhaps a results file); the report never writes over one. "
                "Choose another name.")
    return None
