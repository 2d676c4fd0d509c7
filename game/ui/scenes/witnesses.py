"""What others wrote: other witnesses of the record's moments (a US telegram, a second
translation, the press), each beside the ¶s it bears on, reached from the source reader and the
debrief. The comparison a history class practises: sourcing and corroboration."""

from __future__ import annotations

from ...engine.citations import cite_list
from ...engine.presentation import WITNESS_KIND_NAMES as KINDS
from .document import Block, DocumentScene


class WitnessesScene(DocumentScene):
    name = "witnesses"

    def __init__(self, app, witness: str | None = None):
        super().__init__(app, f"w-{witness}" if witness else None)

    def blocks(self) -> list[Block]:
        scenario = self.app.scenario
        out = [Block("title", "What others wrote"),
               Block("meta", scenario.presentation.witnesses_note)]
        for witness in scenario.witnesses:
            out.append(Block("heading", witness.title, anchor=f"w-{witness.id}"))
            out.append(Block("meta", f"{KINDS.get(witness.kind, witness.kind)} · {witness.witness} · {witness.date}"))
            for paragraph in witness.refs:
                out.append(Block("link", f"Beside the record at ¶{paragraph}: read it",
                                 action=lambda p=paragraph: self.open_source(p)))
            out.append(Block("body", witness.text))
            if witness.uncertain:
                out.append(Block("invented", f"Uncertain: {witness.uncertain}"))
            out.append(Block("link", "Sources: " + cite_list(scenario, witness.sources), action=self.open_sources))
        return out
