"""The safe YAML reader: positions, safe_load semantics, and every kind of malformed file."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine.diagnostics import Diagnostics
from game.engine.yaml_reader import MAX_BYTES, YList, YMap, load_yaml_file, parse_yaml


def parse(text: str):
    diags = Diagnostics()
    return parse_yaml(text, "f.yaml", diags), [(d.code, d.origin.line, d.origin.col) for d in diags.items]


def test_values_resolve_like_safe_load_and_keep_positions():
    value, problems = parse("a: 1\nb:\n  - yes\n  - 'no'\n  - 1.5\n  - null\nc: {d: e}\nwhen: 1956-06-27\n")
    assert problems == []
    assert isinstance(value, YMap) and isinstance(value["b"], YList)
    assert value == {"a": 1, "b": [True, "no", 1.5, None], "c": {"d": "e"}, "when": "1956-06-27"}
    assert value.where("a").line == 1 and value.where("a").col == 4
    assert value["b"].where(2).line == 5
    assert value.key_mark("c").line == 7


def test_aliases_within_limits_are_allowed():
    value, problems = parse("a: &x [1, 2]\nb: *x\n")
    assert problems == [] and value["b"] == [1, 2]


@pytest.mark.parametrize(
    "text, code, line",
    [
        ("a: 1\na: 2\n", "E005", 2),
        ("a: !!python/object/apply:os.system ['echo hacked']\n", "E008", 1),
        ("!!python/object:builtins.dict {}\n", "E008", 1),
        ("a: !!binary aGVsbG8=\n", "E008", 1),
        ("a: !!set {x, y}\n", "E008", 1),
        ("a: [1, b\n", "E003", 2),
        ("a: b: c\n", "E003", 1),
        ("a:\n\t- tab\n", "E003", 2),
        ("a: 1\n---\nb: 2\n", "E010", 2),
        ("# only a comment\n", "E009", 1),
        ("", "E009", 1),
        ("? [1, 2]\n: x\n", "E101", 1),
        ("a: !!int twelve\n", "E106", 1),
        ("a: *nowhere\n", "E003", 1),
    ],
)
def test_malformed_yaml_is_a_diagnostic_never_an_exception(text, code, line):
    value, problems = parse(text)
    assert value is None
    assert (code, line) in [(c, ln) for c, ln, _ in problems]


def test_alias_bomb_is_capped():
    rows = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    rows += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    value, problems = parse("\n".join(rows) + "\n")
    assert value is None and problems[0][0] == "E007"


@pytest.mark.parametrize("depth", [70, 5000])
def test_deep_nesting_is_refused(depth):
    value, problems = parse("a: " + "[" * depth + "]" * depth + "\n")
    assert value is None and problems[0][0] == "E006"


def test_deep_block_nesting_is_refused():
    text = "".join("  " * i + f"k{i}:\n" for i in range(80)) + "  " * 80 + "v\n"
    value, problems = parse(text)
    assert value is None and problems[0][0] == "E006"


@pytest.mark.parametrize(
    "data, where",
    [
        (b"a: caf\xe9\n", (1, 7)),
        (b"\xff\xfea\x00:\x00", (1, 1)),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", (3, 1)),
        (b"a: 1\nb: \x00\n", (2, 4)),
    ],
)
def test_binary_and_non_utf8_files_are_rejected_with_position(tmp_path: Path, data, where):
    path = tmp_path / "bad.yaml"
    path.write_bytes(data)
    diags = Diagnostics()
    assert load_yaml_file(path, "bad.yaml", diags) is None
    assert diags.items[0].code == "E002"
    assert (diags.items[0].origin.line, diags.items[0].origin.col) == where


def test_utf8_bom_is_accepted(tmp_path: Path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffa: ¶1\n".encode())
    diags = Diagnostics()
    assert load_yaml_file(path, "bom.yaml", diags) == {"a": "¶1"} and not diags


def test_huge_file_is_refused_before_reading(tmp_path: Path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    diags = Diagnostics()
    assert load_yaml_file(path, "huge.yaml", diags) is None
    assert [d.code for d in diags.items] == ["E004"]


def test_missing_file_is_a_diagnostic(tmp_path: Path):
    diags = Diagnostics()
    assert load_yaml_file(tmp_path / "nope.yaml", "nope.yaml", diags) is None
    assert [d.code for d in diags.items] == ["E001"]


# --- issue 10, class 7: each value counted once --------------------------------------------------

def _nested(values: int, depth: int, kind: str) -> str:
    """`values` scalars in one list that sits `depth` levels down (maps or lists)."""
    inner = "[" + ",".join(["1"] * values) + "]"
    for i in range(depth):
        inner = f"{{k{i}: {inner}}}" if kind == "map" else f"[{inner}]"
    return f"root: {inner}\n"


SMALL_CAP = 5_000   # the cap is lowered in these tests: the counting is the same, the files smaller


@pytest.mark.parametrize("kind, depth", [("list", 0), ("map", 2), ("list", 5), ("list", 40), ("map", 40)])
def test_values_are_counted_once_however_deep_they_sit(kind: str, depth: int, monkeypatch):
    """The old count added each value once per level it sat below: 150,000 values two levels
    down counted as 450,000 and the file was refused."""
    from game.engine import yaml_reader

    monkeypatch.setattr(yaml_reader, "MAX_VALUES", SMALL_CAP)
    fits = SMALL_CAP - 2 * depth - 10      # each map level holds a map and a key
    diags = Diagnostics()
    assert parse_yaml(_nested(fits, depth, kind), "f.yaml", diags) is not None, diags.sorted()[:1]
    diags = Diagnostics()
    assert parse_yaml(_nested(SMALL_CAP + 1, depth, kind), "f.yaml", diags) is None
    assert [d.code for d in diags.items] == ["E007"]
    assert "alias" not in diags.items[0].message          # there are none here


@pytest.mark.parametrize("copies", [2, 10])
def test_aliases_count_every_value_they_stand_for_and_the_message_says_so(copies: int, monkeypatch):
    from game.engine import yaml_reader

    monkeypatch.setattr(yaml_reader, "MAX_VALUES", SMALL_CAP)
    per = SMALL_CAP // copies + 10
    text = "a: &a [" + ",".join(["1"] * per) + "]\nb: [" + ", ".join(["*a"] * (copies - 1)) + "]\n"
    diags = Diagnostics()
    assert parse_yaml(text, "f.yaml", diags) is None
    assert [d.code for d in diags.items] == ["E007"] and "after expanding aliases" in diags.items[0].message


def test_the_content_folder_counts_its_values_in_all(tmp_path: Path):
    from game.engine.content_files import ContentRoot
    from game.engine.limits import MAX_TOTAL_VALUES

    root = ContentRoot.of(tmp_path)
    root.values_left = total = MAX_TOTAL_VALUES // 100      # smaller, as above
    per_file = total // 3 - 5
    for i in range(4):
        (tmp_path / f"f{i}.yaml").write_text("v: [" + ",".join(["1"] * per_file) + "]\n")
    diags = Diagnostics()
    results = [load_yaml_file(tmp_path / f"f{i}.yaml", f"f{i}.yaml", diags, root) for i in range(4)]
    assert all(r is not None for r in results[:-1]) and results[-1] is None
    assert [d.code for d in diags.items] == ["E013"]


# Plain scalars whose meaning YAML 1.1 (and so safe_load) decides by their form: the reader must
# read each as safe_load does, wherever it stands in a document.
TRICKY = ["0b_", "0x_", "0o_", "1__0", "yes", "No", "on", "OFF", "y", "n", "~", "null", "Null", "NULL", "", "0x1F", "0o17", "017", "0b101",
          "1_000", "+12", "-0", "0", ".inf", "-.Inf", "+.INF", ".NaN", "1e3", "1.5e-3", "6.", "-1.5", "190:20:30",
          "1:30", "3.14_15", "true", "False", "1956-06-27", "2001-12-14t21:59:43.10-05:00", "1956-6-27 10:00:00",
          "0.", "._", "-", "a b", "¶76", "Shah", "12abc", "0x", "1e", "+", "=", "<<"]


def _plain(value) -> object:
    """safe_load's value as the reader keeps it: timestamps stay the text they were written as
    (content never wants a datetime); NaN compared by its spelling."""
    import datetime
    import math

    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if isinstance(value, datetime.date):
        return "timestamp"
    return value


def _ours(value) -> object:
    import math

    if isinstance(value, dict):
        return {_ours(k): _ours(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_ours(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    return value


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_scalars = st.one_of(st.sampled_from(TRICKY), st.integers(-10**12, 10**12).map(str),
                     st.floats(allow_nan=False, width=32).map(repr),
                     st.text(alphabet="abcxyz019 .-_:", min_size=1, max_size=8).map(str.strip).filter(bool))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", "d", "e"]), _scalars, st.booleans()), min_size=1,
                max_size=6, unique_by=lambda t: t[0]))
def test_plain_scalars_resolve_as_safe_load_reads_them_except_timestamps_kept_as_text(entries):
    import yaml

    lines = []
    for key, text, in_list in entries:
        lines.append(f"{key}: [{text}, x]" if in_list and "," not in text and ":" not in text else f"{key}: {text}")
    document = "\n".join(lines) + "\n"
    try:
        expected = yaml.safe_load(document)
    except (yaml.YAMLError, ValueError):   # PyYAML itself raises ValueError on some ints, e.g. '0b_'
        value, problems = parse(document)
        assert value is None and problems        # what safe_load cannot read, the reader refuses with a diagnostic
        return
    value, problems = parse(document)
    if not problems:
        got = _ours(value)
        want = _plain(expected)
        for key in want:
            w, g = want[key], got[key]
            if w == "timestamp" or (isinstance(w, list) and "timestamp" in w):
                assert isinstance(g, str) or (isinstance(g, list) and isinstance(g[0], str)), (document, g)
            else:
                assert g == w and type(g) is type(w), (document, g, w)
    else:
        assert value is None and all(code in ("E106", "E107") for code, _, _ in problems), (document, problems)
