"""Find PostgreSQL's server programs for the tests, or install them, or say how: `make test` runs this first.

The PostgreSQL tests start a throw-away cluster of their own (tests/pg_support.py), so they need
`initdb` and `pg_ctl`, not a running server. In order: the `PG_BIN` variable (a folder); PATH;
Debian's `/usr/lib/postgresql/<version>/bin` (the newest); as root on Debian,
`apt-get install -y postgresql`. Prints the folder on success; otherwise exits 1 with a message
that says how to install it. The PostgreSQL tests are never skipped for want of a server.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

PROGRAMS = ("initdb", "pg_ctl")
DEBIAN_GLOB = "/usr/lib/postgresql/*/bin"


def works(folder: Path) -> bool:
    """Both programs are in `folder` and answer `--version` (a broken install is not a find)."""
    for name in PROGRAMS:
        program = folder / name
        if not program.is_file():
            return False
        try:
            done = subprocess.run([str(program), "--version"], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return False
        if done.returncode != 0:
            return False
    return True


def _version(folder: str) -> tuple[int, ...]:
    """The version in a Debian folder's name (.../postgresql/15/bin -> (15,)), for picking the newest."""
    match = re.search(r"/postgresql/([0-9.]+)/bin$", folder)
    return tuple(int(part) for part in match.group(1).split(".") if part) if match else ()


def candidates() -> list[Path]:
    """Where the programs may be, best first."""
    found: list[Path] = []
    given = os.environ.get("PG_BIN")
    if given:
        found.append(Path(given))
    on_path = shutil.which("initdb")
    if on_path:
        found.append(Path(on_path).resolve().parent)   # the folder of the real program, not of a link to it
    found += [Path(f) for f in sorted(glob.glob(DEBIAN_GLOB), key=_version, reverse=True)]
    return found


def find() -> Path | None:
    """The first folder that holds working `initdb` and `pg_ctl`, or None."""
    for folder in candidates():
        if works(folder):
            return folder
    return None


def apt_install() -> Path | None:
    """As root on Debian or Ubuntu: install the distribution's PostgreSQL (its server is not started here)."""
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        return None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for step in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "postgresql"]):
        try:
            subprocess.run(step, capture_output=True, timeout=1800, check=True, env=env)
        except (OSError, subprocess.SubprocessError):
            if step[1] == "update":
                continue   # an old package list may still have postgresql
            return None
    return find()


HOW_TO_INSTALL = (
    "No PostgreSQL server programs (initdb, pg_ctl) for the PostgreSQL tests, and none could be installed here.\n"
    "The tests start a throw-away server of their own; they only need the programs. Install them, then run\n"
    "make test again:\n"
    "  Debian/Ubuntu:  sudo apt-get install postgresql\n"
    "  Fedora:         sudo dnf install postgresql-server\n"
    "  macOS:          brew install postgresql\n"
    "or point PG_BIN at the folder that holds initdb and pg_ctl: make test PG_BIN=/path/to/postgresql/bin"
)


def main() -> int:
    given = os.environ.get("PG_BIN")
    if given and not works(Path(given)):
        print(f"PG_BIN={given} does not hold working {' and '.join(PROGRAMS)} (tried: {given}/initdb --version).",
              file=sys.stderr)
        return 1
    found = find() or apt_install()
    if found:
        print(found)
        return 0
    print(HOW_TO_INSTALL, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
