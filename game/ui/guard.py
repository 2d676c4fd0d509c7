"""Keeping the window up: signals stop it cleanly, and an exception is logged and recovered from.

A kiosk runs unattended for weeks, so one bad moment must not leave a dead screen: the error is
written to the log, visitors see a short "One moment…" sheet and the attract loop comes back. If
it keeps failing (`limit` times within `window` seconds) the program exits with status 3, so the
system's supervisor (systemd `Restart=always`, see docs/kiosk.md) starts it afresh. In a desktop
window the player gets a page that says what happened; the game is saved at the last choice.

SDL turns SIGTERM and SIGINT into a window-close event, which a kiosk ignores on purpose, so SDL's
own handlers are switched off (`SDL_NO_SIGNAL_HANDLERS`) and these signals stop the loop instead.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import signal
import time
import traceback
from collections.abc import Callable
from pathlib import Path

CRASH_EXIT = 3
LOG_NAME = "moscow-1956.log"


class CrashLoop(Exception):
    """Too many failures in a short time: exit non-zero and let the supervisor restart."""


def disable_sdl_signal_handlers() -> None:
    """Before pygame.display.init(): let Python, not SDL, handle SIGTERM and SIGINT."""
    os.environ["SDL_NO_SIGNAL_HANDLERS"] = "1"


def make_logger(folder: Path) -> logging.Logger:
    """The game's log, in `folder` (one logger a folder: each test, each MOSCOW1956_HOME its own)."""
    logger = logging.getLogger(f"moscow-1956.{folder.resolve()}")
    if not logger.handlers:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handler: logging.Handler = logging.handlers.RotatingFileHandler(
                folder / LOG_NAME, maxBytes=512 * 1024, backupCount=2, encoding="utf-8")
        except OSError:
            handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


class StopFlag:
    """Set by SIGTERM, SIGINT or SIGHUP; the main loop checks it on every pass."""

    def __init__(self) -> None:
        self.signal: int | None = None

    def __bool__(self) -> bool:
        return self.signal is not None

    def install(self) -> None:
        def handler(signum, _frame) -> None:
            self.signal = signum

        for name in ("SIGTERM", "SIGINT", "SIGHUP"):
            sig = getattr(signal, name, None)
            if sig is not None:
                try:
                    signal.signal(sig, handler)
                except (ValueError, OSError):   # not the main thread, or not allowed here
                    pass


class Guard:
    """Counts failures and decides what happens after one."""

    def __init__(self, logger: logging.Logger, limit: int = 3, window: float = 600.0,
                 clock: Callable[[], float] = time.monotonic):
        self.logger = logger
        self.limit = limit
        self.window = window
        self.clock = clock
        self.failures: list[float] = []

    def failed(self, app, exc: BaseException) -> None:
        """Log `exc`, then recover (or raise CrashLoop when it keeps happening)."""
        now = self.clock()
        self.failures = [t for t in self.failures if now - t < self.window] + [now]
        scene = app.scene.name if app.scenes else "-"
        self.logger.error("failure %d in %.0f s on scene %s: %s\n%s", len(self.failures), self.window, scene,
                          exc, "".join(traceback.format_exception(exc)))
        if len(self.failures) >= self.limit:
            self.logger.error("%d failures within %.0f s: exiting with status %d for a restart",
                              len(self.failures), self.window, CRASH_EXIT)
            raise CrashLoop(str(exc))
        try:
            recover(app, exc)
        except Exception as again:  # the recovery itself broke: give up, the supervisor restarts
            self.logger.error("recovery failed: %s\n%s", again, "".join(traceback.format_exception(again)))
            raise CrashLoop(str(again)) from again


def recover(app, exc: BaseException) -> None:
    """After a failure: the kiosk shows "One moment…" then resets; a window shows what happened."""
    try:
        app.end_session()
    except Exception:  # recording must not stop the recovery
        app.session = None
    app.scenes.clear()
    app.restore_window_mode()
    app.relayout()
    app.flow.recover(app, exc)
    app.dirty = True
