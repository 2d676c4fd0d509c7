"""Before the talks: who you are, who is in the room, your objectives, and a word on the source."""

from __future__ import annotations

from ..widgets.button import Button
from ..wording import lower_article
from .document import Block, DocumentScene


def sides_in_order(scenario) -> list[str]:
    """The sides as the seating plan shows them (far side of the table first), then any other role."""
    seated = [side.side for side in scenario.presentation.seating]
    return seated + [role for role in scenario.roles if role not in seated]


class RoleIntroScene(DocumentScene):
    name = "role"

    def __init__(self, app, session):
        super().__init__(app)
        self.session = session

    def blocks(self) -> list[Block]:
        scenario = self.app.scenario
        session = self.session
        roles = list(scenario.roles) if session.two_players else [session.role]
        out = [Block("title", "Replaying the record" if session.replay else
                     ("Two players, one table" if session.two_players else f"You are {lower_article(scenario.roles[session.role].title)}"))]
        if session.replay:
            out.append(Block("body", "The conversation plays exactly as the record shows it. Every line links to its "
                                     "paragraph of the source."))
        for role_id in roles:
            role = scenario.roles[role_id]
            if len(roles) > 1 or session.replay:
                out.append(Block("heading", role.title))
            out.append(Block("body", role.intro))
            if not session.replay:
                out.append(Block("subheading", "Your objectives"))
                out += [Block("body", f"• {o.text}") for o in role.objectives]
        out.append(Block("heading", "In the room"))
        for side in sides_in_order(scenario):
            people = [s for s in scenario.speakers.values() if s.side == side]
            out += [Block("meta", f"{s.full_name or s.name} — {s.title}" if s.title else s.full_name or s.name)
                    for s in people]
        if scenario.presentation.room_note:
            out.append(Block("meta", scenario.presentation.room_note))
        out.append(Block("heading", "The source"))
        out.append(Block("body", scenario.date_note))
        out.append(Block("meta", scenario.source.citation))
        if session.two_players:
            out.append(Block("body", "Take turns at the keyboard: the game says whose turn it is before each choice."))
        return out

    def layout(self) -> None:
        super().layout()
        self.primary = Button((1440, 960, 390, 84), "Begin  →", self.begin, font_size=30, id="begin")
        self.buttons.insert(0, self.primary)
        self.place_buttons()

    def begin(self) -> None:
        # A new game replaces the saved one when it begins, not when its introduction is opened:
        # a look at the introduction and Esc must leave the saved game to continue.
        self.session.begin()
        self.app.go("talks", session=self.session)
