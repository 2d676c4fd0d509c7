"""The glossary: people, places, treaties and events named in the record, each with its sources."""

from __future__ import annotations

from ...engine.citations import cite_list
from .document import Block, DocumentScene


class GlossaryScene(DocumentScene):
    name = "glossary"

    def __init__(self, app, entry: str | None = None):
        super().__init__(app, entry)

    def extra_buttons(self):
        return [("Sources", self.open_sources)] + ([("Map", self.open_map)] if self.has_map() else [])

    def blocks(self) -> list[Block]:
        scenario = self.app.scenario
        out = [Block("title", "Glossary"),
               Block("meta", "Names and terms from the record. Underlined words in the dialogue open their entry.")]
        for entry in sorted(scenario.glossary, key=lambda e: e.term.casefold()):
            out.append(Block("heading", entry.term, anchor=entry.id))
            if entry.aliases:
                out.append(Block("meta", "Also: " + ", ".join(entry.aliases)))
            out.append(Block("body", entry.text))
            if entry.uncertain:
                out.append(Block("invented", f"Uncertain: {entry.uncertain}"))
            if entry.sources:
                out.append(Block("link", "Sources: " + cite_list(scenario, entry.sources), action=self.open_sources))
        return out
