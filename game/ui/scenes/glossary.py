"""The glossary: people, places, treaties and events named in the record, each with its sources."""

from __future__ import annotations

from ...engine.citations import cite_list
from .document import Block, DocumentScene


class GlossaryScene(DocumentScene):
    name = "glossary"

    def __init__(self, app, entry: str | None = None):
        super().__init__(app, entry)

    def extra_buttons(self):
        from .map_scene import has_map

        return [("Sources", self.sources)] + ([("Map", self.map)] if has_map(self.app) else [])

    def map(self) -> None:
        from .map_scene import MapScene

        self.app.push(MapScene(self.app))

    def sources(self) -> None:
        from .sources import SourcesScene

        self.app.push(SourcesScene(self.app))

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
                out.append(Block("link", "Sources: " + cite_list(scenario, entry.sources), action=self.sources))
        return out
