"""The whole record, paragraph by paragraph with its ¶ ids, opened at the paragraph asked for."""

from __future__ import annotations

from ...engine.presentation import witness_kinds
from .document import Block, DocumentScene


class SourceScene(DocumentScene):
    name = "source"

    def __init__(self, app, paragraph: int | None = None):
        super().__init__(app, f"p{paragraph}" if paragraph else None)

    def extra_buttons(self):
        return [("Map", self.open_map)] if self.has_map() else []

    def blocks(self) -> list[Block]:
        scenario = self.app.scenario
        source = scenario.source
        out = [
            Block("title", "The record"),
            Block("meta", source.citation),
            Block("meta", f"Date: {scenario.date_note}" if scenario.date_note else scenario.date),
            Block("meta", "Paragraph numbers (¶) are this game's, not the record's. The text is word for word the "
                          "translation; [brackets] are the translators'."),
        ]
        if scenario.witnesses:
            out.append(Block("link", f"What others wrote about these talks: {witness_kinds(scenario)}",
                             action=self.open_witnesses))
        for number, paragraph in sorted(source.paragraphs.items()):
            out.append(Block("subheading", f"¶{number}", anchor=f"p{number}"))
            out.append(Block("body", paragraph.text))
            for witness in scenario.witnesses_of(number):
                out.append(Block("link", f"What others wrote: {witness.title}",
                                 action=lambda w=witness.id: self.open_witnesses(w)))
        return out
