"""Kiosk scenes: the attract loop, "Still there?", the visitor's choice of chair, and the admin screen."""

from __future__ import annotations

import pygame

from ...engine.presentation import reading_minutes
from ...engine.roles import BOTH
from ..text import TextBlock
from ..widgets.button import Button
from ..wording import lower_article, still_there
from .base import Scene


def record_quotes(scenario, low: int = 80, high: int = 260) -> list[tuple[str, str, tuple[int, ...]]]:
    """Real words from the record, said by people (not the narration), of a readable length."""
    seen, out = set(), []
    for node in scenario.nodes.values():
        items = list(node.lines) + ([node.choice.historical] if node.choice and node.choice.historical else [])
        for item in items:
            if item.provenance == "record" and scenario.is_person(item.speaker) and low <= len(item.text) <= high \
                    and "…" not in item.text and item.text not in seen:
                seen.add(item.text)
                out.append((scenario.speaker_name(item.speaker), item.text, item.refs))
    return out


class AttractScene(Scene):
    name = "attract"

    def __init__(self, app, kiosk):
        super().__init__(app)
        self.kiosk = kiosk
        # a small scenario may say nothing at that length: then its shorter words of the record
        self.quotes = record_quotes(app.scenario) or record_quotes(app.scenario, low=1)
        self.index = -1
        self.block: TextBlock | None = None
        self.minutes = reading_minutes(app.scenario, kiosk.config.path_for(app.scenario))

    def layout(self) -> None:
        self.buttons = [Button((460, 900, 760, 120), "Touch to begin", self.begin, font_size=44, id="begin"),
                        Button((1250, 900, 430, 120), "How visitors chose", self.visitors, font_size=30, id="visitors")]
        self.place_buttons()
        self.index = -1
        self.tick(self.kiosk.clock())

    def tick(self, now: float) -> bool:
        if not self.quotes:
            return False
        index = int(now // self.kiosk.config.quote_seconds) % len(self.quotes)
        if index == self.index:
            return False
        self.index = index
        _who, text, _refs = self.quotes[index]
        self.block = TextBlock(f"“{text}”", self.app.fonts.get("serif_italic", 44), self.app.theme.ink,
                               self.app.viewport.px(1400))
        self.app.dirty = True
        return True

    def begin(self) -> None:
        self.kiosk.touched()
        roles = self.kiosk.config.roles_for(self.app.scenario)
        if len(roles) == 1:
            start_session(self.app, self.kiosk, roles[0])
        else:
            self.app.go("kiosk-roles", kiosk=self.kiosk)

    def visitors(self) -> None:
        self.kiosk.touched()
        self.app.go("visitors", path=self.kiosk.config.path_for(self.app.scenario))

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            if not self.handle_buttons(event):
                self.begin()
            return
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_SPACE, pygame.K_KP_ENTER):
            self.begin()

    def back(self) -> None:
        pass

    def draw(self, surface) -> None:
        ui = self.app
        theme = ui.theme
        scenario = ui.scenario
        self.paper(surface, (160, 60, 1600, 800))
        self.fitted(surface, scenario.title.upper(), "mono_bold", 72, theme.accent, (960, 110), 1500, "midtop", 44)
        tagline = scenario.presentation.kiosk_tagline
        if tagline:
            self.paragraph(surface, tagline, "serif", 38, theme.ink, (960, 210), 1400, 310, centred=True)
        if self.block is not None and self.quotes:
            who, _text, refs = self.quotes[self.index]
            top = 330
            x = ui.viewport.point(260, top)
            self.block.draw(surface, *x)
            bottom = top + self.block.height / ui.viewport.scale + 20
            cite = f"— {who}, from the record, " + ", ".join(f"¶{r}" for r in refs)
            self.text(surface, cite, "mono", 30, theme.ink_soft, (260, bottom))
        minutes = f"about {self.minutes} minute{'s' if self.minutes != 1 else ''}"
        self.fitted(surface, f"{scenario.place} · {scenario.date} · {minutes}", "sans", 28, theme.ink_soft,
                    (960, 820), 1500, "midbottom")
        self.draw_buttons(surface)


