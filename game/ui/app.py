"""The window: one pygame-ce display, a stack of scenes, and a loop that sleeps when idle.

When no scene is animating, the loop sleeps between short polls of the event queue (cheaper
than pygame-ce's own blocking wait, see `run`) and draws only after something changed. Scenes lay
out in design pixels (see viewport.py) and are laid out again when the window is resized or the
settings change.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from ..engine.model import Image, Scenario
from ..engine.presentation import image_bytes
from ..paths import game_files
from ..session.log import ChoiceLog
from ..session.play import PlaySession, ResultsWriter
from .flow import KioskFlow, WindowFlow
from .fonts import FontBook
from .guard import Guard, StopFlag
from .routes import ROUTES
from .settings import Settings, save_settings
from .text import sanitize
from .theme import ARCHIVE, HIGH_CONTRAST, TEXT_SCALES, Theme
from .viewport import Viewport

if TYPE_CHECKING:
    from .kiosk import Kiosk
    from .scenes.base import Scene

ART = game_files() / "art" / "out"


def _ready(image: pygame.Surface) -> pygame.Surface:
    """Converted for the screen: opaque art (paper, desk) blits several times faster without
    per-pixel alpha."""
    transparent = image.get_flags() & pygame.SRCALPHA or image.get_colorkey() is not None
    return image.convert_alpha() if transparent else image.convert()


def autosave_path() -> Path:
    from ..paths import data_dir

    return data_dir() / "autosave.log"

MIN_SIZE = (960, 540)
IDLE_POLL = 1 / 30  # seconds between event polls when nothing moves


class App:
    def __init__(self, scenario: Scenario, settings: Settings, size: tuple[int, int] = (1280, 720),
                 content: Path | None = None, screen: pygame.Surface | None = None):
        """A window of `size` (or fullscreen, as the settings say), opened here; or `screen`, a
        window already open (the splash's, so the first frame is not thrown away), used as it is."""
        pygame.display.init()
        pygame.font.init()
        self.scenario = scenario
        self.settings = settings
        self.content = content
        flags = pygame.RESIZABLE | (pygame.FULLSCREEN if settings.fullscreen else 0)
        pygame.display.set_caption(f"{scenario.title} — {scenario.subtitle}" if scenario.subtitle else scenario.title)
        icon = ART / "icon.png"
        if icon.is_file():
            try:
                pygame.display.set_icon(pygame.image.load(str(icon)))
            except pygame.error:
                pass
        self.screen = screen if screen is not None else pygame.display.set_mode(
            size if not settings.fullscreen else (0, 0), flags)
        self.viewport = Viewport(*self.screen.get_size())
        self.fonts = FontBook(self.viewport.scale, TEXT_SCALES[settings.text_size])
        self.scenes: list = []
        self.running = False
        self.dirty = True
        self.show_focus = False
        self.session: PlaySession | None = None   # the talks in progress, if any
        self.kiosk = None       # set by kiosk mode (game/ui/kiosk.py); sets the flow too
        self.results: ResultsWriter | None = None   # where sessions are recorded, when recording
        self.path_choice = "full"   # the length chosen on the title screen
        self.clock = time.monotonic   # tests replace it to step time by hand
        self.guard: Guard | None = None   # set by the command line: log and recover from failures
        self.stop: StopFlag | bool = False   # set by SIGTERM/SIGINT (guard.StopFlag)
        self._images: dict[str, pygame.Surface | None] = {}
        self._pictures: dict[Image, pygame.Surface | None] = {}
        self._scaled: dict[tuple[str | Image, tuple[int, int]], pygame.Surface | None] = {}
        self._text: dict[tuple, pygame.Surface] = {}
        self.looks: dict[tuple, pygame.Surface] = {}   # buttons as drawn (widgets/button.py)
        self._layers: dict[str, pygame.Surface] = {}
        self._painted: dict[str, tuple] = {}   # layer name -> the key it was last painted for

    @property
    def kiosk(self) -> Kiosk | None:
        return self._kiosk

    @kiosk.setter
    def kiosk(self, kiosk: Kiosk | None) -> None:
        """Kiosk mode or not: the flow that makes the mode's decisions comes with it (flow.py)."""
        self._kiosk = kiosk
        self.flow: WindowFlow = KioskFlow(kiosk) if kiosk is not None else WindowFlow()

    def now(self) -> float:
        return self.kiosk.clock() if self.kiosk is not None else self.clock()

    @property
    def touch(self) -> bool:
        """A kiosk is a touch screen: its words never name keys (see wording.py)."""
        return self.flow.touch

    # --- look -----------------------------------------------------------------------------------

    @property
    def theme(self) -> Theme:
        return HIGH_CONTRAST if self.settings.high_contrast else ARCHIVE

    def image(self, name: str) -> pygame.Surface | None:
        """One of the game's own art files (the paper, the desk, the invented stamp)."""
        if name not in self._images:
            path = ART / name
            try:
                self._images[name] = _ready(pygame.image.load(str(path))) if path.is_file() else None
            except pygame.error:
                self._images[name] = None
        return self._images[name]

    def picture(self, image: Image) -> pygame.Surface | None:
        """A picture the scenario names (a flag, its emblem), read again under the content rules
        (engine/presentation.image_bytes); None if it is no longer a usable PNG."""
        if image not in self._pictures:
            data = image_bytes(self.scenario, image)
            try:
                self._pictures[image] = _ready(pygame.image.load(io.BytesIO(data), "picture.png")) if data else None
            except pygame.error:
                self._pictures[image] = None
        return self._pictures[image]

    def texture(self, name: str | Image | None, size: tuple[int, int]) -> pygame.Surface | None:
        """An art file, or a picture of the scenario, scaled to `size` once and reused (None in
        high contrast for the paper and the desk, for no picture, or if missing)."""
        if name is None:
            return None
        if isinstance(name, str) and not self.theme.use_textures and name.startswith(("paper", "desk")):
            return None
        key = (name, size)
        if key not in self._scaled:
            source = self.image(name) if isinstance(name, str) else self.picture(name)
            self._scaled[key] = pygame.transform.smoothscale(source, size) if source is not None and size[0] > 0 and size[1] > 0 else None
        return self._scaled[key]

    def layer(self, name: str) -> pygame.Surface:
        """A window-sized surface kept for reuse: allocating 8 MB per line fragmented memory."""
        surface = self._layers.get(name)
        if surface is None or surface.get_size() != self.screen.get_size():
            surface = self._layers[name] = pygame.Surface(self.screen.get_size()).convert()
        return surface

    def composed(self, name: str, key: tuple, paint: Callable[[pygame.Surface], None]) -> pygame.Surface:
        """The layer `name`, painted by `paint` only when `key`, the window size, the theme or the
        text size changed since it was last painted (relayout forgets every key): a 4K frame that
        repainted the desk, the seating plan and the header after each new line took 28 ms."""
        surface = self.layer(name)
        full_key = (key, surface.get_size(), self.theme.name)
        if self._painted.get(name) != full_key:
            paint(surface)
            self._painted[name] = full_key
        return surface

    def render(self, text: str, role: str, size: float, colour, scaled: bool = True) -> pygame.Surface:
        """Rendered text, cached; `scaled=False` ignores the text-size setting (labels that must fit
        a fixed box, like the seats of the seating plan)."""
        key = (text, role, self.fonts.pixel_size(size, scaled), tuple(colour))
        surface = self._text.get(key)
        if surface is None:
            if len(self._text) > 4000:
                self._text.clear()
            surface = self.fonts.get(role, size, scaled).render(sanitize(text), True, colour)
            self._text[key] = surface
        return surface

    # --- sessions ---------------------------------------------------------------------------------

    def new_session(self, role: str, path: str, replay: bool = False) -> PlaySession:
        """A session of the talks as this window plays them: autosaved (not in a kiosk, not a
        replay), recorded when results are on, locked when the settings say so."""
        log = None if not self.flow.saves or replay else ChoiceLog(autosave_path())
        return PlaySession(self.scenario, role, path, replay=replay, lock=self.settings.lock_choices and not replay,
                           log=log, results=self.results)

    def end_session(self) -> None:
        """Leaving the talks before their end (to the title, a kiosk reset, the window closing)."""
        if self.session is not None:
            self.session.cut_short()
            self.session = None

    # --- scenes -----------------------------------------------------------------------------------

    @property
    def scene(self):
        return self.scenes[-1]

    def go(self, route: str, **kwargs) -> Scene:
        """Make the move named `route` (routes.py): its scene, made with `kwargs`, pushed over the
        current one, put in its place, or alone on a fresh stack, as the route says."""
        move = ROUTES[route]
        scene = move.scene_class()(self, **kwargs)
        {"push": self.push, "replace": self.replace, "reset": self.reset_to}[move.move](scene)
        return scene

    def push(self, scene) -> None:
        self.scenes.append(scene)
        scene.enter()
        self.dirty = True

    def pop(self) -> None:
        if len(self.scenes) > 1:
            self.scenes.pop()
            self.scene.layout()
            self.dirty = True

    def replace(self, scene) -> None:
        if self.scenes:
            self.scenes.pop()
        self.push(scene)

    def reset_to(self, scene) -> None:
        self.scenes.clear()
        self.push(scene)

    def relayout(self) -> None:
        """Lay every scene out again (new size, theme or text size). Fonts and scaled art are kept
        while the window size holds: remaking them on every kiosk reset made memory creep."""
        size = self.screen.get_size()
        if size != (self.viewport.width, self.viewport.height):
            self.viewport = Viewport(*size)
            self._scaled.clear()
        self.fonts.rescale(self.viewport.scale, TEXT_SCALES[self.settings.text_size])
        self._text.clear()
        self.looks.clear()
        self._painted.clear()
        for scene in self.scenes:
            scene.layout()
        self.dirty = True

    def apply_settings(self) -> None:
        if self.flow.saves:  # a visitor's changes last until the next reset only
            save_settings(self.settings)
        self.restore_window_mode()
        self.relayout()

    def restore_window_mode(self) -> None:
        """Make the window match the settings (a kiosk is always fullscreen)."""
        if self.flow.fixed_fullscreen:
            self.settings.fullscreen = True
        if self.settings.fullscreen != bool(self.screen.get_flags() & pygame.FULLSCREEN):
            self.set_fullscreen(self.settings.fullscreen)

    def set_fullscreen(self, on: bool) -> None:
        if on:
            self.screen = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        else:
            self.screen = pygame.display.set_mode((1280, 720), pygame.RESIZABLE)
        self.settings.fullscreen = on

    # --- loop -------------------------------------------------------------------------------------

    def dispatch(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            if self.flow.can_quit:  # in a kiosk, window close and Alt+F4 do nothing
                self.quit()
            return
        if self.flow.intercept(self, event):
            return
        if event.type in (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED):
            size = self.screen.get_size()
            if size[0] < MIN_SIZE[0] or size[1] < MIN_SIZE[1]:
                self.screen = pygame.display.set_mode((max(size[0], MIN_SIZE[0]), max(size[1], MIN_SIZE[1])), pygame.RESIZABLE)
            if self.screen.get_size() != (self.viewport.width, self.viewport.height):
                self.relayout()
            return
        if event.type in (pygame.WINDOWEXPOSED, pygame.WINDOWRESTORED, pygame.WINDOWFOCUSGAINED):
            self.dirty = True
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F11 and not self.flow.fixed_fullscreen:
            self.settings.fullscreen = not self.settings.fullscreen
            self.apply_settings()
            return
        if event.type in (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEWHEEL,
                          pygame.MOUSEMOTION, pygame.TEXTINPUT):
            if event.type == pygame.MOUSEMOTION and not any(getattr(event, "buttons", (0,))):
                before = (id(self.scene), self.scene.focus, self.scene.hover)
                self.scene.handle(event)
                if before != (id(self.scene), self.scene.focus, self.scene.hover):
                    self.dirty = True
                return
            if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
                self.show_focus = False
            self.scene.handle(event)
            self.dirty = True

    def draw_desk(self, surface: pygame.Surface) -> None:
        surface.fill(self.theme.desk)
        desk = self.texture("desk.png", surface.get_size())
        if desk is not None:
            surface.blit(desk, (0, 0))

    @property
    def portrait(self) -> bool:
        """Taller than wide: the game is laid out for landscape screens only (docs/kiosk.md)."""
        return self.viewport.height > self.viewport.width

    def draw(self) -> None:
        if self.portrait:
            self.draw_portrait_notice()
            return
        if not self.scene.draws_desk:
            self.draw_desk(self.screen)
        self.scene.draw(self.screen)

    def draw_portrait_notice(self) -> None:
        """Instead of shrinking the game into the middle third of a portrait screen, say what to do."""
        from .text import TextBlock

        self.screen.fill(self.theme.desk)
        width = self.screen.get_width()
        font = self.fonts.get("sans_bold", 64, scaled_text=False)   # about a thirtieth of the width
        words = ("This screen is taller than it is wide. Moscow, 1956 is laid out for landscape screens: "
                 + ("staff, please turn the display to landscape in the system's display settings."
                    if self.kiosk is not None else "turn the device, or make the window wider than it is tall."))
        block = TextBlock(words, font, self.theme.on_desk, int(width * 0.84))
        block.draw(self.screen, int(width * 0.08), max(0, (self.screen.get_height() - block.height) // 2))

    def tick_timers(self) -> bool:
        """Time-driven changes (kiosk idle countdown, attract quotes); True if a redraw is due."""
        changed = self.flow.tick(self)
        if self.scenes:
            changed = self.scene.tick(self.now()) or changed
        if changed:
            self.dirty = True
        return changed

    def frame(self, dt: float = 0.0, events: list | None = None) -> bool:
        """One pass of the loop body without waiting: used by the loop, tests and screenshots."""
        for event in pygame.event.get() if events is None else events:
            if self.portrait and event.type not in (pygame.QUIT, pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED,
                                                    pygame.KEYDOWN):
                continue   # nothing to touch while only the notice is shown
            self.dispatch(event)
        self.tick_timers()
        animating = bool(self.scenes) and self.scene.update(dt)
        if self.scenes and (self.dirty or animating):
            self.draw()
            pygame.display.flip()
            self.dirty = False
        return animating

    def step(self, dt: float = 0.0, events: list | None = None) -> bool:
        """`frame`, guarded: with a guard, an exception is logged and recovered from (guard.py)."""
        if self.guard is None:
            return self.frame(dt, events)
        try:
            return self.frame(dt, events)
        except Exception as exc:
            self.guard.failed(self, exc)   # CrashLoop when it keeps failing
            return False

    def run(self, exit_after_first_frame: bool = False) -> None:
        """The main loop. When nothing moves it sleeps between short polls of the event queue:
        pygame-ce's own blocking wait costs more CPU (measured in bench/frame.py), and a 30 Hz
        poll keeps input latency under 35 ms. `exit_after_first_frame` is for the start-up bench.
        A set `stop` flag (SIGTERM, SIGINT) ends the loop as a window close would, kiosk or not."""
        self.running = True
        clock = pygame.time.Clock()
        try:
            animating = self.step(0.0)
            if exit_after_first_frame:
                print("title-ready", flush=True)
                self.running = False
            while self.running:
                if self.stop:
                    self.quit()
                    break
                if animating:
                    animating = self.step(clock.tick(60) / 1000)
                    continue
                events = pygame.event.get()
                if not events and not self._tick_guarded():
                    time.sleep(IDLE_POLL)
                    continue
                clock.tick()
                animating = self.step(0.0, events)
        finally:
            pygame.quit()

    def _tick_guarded(self) -> bool:
        if self.guard is None:
            return self.tick_timers()
        try:
            return self.tick_timers()
        except Exception as exc:
            self.guard.failed(self, exc)
            return True

    def quit(self) -> None:
        """Stop the loop; a session in progress is recorded as cut short (and stays saved)."""
        self.end_session()
        self.running = False
