"""The glossary: people, places, treaties and events named in the record, each with its sources."""

from __future__ import annotations

from .document import Block, DocumentScene


class GlossaryScene(DocumentScene):
    name = "glossary"

    def __init__(self, app, entry: str | None = None):
        super().__init__(app, entry)

    def blocks(self) -> list[Block]:
        out = [Block("title", "Glossary"),
               Block("meta", "Names and terms from the record. Underlined words in the dialogue open their entry.")]
        for entry in sorted(self.app.scenario.glossary, key=lambda e: e.term.casefold()):
            out.append(Block("heading", entry.term, anchor=entry.id))
            if entry.aliases:
                out.append(Block("meta", "Also: " + ", ".join(entry.aliases)))
            out.append(Block("body", entry.text))
            if entry.uncertain:
                out.append(Block("invented", f"Uncertain: {entry.uncertain}"))
            out.append(Block("meta", "Sources: " + "; ".join(entry.sources)))
        return out
