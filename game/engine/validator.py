"""Semantic checks on loaded content: the rules that keep authors honest.

Types of every condition and effect, jump targets, paragraph references, the verbatim rule for
record text, the historical option of every choice point, reachability of every node and of an
ending from every node, choice points that could offer nothing, glossary links, and what each
ending says about the objectives (implies.py).
"""

from __future__ import annotations

import difflib

from .cases import space
from .diagnostics import Diagnostics, Origin
from .expressions import (
    ExprError,
    VarType,
    check_condition,
    check_effect,
    evaluate,
)
from .glossary import used_entries
from .graph import can_end, reachable, silent_cycles
from .implies import check_implications
from .limits import MAX_CASE_WORK, MAX_CASES, MAX_VERBATIM_CHARS
from .loaded import Loaded
from .model import ChoicePoint, Line, Option, Scenario
from .source_text import REF, check_verbatim, normalise

MAX_HINTS = 50   # "did you mean" and "it agrees up to" are worked out for this many problems of a kind


def validate_loaded(item: Loaded) -> Diagnostics:
    """Every semantic diagnostic for one scenario as read (reading is the loader's, putting the two
    together checked.py's)."""
    diags = Diagnostics()
    scenario = item.scenario
    _check_expressions(item, diags)
    _check_targets(scenario, diags)
    _check_text(scenario, diags)
    _check_voices(scenario, diags)
    _check_sources(item, diags)
    budget = [MAX_CASE_WORK]   # value combinations times characters, for E403 and E515 together
    _check_choices(scenario, diags, budget)
    _check_graph(scenario, diags)
    _check_glossary(scenario, diags)
    check_implications(scenario, diags, budget)
    return diags


def _check_expressions(item: Loaded, diags: Diagnostics) -> None:
    scenario = item.scenario
    types: dict[str, VarType] = {v.id: v.type for v in scenario.variables.values()}
    options = scenario.options()

    endings = {e.id for e in scenario.endings}

    def known(kind: str, ident: str) -> bool:
        return ident in {"node": scenario.nodes, "option": options, "ending": endings}[kind]

    for cond, origin in item.pending.conditions:
        try:
            check_condition(cond, types, known)
        except ExprError as exc:
            exc.report(diags, origin, "condition", cond.source, column=False)
    for effect, origin in item.pending.effects:
        try:
            check_effect(effect, types, known)
        except ExprError as exc:
            exc.report(diags, origin, "effect", effect.source, column=False)


def _check_targets(scenario: Scenario, diags: Diagnostics) -> None:
    nodes = scenario.nodes
    endings = {e.id for e in scenario.endings}
    for path in scenario.paths.values():
        if path.start not in nodes:
            diags.add(path.origin, "E505", "start", path=path.id, start=path.start)
    for node in nodes.values():
        targets: list[tuple[str, Origin]] = []
        if node.goto:
            targets.append((node.goto, node.origin))
        if node.choice:
            targets += [(o.goto, o.origin) for o in node.choice.options]
        targets += [(arm.goto, arm.origin) for arm in node.branch]
        for target, origin in targets:
            if target not in nodes:
                diags.add(origin, "E201", target=target)
        if node.end and node.end != "auto" and node.end not in endings:
            diags.add(node.origin, "E508", ending=node.end, endings=", ".join(sorted(endings)))


def _spoken(scenario: Scenario) -> list[Line | Option]:
    out: list[Line | Option] = []
    for node in scenario.nodes.values():
        out.extend(node.lines)
        if node.choice:
            out.extend(node.choice.options)
    return out


def _check_text(scenario: Scenario, diags: Diagnostics) -> None:
    paragraphs = scenario.source.paragraphs
    normalised: dict[int, str] = {}                 # each paragraph normalised once
    haystacks: dict[tuple[int, ...], str] = {}      # and each set of cited paragraphs joined once
    hints = MAX_HINTS
    budget = MAX_VERBATIM_CHARS
    for item in _spoken(scenario):
        missing = [r for r in item.refs if r not in paragraphs]
        for ref in missing:
            diags.add(item.origin, "E203", "ref", ident=item.id, ref=ref, last=max(paragraphs, default=0))
        if item.provenance != "record" or missing or not item.refs or not paragraphs:
            continue
        refs = tuple(sorted(set(item.refs)))
        cited = haystacks.get(refs)
        if cited is None:
            if len(haystacks) > 1000:
                haystacks.clear()   # lines citing many different sets of paragraphs: bounded memory
            for r in refs:
                if r not in normalised:
                    normalised[r] = normalise(paragraphs[r].text)
            cited = haystacks[refs] = " ".join(normalised[r] for r in refs if normalised[r])
        budget -= len(cited) + len(item.text)
        if budget < 0:
            diags.add(item.origin, "E013", "cited", limit=MAX_VERBATIM_CHARS)
            return
        failure = check_verbatim(item.text, cited, hint=hints > 0)
        if failure:
            hints -= 1
            refs = ", ".join(f"¶{r}" for r in item.refs)
            near = failure.piece[len(failure.matched):][:40]
            agreed = f"; it agrees up to \"…{failure.matched[-30:]}\"" if failure.matched else ""
            diags.add(item.origin, "E204", ident=item.id, refs=refs, near=near, agreed=agreed)


