"""Read untrusted YAML into plain values that remember where they were written.

Content may come from a teacher's USB stick, so this reader is defensive. It never constructs
arbitrary objects: it walks PyYAML's safe event stream itself (so `!!python/...` tags are refused,
not executed), keeps every value's line and column for diagnostics, reports duplicate keys,
caps file size, nesting depth and alias expansion ("billion laughs"), and turns every failure
into a diagnostic instead of a traceback. Scalars resolve exactly as `yaml.safe_load` would.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from .diagnostics import Diagnostics, Origin

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_VALUES = 200_000

_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_STD}{t}" for t in ("str", "int", "bool", "null", "float", "timestamp")}
_MAP_TAGS = {f"{_STD}map", "!"}
_SEQ_TAGS = {f"{_STD}seq", "!"}


class YMap(dict):
    """A mapping that remembers its own position and those of its keys and values."""

    mark: Origin
    key_marks: dict[str, Origin]
    value_marks: dict[str, Origin]

    def where(self, key: str) -> Origin:
        """Position of the value under `key`, or of the map itself when the key is absent."""
        return self.value_marks.get(key) or self.mark


class YList(list):
    """A list that remembers its own position and that of each item."""

    mark: Origin
    item_marks: list[Origin]

    def where(self, index: int) -> Origin:
        return self.item_marks[index] if 0 <= index < len(self.item_marks) else self.mark


@dataclass
class _Frame:
    container: YMap | YList
    size: int = 1
    key: Any = None
    key_mark: Origin | None = None
    has_key: bool = False
    anchor: str | None = None


class _Tools:
    """One resolver and one safe constructor, shared: both are stateless for scalars."""

    resolver = Resolver()
    constructor = SafeConstructor()


def _origin(shown: str, mark: Any) -> Origin:
    return Origin(shown, (mark.line or 0) + 1, (mark.column or 0) + 1)


def read_text(path: Path, shown: str, diags: Diagnostics) -> str | None:
    """Read a file as UTF-8 text, or report why it cannot be (missing, too big, binary, not UTF-8)."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            diags.add(Origin(shown), "E004", f"file is {size:,} bytes; the limit is {MAX_BYTES:,}")
            return None
        data = path.read_bytes()
    except OSError as exc:
        diags.add(Origin(shown), "E001", f"cannot read file: {exc.strerror or exc}")
        return None
    return decode_text(data, shown, diags)


def decode_text(data: bytes, shown: str, diags: Diagnostics) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        diags.add(Origin(shown), "E002", "file is UTF-16; save it as UTF-8")
        return None
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = _line_col(data, nul)
        diags.add(Origin(shown, line, col), "E002", "file is binary (it contains a NUL byte), not text")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _line_col(data, exc.start)
        diags.add(
            Origin(shown, line, col), "E002",
            f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8",
        )
        return None
    return text


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    col = offset - (before.rfind(b"\n") + 1) + 1
    return line, col


def load_yaml_file(path: Path, shown: str, diags: Diagnostics) -> Any:
    """Load one YAML file; returns None (and adds diagnostics) when it cannot be used."""
    text = read_text(path, shown, diags)
    if text is None:
        return None
    return parse_yaml(text, shown, diags)


def parse_yaml(text: str, shown: str, diags: Diagnostics) -> Any:
    """Parse YAML text into YMap/YList/scalars with positions; None on any error."""
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        diags.add(Origin(shown), "E009", "file is empty")
        return None
    local = Diagnostics()
    try:
        result = _build(text, shown, local)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        origin = _origin(shown, mark) if mark is not None else Origin(shown)
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        if "nesting depth" in what:
            local.add(origin, "E006", f"nesting deeper than the parser allows ({what})")
        else:
            local.add(origin, "E003", what or "invalid YAML")
        result = None
    except yaml.YAMLError as exc:
        local.add(Origin(shown), "E003", str(exc).splitlines()[0] if str(exc) else "invalid YAML")
        result = None
    except RecursionError:
        local.add(Origin(shown), "E006", f"nesting deeper than {MAX_DEPTH} levels")
        result = None
    diags.extend(local)
    return None if local else result


