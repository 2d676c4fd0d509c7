"""Writing files so that a crash or a power cut never leaves half a file behind.

A write goes to a temporary file beside the target (`.name.<pid>.<random>.tmp`), is flushed to
disk and renamed over the target. A process killed between the two leaves its temporary file;
`remove_orphans` deletes those of processes that no longer run, so they never pile up.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d{1,10})\.[A-Za-z0-9_]{1,32}\.tmp$")
ORPHAN_AGE = 3600.0   # where it cannot be told whether a process runs, a temp file this old is dead


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename over `path`."""
    write_atomic_with(path, lambda handle: handle.write(text))


def write_atomic_with(path: Path, write: Callable[[TextIO], object]) -> None:
    """As `write_atomic`, with `write` writing the text piece by piece (a large file never whole in memory)."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def _alive(pid: int) -> bool | None:
    """True or False where the platform can tell; None where it cannot."""
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True   # another user's live process
    except OSError:
        return None
    return True


def remove_orphans(folder: Path) -> int:
    """Delete temporary files left in `folder` by writes whose process died; returns how many."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    now = time.time()
    for entry in entries:
        m = _TEMP.match(entry.name)
        if m is None:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            alive = _alive(int(m.group("pid")))
            if alive is None:
                alive = now - entry.stat(follow_symlinks=False).st_mtime < ORPHAN_AGE
            if not alive:
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed


def set_aside(path: Path) -> Path:
    """Move a damaged file out of the way (never delete it): `name.corrupt-<time>`."""
    target = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}-{n}")
    os.replace(path, target)
    return target