def _check_voices(scenario: Scenario, diags: Diagnostics) -> None:
    """The record's narrating voice speaks only the record's words; the game's narrator never does."""
    for item in _spoken(scenario):
        speaker = scenario.speakers.get(item.speaker)
        if speaker is None:
            continue
        if speaker.voice == "record" and item.provenance != "record":
            diags.add(item.origin, "E207", "record", ident=item.id, provenance=item.provenance, speaker=speaker.id)
        elif speaker.voice == "narrator" and item.provenance == "record":
            diags.add(item.origin, "E207", "narrator", ident=item.id, speaker=speaker.id)


def _check_sources(item: Loaded, diags: Diagnostics) -> None:
    """Every `sources` item is a paragraph of the record or an entry of sources.yaml."""
    scenario = item.scenario
    paragraphs = scenario.source.paragraphs
    hints = MAX_HINTS
    for ref, origin in item.pending.sources:
        m = REF.match(ref)
        if m:
            if int(m.group(1)) not in paragraphs and paragraphs:
                diags.add(origin, "E203", "source", ref=ref, last=max(paragraphs))
            continue
        if ref not in scenario.citations:
            hints -= 1
            close = difflib.get_close_matches(ref, list(scenario.citations), n=1) if hints >= 0 else []
            hint = (f" (did you mean '{close[0]}'?)" if close else "") if scenario.citations else \
                " (there is no sources.yaml beside the manifest)"
            diags.add(origin, "E512", ref=ref, hint=hint)


TOO_MANY = "some combination of values (too many to check; the engine cannot prove an option is always offered)"


def _check_choices(scenario: Scenario, diags: Diagnostics, budget: list[int]) -> None:
    for node in scenario.nodes.values():
        choice = node.choice
        if choice is None or any(o.condition is None for o in choice.options):
            continue
        example = _all_disabled(scenario, choice, budget)
        if example is not None:
            diags.add(choice.origin, "E403", choice=choice.id, example=example)


def _all_disabled(scenario: Scenario, choice: ChoicePoint, budget: list[int]) -> str | None:
    """An example of values that disable every option, None if there is none (or TOO_MANY when the
    engine cannot tell within MAX_CASES for this choice, or within MAX_CASE_WORK, combinations
    times characters of conditions evaluated, for the scenario)."""
    conditions = [o.condition for o in choice.options if o.condition]
    found = space([c.expr for c in conditions], scenario.variables)
    work = found.size * sum(len(c.source) for c in conditions)
    if found.size > MAX_CASES or work > budget[0]:
        return TOO_MANY
    budget[0] -= work
    for case in found.cases():
        try:
            if not any(evaluate(c.expr, case) for c in conditions):
                return case.shown()
        except (KeyError, TypeError, ValueError):
            return None
    return None if found.exact else TOO_MANY


def _check_graph(scenario: Scenario, diags: Diagnostics) -> None:
    nodes = scenario.nodes
    starts = [p.start for p in scenario.paths.values()]
    seen = set(reachable(scenario, starts))
    for node in nodes.values():
        if node.id not in seen and starts:
            diags.add(node.origin, "E401", node=node.id)
    ending = can_end(scenario)
    decided = can_end(scenario, decided=True)
    for node in nodes.values():
        if node.id not in seen:
            continue
        if node.id not in ending:
            diags.add(node.origin, "E402", "node", node=node.id)
        elif node.id not in decided:
            diags.add(node.origin, "E402", "never", node=node.id)
    for cycle in silent_cycles(scenario):
        first = nodes[cycle[0]]
        diags.add(first.origin, "E410", cycle=" → ".join(cycle))


def _check_glossary(scenario: Scenario, diags: Diagnostics) -> None:
    if not scenario.glossary:
        return
    found = used_entries(scenario.glossary, (item.text for item in _spoken(scenario)))
    for entry in scenario.glossary:
        if entry.id not in found:
            diags.add(entry.origin, "W004", entry=entry.id, names=", ".join(entry.names))