def start_session(app, kiosk, role: str) -> None:
    """A visitor sits down: their chair's session, at the kiosk's length, and its introduction."""
    kiosk.touched()
    path = kiosk.config.path_for(app.scenario)
    session = app.new_session(role, path if path in app.scenario.paths else "full")
    app.session = session
    app.go("role", session=session)


class KioskRolesScene(Scene):
    name = "kiosk-roles"

    def __init__(self, app, kiosk):
        super().__init__(app)
        self.kiosk = kiosk

    def layout(self) -> None:
        scenario = self.app.scenario
        labels = {BOTH: "Two visitors: one each side"}
        entries = [(labels.get(r) or f"Sit as {lower_article(scenario.roles[r].title)}", r)
                   for r in self.kiosk.config.roles_for(scenario)]
        self.buttons = [Button((460, 300 + i * 160, 1000, 130), label, lambda r=r: start_session(self.app, self.kiosk, r),
                               font_size=40) for i, (label, r) in enumerate(entries)]
        self.buttons.append(Button((760, 300 + len(entries) * 160 + 40, 400, 100), "Back", self.app.pop, font_size=34, id="back"))
        self.place_buttons()

    def draw(self, surface) -> None:
        self.paper(surface, (400, 120, 1120, 860))
        self.text(surface, "WHOSE CHAIR?", "mono_bold", 48, self.app.theme.accent, (960, 170), "midtop")
        self.draw_buttons(surface)


class StillThereScene(Scene):
    name = "still-there"

    def __init__(self, app, kiosk):
        super().__init__(app)
        self.kiosk = kiosk
        self.shown_seconds = -1

    def layout(self) -> None:
        self.buttons = [Button((610, 640, 700, 130), "I'm still here", lambda: self.kiosk.stay(self.app), font_size=40, id="stay")]
        self.place_buttons()

    def remaining(self, now: float) -> int:
        until = self.kiosk.countdown_until or now
        return max(0, int(until - now + 0.999))

    def tick(self, now: float) -> bool:
        seconds = self.remaining(now)
        if seconds != self.shown_seconds:
            self.shown_seconds = seconds
            return True
        return False

    def handle(self, event: pygame.event.Event) -> None:
        if event.type in (pygame.MOUSEBUTTONUP, pygame.KEYDOWN):
            self.kiosk.stay(self.app)

    def back(self) -> None:
        self.kiosk.stay(self.app)

    def draw(self, surface) -> None:
        theme = self.app.theme
        self.paper(surface, (460, 220, 1000, 640))
        self.text(surface, "STILL THERE?", "mono_bold", 56, theme.accent, (960, 270), "midtop")
        seconds = self.remaining(self.kiosk.clock())
        self.text(surface, f"The talks start again for the next visitor in {seconds} s.", "serif", 36, theme.ink,
                  (960, 400), "midtop")
        self.text(surface, still_there(self.app.touch), "serif", 36, theme.ink, (960, 460), "midtop")
        self.draw_buttons(surface)


