"""The table: the seating plan with the speaker lit, the line on the memo paper, and the choices.

A spoken line shows where it comes from (a ¶ link for record lines, "adapted from ¶" or the blue
INVENTED stamp); glossary terms are underlined and open the glossary. Long lines are paged, and
the typing effect can be skipped with the same key that continues.

While the player chooses, options carry no provenance and no mark of the record's voice (that
would give the record away). No option has the keyboard focus until the player moves it, and a
press that began before the options appeared (or in the moment after) never picks one: the key
or click that brought the choice up cannot also answer it.
"""

from __future__ import annotations

import pygame

from ...engine.glossary import GlossaryIndex
from ...engine.model import Line
from ...engine.presentation import not_said
from ...session.play import PlaySession
from ..keys import action_of
from ..settings import TYPING_SPEEDS
from ..text import Span, TextBlock
from ..theme import BODY_SIZE, TOUCH_TARGET
from ..widgets.button import Button
from ..widgets.seating_plan import SeatingPlan
from ..wording import choose_hint, source_hint
from .base import Scene

PANEL = (120, 372, 1680, 452)
CHOICE_BOTTOM = 944        # design y where the choice panel ends (the button bar is below it)
CHOICE_TOP_MIN = 30        # how far up the choice panel may grow over the seating plan
CHOICE_TOP = 372
BAR_Y = 862
GRACE = 0.35               # seconds after options appear in which a press is not taken as a pick
OPTION_MAX = 120
OPTION_GAP = 12


