"""What an ending says about the objectives, proved: no debrief shows an outcome that contradicts its score.

An ending may list the objectives it implies or rules out (`objectives: {shah.keep-pact: met,
shah.trade: not met}`). The debrief shows the ending next to each side's objectives, so an ending
"A promise to leave the pact" beside "Keep Iran in the Baghdad Pact: met" would teach nonsense.

- `end: auto` tries the endings in order. For each claim, every combination of the values the
  earlier endings' `when`, this ending's `when` and the objective's `met` read is tried (not only
  those a session reaches): one where this ending is the one reached and the objective says
  otherwise is an error with that combination as its example (E513).
- `end: <id>` forces the ending and skips its `when`: there the claim must hold for the values the
  variables can have at that node, as flow.py works them out (E513 at the node).
- The work shares the E403 check's budget; past it, what could not be tried is a warning (W003).
"""

from __future__ import annotations

import difflib

from .cases import Case, Space, space
from .diagnostics import Diagnostics, Origin
from .expressions import Condition, evaluate
from .flow import exit_values
from .limits import MAX_CASES
from .model import Ending, Implied, Objective, Scenario


def check_implications(scenario: Scenario, diags: Diagnostics, budget: list[int]) -> None:
    """E513 for every claim an ending makes that some values contradict, E514 for an objective
    that does not exist, W003 where the budget did not allow every combination to be tried."""
    objectives = {o.id: o for role in scenario.roles.values() for o in role.objectives}
    claims: dict[str, list[tuple[Implied, Objective]]] = {}
    for ending in scenario.endings:
        for implied in ending.objectives:
            objective = objectives.get(implied.objective)
            if objective is None:
                close = difflib.get_close_matches(implied.objective, list(objectives), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                diags.add(implied.origin, "E514", f"ending '{ending.id}' names objective '{implied.objective}', "
                                                  f"which no role has{hint}")
            else:
                claims.setdefault(ending.id, []).append((implied, objective))
    if not claims:
        return
    for i, ending in enumerate(scenario.endings):
        earlier = [e.when for e in scenario.endings[:i] if e.when is not None]
        chain = [*earlier, *([ending.when] if ending.when else [])]
        groups: dict[Space, list[tuple[Implied, Objective]]] = {}
        for claim in claims.get(ending.id, ()):   # claims reading the same variables are tried together
            groups.setdefault(space([c.expr for c in [*chain, claim[1].met]], scenario.variables), []).append(claim)
        for found, group in groups.items():
            _check_auto(ending, earlier, found, group, diags, budget)
    forced = [n for n in scenario.nodes.values() if n.end and n.end != "auto" and n.end in claims]
    if forced:
        values = exit_values(scenario)
        for node in forced:
            state = values.get(node.id)
            if state is None:
                continue   # never reached: E401 says so
            for implied, objective in claims[node.end or ""]:
                found = space([objective.met.expr], scenario.variables, within=state)
                example = _search(found, [objective.met], lambda case, o=objective, i=implied: _against(case, o, i),
                                  budget, node.origin, diags, f"ending '{node.end}' forced at node '{node.id}' "
                                                              f"and objective '{objective.id}'")
                if example is not None:
                    diags.add(node.origin, "E513", f"node '{node.id}' forces ending '{node.end}' (skipping its "
                                                   f"'when') with objective '{objective.id}' {_verdict(implied, 'the ending')}: "
                                                   f"e.g. {example.shown()} can hold here")


def _verdict(implied: Implied, who: str = "it") -> str:
    return f"met, which {who} rules out" if not implied.met else f"not met, which {who} implies"


def _against(case: Case, objective: Objective, implied: Implied) -> bool:
    return bool(evaluate(objective.met.expr, case)) != implied.met


def _check_auto(ending: Ending, earlier: list[Condition], found: Space, group: list[tuple[Implied, Objective]],
                diags: Diagnostics, budget: list[int]) -> None:
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

    conditions = [*earlier, *([ending.when] if ending.when else []), *(o.met for _, o in group)]
    names = ", ".join(f"'{o.id}'" for _, o in group)
    _search(found, conditions, reached_against, budget, group[0][0].origin, diags,
            f"ending '{ending.id}' and objective{'s' if len(group) > 1 else ''} {names}")
    for i, (implied, objective) in enumerate(group):
        if i in examples:
            diags.add(implied.origin, "E513", f"ending '{ending.id}' is reached with objective '{objective.id}' "
                                              f"{_verdict(implied)}: e.g. {examples[i].shown()}")


def _search(found: Space, conditions: list[Condition], bad, budget: list[int], origin: Origin,
            diags: Diagnostics, what: str) -> Case | None:
    """The first combination for which `bad` holds, trying as many as the budget allows; W003 when
    that is not all of them (or the points tried do not stand for every value)."""
    chars = max(1, sum(len(c.source) for c in conditions))
    allowed = min(found.size, MAX_CASES, max(0, budget[0]) // chars)
    budget[0] -= allowed * chars
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
        diags.add(origin, "W003", f"could not check all {found.full:,} combinations of values for {what} "
                                  f"(tried {tried:,}); a contradiction may be missed: let the conditions read fewer "
                                  "variables, or compare each with a constant")
    return None
