"""What differs between the desktop window and the museum kiosk, decided in one place.

The scenes are the same in both; where a move or an offer depends on the mode (what "finish"
leads to, what the pause menu offers, whether the window can be closed, whether anything is
written to disk), a scene asks the app's flow instead of checking for a kiosk itself. The app
makes its flow when its `kiosk` is set (App.kiosk).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from .memory import release_free_memory

if TYPE_CHECKING:
    from ..session.play import PlaySession
    from .app import App
    from .kiosk import Kiosk

VISITOR_INPUT = (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEWHEEL, pygame.FINGERDOWN)


class WindowFlow:
    """The desktop window: a title screen to come back to, files saved, quitting allowed."""

    kiosk: Kiosk | None = None
    touch = False              # the words may name keys (wording.py)
    can_quit = True            # the window close and the Quit buttons end the game
    saves = True               # the autosave, the settings, the minutes and the teacher's kit go to disk
    staff_settings = True      # the settings offer typing, fullscreen and locking choices too
    fixed_fullscreen = False   # F11 and the settings may leave fullscreen
    after_debrief_label = "Title screen"
    players = "players"        # who "How … chose" counts

    def start(self, app: App, message: str = "") -> None:
        """The first scene when the window opens."""
        app.go("title", message=message)

    def after_debrief(self, app: App) -> None:
        """After the debrief: the talks were recorded as finished, back to the title, and the
        memory the session used handed back (as a kiosk reset does)."""
        app.session = None
        app.go("title")
        release_free_memory()

    def leave(self, app: App) -> None:
        """Out of the talks before their end (the pause menu): they stay saved."""
        app.end_session()
        app.go("title")
        release_free_memory()

    def menu_exits(self, app: App, session: PlaySession) -> list[tuple[str, Callable[[], None]]]:
        """The pause menu's last entries: the ways out of the talks."""
        saved = " (the game is saved)" if session.log is not None else ""
        return [(f"Leave to the title screen{saved}", lambda: self.leave(app)), (f"Quit the game{saved}", app.quit)]

    def intercept(self, app: App, event: pygame.event.Event) -> bool:
        """An event the mode itself takes before the scene sees it; True when taken."""
        return False

    def tick(self, app: App) -> bool:
        """Time-driven moves of the mode; True if a redraw is due."""
        return False

    def recover(self, app: App, exc: BaseException) -> None:
        """After a failure (guard.py): say what happened, with the way back to the title."""
        app.go("problem", exc=exc)


class KioskFlow(WindowFlow):
    """The museum kiosk: the attract loop instead of a title, nothing kept, no way out but the
    admin chord (game/ui/kiosk.py holds its timing and its resets)."""

    touch = True
    can_quit = False
    saves = False
    staff_settings = False
    fixed_fullscreen = True
    after_debrief_label = "Finish"
    players = "visitors"

    def __init__(self, kiosk: Kiosk):
        self.kiosk = kiosk

    def start(self, app: App, message: str = "") -> None:
        self.kiosk.touched()
        app.go("attract", kiosk=self.kiosk)

    def after_debrief(self, app: App) -> None:
        self.kiosk.visit_over(app)

    def leave(self, app: App) -> None:
        self.kiosk.reset(app)

    def menu_exits(self, app: App, session: PlaySession) -> list[tuple[str, Callable[[], None]]]:
        return [("Start again", lambda: self.leave(app))]

    def intercept(self, app: App, event: pygame.event.Event) -> bool:
        """Any touch or key keeps the visit alive; the admin chord opens the admin screen."""
        if event.type not in VISITOR_INPUT:
            return False
        self.kiosk.touched()
        if self.kiosk.is_admin_chord(event):
            app.go("admin", kiosk=self.kiosk)
            return True
        return False

    def tick(self, app: App) -> bool:
        return self.kiosk.tick(app)

    def recover(self, app: App, exc: BaseException) -> None:
        """First "One moment…", then the attract loop: a visitor never sees a traceback."""
        app.go("one-moment", kiosk=self.kiosk)