class DialogueScene(Scene):
    name = "dialogue"
    draws_desk = True   # its cached static layer already holds the desk

    def __init__(self, app, session: PlaySession):
        super().__init__(app)
        self.session = session
        self.plan = SeatingPlan((30, 14, 1130, 346))
        self.glossary = GlossaryIndex(app.scenario.glossary)
        self.block: TextBlock | None = None
        self.prompt_block: TextBlock | None = None
        self.page = 0
        self.pages: list[tuple[int, int]] = []
        self.reveal = 0.0
        self.typing = False
        self.body_rect = pygame.Rect(0, 0, 0, 0)
        self.choice_panel: tuple[float, float, float, float] = (120, CHOICE_TOP, 1680, CHOICE_BOTTOM - CHOICE_TOP)
        self.options_since = 0.0      # when the current options appeared (app clock)
        self._option_press: int | None = None   # the option a valid press began on
        self._paged_line: str | None = None
        self._static: pygame.Surface | None = None

    # --- flow -------------------------------------------------------------------------------

    def enter(self) -> None:
        self.app.session = self.session
        shown = self.session.shown
        if shown.line is None and shown.choice is None and not shown.ended:
            self.session.advance()
        self.layout()
        self._start_typing()
        self._maybe_handover()

    def _maybe_handover(self) -> None:
        if self.session.needs_handover():
            self.app.go("handover", session=self.session)

    def next(self) -> None:
        if self.typing:
            self.reveal = float(len(self.block.text)) if self.block else 0.0
            self.typing = False
            return
        if self.block is not None and self.page + 1 < len(self.pages):
            self.page += 1
            self._start_typing()
            return
        shown = self.session.shown
        if shown.ended:
            self._finish()
            return
        if shown.choice is not None:
            return
        shown = self.session.advance()
        if shown.ended:
            self._finish()
            return
        self.layout()
        self._start_typing()
        self._maybe_handover()

    def _finish(self) -> None:
        self.session.finish()
        self.app.go("debrief", session=self.session)

    def pick(self, index: int) -> None:
        shown = self.session.shown
        if shown.choice is None or not 0 <= index < len(shown.options):
            return
        self.session.choose(shown.options[index])
        self.layout()
        self._start_typing()

    def go_back(self) -> None:
        if self.session.go_back():
            self.layout()
            self._start_typing()
            self._maybe_handover()

    def open_source(self, paragraph: int | None = None) -> None:
        """The source at the shown line's first paragraph, unless a paragraph is asked for."""
        refs = self.session.shown.line.refs if self.session.shown.line else ()
        super().open_source(paragraph if paragraph is not None else refs[0] if refs else None)

    def open_backlog(self) -> None:
        self.app.go("backlog", session=self.session)

    def open_menu(self) -> None:
        self.app.go("menu", session=self.session)

    def back(self) -> None:
        self.open_menu()

    # --- typing -------------------------------------------------------------------------------

    def _start_typing(self) -> None:
        speed = TYPING_SPEEDS[self.app.settings.typing]
        if self.block is None or speed == 0:
            self.typing = False
            self.reveal = float(len(self.block.text)) if self.block else 0.0
            return
        first, _last = self.pages[self.page]
        self.reveal = float(self.block.line_starts[first])
        self.typing = True

    def update(self, dt: float) -> bool:
        if not self.typing or self.block is None:
            return False
        speed = TYPING_SPEEDS[self.app.settings.typing]
        self.reveal += dt * speed
        _first, last = self.pages[self.page]
        end = self.block.line_starts[last + 1] if last + 1 < len(self.block.line_starts) else len(self.block.text)
        if self.reveal >= end:
            self.reveal = float(len(self.block.text))
            self.typing = False
        return True

    # --- layout -------------------------------------------------------------------------------

    def layout(self) -> None:
        ui = self.app
        self._static = None
        self.plan.place(ui)
        shown = self.session.shown
        self.buttons = []
        self.focus = None
        self._option_press = None
        # The same line laid out again (resize, text size): stay on its page; a new line: page 1.
        line = shown.line.id if shown.line is not None else None
        keep_page = self.page if line is not None and line == self._paged_line else 0
        self._paged_line = line
        self.block = None
        self.pages = []
        self.page = 0
        self.prompt_block = None
        if shown.choice is not None:
            self._layout_choice()
        elif shown.line is not None:
            self._layout_line(shown.line)
            self.page = min(keep_page, len(self.pages) - 1)
        bar = []
        if shown.choice is None:
            bar.append(("Continue  →", self.next, 400, True))
        bar += [("Back to last choice", self.go_back, 340, self.session.can_go_back),
                ("What was said", self.open_backlog, 270, True),
                ("The source", self.open_source, 230, True), ("Glossary", lambda: self.open_glossary(), 210, True),
                ("Menu", self.open_menu, 170, True)]
        x = 120
        y = BAR_Y if shown.choice is None else 962
        for label, action, width, enabled in bar:
            self.buttons.append(Button((x, y, width, 84 if shown.choice is None else 80), label, action, font_size=28,
                                       enabled=enabled))
            x += width + 16
        self.place_buttons()

    def option_label(self, option) -> str:
        """Only a person's name may come before an option, and only when several people could
        speak: the record's voice or the narrator would give the record away."""
        shown = self.session.shown
        scenario = self.app.scenario
        several = len({o.speaker for o in shown.options if scenario.is_person(o.speaker)}) > 1
        if several and scenario.is_person(option.speaker):
            return f"{scenario.speaker_name(option.speaker)}: {option.label}"
        return option.label

    def _layout_choice(self) -> None:
        """The prompt as tall as it wraps, then the options below it; the panel grows upwards
        over the seating plan when large text needs the room, so nothing is hidden."""
        ui = self.app
        shown = self.session.shown
        x, _y, w, _h = self.choice_panel
        scale = ui.viewport.scale
        self.prompt_block = TextBlock(shown.choice.prompt or "What do you say?", ui.fonts.get("serif_bold", 34),
                                      ui.theme.ink, ui.viewport.px(w - 120))
        head = 66                                   # the "YOUR TURN" line
        prompt_h = self.prompt_block.height / scale
        count = len(shown.options)
        option_h = OPTION_MAX
        needed = head + prompt_h + 20 + count * (option_h + OPTION_GAP) + 12
        top = CHOICE_TOP
        if top + needed > CHOICE_BOTTOM:
            option_h = max(TOUCH_TARGET, (CHOICE_BOTTOM - top - head - prompt_h - 32) / count - OPTION_GAP)
            needed = head + prompt_h + 20 + count * (option_h + OPTION_GAP) + 12
            top = max(CHOICE_TOP_MIN, CHOICE_BOTTOM - needed)
        self.choice_panel = (x, top, w, CHOICE_BOTTOM - top)
        first = top + head + prompt_h + 20
        for i, option in enumerate(shown.options):
            self.buttons.append(Button((x + 60, first + i * (option_h + OPTION_GAP), w - 120, option_h),
                                       self.option_label(option), lambda i=i: self.pick(i), number=i + 1,
                                       font_role="serif", font_size=31, align="left"))
        self.options_since = self.app.now()

    def _layout_line(self, line: Line) -> None:
        ui = self.app
        x, y, w, h = PANEL
        heads = ui.fonts.get("serif_bold", 38).get_linesize() + ui.fonts.get("sans", 24).get_linesize()
        top = y + 28 + heads / ui.viewport.scale + 6
        self.body_rect = ui.viewport.rect(x + 60, top, w - 120, y + h - 80 - top)
        spans = [Span(m.start, m.end, m.entry.id) for m in self.glossary.find(line.text)]
        self.block = TextBlock(line.text, ui.fonts.get("serif", BODY_SIZE), ui.theme.ink, self.body_rect.width,
                               spans, ui.theme.link)
        per_page = max(1, self.body_rect.height // self.block.line_height)
        count = len(self.block.surfaces)
        self.pages = [(i, min(i + per_page, count) - 1) for i in range(0, count, per_page)] or [(0, 0)]

    def option_buttons(self) -> list[Button]:
        return [b for b in self.buttons if b.number is not None]

    # --- input -------------------------------------------------------------------------------

    def _option_at(self, pos) -> int | None:
        return next((i for i, b in enumerate(self.option_buttons()) if b.hit(pos)), None)

    def handle(self, event: pygame.event.Event) -> None:
        shown = self.session.shown
        action = action_of(event)
        if event.type == pygame.KEYDOWN:
            focused_button = self.buttons[self.focus] if self.focus is not None and self.focus < len(self.buttons) else None
            if action == "activate" and shown.choice is None and focused_button is None:
                self.next()
                return
            shortcuts = {"go_back": self.go_back, "backlog": self.open_backlog, "source": self.open_source,
                         "glossary": lambda: self.open_glossary(), "escape": self.open_menu}
            if action in shortcuts:
                shortcuts[action]()
                return
        if shown.choice is not None and event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP) \
                and event.button == 1:
            if self._handle_option_click(event):
                return
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self.block is not None \
                and shown.choice is None:
            if self.body_rect.collidepoint(event.pos):
                first, _ = self.pages[self.page]
                rel_y = event.pos[1] - self.body_rect.top + first * self.block.line_height
                term = self.block.hit(event.pos[0] - self.body_rect.left, rel_y)
                if term:
                    self.open_glossary(term)
                    return
                self.next()
                return
            if self.provenance_rect().collidepoint(event.pos) and shown.line is not None and shown.line.refs:
                self.open_source()
                return
        self.handle_buttons(event)

    def _handle_option_click(self, event: pygame.event.Event) -> bool:
        """Options take a click only if it began on them, after they appeared and the grace time."""
        index = self._option_at(event.pos)
        if event.type == pygame.MOUSEBUTTONDOWN:
            settled = self.app.now() - self.options_since >= GRACE
            self._option_press = index if settled else None
            return index is not None
        pressed, self._option_press = self._option_press, None
        if index is None:
            return False
        if pressed == index:
            self.pick(index)
        return True

    # --- drawing ------------------------------------------------------------------------------

    def provenance_rect(self) -> pygame.Rect:
        x, y, w, h = PANEL
        return self.app.viewport.rect(x + 60, y + h - 70, w - 120, 52)

    def draw(self, surface: pygame.Surface) -> None:
        """Everything that does not change while a line is shown is composed once into a static
        layer; a frame is that layer, the line's text (typed so far) and the buttons."""
        if self._static is None:
            self._static = self.app.layer("dialogue-static")
            self._draw_static(self._static)
        surface.blit(self._static, (0, 0))
        if self.session.shown.choice is None and self.block is not None:
            self._draw_body(surface)
        self.draw_buttons(surface)

    def _draw_static(self, surface: pygame.Surface) -> None:
        ui = self.app
        ui.draw_desk(surface)
        shown = self.session.shown
        speaker = shown.line.speaker if shown.line else (None if shown.choice is None else ui.scenario.roles[shown.choice.by].speaker)
        self.plan.draw(surface, ui, speaker if shown.line or shown.choice else None)
        self._draw_header(surface)
        if shown.choice is not None:
            self._draw_choice(surface)
        elif shown.line is not None:
            self._draw_line(surface, shown.line)
        if self.session.message:
            self.note(surface, self.session.message, (120, 1048, 1680, 32) if self.session.shown.choice is not None
                      else (120, 950, 1680, 120))

    def _draw_header(self, surface: pygame.Surface) -> None:
        ui = self.app
        theme = ui.theme
        rect = self.paper(surface, (1190, 30, 700, 310))
        scenario = ui.scenario
        shown = scenario.presentation
        date = f"{scenario.date} ({shown.record_date})" if shown.record_date else scenario.date
        for text, role, size, colour, y in (("RECORD OF CONVERSATION", "mono_bold", 28, theme.accent, 52),
                                            (scenario.place, "mono", 24, theme.ink, 98),
                                            (date, "mono", 24, theme.ink, 132)):
            rendered = ui.render(text, role, size, colour, scaled=False)
            while rendered.get_width() > ui.viewport.px(640) and size > 16:   # the content's words, any length
                size -= 1
                rendered = ui.render(text, role, size, colour, scaled=False)
            surface.blit(rendered, ui.viewport.point(1220, y))
        session = self.session
        if session.replay:
            role_text = "Replaying the record"
        elif session.two_players:
            turn = session.shown.choice.by if session.shown.choice else session.last_turn
            role_text = "Two players" + (f": {session.role_title(turn)}'s turn" if turn else "")
        else:
            role_text = f"You: {session.role_title(session.role)}"
        self.text(surface, role_text, "sans_bold", 26, theme.ink, (1220, 190))
        path = ui.scenario.paths[session.runner.state.path]
        self.text(surface, path.title, "sans", 24, theme.ink_soft, (1220, 228))
        stamp = ui.texture(shown.stamp, (ui.viewport.px(230), round(ui.viewport.px(230) * shown.stamp.height / shown.stamp.width))
                           ) if shown.stamp is not None else None
        if stamp is not None:
            surface.blit(stamp, (rect.right - stamp.get_width() - ui.viewport.px(16), rect.bottom - stamp.get_height() - ui.viewport.px(14)))

    def _draw_line(self, surface: pygame.Surface, line: Line) -> None:
        ui = self.app
        theme = ui.theme
        x, y, w, h = PANEL
        self.paper(surface, PANEL)
        speaker = ui.scenario.speakers.get(line.speaker)
        name = speaker.name if speaker else line.speaker
        self.text(surface, name, "serif_bold", 38, theme.accent, (x + 60, y + 28))
        if speaker and speaker.title:
            below = y + 28 + ui.fonts.get("serif_bold", 38).get_linesize() / ui.viewport.scale
            self.text(surface, speaker.title, "sans", 24, theme.ink_soft, (x + 60, below))
        self._draw_provenance(surface, line)

    def _draw_body(self, surface: pygame.Surface) -> None:
        first, last = self.pages[self.page]
        clip = surface.get_clip()
        page = self.body_rect.copy()
        page.height = min(page.height, (last - first + 1) * self.block.line_height)
        surface.set_clip(page)
        top = self.body_rect.top - first * self.block.line_height
        self.block.draw(surface, self.body_rect.left, top, int(self.reveal) if self.typing else None)
        surface.set_clip(clip)
        if len(self.pages) > 1:
            x, y, w, _h = PANEL
            more = f"page {self.page + 1} of {len(self.pages)}" + ("  — continue for more" if self.page + 1 < len(self.pages) else "")
            self.text(surface, more, "sans", 24, self.app.theme.ink_soft, (x + w - 60, y + 36), "topright")

    def _draw_provenance(self, surface: pygame.Surface, line: Line) -> None:
        ui = self.app
        theme = ui.theme
        rect = self.provenance_rect()
        refs = ", ".join(f"¶{r}" for r in line.refs)
        pygame.draw.line(surface, theme.paper_edge, rect.topleft, rect.topright, max(1, ui.viewport.px(2)))
        pos = (PANEL[0] + 60, PANEL[1] + PANEL[3] - 58)
        hint = source_hint(ui.touch)
        if line.provenance == "record":
            self.text(surface, f"From the record, {refs}  —  {hint}", "mono", 24, theme.link, pos)
        elif line.provenance == "adapted":
            self.text(surface, f"Adapted (shortened) from the record, {refs}  —  {hint}", "mono", 24, theme.link, pos)
        else:
            stamp = ui.texture("stamp_invented.png", (ui.viewport.px(150), ui.viewport.px(45)))
            x = ui.viewport.point(*pos)[0]
            if stamp is not None:
                surface.blit(stamp, (x, ui.viewport.point(*pos)[1] - ui.viewport.px(8)))
                x += stamp.get_width() + ui.viewport.px(14)
            label = ui.render(f"INVENTED FOR THE GAME: {not_said(ui.scenario)}.", "mono_bold", 24, theme.invented)
            surface.blit(label, (x, ui.viewport.point(*pos)[1]))

    def _draw_choice(self, surface: pygame.Surface) -> None:
        ui = self.app
        theme = ui.theme
        choice = self.session.shown.choice
        x, y, w, h = self.choice_panel
        self.paper(surface, self.choice_panel)
        who = ui.scenario.roles[choice.by].title
        head = f"{who}'s turn" if self.session.two_players else "Your turn"
        self.text(surface, head.upper(), "mono_bold", 26, theme.accent, (x + 60, y + 26))
        if self.prompt_block is not None:
            self.prompt_block.draw(surface, *ui.viewport.point(x + 60, y + 66))
        self.text(surface, choose_hint(ui.touch), "sans", 24, theme.ink_soft, (x + w - 60, y + 30), "topright")

    def prompt_rect(self) -> pygame.Rect:
        """Where the prompt is drawn (tests check that no option covers it)."""
        x, y, _w, _h = self.choice_panel
        left, top = self.app.viewport.point(x + 60, y + 66)
        height = self.prompt_block.height if self.prompt_block is not None else 0
        width = self.prompt_block.width if self.prompt_block is not None else 0
        return pygame.Rect(left, top, width, height)
