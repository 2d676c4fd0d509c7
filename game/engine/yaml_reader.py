"""Read untrusted YAML into plain values that remember where they were written.

Content may come from a teacher's USB stick, so this reader is defensive. It walks libyaml's event
stream itself (nothing is constructed, aliases stay shared): `!!python/...` and other tags are
refused, not executed; every value keeps its
line and column for diagnostics; duplicate keys are reported; file size, nesting depth, alias
expansion ("billion laughs") and the digits of a number are capped; every failure becomes a
diagnostic, never a traceback. Scalars resolve as `yaml.safe_load` would, with two differences:
timestamps stay the text they were written as, and numbers past the digit cap are refused (E107)
rather than read; a property test over generated documents holds it to that. (Where safe_load
itself raises ValueError, as on the int '0b_', the reader reports E106.)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from .content_files import ContentRoot, read_bytes
from .diagnostics import Diagnostics, Origin
from .limits import MAX_BYTES, MAX_DEPTH, MAX_DIGITS, MAX_TOTAL_VALUES, MAX_VALUES
from .safe_text import shorten

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_VALUES", "YList", "YMap", "load_yaml_file", "parse_yaml", "read_text"]
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_MAX_NUMBER = 10 ** MAX_DIGITS
# Plain decimal integers (no leading zero: YAML 1.1 reads 012 as octal) are read here directly;
# going through the constructor costs ten times as much, and a file may hold 200,000 of them.
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,14})")

_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STD = "tag:yaml.org,2002:"
_STR = f"{_STD}str"
_TIMESTAMP = f"{_STD}timestamp"
_SCALAR_TAGS = {f"{_STD}{t}" for t in ("str", "int", "bool", "null", "float", "timestamp")}
_MAP_TAGS = {f"{_STD}map", "!"}
_SEQ_TAGS = {f"{_STD}seq", "!"}
_CONSTRUCTOR = SafeConstructor()
_RESOLVER = Resolver()
# Plain scalars whose first character no implicit resolver looks at are text: skip resolving.
_SPECIAL_FIRST = frozenset(ch for ch in _RESOLVER.yaml_implicit_resolvers if ch)
_SCALAR = yaml.ScalarEvent
_MAP_START, _MAP_END = yaml.MappingStartEvent, yaml.MappingEndEvent
_SEQ_START, _SEQ_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_ALIAS, _DOC_START = yaml.AliasEvent, yaml.DocumentStartEvent


class YMap(dict):
    """A mapping that remembers its own position and those of its keys and values."""

    path: str
    pos: tuple[int, int]
    key_pos: dict[str, tuple[int, int]]
    value_pos: dict[str, tuple[int, int]]

    @property
    def mark(self) -> Origin:
        return Origin(self.path, *self.pos)

    def key_mark(self, key: str) -> Origin:
        return Origin(self.path, *self.key_pos.get(key, self.pos))

    def where(self, key: str) -> Origin:
        """Position of the value under `key`, or of the map itself when the key is absent."""
        return Origin(self.path, *self.value_pos.get(key, self.pos))


class YList(list):
    """A list that remembers its own position and that of each item."""

    path: str
    pos: tuple[int, int]
    item_pos: list[tuple[int, int]]

    @property
    def mark(self) -> Origin:
        return Origin(self.path, *self.pos)

    def where(self, index: int) -> Origin:
        pos = self.item_pos[index] if 0 <= index < len(self.item_pos) else self.pos
        return Origin(self.path, *pos)


def _origin(shown: str, mark: Any) -> Origin:
    return Origin(shown, (mark.line or 0) + 1, (mark.column or 0) + 1)


def read_text(path: Path, shown: str, diags: Diagnostics, root: ContentRoot | None = None) -> str | None:
    """Read a file as UTF-8 text, or report why it cannot be (missing, not a regular file, outside
    the content folder `root`, too big, binary, not UTF-8)."""
    data = read_bytes(path, shown, diags, root)
    return None if data is None else decode_text(data, shown, diags)


def decode_text(data: bytes, shown: str, diags: Diagnostics) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        diags.add(Origin(shown), "E002", "utf16")
        return None
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = _line_col(data, nul)
        diags.add(Origin(shown, line, col), "E002", "binary")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _line_col(data, exc.start)
        diags.add(Origin(shown, line, col), "E002", "encoding", byte=data[exc.start])
        return None
    return text


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    col = offset - (before.rfind(b"\n") + 1) + 1
    return line, col


def load_yaml_file(path: Path, shown: str, diags: Diagnostics, root: ContentRoot | None = None) -> Any:
    """Load one YAML file; returns None (and adds diagnostics) when it cannot be used. Inside a
    content folder `root`, the file's values count against the folder's total (E013)."""
    text = read_text(path, shown, diags, root)
    if text is None:
        return None
    if root is None:
        return parse_yaml(text, shown, diags)
    budget = [root.values_left]
    result = parse_yaml(text, shown, diags, budget)
    root.values_left = budget[0]
    return result


def parse_yaml(text: str, shown: str, diags: Diagnostics, budget: list[int] | None = None) -> Any:
    """Parse YAML text into YMap/YList/scalars with positions; None on any error. `budget` holds the
    number of values still allowed in the content folder, and is lowered by this file's values."""
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        diags.add(Origin(shown), "E009")
        return None
    local = Diagnostics()
    try:
        result = _build(text, shown, local, budget if budget is not None else [MAX_TOTAL_VALUES])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        origin = _origin(shown, mark) if mark is not None else Origin(shown)
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        if "nesting depth" in what:
            local.add(origin, "E006", "parser", problem=what)
        else:
            local.add(origin, "E003", "syntax", problem=what or "invalid YAML")
        result = None
    except yaml.YAMLError as exc:
        local.add(Origin(shown), "E003", "syntax", problem=str(exc).splitlines()[0] if str(exc) else "invalid YAML")
        result = None
    except RecursionError:
        local.add(Origin(shown), "E006", "depth", limit=MAX_DEPTH)
        result = None
    diags.extend(local)
    return None if local else result


