"""Settings: text size, high contrast, typing speed, fullscreen, and locking choices for class use."""

from __future__ import annotations

from ..settings import TYPING_SPEEDS
from ..theme import TEXT_SCALES
from ..widgets.button import Button
from .base import Scene

SIZE_NAMES = {"normal": "Normal", "large": "Large", "largest": "Largest"}


class SettingsScene(Scene):
    name = "settings"

    def entries(self) -> list[tuple[str, object]]:
        """A kiosk visitor gets only what is theirs to change: text size and contrast. Leaving
        fullscreen or unlocking choices is for staff (the admin screen), never for a visitor."""
        s = self.app.settings
        entries = [
            (f"Text size: {SIZE_NAMES[s.text_size]}", self.cycle_size),
            (f"High contrast: {'on' if s.high_contrast else 'off'}", self.toggle_contrast),
        ]
        if self.app.flow.staff_settings:
            entries += [
                (f"Typing effect: {s.typing}", self.cycle_typing),
                (f"Fullscreen: {'on' if s.fullscreen else 'off'}  (F11)", self.toggle_fullscreen),
                (f"Lock choices once made (for class): {'on' if s.lock_choices else 'off'}", self.toggle_lock),
            ]
        return [*entries, ("Done", self.app.pop)]

    def layout(self) -> None:
        entries = self.entries()
        focus = self.focus
        self.buttons = [Button((460, 220 + i * 110, 1000, 92), label, action, font_size=30) for i, (label, action) in enumerate(entries)]
        self.focus = focus
        self.place_buttons()

    def _changed(self) -> None:
        self.app.apply_settings()

    def cycle_size(self) -> None:
        sizes = list(TEXT_SCALES)
        s = self.app.settings
        s.text_size = sizes[(sizes.index(s.text_size) + 1) % len(sizes)]
        self._changed()

    def toggle_contrast(self) -> None:
        self.app.settings.high_contrast = not self.app.settings.high_contrast
        self._changed()

    def cycle_typing(self) -> None:
        speeds = list(TYPING_SPEEDS)
        s = self.app.settings
        s.typing = speeds[(speeds.index(s.typing) + 1) % len(speeds)]
        self._changed()

    def toggle_fullscreen(self) -> None:
        if not self.app.flow.staff_settings:
            return
        self.app.settings.fullscreen = not self.app.settings.fullscreen
        self._changed()

    def toggle_lock(self) -> None:
        if not self.app.flow.staff_settings:
            return
        self.app.settings.lock_choices = not self.app.settings.lock_choices
        if self.app.session is not None:
            self.app.session.set_lock(self.app.settings.lock_choices)
        self._changed()

    def draw(self, surface) -> None:
        ui = self.app
        self.paper(surface, (400, 90, 1120, 900))
        self.text(surface, "SETTINGS", "mono_bold", 40, ui.theme.accent, (960, 126), "midtop")
        note = ("Remembered on this computer. Text size and contrast apply at once." if ui.flow.saves else
                "For this visit only.")
        self.text(surface, note, "sans", 24, ui.theme.ink_soft, (960, 960), "midbottom")
        self.draw_buttons(surface)
