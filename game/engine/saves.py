"""Saved sessions: versioned JSON, written atomically, read back defensively.

A save names nodes, lines and options by id. When the content has changed since, the loader
keeps what still makes sense and says what it could not keep: a vanished line restarts its node,
a vanished node goes back to the last choice point that still exists (or the path's start).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .files import write_atomic
from .model import Scenario
from .runner import BOTH, RunnerError, new_state
from .state import Chosen, Snapshot, Spoken, StoryState

SAVE_FORMAT = "moscow-1956-save"
SAVE_VERSION = 1


class SaveError(Exception):
    """The save cannot be used at all (not JSON, another game, another scenario)."""


@dataclass
class Restored:
    state: StoryState
    messages: list[str] = field(default_factory=list)


def dumps(state: StoryState) -> str:
    data = {"format": SAVE_FORMAT, "version": SAVE_VERSION, **state.to_json()}
    return json.dumps(data, ensure_ascii=False, indent=1)


def save(state: StoryState, path: Path) -> None:
    write_atomic(path, dumps(state))


def load(path: Path, scenario: Scenario) -> Restored:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SaveError(f"{path}: cannot read the save ({exc})") from None
    return loads(text, scenario, str(path))


def loads(text: str, scenario: Scenario, name: str = "save") -> Restored:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SaveError(f"{name}: not a readable save (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(data, dict) or data.get("format") != SAVE_FORMAT:
        raise SaveError(f"{name}: not a save of this game")
    if data.get("version") != SAVE_VERSION:
        raise SaveError(f"{name}: save version {data.get('version')!r} is not supported (expected {SAVE_VERSION})")
    if data.get("scenario") != scenario.id:
        raise SaveError(f"{name}: this save belongs to scenario {data.get('scenario')!r}, not {scenario.id!r}")
    try:
        return _restore(data, scenario)
    except (KeyError, TypeError, ValueError, AttributeError, RunnerError) as exc:
        raise SaveError(f"{name}: the save is damaged ({type(exc).__name__}: {exc})") from None


def _restore(data: dict[str, Any], scenario: Scenario) -> Restored:
    role, path = str(data["role"]), str(data["path"])
    if role != BOTH and role not in scenario.roles:
        raise SaveError(f"the save's role {role!r} no longer exists")
    fresh = new_state(scenario, role, path if path in scenario.paths else "full")
    messages: list[str] = []
    variables = _variables(data.get("variables", {}), scenario, messages)
    state = StoryState(
        scenario=scenario.id, role=role, path=fresh.path, node=str(data["node"]),
        next_line=data.get("next_line"), entered=bool(data.get("entered")),
        pending=data.get("pending"), ending=data.get("ending"), variables=variables,
        visited=[str(v) for v in data.get("visited", [])],
        chosen=[Chosen(**{k: c[k] for k in ("choice", "option", "by", "historical", "auto")}) for c in data.get("chosen", [])],
        spoken=[Spoken(**{**s, "refs": tuple(s.get("refs", ()))}) for s in data.get("spoken", [])],
        snapshots=[Snapshot(**s) for s in data.get("snapshots", [])],
    )
    if state.ending is not None and state.ending not in {e.id for e in scenario.endings}:
        messages.append(f"The ending '{state.ending}' no longer exists; the last part is played again.")
        state.ending = None
    nodes = scenario.nodes
    if state.node not in nodes:
        snap = next((s for s in reversed(state.snapshots) if s.node in nodes), None)
        if snap is None:
            messages.append(f"The saved place '{state.node}' no longer exists; starting again from the beginning.")
            return Restored(fresh, messages)
        messages.append(f"The saved place '{state.node}' no longer exists; going back to the last choice that still does.")
        while state.snapshots and state.snapshots.pop() is not snap:
            pass
        state.node, state.variables = snap.node, _variables(snap.variables, scenario, messages)
        del state.visited[snap.visited:]
        del state.chosen[snap.chosen:]
        del state.spoken[snap.spoken:]
        state.entered, state.next_line, state.pending, state.ending = True, "", None, None
    node = nodes[state.node]
    line_ids = {ln.id for ln in node.lines}
    if state.next_line and state.next_line not in line_ids:
        messages.append(f"A saved line no longer exists; starting node '{node.id}' again from its first line.")
        state.next_line = node.lines[0].id if node.lines else ""
    if state.pending is not None and (node.choice is None or node.choice.id != state.pending):
        messages.append(f"The saved choice '{state.pending}' has changed; it is offered again as it is now.")
        state.pending = None
        state.next_line = ""
        if state.snapshots and state.snapshots[-1].node == node.id:
            state.snapshots.pop()
    state.snapshots = [s for s in state.snapshots if s.node in nodes]
    return Restored(state, messages)


def _variables(saved: Any, scenario: Scenario, messages: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    saved = saved if isinstance(saved, dict) else {}
    for var in scenario.variables.values():
        value = saved.get(var.id, var.default)
        kind = var.type.kind
        ok = (
            (kind == "bool" and isinstance(value, bool))
            or (kind == "int" and isinstance(value, int) and not isinstance(value, bool))
            or (kind == "enum" and value in var.type.values)
        )
        if not ok:
            messages.append(f"The saved value of '{var.id}' does not fit any more; it starts again at {var.default!r}.")
            value = var.default
        out[var.id] = var.clamp(value)
    for name in saved:
        if name not in scenario.variables:
            messages.append(f"The saved variable '{name}' no longer exists and was dropped.")
    return out