def _build(text: str, shown: str, diags: Diagnostics, budget: list[int]) -> Any:
    """Walk libyaml's event stream: nothing is constructed but plain maps, lists and scalars.

    This loop is the hot path of loading (a 10,000-node scenario is about a million events), so
    it is written flat, with positions as tuples and the common case (plain text) first.
    Each value is counted once, when it starts (an alias counts every value it stands for), so
    the cap on values means values, however deep they sit.
    """
    stack: list[list[Any]] = []  # [container, is_map, pending key, key position, anchor, size]
    anchors: dict[str, tuple[Any, int]] = {}
    root: Any = None
    total = 0
    limit = min(MAX_VALUES, budget[0])
    aliased = False
    documents = 0
    resolve = _RESOLVER.resolve
    resolutions: dict[str, str] = {}   # the tag of a plain scalar depends on its text only
    decimal = _DECIMAL.fullmatch
    special = _SPECIAL_FIRST
    for event in yaml.parse(text, Loader=_PARSER):
        cls = event.__class__
        size = 1
        if cls is _SCALAR:
            mark = event.start_mark
            pos = (mark.line + 1, mark.column + 1)
            value = event.value
            tag = event.tag
            if tag is None:
                if event.implicit[0] and (not value or value[0] in special):
                    resolved = _INT if decimal(value) else resolutions.get(value)
                    if resolved is None:
                        resolved = resolve(ScalarNode, value, (True, False))
                        if len(resolutions) < 4096:
                            resolutions[value] = resolved
                    if resolved != _STR:
                        value = _construct(resolved, value, shown, pos, diags)
            elif tag != "!":
                if tag not in _SCALAR_TAGS:
                    diags.add(Origin(shown, *pos), "E008", tag=tag)
                    return None
                if tag != _STR:
                    value = _construct(tag, value, shown, pos, diags)
            if value is _FAILED:
                return None
            if event.anchor:
                anchors[event.anchor] = (value, 1)
        elif cls is _MAP_START or cls is _SEQ_START:
            mark = event.start_mark
            pos = (mark.line + 1, mark.column + 1)
            is_map = cls is _MAP_START
            if event.tag is not None and event.tag not in (_MAP_TAGS if is_map else _SEQ_TAGS):
                diags.add(Origin(shown, *pos), "E008", tag=event.tag)
                return None
            if len(stack) >= MAX_DEPTH:
                diags.add(Origin(shown, *pos), "E006", "depth", limit=MAX_DEPTH)
                return None
            box: Any
            if is_map:
                box = YMap()
                box.key_pos, box.value_pos = {}, {}
            else:
                box = YList()
                box.item_pos = []
            box.path, box.pos = shown, pos
            stack.append([box, is_map, _NO_KEY, None, event.anchor, 1])
            total += 1
            if total > limit:
                _too_many(shown, pos, diags, aliased, limit < MAX_VALUES)
                return None
            continue
        elif cls is _MAP_END or cls is _SEQ_END:
            frame = stack.pop()
            value = frame[0]
            pos = value.pos
            size = frame[5]
            if frame[4]:
                anchors[frame[4]] = (value, size)
        elif cls is _ALIAS:
            mark = event.start_mark
            pos = (mark.line + 1, mark.column + 1)
            if event.anchor not in anchors:
                diags.add(Origin(shown, *pos), "E003", "alias", anchor=event.anchor)
                return None
            value, size = anchors[event.anchor]
            aliased = True
        elif cls is _DOC_START:
            documents += 1
            if documents > 1:
                diags.add(_origin(shown, event.start_mark), "E010")
                return None
            continue
        else:
            continue
        if cls is not _MAP_END and cls is not _SEQ_END:   # a container was counted when it started
            total += size
            if total > limit:
                _too_many(shown, pos, diags, aliased, limit < MAX_VALUES)
                return None
        if not stack:
            root = value
            continue
        top = stack[-1]
        top[5] += size
        box = top[0]
        if not top[1]:
            box.append(value)
            box.item_pos.append(pos)
        elif top[2] is _NO_KEY:
            if cls is not _SCALAR and not (cls is _ALIAS and not isinstance(value, (YMap, YList))):
                found = "a map" if isinstance(value, YMap) else "a list"
                diags.add(Origin(shown, *pos), "E101", "type", subject="a map key", expected="plain text", found=found)
                return None
            top[2], top[3] = value, pos
        else:
            key = top[2]
            top[2] = _NO_KEY
            if key in box:
                diags.add(Origin(shown, *top[3]), "E005", key=key, first=box.key_pos[key][0])
                continue
            box[key] = value
            box.key_pos[key] = top[3]
            box.value_pos[key] = pos
    budget[0] -= total
    return root


