"""Everything said so far in this session, each line with where it comes from."""

from __future__ import annotations

from ..wording import provenance_caption
from .document import Block, DocumentScene


class BacklogScene(DocumentScene):
    name = "backlog"

    def __init__(self, app, session):
        super().__init__(app, "end")
        self.session = session

    def blocks(self) -> list[Block]:
        scenario = self.app.scenario
        out = [Block("title", "What was said"),
               Block("meta", "Everything said so far, in order. Click a source line to read that paragraph.")]
        for entry in self.session.runner.state.spoken:
            out.append(Block("subheading", scenario.speaker_name(entry.speaker)))
            out.append(Block("body", entry.text))
            kind = "invented" if entry.provenance == "invented" else "link"
            action = (lambda r=entry.refs[0]: self.open_source(r)) if entry.refs else None
            out.append(Block(kind, provenance_caption(entry.provenance, entry.refs), action=action))
        out.append(Block("meta", "— now —", anchor="end"))
        return out
