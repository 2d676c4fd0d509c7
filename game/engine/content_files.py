"""Reading files that someone else put there: a content folder, a kiosk config, the cache.

A content folder comes from a teacher's USB stick or a shared drive, so a file in it may be a
named pipe (reading it never ends), a link to /dev/zero (it never ends either) or /dev/stdin, a
link or a `../` path out of the folder (to /etc/shadow), or a 600 MB PDF. The rule here:
only regular files are read; inside a content folder, only files whose resolved path stays inside
it; every size is checked before a byte is read, and no read takes more than the cap. A file is
opened without blocking and checked again once open, so swapping it for a pipe in between does
not help. Every file read is remembered with a hash of its bytes (and every file looked for and not
found, as ABSENT): the cache of checked content is keyed by exactly those files (cache.py).
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostics, Origin
from .limits import MAX_BYTES, MAX_TOTAL_BYTES, MAX_TOTAL_VALUES

_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
ABSENT = "absent"   # in `reads`: a file the loader looked for and did not find (its appearing matters too)
_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


@dataclass
class ContentRoot:
    """One content folder, resolved once; it counts what has been read from it."""

    given: Path
    real: Path
    bytes_left: int = MAX_TOTAL_BYTES
    values_left: int = MAX_TOTAL_VALUES
    reads: dict[str, str] = field(default_factory=dict)   # path as named, relative to the folder -> sha256 or ABSENT

    @classmethod
    def of(cls, content: Path) -> ContentRoot:
        return cls(content, Path(os.path.realpath(content)))

    def resolve(self, path: Path) -> Path | None:
        """The real path of `path` if it stays inside the folder, else None."""
        real = Path(os.path.realpath(path))
        return real if real == self.real or real.is_relative_to(self.real) else None

    def note_absent(self, path: Path) -> None:
        """Remember that `path` was looked for and is not there: an image that is not beside the
        manifest is taken from the game's own art, so one put there later changes what is shown."""
        self.reads.setdefault(self.relative(path), ABSENT)

    def relative(self, path: Path) -> str:
        """`path` (as the loader named it, links unresolved) relative to the folder."""
        return Path(os.path.relpath(path, self.given)).as_posix()


def kind_of(mode: int) -> str | None:
    """'a named pipe', 'a device', … for anything that is not a regular file."""
    return next((name for test, name in _KINDS if test(mode)), None if stat.S_ISREG(mode) else "not a regular file")


def read_bytes(path: Path, shown: str, diags: Diagnostics, root: ContentRoot | None = None,
               limit: int = MAX_BYTES) -> bytes | None:
    """The bytes of one regular file (inside `root`, when given), or None with a diagnostic."""
    where = Origin(shown)
    real = root.resolve(path) if root is not None else Path(os.path.realpath(path))
    if real is None:
        diags.add(where, "E012", "outside", what="this file")
        return None
    try:
        info = os.stat(real)
    except OSError as exc:
        diags.add(where, "E001", "file", reason=exc.strerror or exc)
        return None
    if not _usable(info, where, diags, limit, root):
        return None
    data = _read_open(real, info, where, diags, limit)
    if data is None:
        return None
    if root is not None:
        root.bytes_left -= len(data)
        root.reads[root.relative(path)] = hashlib.sha256(data).hexdigest()
    return data


def _usable(info: os.stat_result, where: Origin, diags: Diagnostics, limit: int, root: ContentRoot | None) -> bool:
    kind = kind_of(info.st_mode)
    if kind == "a folder":
        diags.add(where, "E001", "file", reason="it is a folder")
        return False
    if kind is not None:
        diags.add(where, "E011", "kind", kind=kind)
        return False
    if info.st_size > limit:
        diags.add(where, "E004", "size", size=info.st_size, limit=limit)
        return False
    if root is not None and info.st_size > root.bytes_left:
        diags.add(where, "E013", "bytes", limit=MAX_TOTAL_BYTES)
        return False
    return True


def _read_open(real: Path, info: os.stat_result, where: Origin, diags: Diagnostics, limit: int) -> bytes | None:
    """Open without blocking, check that it is still the same regular file, read at most `limit`."""
    try:
        fd = os.open(real, _OPEN_FLAGS | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        diags.add(where, "E001", "file", reason=exc.strerror or exc)
        return None
    try:
        now = os.fstat(fd)
        if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (info.st_dev, info.st_ino):
            diags.add(where, "E011", "changed")
            return None
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        diags.add(where, "E001", "file", reason=exc.strerror or exc)
        return None
    finally:
        os.close(fd)
    if size > limit:
        diags.add(where, "E004", "grew", limit=limit)
        return None
    return b"".join(chunks)