def _too_many(shown: str, pos: tuple[int, int], diags: Diagnostics, aliased: bool, folder: bool) -> None:
    if folder:
        diags.add(Origin(shown, *pos), "E013", "values", limit=MAX_TOTAL_VALUES)
        return
    how = " after expanding aliases" if aliased else ""
    diags.add(Origin(shown, *pos), "E007", limit=MAX_VALUES, how=how)


_FAILED = object()
_NO_KEY = object()


def _construct(tag: str, value: str, shown: str, pos: tuple[int, int], diags: Diagnostics) -> Any:
    if tag == _TIMESTAMP:
        return value
    if tag == _INT:
        if _DECIMAL.fullmatch(value):
            return int(value)
        if len(value) > MAX_DIGITS + 8:   # room for a sign, 0x, 0o and '_' separators
            _too_long(value, shown, pos, diags)
            return _FAILED
    elif tag == _BOOL and value.lower() in _CONSTRUCTOR.bool_values:
        return _CONSTRUCTOR.bool_values[value.lower()]
    try:
        result = _CONSTRUCTOR.construct_object(ScalarNode(tag, value), deep=True)
    except (ValueError, TypeError, OverflowError, yaml.YAMLError):
        diags.add(Origin(shown, *pos), "E106", "yaml", value=shorten(value), type=tag.rsplit(":", 1)[-1])
        return _FAILED
    if isinstance(result, int) and not isinstance(result, bool) and not -_MAX_NUMBER < result < _MAX_NUMBER:
        _too_long(value, shown, pos, diags)
        return _FAILED
    return result


def _too_long(value: str, shown: str, pos: tuple[int, int], diags: Diagnostics) -> None:
    diags.add(Origin(shown, *pos), "E107", "yaml", value=shorten(value, 30), limit=MAX_DIGITS)
