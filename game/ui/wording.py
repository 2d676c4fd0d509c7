"""Words several scenes share, kept here so that no scene imports another for them.

Most depend on how the player gives input: a kiosk is touched, a window has keys too. A touch
screen must never ask a visitor to "press Esc" or "pass the keyboard"; the window names its keys
so that keyboard players can find them. Every scene takes these texts from here.
"""

from __future__ import annotations


def lower_article(title: str) -> str:
    """'The Shah of Iran' → 'the Shah of Iran', for use inside a sentence."""
    return "the " + title[4:] if title.startswith("The ") else title


def provenance_caption(provenance: str, refs: tuple[int, ...]) -> str:
    """Where a spoken line comes from, as the backlog and the debrief print it ("From the record,
    ¶12"). Not the printed pages' shorter `results.page.mark` ("¶12"): the two are worded for
    different places, and the screen's must read as a sentence."""
    cited = ", ".join(f"¶{r}" for r in refs)
    if provenance == "record":
        return f"From the record, {cited}"
    if provenance == "adapted":
        return f"Adapted from {cited}"
    return "INVENTED FOR THE GAME"


def choose_hint(touch: bool) -> str:
    return "Touch the answer you choose." if touch else "Click an answer, or press its number (1–9)."


def source_hint(touch: bool) -> str:
    return "touch here to read it" if touch else "open the source (S)"


def handover_title(touch: bool) -> str:
    return "CHANGE PLACES" if touch else "PASS THE KEYBOARD"


def handover_body(touch: bool) -> str:
    return "The other visitor, please look away." if touch else "The other player, please look away."


def back_label(touch: bool) -> str:
    return "Back" if touch else "Back (Esc)"


def still_there(touch: bool) -> str:
    return "Touch anywhere to stay." if touch else "Press any key or click to stay."
