"""Test plans: golden transcripts of scripted playthroughs, in the manner of Yarn Spinner's.

A plan lists, in order, every line the session speaks (`line: speaker-id: text`, or `line: *` for
any line, `line: speaker-id: *` for any line of that speaker), the options of every choice point
(`option: label`), the pick (`select: N`), and at the end the ending and the record match. `run_plan` replays it and reports the first difference with the plan's line number;
`record_plan` writes one from a playthrough, for an author to read and keep.
"""

from __future__ import annotations

from dataclasses import dataclass

from .autoplay import Policy
from .model import Scenario
from .runner import BOTH, ChoiceEvent, EndEvent, Event, LineEvent, Runner
from .scoring import build_debrief


class PlanError(Exception):
    """The plan is malformed, or the playthrough differs from it."""


@dataclass(frozen=True)
class Step:
    number: int
    key: str
    value: str


@dataclass(frozen=True)
class Plan:
    role: str
    path: str
    scenario: str | None
    steps: tuple[Step, ...]


HEADER_KEYS = ("scenario", "role", "path")
STEP_KEYS = ("line", "option", "select", "ending", "match", "stop")


def parse_plan(text: str, name: str = "plan") -> Plan:
    header: dict[str, str] = {}
    steps: list[Step] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition(":")
        key = key.strip()
        if key == "stop" and not sep:
            steps.append(Step(number, "stop", ""))
            continue
        if not sep or (key not in HEADER_KEYS and key not in STEP_KEYS and not key.startswith("match ")):
            raise PlanError(f"{name}:{number}: cannot read '{line[:60]}' (expected one of {', '.join(STEP_KEYS)})")
        if key in HEADER_KEYS:
            header[key] = value.strip()
        else:
            steps.append(Step(number, key, value.strip()))
    if "role" not in header:
        raise PlanError(f"{name}: the plan has no 'role:' line")
    return Plan(header["role"], header.get("path", "full"), header.get("scenario"), tuple(steps))


def _line_text(scenario: Scenario, event: Event) -> str:
    if isinstance(event, LineEvent):
        return f"line: {event.line.speaker}: {event.line.text}"
    if isinstance(event, ChoiceEvent):
        return "option: " + " | ".join(o.label for o in event.options)
    return f"ending: {event.ending.id}"


WILDCARD = "*"


def line_matches(wanted: str, got: str) -> bool:
    """A plan's `line:` against the line spoken (`line: speaker: text`): `line: *` is any line, and
    `line: speaker: *` any line of that speaker, so a plan can promise who speaks where without
    breaking on every typo fixed in the text."""
    if wanted == WILDCARD:
        return got.startswith("line: ")
    speaker, _, text = wanted.partition(":")
    if text.strip() == WILDCARD:
        return got.startswith(f"line: {speaker.strip()}: ")
    return got == f"line: {wanted}"


def run_plan(scenario: Scenario, plan: Plan, name: str = "plan") -> Runner:
    """Replay `plan`; raise PlanError at the first difference. Returns the runner at the end."""
    if plan.scenario and plan.scenario != scenario.id:
        raise PlanError(f"{name}: the plan is for scenario '{plan.scenario}', not '{scenario.id}'")
    runner = Runner(scenario, plan.role, plan.path)
    buffered: list[Event] = []
    options: list[str] = []

    def next_event() -> Event:
        return buffered.pop(0) if buffered else runner.advance()

    def fail(step: Step, expected: str, got: str) -> PlanError:
        return PlanError(f"{name}:{step.number}: expected\n    {expected}\n  but the game gave\n    {got}")

    for step in plan.steps:
        if step.key == "stop":
            return runner
        if step.key == "line":
            event = next_event()
            want = f"line: {step.value}"
            if not isinstance(event, LineEvent) or not line_matches(step.value, _line_text(scenario, event)):
                raise fail(step, want, _line_text(scenario, event))
        elif step.key == "option":
            options.append(step.value)
        elif step.key == "select":
            event = next_event()
            if not isinstance(event, ChoiceEvent):
                raise fail(step, "a choice", _line_text(scenario, event))
            got = [o.label for o in event.options]
            if got != options:
                raise fail(step, "options " + " | ".join(options), "options " + " | ".join(got))
            options = []
            if not step.value.isdigit() or not 1 <= int(step.value) <= len(event.options):
                raise PlanError(f"{name}:{step.number}: 'select: {step.value}' is not an option number (1–{len(event.options)})")
            buffered.append(runner.choose(event.options[int(step.value) - 1]))
        elif step.key == "ending":
            event = next_event()
            if not isinstance(event, EndEvent) or event.ending.id != step.value:
                raise fail(step, f"ending: {step.value}", _line_text(scenario, event))
        else:
            _check_match(runner, step, name)
    if buffered or (not runner.ended and plan.steps and plan.steps[-1].key != "stop"):
        event = next_event()
        raise PlanError(f"{name}: the plan ends, but the game goes on with\n    {_line_text(scenario, event)}")
    return runner


def _check_match(runner: Runner, step: Step, name: str) -> None:
    role = step.key.partition(" ")[2].strip() or None
    results = build_debrief(runner).roles
    result = next((r for r in results if role is None or r.role.id == role), None)
    if result is None:
        raise PlanError(f"{name}:{step.number}: no role '{role}' in this session")
    got = f"{result.matched} of {result.total}"
    if got != step.value:
        raise PlanError(f"{name}:{step.number}: expected record match {step.value}, got {got}")


def record_plan(scenario: Scenario, role: str, path: str, picks: list[int], policy: Policy | None) -> str:
    """Play with `picks` (then `policy`) and write the plan of what happened."""
    runner = Runner(scenario, role, path)
    out = [
        f"# Test plan: {role} on the '{path}' path, picks {','.join(map(str, picks)) or '(none)'}"
        + (f", then {type(policy).__name__}" if policy else ""),
        f"scenario: {scenario.id}", f"role: {role}", f"path: {path}",
    ]
    queue = list(picks)
    while True:
        event = runner.advance()
        if isinstance(event, LineEvent):
            out.append(_line_text(scenario, event))
        elif isinstance(event, ChoiceEvent):
            out += [f"option: {o.label}" for o in event.options]
            if queue:
                number = queue.pop(0)
                if not 1 <= number <= len(event.options):
                    raise PlanError(f"pick {number} is not an option here (1–{len(event.options)})")
            elif policy is not None:
                number = event.options.index(policy.pick(event)) + 1
            else:
                out.append("stop")
                break
            out.append(f"select: {number}")
            out.append(_line_text(scenario, runner.choose_index(number)))
        else:
            out.append(f"ending: {event.ending.id}")
            results = build_debrief(runner).roles
            if role == BOTH:
                out += [f"match {r.role.id}: {r.matched} of {r.total}" for r in results]
            else:
                out.append(f"match: {results[0].matched} of {results[0].total}")
            break
    return "\n".join(out) + "\n"