class AdminScene(Scene):
    """The admin screen: counts, back to the attract loop, exit. When the installer set an
    `admin_pin`, a keypad asks for it first (touch or the keyboard's digits); until then the
    scene is named "admin-pin", so the idle countdown still sends a walk-away back to the attract
    loop, and nothing of the admin screen is shown."""

    name = "admin"
    KEYS = {**{getattr(pygame, f"K_{d}"): str(d) for d in range(10)},
            **{getattr(pygame, f"K_KP{d}"): str(d) for d in range(10)}}

    def __init__(self, app, kiosk):
        super().__init__(app)
        self.kiosk = kiosk
        self.locked = bool(kiosk.config.admin_pin)
        self.name = "admin-pin" if self.locked else "admin"
        self.entered = ""
        self.message = ""
        self.shown_wait = 0

    def layout(self) -> None:
        if self.locked:
            self.layout_keypad()
            return
        self.buttons = [
            Button((560, 640, 800, 100), "Back to the attract loop", lambda: self.kiosk.reset(self.app), font_size=32,
                   id="attract"),
            Button((560, 770, 800, 100), "Exit the kiosk", self.app.quit, font_size=32, id="exit"),
        ]
        self.place_buttons()

    def layout_keypad(self) -> None:
        """Digits 1–9, then Clear, 0, OK, in 150×110 design px keys (100×73 px at 720p)."""
        labels = [*"123456789", "Clear", "0", "OK"]
        actions = {"Clear": self.clear, "OK": self.submit}
        self.buttons = [
            Button((735 + (i % 3) * 160, 330 + (i // 3) * 120, 150, 110), label,
                   actions.get(label, lambda d=label: self.digit(d)), font_size=36)
            for i, label in enumerate(labels)
        ]
        self.buttons.append(Button((735, 820, 470, 90), "Back", lambda: self.kiosk.reset(self.app), font_size=32, id="back"))
        self.place_buttons()

    def waiting(self) -> float:
        return max(0.0, self.kiosk.pin_locked_until - self.kiosk.clock())

    def digit(self, d: str) -> None:
        if self.waiting() <= 0 and len(self.entered) < 12:
            self.entered += d
            self.message = ""
            self.app.dirty = True

    def clear(self) -> None:
        self.entered = ""
        self.app.dirty = True

    def submit(self) -> None:
        from ...session.kiosk_config import PIN_LOCK_SECONDS, PIN_TRIES, check_pin

        if self.waiting() > 0 or not self.entered:
            return
        if check_pin(self.entered, self.kiosk.config.admin_pin):
            self.kiosk.pin_failures = 0
            self.locked, self.name, self.entered = False, "admin", ""
            self.layout()
        else:
            self.kiosk.pin_failures += 1
            self.entered = ""
            self.message = "Wrong PIN."
            if self.kiosk.pin_failures >= PIN_TRIES:
                self.kiosk.pin_failures = 0
                self.kiosk.pin_locked_until = self.kiosk.clock() + PIN_LOCK_SECONDS
        self.app.dirty = True

    def handle(self, event: pygame.event.Event) -> None:
        if self.locked and event.type == pygame.KEYDOWN:
            if event.key in self.KEYS:
                self.digit(self.KEYS[event.key])
                return
            if event.key == pygame.K_BACKSPACE:
                self.entered = self.entered[:-1]
                self.app.dirty = True
                return
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) and self.focus is None:
                self.submit()
                return
        self.handle_buttons(event)

    def tick(self, now: float) -> bool:
        """Redraw once a second while the keypad waits after too many wrong PINs."""
        seconds = int(self.waiting() + 0.999) if self.locked else 0
        if seconds != self.shown_wait:
            self.shown_wait = seconds
            return True
        return False

    def back(self) -> None:
        self.kiosk.reset(self.app)

    def counts(self) -> list[str]:
        return self.kiosk.summary()

    def draw(self, surface) -> None:
        theme = self.app.theme
        self.paper(surface, (460, 120, 1000, 800 if not self.locked else 820))
        self.text(surface, "KIOSK ADMIN", "mono_bold", 48, theme.accent, (960, 160), "midtop")
        if self.locked:
            wait = self.waiting()
            shown = f"Too many tries: wait {int(wait + 0.999)} s." if wait > 0 else (self.message or "Enter the PIN.")
            self.text(surface, shown, "sans", 30, theme.ink, (960, 230), "midtop")
            self.text(surface, "•" * len(self.entered) or " ", "mono_bold", 40, theme.ink, (960, 275), "midtop")
        else:
            for i, line in enumerate(self.counts()):
                self.text(surface, line, "sans", 30, theme.ink, (520, 260 + i * 44))
        self.draw_buttons(surface)
