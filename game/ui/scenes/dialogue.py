"""The table: the seating plan with the speaker lit, the line on the memo paper, and the choices.

A spoken line shows where it comes from (a ¶ link for record lines, "adapted from ¶" or the blue
INVENTED stamp); glossary terms are underlined and open the glossary. Long lines are paged, and
the typing effect can be skipped with the same key that continues (widgets/paged_text.py).

While the player chooses, options carry no provenance and no mark of the record's voice (that
would give the record away). No option has the keyboard focus until the player moves it, and a
press that began before the options appeared (or in the moment after) never picks one
(widgets/choice_panel.py): the key or click that brought the choice up cannot also answer it.

What stays the same from line to line (the desk, the seating plan without its highlight, the
header sheet and the line's empty sheet) is painted once into the app's "table" layer, and again
only when the window size, the theme, the text size or the session's length changes: a frame
after a new line is that layer, the speaker's seat and the line's own words and buttons.
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
from ..theme import BODY_SIZE
from ..widgets.button import MIN_TEXT, Button
from ..widgets.choice_panel import GRACE, ChoicePanel
from ..widgets.paged_text import PagedText
from ..widgets.seating_plan import SeatingPlan
from ..wording import choose_hint, source_hint
from .base import Scene

__all__ = ["GRACE", "DialogueScene"]

PANEL = (120, 372, 1680, 452)
HEADER = (1190, 30, 700, 310)
HEADER_TEXT_W = 640        # design px of text across the header sheet
CHOICE_BOTTOM = 944        # design y where the choice panel ends (the button bar is below it)
CHOICE_TOP_MIN = 30        # how far up the choice panel may grow over the seating plan
CHOICE_TOP = 372
BAR_Y = 862


def around(whole: pygame.Rect, hole: pygame.Rect) -> list[pygame.Rect]:
    """`whole` without `hole`, as up to four rectangles (above, below, left, right)."""
    hole = hole.clip(whole)
    if not hole.width or not hole.height:
        return [whole]
    parts = [pygame.Rect(whole.left, whole.top, whole.width, hole.top - whole.top),
             pygame.Rect(whole.left, hole.bottom, whole.width, whole.bottom - hole.bottom),
             pygame.Rect(whole.left, hole.top, hole.left - whole.left, hole.height),
             pygame.Rect(hole.right, hole.top, whole.right - hole.right, hole.height)]
    return [r for r in parts if r.width > 0 and r.height > 0]


class DialogueScene(Scene):
    name = "dialogue"
    draws_desk = True   # the table layer already holds the desk

    def __init__(self, app, session: PlaySession):
        super().__init__(app)
        self.session = session
        self.plan = SeatingPlan((30, 14, 1130, 346))
        self.glossary = GlossaryIndex(app.scenario.glossary)
        self.text_box = PagedText(on_term=self.open_glossary, on_continue=self.next)
        self.choice = ChoicePanel(PANEL[0], PANEL[2], CHOICE_TOP, CHOICE_TOP_MIN, CHOICE_BOTTOM)
        self._paged_line: str | None = None

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

    def _speed(self) -> float:
        return TYPING_SPEEDS[self.app.settings.typing]

    def next(self) -> None:
        """Continue: finish the typing, else the next page, else the next line (or the debrief)."""
        if self.text_box.skip() or self.text_box.turn(self._speed()):
            return
        shown = self.session.shown
        if shown.ended:
            self._to_debrief()
            return
        if shown.choice is not None:
            return
        shown = self.session.advance()
        if shown.ended:
            self._to_debrief()
            return
        self.layout()
        self._start_typing()
        self._maybe_handover()

    def _to_debrief(self) -> None:
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
        self.text_box.start_typing(self._speed())

    def update(self, dt: float) -> bool:
        return self.text_box.update(dt, self._speed())

    # --- layout -------------------------------------------------------------------------------

    def layout(self) -> None:
        ui = self.app
        self.plan.place(ui)
        shown = self.session.shown
        self.buttons = []
        self.focus = None
        # The same line laid out again (resize, text size): stay on its page; a new line: page 1.
        line = shown.line.id if shown.line is not None else None
        keep_page = self.text_box.page if line is not None and line == self._paged_line else 0
        self._paged_line = line
        self.text_box.show(None, pygame.Rect(0, 0, 0, 0))
        self.choice.prompt = None
        if shown.choice is not None:
            labels = [self.option_label(o) for o in shown.options]
            self.buttons = self.choice.layout(ui, shown.choice.prompt or "What do you say?", labels, self.pick, ui.now())
        elif shown.line is not None:
            self._layout_line(shown.line, keep_page)
        bar = []
        if shown.choice is None:
            bar.append(("continue", "Continue  →", self.next, 400, True))
        bar += [("go_back", "Back to last choice", self.go_back, 340, self.session.can_go_back),
                ("backlog", "What was said", self.open_backlog, 270, True),
                ("source", "The source", self.open_source, 230, True),
                ("glossary", "Glossary", lambda: self.open_glossary(), 210, True),
                ("menu", "Menu", self.open_menu, 170, True)]
        x = 120
        y = BAR_Y if shown.choice is None else 962
        for key, label, action, width, enabled in bar:
            self.buttons.append(Button((x, y, width, 84 if shown.choice is None else 80), label, action, font_size=28,
                                       enabled=enabled, id=key))
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

    def _layout_line(self, line: Line, page: int) -> None:
        ui = self.app
        x, y, w, h = PANEL
        heads = ui.fonts.get("serif_bold", 38).get_linesize() + ui.fonts.get("sans", 24).get_linesize()
        top = y + 28 + heads / ui.viewport.scale + 6
        rect = ui.viewport.rect(x + 60, top, w - 120, y + h - 80 - top)
        spans = [Span(m.start, m.end, m.entry.id) for m in self.glossary.find(line.text)]
        block = TextBlock(line.text, ui.fonts.get("serif", BODY_SIZE), ui.theme.ink, rect.width, spans, ui.theme.link)
        self.text_box.show(block, rect, page)

    def option_buttons(self) -> list[Button]:
        return self.choice.buttons if self.session.shown.choice is not None else []

    # The paged text's state, under the names tests and benches read.
    @property
    def block(self) -> TextBlock | None:
        return self.text_box.block

    @property
    def pages(self) -> list[tuple[int, int]]:
        return self.text_box.pages

    @property
    def page(self) -> int:
        return self.text_box.page

    @property
    def typing(self) -> bool:
        return self.text_box.typing

    @property
    def reveal(self) -> float:
        return self.text_box.reveal

    @property
    def body_rect(self) -> pygame.Rect:
        return self.text_box.rect

    # --- input -------------------------------------------------------------------------------

    def handle(self, event: pygame.event.Event) -> None:
        shown = self.session.shown
        action = action_of(event)
        if event.type == pygame.KEYDOWN:
            if action == "activate" and shown.choice is None and self.ring.focused() is None:
                self.next()
                return
            shortcuts = {"go_back": self.go_back, "backlog": self.open_backlog, "source": self.open_source,
                         "glossary": lambda: self.open_glossary(), "escape": self.open_menu}
            if action in shortcuts:
                shortcuts[action]()
                return
        if shown.choice is not None:
            if self.choice.process_event(event, self.app.now()):
                return
        elif self.text_box.process_event(event):
            return
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1 and shown.line is not None and shown.line.refs \
                and self.provenance_rect().collidepoint(event.pos):
            self.open_source()
            return
        self.handle_buttons(event)

    # --- drawing ------------------------------------------------------------------------------

    def provenance_rect(self) -> pygame.Rect:
        x, y, w, h = PANEL
        return self.app.viewport.rect(x + 60, y + h - 70, w - 120, 52)

    def prompt_rect(self) -> pygame.Rect:
        """Where the prompt is drawn (tests check that no option covers it)."""
        return self.choice.prompt_rect(self.app)

    def draw(self, surface: pygame.Surface) -> None:
        """The table layer, then what belongs to this line or choice: the speaker's seat, whose
        turn, the line's words (typed so far) or the choice, a note, the buttons."""
        ui = self.app
        session = self.session
        shown = session.shown
        path = ui.scenario.paths[session.runner.state.path]
        table = ui.composed("table", (path.title,), self._draw_table)
        if shown.choice is not None:
            # the choice's sheet is opaque and covers what it lies on: only the table around it
            # is copied (at 4K that is 3 ms less of a frame that must fit in 16.7)
            for part in around(surface.get_rect(), ui.viewport.rect(*self.choice.design)):
                surface.blit(table, part, part)
        else:
            surface.blit(table, (0, 0))
        speaker = shown.line.speaker if shown.line else (None if shown.choice is None else ui.scenario.roles[shown.choice.by].speaker)
        self.plan.draw_highlight(surface, ui, speaker)
        # fitted to the header sheet (at the largest text size a two-player turn ran off it), as
        # small as the normal text size at the least
        self.fitted(surface, session.who_plays(), "sans_bold", 26, ui.theme.ink, (1220, 190), HEADER_TEXT_W,
                    smallest=MIN_TEXT / ui.fonts.text_scale)
        if shown.choice is not None:
            who = ui.scenario.roles[shown.choice.by].title
            self.choice.draw(surface, ui, f"{who}'s turn" if session.two_players else "Your turn", choose_hint(ui.touch))
        elif shown.line is not None:
            self._draw_line(surface, shown.line)
            self.text_box.draw(surface)
            counter = self.text_box.counter()
            if counter:
                x, y, w, _h = PANEL
                self.text(surface, counter, "sans", 24, ui.theme.ink_soft, (x + w - 60, y + 36), "topright")
        if session.message:
            self.note(surface, session.message, (120, 1048, 1680, 32) if shown.choice is not None
                      else (120, 950, 1680, 120))
        self.draw_buttons(surface)

    def _draw_table(self, surface: pygame.Surface) -> None:
        """The table layer: the desk, the seating plan unlit, the header sheet (without whose turn
        it is) and the line's empty sheet, which a choice's sheet covers whole."""
        ui = self.app
        ui.draw_desk(surface)
        self.plan.draw(surface, ui, None)
        self._draw_header(surface)
        self.paper(surface, PANEL)

    def _draw_header(self, surface: pygame.Surface) -> None:
        ui = self.app
        theme = ui.theme
        rect = self.paper(surface, HEADER)
        scenario = ui.scenario
        shown = scenario.presentation
        date = f"{scenario.date} ({shown.record_date})" if shown.record_date else scenario.date
        for text, role, size, colour, y in (("RECORD OF CONVERSATION", "mono_bold", 28, theme.accent, 52),
                                            (scenario.place, "mono", 24, theme.ink, 98),
                                            (date, "mono", 24, theme.ink, 132)):
            rendered = ui.render(text, role, size, colour, scaled=False)
            while rendered.get_width() > ui.viewport.px(HEADER_TEXT_W) and size > 16:   # the content's words, any length
                size -= 1
                rendered = ui.render(text, role, size, colour, scaled=False)
            surface.blit(rendered, ui.viewport.point(1220, y))
        path = ui.scenario.paths[self.session.runner.state.path]
        self.fitted(surface, path.title, "sans", 24, theme.ink_soft, (1220, 228), HEADER_TEXT_W,
                    smallest=MIN_TEXT / ui.fonts.text_scale)
        stamp = ui.texture(shown.stamp, (ui.viewport.px(230), round(ui.viewport.px(230) * shown.stamp.height / shown.stamp.width))
                           ) if shown.stamp is not None else None
        if stamp is not None:
            surface.blit(stamp, (rect.right - stamp.get_width() - ui.viewport.px(16), rect.bottom - stamp.get_height() - ui.viewport.px(14)))

    def _draw_line(self, surface: pygame.Surface, line: Line) -> None:
        """The speaker's name and title and where the line comes from, on the line's sheet."""
        ui = self.app
        theme = ui.theme
        x, y, w, h = PANEL
        speaker = ui.scenario.speakers.get(line.speaker)
        name = speaker.name if speaker else line.speaker
        self.text(surface, name, "serif_bold", 38, theme.accent, (x + 60, y + 28))
        if speaker and speaker.title:
            below = y + 28 + ui.fonts.get("serif_bold", 38).get_linesize() / ui.viewport.scale
            self.text(surface, speaker.title, "sans", 24, theme.ink_soft, (x + 60, below))
        self._draw_provenance(surface, line)

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
