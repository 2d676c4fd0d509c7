"""A cache of checked content, so the game starts without parsing and checking YAML every time.

The key is a hash of every content file's bytes and of the engine's own source: any edit to the
content or to the engine makes a new key, so a stale cache can never be used. Only content that
passed every check is cached. The cache is JSON with an explicit list of the classes it may
rebuild (never pickle: a cache file is not trusted more than content). `validate` never uses it.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from . import expressions, model
from .diagnostics import Origin
from .files import write_atomic

CACHE_FORMAT = 2
_CLASSES = {
    cls.__name__: cls
    for cls in (
        Origin, model.Speaker, model.Objective, model.Role, model.Variable, model.StoryPath, model.Ending,
        model.HistoryItem, model.GlossaryEntry, model.Line, model.Option, model.ChoicePoint, model.BranchArm,
        model.Node, model.Paragraph, model.Citation, model.Source, model.Scenario, expressions.VarType, expressions.Lit,
        expressions.Var, expressions.Unary, expressions.Binary, expressions.Call, expressions.Effect,
        expressions.Condition,
    )
}
_ENGINE_FILES = ("cache.py", "model.py", "loader.py", "validator.py", "expressions.py", "source_text.py",
                 "yaml_reader.py", "fields.py", "graph.py", "glossary.py", "diagnostics.py")


def cache_dir() -> Path:
    home = os.environ.get("MOSCOW1956_HOME")
    if home:
        return Path(home) / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir("moscow-1956", appauthor=False))


def content_key(content: Path) -> str:
    """Hash of the engine's source and of every file under scenarios/ and dialogue/."""
    digest = hashlib.sha256(f"format {CACHE_FORMAT}\n".encode())
    here = Path(__file__).resolve().parent
    for name in _ENGINE_FILES:
        digest.update(name.encode() + b"\0" + (here / name).read_bytes())
    for top in ("scenarios", "dialogue"):
        folder = content / top
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(content)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def encode(value: Any) -> Any:
    """Dataclasses become {"~": class name, "a": [field values in order]}; tuples become lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"~": type(value).__name__, "a": [encode(getattr(value, f.name)) for f in dataclasses.fields(value)]}
    if isinstance(value, tuple):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"~": "dict", "a": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return {"~": "list", "a": [encode(v) for v in value]}
    return value


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return tuple([decode(v) for v in value])
    if isinstance(value, dict):
        kind, args = value["~"], value["a"]
        if kind == "dict":
            return {decode(k): decode(v) for k, v in args}
        if kind == "list":
            return [decode(v) for v in args]
        return _CLASSES[kind](*[decode(v) for v in args])  # KeyError if not listed: cache ignored
    return value


def load(content: Path, scenario_id: str | None) -> tuple[model.Scenario | None, str]:
    """The cached scenario for this exact content and engine, or None; also returns the key."""
    try:
        key = content_key(content)
    except OSError:
        return None, ""
    path = cache_dir() / f"{key}-{scenario_id or 'default'}.json"
    gc_was_on = gc.isenabled()
    gc.disable()  # hundreds of thousands of small acyclic objects (see loader.load_folder)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        scenario = decode(data["scenario"]) if data.get("format") == CACHE_FORMAT else None
    except (OSError, ValueError, KeyError, TypeError):
        return None, key
    finally:
        if gc_was_on:
            gc.enable()
    return (scenario if isinstance(scenario, model.Scenario) else None), key


def store(key: str, scenario_id: str | None, scenario: model.Scenario) -> None:
    if not key:
        return
    try:
        folder = cache_dir()
        for old in folder.glob(f"*-{scenario_id or 'default'}.json") if folder.is_dir() else ():
            old.unlink(missing_ok=True)  # one entry per scenario: the cache never grows
        text = json.dumps({"format": CACHE_FORMAT, "scenario": encode(scenario)}, ensure_ascii=False,
                          separators=(",", ":"))
        write_atomic(folder / f"{key}-{scenario_id or 'default'}.json", text)
    except OSError:
        pass  # a read-only profile: the game just loads from YAML each time
