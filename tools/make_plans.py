"""Write the golden plans in tests/plans/ from strategies named by option ids: `python tools/make_plans.py`.

A strategy says which option to take at the choice points where it leaves the record (by
option id, so it survives new options being added around it); everywhere else it follows the
record. The plan file records the picks as numbers, like `python main.py plan --picks`, so
`tools/regenerate_plans.py` can replay it after a content change. Plans marked "Strategy:" are
the sensible strategies that bench/content_balance.py and tests/test_lesson_balance.py read.
Read the result with `git diff tests/plans` before committing it.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.engine.autoplay import RecordPolicy  # noqa: E402
from game.engine.checked import load_scenario  # noqa: E402
from game.engine.runner import ChoiceEvent, EndEvent, Runner  # noqa: E402
from game.engine.testplan import record_plan  # noqa: E402

PLANS = ROOT / "tests" / "plans"

# (file stem, role, path, strategy name or "", what the plan shows, option ids it prefers)
PLAN_TABLE: list[tuple[str, str, str, str, str, tuple[str, ...]]] = [
    # --- the record, every role and path
    *[(f"{role}-{path}-record", role, path, "the record" if path != "short" else "",
       f"The record path: {role}, {path} path, every choice as the record shows it.", ())
      for role in ("shah", "soviet", "both") for path in ("full", "class", "short")],
    # --- the Shah's strategies, full path
    ("shah-full-trader", "shah", "full", "the trader",
     "The Shah asks for concrete terms of trade early on, and otherwise follows the record.",
     ("act2.c-middle.terms",)),
    ("shah-full-warm", "shah", "full", "the warm guest",
     "The Shah is warmer than the record: he offers Iran as a go-between and a message to Ankara.",
     ("act1.c-powers.bridge", "act1.c-turkey-reply.ankara")),
    ("shah-full-neutralist", "shah", "full", "the neutralist",
     "The Shah says the decision to join the pact was taken in haste, and never takes it back.",
     ("act3.c-why.mistake",)),
    ("shah-full-leave-pact", "shah", "full", "the defector",
     "The Shah questions the pact, then offers to take Iran out of it.",
     ("act3.c-why.mistake", "act4.c-counter.leave")),
    ("shah-full-firm", "shah", "full", "the firm ally of the West",
     "The Shah defends the pact and Iran's sovereignty at every turn.",
     ("act1.c-world.pact", "act1.c-bragging.remind", "act1.c-turkey-reply.object", "act2.c-weapon.north",
      "act3.c-why.allies", "act3.c-assure.refuse", "act3.c-twoanswers.security-council",
      "act3.c-defensive.sovereign", "act3.c-impose.no-one", "act4.c-silence.refuse",
      "act4.c-demand-answer.refuse", "act4.c-communique-answer.refuse", "act4.c-lenin.not-minor",
      "act4.c-turkey.defend", "act4.c-tomorrow.no-more", "act4.c-press.cold")),
    ("shah-full-joint-communique", "shah", "full", "the accommodating guest",
     "The Shah agrees to a joint communiqué instead of a personal statement.",
     ("act4.c-form.communique",)),
    ("shah-full-stalemate", "shah", "full", "",
     "A path to the ending 'stalemate': the Shah keeps his word between the two sides only.",
     ("act4.c-form.private",)),
    ("shah-full-trade-only", "shah", "full", "",
     "A path to the ending 'trade-only': trade talks, but the Shah's word stays in the room.",
     ("act2.c-middle.terms", "act4.c-form.private")),
    # --- the Soviet side's strategies, full path
    ("soviet-full-trader", "soviet", "full", "the trader",
     "Mikoyan offers a trade agreement instead of only asking; otherwise the record.",
     ("act2.c-need.offer",)),
    ("soviet-full-conciliator", "soviet", "full", "the conciliator",
     "The Soviet side drops the threats, regrets 1946 openly and takes the Shah at his word.",
     ("act1.c-turkey-warning.soft", "act2.c-colonial.aside", "act2.c-regret.condemn",
      "act3.c-newstory.concede", "act3.c-unfair.let-rest", "act3.c-punish.pass", "act3.c-tehran.drop",
      "act4.c-public.trust-form")),
    ("soviet-full-hard-line", "soviet", "full", "the hard line",
     "The Soviet side threatens, defends the past and demands that Iran leave the pact.",
     ("act1.c-opening.pact", "act1.c-argument.missiles", "act1.c-turkey-warning.bases",
      "act2.c-colonial.pact", "act2.c-pakistan.blunt", "act2.c-regret.justify", "act2.c-need.demand",
      "act3.c-newstory.rebut", "act3.c-unfair.press", "act3.c-stalin.defend", "act3.c-punish.demand",
      "act3.c-tehran.aimed", "act4.c-proposal.demand", "act4.c-time.press", "act4.c-public.communique",
      "act4.c-sufficient.communique", "act4.c-press-ask.bare")),
    ("soviet-full-insist", "soviet", "full", "the insistent",
     "The Soviet side follows the record but will not accept a personal statement.",
     ("act4.c-sufficient.communique",)),
    ("soviet-full-trade-only", "soviet", "full", "",
     "A path to the ending 'trade-only': Mikoyan's trade offer, then the statement is left to the ministries.",
     ("act2.c-need.offer", "act4.c-sufficient.ministries")),
    # --- two players
    ("both-full-leave-pact", "both", "full", "",
     "Two players: the Shah questions the pact and then offers to leave it.",
     ("act3.c-why.mistake", "act4.c-counter.leave")),
    ("both-full-new-start", "both", "full", "",
     "Two players: trade on both sides of the table.",
     ("act2.c-middle.terms", "act2.c-need.offer")),
    # --- the class path
    ("shah-class-trader", "shah", "class", "the trader",
     "Class path: the Shah asks for concrete terms of trade.", ("act2.c-middle.terms",)),
    ("shah-class-firm", "shah", "class", "the firm ally of the West",
     "Class path: the Shah defends the pact and Iran's sovereignty at every turn.",
     ("act1.c-world.pact", "act1.c-turkey-reply.object", "act3.c-why.allies", "act3.c-assure.refuse",
      "act3.c-twoanswers.security-council", "act3.c-defensive.sovereign", "act3.c-impose.no-one",
      "act4.c-silence.refuse", "act4.c-demand-answer.refuse", "act4.c-communique-answer.refuse",
      "act4.c-tomorrow.no-more", "act4.c-press.cold")),
    ("shah-class-neutralist", "shah", "class", "the neutralist",
     "Class path: the Shah offers to have Iran's place in the pact looked at again.",
     ("act3.c-assure.review",)),
    ("soviet-class-conciliator", "soviet", "class", "the conciliator",
     "Class path: the Soviet side drops the threats and takes the Shah at his word.",
     ("act1.c-turkey-warning.soft", "act2.c-regret.condemn", "act3.c-newstory.concede",
      "act3.c-unfair.let-rest", "act3.c-punish.pass", "act3.c-tehran.drop", "act4.c-public.trust-form")),
    ("soviet-class-hard-line", "soviet", "class", "the hard line",
     "Class path: the Soviet side threatens and demands that Iran leave the pact.",
     ("act1.c-opening.pact", "act1.c-turkey-warning.bases", "act2.c-regret.justify", "act2.c-need.demand",
      "act3.c-newstory.rebut", "act3.c-unfair.press", "act3.c-stalin.defend", "act3.c-punish.demand",
      "act3.c-tehran.aimed", "act4.c-proposal.demand", "act4.c-time.press", "act4.c-public.communique",
      "act4.c-sufficient.communique", "act4.c-press-ask.bare")),
    ("soviet-class-trader", "soviet", "class", "the trader",
     "Class path: Mikoyan offers a trade agreement.", ("act2.c-need.offer",)),
    # --- the short (kiosk) path
    ("shah-short-cold-break", "shah", "short", "",
     "A path to the ending 'cold-break': shah, short path.",
     ("short.c-why-pact.sovereign", "short.c-alive.nothing", "short.c-punish.remember", "short.c-silence.refuse")),
    ("shah-short-joint-communique", "shah", "short", "",
     "A path to the ending 'joint-communique': shah, short path.", ("short.c-silence.communique",)),
    ("shah-short-leave-pact", "shah", "short", "",
     "A path to the ending 'leave-pact': shah, short path.", ("short.c-alive.rethink", "short.c-silence.leave")),
    ("shah-short-stalemate", "shah", "short", "",
     "A path to the ending 'stalemate': shah, short path.", ("short.c-form.private",)),
    ("soviet-short-cold-break", "soviet", "short", "",
     "A path to the ending 'cold-break': soviet, short path.",
     ("short.c-turkey.iran", "short.c-regret.nobasis", "short.c-past.ungrateful", "short.c-proposal.demand",
      "short.c-public.insist", "short.c-sufficient.ministries")),
    ("soviet-short-stalemate", "soviet", "short", "",
     "A path to the ending 'stalemate': soviet, short path.", ("short.c-public.word",)),
    ("both-short-stalemate", "both", "short", "",
     "A path to the ending 'stalemate': both, short path.", ("short.c-form.private",)),
]


def picks_for(scenario, role: str, path: str, prefer: tuple[str, ...]) -> list[int]:
    runner = Runner(scenario, role, path)
    picks = []
    while True:
        event = runner.advance()
        if isinstance(event, EndEvent):
            return picks
        if isinstance(event, ChoiceEvent):
            wanted = next((o for o in event.options if o.id in prefer), None)
            option = wanted or RecordPolicy().pick(event)
            picks.append(event.options.index(option) + 1)
            runner.choose(option)


def main() -> int:
    scenario = load_scenario(ROOT, "moscow-1956")
    written = []
    for stem, role, path, strategy, about, prefer in PLAN_TABLE:
        picks = picks_for(scenario, role, path, prefer)
        body = record_plan(scenario, role, path, picks, None).splitlines()[1:]
        head = [f"# {about}"]
        head.append(f"# Generated with `python main.py plan --role {role} --path {path} --picks {','.join(map(str, picks))}`"
                    ", then read through.")
        if strategy:
            head.append(f"# Strategy: {strategy}")
        (PLANS / f"{stem}.testplan").write_text("\n".join([*head, *body]) + "\n", encoding="utf-8")
        written.append(stem)
    stale = sorted(p.stem for p in PLANS.glob("*.testplan") if p.stem not in written)
    print(f"{len(written)} plans written" + (f"; not in the table (remove by hand if stale): {', '.join(stale)}" if stale else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
