"""What an ending says about the objectives, proved: no debrief shows an outcome that contradicts its score.

An ending may list the objectives it implies or rules out (`objectives: {shah.keep-pact: met,
shah.trade: not met}`). The debrief shows the ending next to each side's objectives, so an ending
"A promise to leave the pact" beside "Keep Iran in the Baghdad Pact: met" would teach nonsense.

- `end: auto` tries the endings in order. For each claim, every combination of the values the
  earlier endings' `when`, this ending's `when` and the objective's `met` read is tried (not only
  those a session reaches): one where this ending is the one reached and the objective says
  otherwise is an error with that combination as its example (E515).
- `end: <id>` forces the ending and skips its `when`: there the claim must hold for the values the
  variables can have at that node, as flow.py works them out (E515 at the node).
- The work shares the E403 check's budget, and following the graph has its own (MAX_FLOW_WORK):
  content is untrusted, so past either what could not be tried is a warning (W003), never a hang.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

from .cases import Case, Reads, Space, space_of
from .diagnostics import Diagnostics, Origin
from .expressions import Condition, evaluate
from .flow import exit_values
from .limits import MAX_CASES, MAX_FLOW_WORK
from .model import Ending, Implied, Objective, Scenario


def check_implications(scenario: Scenario, diags: Diagnostics, budget: list[int]) -> None:
    """E515 for every claim an ending makes that some values contradict, E516 for an objective
    that does not exist, W003 where the budget did not allow every combination to be tried."""
    objectives = {o.id: o for role in scenario.roles.values() for o in role.objectives}
    claims: dict[str, list[tuple[Implied, Objective]]] = {}
    for ending in scenario.endings:
        for implied in ending.objectives:
            objective = objectives.get(implied.objective)
            if objective is None:
                close = difflib.get_close_matches(implied.objective, list(objectives), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                diags.add(implied.origin, "E516", ending=ending.id, objective=implied.objective, hint=hint)
            else:
                claims.setdefault(ending.id, []).append((implied, objective))
    if not claims:
        return
    variables = scenario.variables
    met_reads = {o.id: Reads.of([o.met.expr], variables, len(o.met.source))
                 for group in claims.values() for _, o in group}
    forced = [n for n in scenario.nodes.values() if n.end and n.end != "auto" and n.end in claims]
    left = sum(len(group) for group in claims.values()) + sum(len(claims[n.end or ""]) for n in forced)
    earlier: list[Condition] = []
    running = Reads()   # what the earlier endings' `when` read, merged as the endings are passed
    for ending in scenario.endings:
        own = Reads.of([ending.when.expr], variables, len(ending.when.source)) if ending.when else Reads()
        group_of: dict[Space, list[tuple[Implied, Objective]]] = {}
        for claim in claims.get(ending.id, ()):   # claims reading the same variables are tried together
            if _spent(budget, running.size + own.size + met_reads[claim[1].id].size, claim[0].origin, diags,
                      f"ending '{ending.id}' and objective '{claim[1].id}'", left):
                return
            left -= 1
            found = space_of(running.plus(own, met_reads[claim[1].id]), variables)
            budget[0] -= _built(found)
            group_of.setdefault(found, []).append(claim)
        for found, group in group_of.items():
            chars = running.chars + own.chars + sum(met_reads[o.id].chars for _, o in group)
            _check_auto(ending, earlier, found, group, chars, diags, budget)
        if ending.when is not None:
            earlier.append(ending.when)
            running.add(own)
    if not forced:
        return
    read = {name for end in {n.end for n in forced} for _, o in claims[end or ""] for name in met_reads[o.id].names}
    values = exit_values(scenario, read)
    if values is None:
        node = forced[0]
        diags.add(node.origin, "W003", "flow", count=len(forced), nodes="nodes" if len(forced) > 1 else "node",
                  node=node.id, limit=MAX_FLOW_WORK)
        return
    for node in forced:
        state = values.get(node.id)
        for implied, objective in claims[node.end or ""]:
            what = f"ending '{node.end}' forced at node '{node.id}' and objective '{objective.id}'"
            if _spent(budget, met_reads[objective.id].size, node.origin, diags, what, left):
                return
            left -= 1
            if state is None:
                continue   # never reached: E401 says so
            found = space_of(met_reads[objective.id], variables, within=state)
            budget[0] -= _built(found)
            example = _search(found, met_reads[objective.id].chars,
                              lambda case, o=objective, i=implied: _against(case, o, i), budget, node.origin, diags, what)
            if example is not None:
                diags.add(node.origin, "E515", "forced", node=node.id, ending=node.end, objective=objective.id,
                          verdict=_verdict(implied, "the ending"), example=example.shown())


def _built(found: Space) -> int:
    """The work of building a Space: a whole int range tried in full can be 100,000 values."""
    return sum(len(d) for d in found.domains)


def _spent(budget: list[int], cost: int, origin: Origin, diags: Diagnostics, what: str, left: int) -> bool:
    """Charge the work of setting up one claim's check; when the budget is spent, one W003 says
    how many claims were not checked (not one warning each: there may be millions)."""
    if budget[0] <= 0:
        more = f" nor {left - 1:,} more claim{'s' if left > 2 else ''} of the endings" if left > 1 else ""
        diags.add(origin, "W003", "budget", what=what, more=more)
        return True
    budget[0] -= cost
    return False


def _verdict(implied: Implied, who: str = "it") -> str:
    return f"met, which {who} rules out" if not implied.met else f"not met, which {who} implies"


def _against(case: Case, objective: Objective, implied: Implied) -> bool:
    return bool(evaluate(objective.met.expr, case)) != implied.met


def _check_auto(ending: Ending, earlier: list[Condition], found: Space, group: list[tuple[Implied, Objective]],
                chars: int, diags: Diagnostics, budget: list[int]) -> None:
    """The claims of one ending that read the same variables: one pass over their combinations,
    the first example against each claim kept."""
    examples: dict[int, Case] = {}

    def reached_against(case: Case) -> bool:
        if any(evaluate(c.expr, case) for c in earlier):
            return False
        if ending.when is not None and not evaluate(ending.when.expr, case):
            return False
        for i, (implied, objective) in enumerate(group):
            if i not in examples and _against(case, objective, implied):
                examples[i] = case
        return len(examples) == len(group)   # every claim has its example: stop

    names = ", ".join(f"'{o.id}'" for _, o in group)
    _search(found, chars, reached_against, budget, group[0][0].origin, diags,
            f"ending '{ending.id}' and objective{'s' if len(group) > 1 else ''} {names}")
    for i, (implied, objective) in enumerate(group):
        if i in examples:
            diags.add(implied.origin, "E515", "reached", ending=ending.id, objective=objective.id,
                      verdict=_verdict(implied), example=examples[i].shown())


def _search(found: Space, chars: int, bad: Callable[[Case], bool], budget: list[int], origin: Origin,
            diags: Diagnostics, what: str) -> Case | None:
    """The first combination for which `bad` holds, trying as many as the budget allows (each
    costs the `chars` of the conditions it evaluates); W003 when that is not all of them (or the
    points tried do not stand for every value)."""
    chars = max(1, chars)
    affordable = max(0, budget[0]) // chars
    allowed = min(found.size, MAX_CASES, affordable)
    budget[0] -= allowed * chars
    if affordable < min(found.size, MAX_CASES):
        budget[0] = 0   # spent: the claims after this one get a single W003 between them (_spent)
    tried = 0
    for case in found.cases():
        if tried >= allowed:
            break
        tried += 1
        try:
            if bad(case):
                return case
        except (KeyError, TypeError, ValueError):
            return None   # a condition of the wrong type: reported by the type check
    if tried < found.size or not found.exact:
        diags.add(origin, "W003", "combinations", full=found.full, what=what, tried=tried)
    return None
