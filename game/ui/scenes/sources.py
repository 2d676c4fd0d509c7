"""The Sources page: the record itself, then every other work the game cites, with where it is used."""

from __future__ import annotations

from ...engine.citations import sources_page
from .document import Block, DocumentScene


class SourcesScene(DocumentScene):
    name = "sources"

    def blocks(self) -> list[Block]:
        scenario = self.app.scenario
        out = [Block("title", "Sources"),
               Block("meta", "Where the facts in this game come from. The words of the talks come from the record; "
                             "the glossary, the debrief and “what happened next” cite the works below."),
               Block("heading", "The record"), Block("body", scenario.source.citation)]
        if scenario.date_note:
            out.append(Block("meta", scenario.date_note))
        entries = sources_page(scenario)
        if entries:
            out.append(Block("heading", "Other works cited"))
        for entry in entries:
            citation = entry.citation
            out.append(Block("body", citation.cite, anchor=citation.id))
            if citation.note:
                out.append(Block("meta", citation.note))
            if citation.uncertain:
                out.append(Block("invented", f"Uncertain: {citation.uncertain}"))
            if entry.used_in:
                out.append(Block("meta", "Cited in: " + "; ".join(entry.used_in)))
        return out
