"""Sources as players see them: "the record, ¶12, ¶14; Foreign Relations of the United States …".

Every front end (window, terminal, printed pages) shows `sources` lists through these functions,
so a citation reads the same everywhere and always leads to the Sources page, which lists the
record and every entry of sources.yaml with where it is used.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Citation, Scenario
from .presentation import what_happened
from .source_text import REF


def _paragraph(ref: str) -> int | None:
    m = REF.match(ref)
    return int(m.group(1)) if m else None


def cite_list(scenario: Scenario, refs: tuple[str, ...]) -> str:
    """One line for a `sources` list: the record's paragraphs first, then the other works."""
    paragraphs = [p for p in (_paragraph(r) for r in refs) if p is not None]
    parts = []
    if paragraphs:
        parts.append("the record, " + ", ".join(f"¶{p}" for p in sorted(set(paragraphs))))
    for ref in refs:
        if _paragraph(ref) is None:
            citation = scenario.citations.get(ref)
            parts.append(citation.cite if citation else ref)
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


@dataclass
class SourceEntry:
    """One line of the Sources page: a work, and the places of the game that cite it."""

    citation: Citation
    used_in: list[str] = field(default_factory=list)


def sources_page(scenario: Scenario) -> list[SourceEntry]:
    """Every work cited outside the record, in alphabetical order, with where each is used."""
    entries = {cid: SourceEntry(c) for cid, c in scenario.citations.items()}

    def note(refs: tuple[str, ...], where: str) -> None:
        for ref in refs:
            entry = entries.get(ref)
            if entry is not None and where not in entry.used_in:
                entry.used_in.append(where)

    for role in scenario.roles.values():
        for objective in role.objectives:
            note(objective.sources, f"objective: {objective.text}")
    for ending in scenario.endings:
        note(ending.sources, f"ending: {ending.title}")
    note(scenario.outcome_sources, what_happened(scenario).lower())
    for item in scenario.history:
        note(item.sources, f"what happened next: {item.date}")
    for entry in scenario.glossary:
        note(entry.sources, f"glossary: {entry.term}")
    for node in scenario.nodes.values():
        if node.choice:
            note(node.choice.sources, f"debrief: {node.choice.moment}")
    for witness in scenario.witnesses:
        note(witness.sources, f"what others wrote: {witness.title}")
    return sorted(entries.values(), key=lambda e: e.citation.cite.casefold())
