"""Fair scoring (issue 13, §2): objectives come from what each side wanted going in, no ending
contradicts them (each ending's `objectives:` in the scenario says which it implies or rules out,
and `validate` proves it: E513), each side can meet all of them by two routes, the record is not
the best score, and every other ending's epilogue weighs gains and costs as marked speculation."""

from __future__ import annotations

import itertools
import re

from bench.content_balance import met_objectives, play, random_endings, record_pick, strategies
from game.engine.expressions import evaluate, names_in
from game.engine.runner import BOTH


def implied(scenario) -> dict[str, dict[str, bool]]:
    """For each ending: the objectives it implies (True) or rules out (False), as the scenario's
    data says (`objectives:` of each ending, which `validate` proves: E513)."""
    return {e.id: {c.objective: c.met for c in e.objectives} for e in scenario.endings}


class Values:
    """A plain assignment of variables, for evaluating endings and objectives without a session."""

    def __init__(self, values):
        self.values = values

    def var(self, name):
        return self.values[name]

    def visited(self, node_id):
        raise AssertionError("endings and objectives should depend on variables only")

    chose = ends = visited


def domain(var):
    if var.type.kind == "bool":
        return [False, True]
    if var.type.kind == "enum":
        return list(var.type.values)
    return list(range(var.minimum, var.maximum + 1))


def test_every_ending_says_what_it_means_for_each_side_and_names_real_objectives(shipped):
    """The debrief sets each ending beside both sides' objectives: every ending claims something
    about each side, so neither side's score can quietly contradict it."""
    objectives = {o.id: r.id for r in shipped.roles.values() for o in r.objectives}
    for ending_id, claims in implied(shipped).items():
        assert set(claims) <= set(objectives), ending_id
        assert {objectives[o] for o in claims} == set(shipped.roles), ending_id


def test_no_ending_contradicts_an_objective_in_any_state_of_the_variables(shipped):
    """Every assignment of every value of the variables the endings and objectives read (each
    int variable over its whole range, not only the points `validate` tries), not only those a
    session reaches: the endings are tried in order, as `end: auto` does."""
    table = implied(shipped)
    objectives = [o for r in shipped.roles.values() for o in r.objectives]
    names = set()
    for e in shipped.endings:
        if e.when is not None:
            names |= names_in(e.when.expr)
    for o in objectives:
        names |= names_in(o.met.expr)
    names = sorted(n for n in names if n in shipped.variables)
    checked = 0
    for combo in itertools.product(*(domain(shipped.variables[n]) for n in names)):
        env = Values(dict(zip(names, combo, strict=True)))
        ending = next(e for e in shipped.endings if e.when is None or evaluate(e.when.expr, env))
        for objective_id, must in table[ending.id].items():
            objective = next(o for o in objectives if o.id == objective_id)
            assert bool(evaluate(objective.met.expr, env)) == must, (ending.id, objective_id, env.values)
        checked += 1
    assert checked > 1000


def test_no_session_ends_against_its_objectives_not_even_a_broken_one(shipped):
    """Endings forced by a break (`end: cold-break`) skip the conditions: `validate` checks them
    with the values that can hold where they are forced; real sessions check them too."""
    table = implied(shipped)
    for role in ("shah", "soviet", BOTH):
        for path in shipped.paths:
            _, runners = random_endings(shipped, role, path, 300)
            for runner in runners:
                met = {o for ids in met_objectives(runner).values() for o in ids}
                for objective_id, must in table[runner.state.ending].items():
                    assert (objective_id in met) == must, (role, path, runner.state.ending, objective_id)


def test_objectives_come_from_sources_of_what_each_side_wanted_going_in(shipped):
    """Each objective cites a work outside the record (the US record of 1955-56, the Soviet
    protest of 1955 ...), not only the talks' own outcome; none reads the answer off the record
    (no objective names the personal statement, the communiqué or the press formula)."""
    for role in shipped.roles.values():
        assert 3 <= len(role.objectives) <= 4
        for o in role.objectives:
            assert any(not s.startswith("¶") for s in o.sources), o.id
            assert o.why, o.id
            assert not re.search(r"personal statement|communiqu|friendly atmosphere", o.text, re.I), o.text


def test_the_personal_statement_counts_towards_weakening_the_pact(shipped):
    """¶76 names "a statement by His Highness the Shah" as a way to draw the pact down to zero."""
    runner = play(shipped, "soviet", "full", record_pick)
    assert runner.state.variables["assurance"] == "personal"
    assert "soviet.weaken-pact" in met_objectives(runner)["soviet"]


def test_each_role_meets_all_its_objectives_by_two_routes_and_the_record_is_not_the_best(shipped):
    found = strategies(shipped)
    for role in shipped.roles.values():
        total = len(role.objectives)
        record = play(shipped, role.id, "full", record_pick)
        record_met = len(met_objectives(record)[role.id])
        full_marks = [s for s in found if s.role == role.id and len(s.met[role.id]) == total]
        assert len({s.file for s in full_marks}) >= 2, (role.id, [s.file for s in full_marks])
        assert len({s.name for s in full_marks}) >= 2, "two different routes, not the same one twice"
        assert record_met < total, f"the record path scores {record_met}/{total} for {role.id}"


def test_every_other_ending_weighs_gains_and_costs_and_marks_speculation(shipped):
    for ending in shipped.endings:
        if ending.historical:
            continue
        text = ending.epilogue.lower()
        assert "did not happen" in text or "not quite" in text or "close to what happened" in text, ending.id
        assert "gain" in text and "cost" in text, ending.id
        assert "speculation" in text, ending.id
        assert ending.sources, ending.id