class _Abort(Exception):
    """Stop reading a file after a fatal problem (already reported)."""


def _build(text: str, shown: str, diags: Diagnostics) -> Any:
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int]] = {}
    root: Any = None
    total = 0
    documents = 0

    def attach(value: Any, mark: Origin, size: int) -> None:
        nonlocal root, total
        total += size
        if total > MAX_VALUES:
            diags.add(mark, "E007", f"more than {MAX_VALUES:,} values after expanding aliases")
            raise _Abort
        if not stack:
            root = value
            return
        top = stack[-1]
        top.size += size
        box = top.container
        if isinstance(box, YList):
            box.append(value)
            box.item_marks.append(mark)
        elif not top.has_key:
            if isinstance(value, (YMap, YList)) or not _hashable(value):
                diags.add(mark, "E101", "map keys must be plain text")
                raise _Abort
            top.key, top.key_mark, top.has_key = value, mark, True
        else:
            key = top.key
            top.has_key = False
            if key in box:
                first = box.key_marks[key]
                diags.add(
                    top.key_mark or mark, "E005",
                    f"duplicate key '{key}' (first at line {first.line})",
                )
                return
            box[key] = value
            box.key_marks[key] = top.key_mark or mark
            box.value_marks[key] = mark

    try:
        for event in yaml.parse(text, Loader=_PARSER):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    diags.add(_origin(shown, event.start_mark), "E010",
                              "more than one YAML document ('---'); use one per file")
                    raise _Abort
            elif isinstance(event, yaml.ScalarEvent):
                mark = _origin(shown, event.start_mark)
                value = _scalar(event, mark, diags)
                if event.anchor:
                    anchors[event.anchor] = (value, 1)
                attach(value, mark, 1)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                mark = _origin(shown, event.start_mark)
                is_map = isinstance(event, yaml.MappingStartEvent)
                allowed = _MAP_TAGS if is_map else _SEQ_TAGS
                if event.tag is not None and event.tag not in allowed:
                    diags.add(mark, "E008", f"tag '{event.tag}' is not allowed in content")
                    raise _Abort
                if len(stack) >= MAX_DEPTH:
                    diags.add(mark, "E006", f"nesting deeper than {MAX_DEPTH} levels")
                    raise _Abort
                box: YMap | YList
                if is_map:
                    box = YMap()
                    box.key_marks, box.value_marks = {}, {}
                else:
                    box = YList()
                    box.item_marks = []
                box.mark = mark
                stack.append(_Frame(box, anchor=event.anchor))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                if frame.anchor:
                    anchors[frame.anchor] = (frame.container, frame.size)
                attach(frame.container, frame.container.mark, frame.size)
            elif isinstance(event, yaml.AliasEvent):
                mark = _origin(shown, event.start_mark)
                if event.anchor not in anchors:
                    diags.add(mark, "E003", f"unknown alias '*{event.anchor}'")
                    raise _Abort
                value, size = anchors[event.anchor]
                attach(value, mark, size)
    except _Abort:
        return None
    return root


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _scalar(event: Any, mark: Origin, diags: Diagnostics) -> Any:
    tag = event.tag
    if tag is None or tag == "!":
        plain = event.implicit[0] if tag is None else False
        tag = _Tools.resolver.resolve(ScalarNode, event.value, (plain, False))
    if tag not in _SCALAR_TAGS:
        diags.add(mark, "E008", f"tag '{event.tag or tag}' is not allowed in content")
        raise _Abort
    if tag.endswith(":str") or tag.endswith(":timestamp"):
        return event.value
    node = ScalarNode(tag, event.value)
    try:
        return _Tools.constructor.construct_object(node, deep=True)
    except (ValueError, yaml.YAMLError):
        diags.add(mark, "E106", f"cannot read '{event.value}' as {tag.rsplit(':', 1)[-1]}")
        raise _Abort from None
