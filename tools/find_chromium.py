"""Find a Chromium for the browser tests, or install one, or say how: `make test` runs this first.

In order: the `CHROMIUM` variable; a Chromium on PATH; as root on Debian, `apt-get install -y
chromium`; Playwright's own download (only where its download host is reachable; bounded to two
minutes). Prints the executable's
path on success; otherwise exits 1 with a message that says how to install one. The tests are
never skipped for want of a browser.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def works(path: str) -> bool:
    try:
        done = subprocess.run([path, "--headless", "--no-sandbox", "--disable-gpu", "--version"], capture_output=True,
                              text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def on_path() -> str | None:
    for name in NAMES:
        found = shutil.which(name)
        if found and works(found):
            return found
    return None


def playwright_download() -> str | None:
    """Playwright's own Chromium (it downloads one; this fails quickly where nothing can be reached)."""
    try:
        subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], capture_output=True, timeout=120,
                       check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    cache = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH", Path.home() / ".cache" / "ms-playwright"))
    for candidate in sorted(glob.glob(str(cache / "chromium-*" / "chrome-linux*" / "chrome")), reverse=True):
        if works(candidate):
            return candidate
    return None


def apt_install() -> str | None:
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        return None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for step in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]):
        try:
            subprocess.run(step, capture_output=True, timeout=1800, check=True, env=env)
        except (OSError, subprocess.SubprocessError):
            if step[1] == "update":
                continue   # an old package list may still have chromium
            return None
    return on_path()


def main() -> int:
    given = os.environ.get("CHROMIUM")
    if given:
        if works(given):
            print(given)
            return 0
        print(f"CHROMIUM={given} does not run (tried: {given} --headless --version).", file=sys.stderr)
        return 1
    for way in (on_path, apt_install, playwright_download):
        found = way()
        if found:
            print(found)
            return 0
    print("No Chromium for the browser tests, and none could be installed here.\n"
          "Install one, then run make test again:\n"
          "  Debian/Ubuntu:  sudo apt-get install chromium\n"
          "  Fedora:         sudo dnf install chromium\n"
          "  macOS:          brew install --cask chromium\n"
          "or point CHROMIUM at a Chromium or Chrome executable: make test CHROMIUM=/path/to/chrome",
          file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
