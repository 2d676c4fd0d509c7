"""Every diagnostic code: a broken file reports it, `validate` exits 1 (0 for warnings alone), and
the page in docs/diagnostics.md, generated from the table of codes, shows exactly what it prints."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from game.engine.checked import validate_folder
from game.engine.diagnostic_codes import BY_CODE, DEFINITIONS, WARNING
from game.engine.diagnostics import CODES, Diagnostics, Origin

from .diagnostic_cases import CASES

LINE = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<code>[EW]\d{3}) \S")
EXAMPLES = [(c.code, e) for c in DEFINITIONS for e in c.examples if e.case]
WARNINGS = sorted(c.code for c in DEFINITIONS if c.severity == WARNING and not c.retired)


def test_the_fixture_itself_is_clean(mini: Path):
    assert validate_folder(mini).sorted() == []


def test_every_issued_code_has_a_case_and_every_case_a_code():
    issued = {c.code for c in DEFINITIONS if not c.retired}
    assert sorted(CODES) == sorted(issued)
    assert {code for code, _ in EXAMPLES} == issued, "an issued code has no example with a case"
    named = [e.case for _, e in EXAMPLES]
    assert len(named) == len(set(named)), "two examples name the same case"
    assert sorted(named) == sorted(CASES), "a case is named by no example, or an example names no case"
    assert all(not c.examples for c in DEFINITIONS if c.retired), "a retired code is never printed"


def test_every_code_has_a_title_a_severity_and_templates():
    assert len(BY_CODE) == len(DEFINITIONS)
    for c in DEFINITIONS:
        assert re.fullmatch(r"[EW]\d{3}", c.code) and c.title and c.about
        assert c.severity == (WARNING if c.code.startswith("W") else "error"), c.code
        assert bool(c.messages) != bool(c.retired), c.code
        for e in c.examples:
            assert LINE.match(e.line) and LINE.match(e.line)["code"] == c.code, e.line


def test_the_committed_page_is_the_generated_one(project_root: Path):
    spec = importlib.util.spec_from_file_location("generate_diagnostics_doc",
                                                  project_root / "tools" / "generate_diagnostics_doc.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    page = (project_root / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    assert page == tool.render(), "docs/diagnostics.md is out of date: run `make diagnostics-doc`"
    documented = re.findall(r"^## ([EW]\d{3})\b", page, re.MULTILINE)
    assert documented == [c.code for c in DEFINITIONS]


@pytest.mark.parametrize("code, example", EXAMPLES, ids=[e.case for _, e in EXAMPLES])
def test_each_documented_example_prints_its_line_exactly(tmp_path: Path, code: str, example):
    root = tmp_path / "content"
    shutil.copytree(Path(__file__).parent / "fixtures" / "mini", root)
    CASES[example.case](root)
    found = validate_folder(root, "").sorted()
    printed = [str(d) for d in found]
    assert example.line in printed, "\n".join(p for p in printed if f" {code} " in p) or "\n".join(printed)
    assert all(d.origin.line >= 1 and d.origin.col >= 1 for d in found)


def test_a_message_comes_from_the_code_template_and_a_retired_code_is_refused():
    diags = Diagnostics()
    diags.add(Origin("a.yaml", 3, 4), "E201", target="nowhere")
    assert str(diags.items[0]) == "a.yaml:3:4: E201 jump to 'nowhere', which is not a node"
    for code in ("E999", *(c.code for c in DEFINITIONS if c.retired)):
        with pytest.raises(ValueError):
            diags.add(Origin("a.yaml"), code)
    with pytest.raises(ValueError):
        diags.add(Origin("a.yaml"), "E305", "no-such-variant", name="x")


@pytest.mark.parametrize("code", ["E002", "E004", "E008", "E011", "E012", "E014", "E105", "E108", "E204", "E403"])
def test_validate_command_prints_path_line_col_code_and_exits_1(mini: Path, code: str, project_root: Path):
    CASES[code](mini)
    proc = subprocess.run(
        [sys.executable, str(project_root / "main.py"), "validate", "--content", str(mini)],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    assert lines and all(LINE.match(ln) for ln in lines), proc.stdout
    assert any(LINE.match(ln)["code"] == code for ln in lines)
    assert all(Path(LINE.match(ln)["path"]).is_relative_to(mini) for ln in lines)


def test_validate_exits_0_on_clean_content_and_2_on_usage_errors(mini: Path, project_root: Path, tmp_path: Path):
    main = str(project_root / "main.py")
    ok = subprocess.run([sys.executable, main, "validate", "--content", str(mini)], capture_output=True, text=True)
    assert ok.returncode == 0 and ok.stdout == ""
    missing = subprocess.run([sys.executable, main, "validate", "--content", str(tmp_path / "nope")],
                             capture_output=True, text=True)
    assert missing.returncode == 2 and "no such folder" in missing.stderr
    bad_flag = subprocess.run([sys.executable, main, "validate", "--bogus"], capture_output=True, text=True)
    assert bad_flag.returncode == 2 and "Traceback" not in bad_flag.stderr


def test_play_refuses_broken_content_with_diagnostics(mini: Path, project_root: Path):
    CASES["E201"](mini)
    proc = subprocess.run(
        [sys.executable, str(project_root / "main.py"), "play", "--text", "--role", "guest", "--content", str(mini)],
        capture_output=True, text=True, input="",
    )
    assert proc.returncode == 1
    assert "E201" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("code", WARNINGS)
def test_warnings_are_printed_alike_and_validate_still_exits_0(mini: Path, code: str, project_root: Path):
    CASES[code](mini)
    proc = subprocess.run(
        [sys.executable, str(project_root / "main.py"), "validate", "--content", str(mini)],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    assert lines and all(LINE.match(ln) and BY_CODE[LINE.match(ln)["code"]].severity == WARNING
                         for ln in lines), proc.stdout
    assert "1 warning" in proc.stderr
    play = subprocess.run(
        [sys.executable, str(project_root / "main.py"), "play", "--text", "--role", "guest", "--autoplay", "record",
         "--no-results", "--content", str(mini)], capture_output=True, text=True, timeout=60,
    )
    assert play.returncode == 0 and "Ending:" in play.stdout, play.stderr


def _call_sites() -> list[tuple[str, str, str, set[str], bool]]:
    """Every `….add(origin, "CODE", "variant", field=…)` and `ExprError("CODE", "variant", …)` in the
    game's code: (where, code, variant, fields given, whether more come from a `**` splat)."""
    import ast

    root = Path(__file__).resolve().parent.parent / "game"
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
            if name == "add" and len(args) >= 2 and isinstance(args[1], str) and LINE_CODE.fullmatch(args[1]):
                code, variant = args[1], args[2] if len(args) > 2 else ""
                extra: set[str] = set()
            elif name == "ExprError" and args and isinstance(args[0], str):
                code, variant = args[0], args[1]
                extra = {"kind", "source", "at"}   # ExprError.report adds where the expression is
            else:
                continue
            given = {k.arg for k in node.keywords if k.arg} | extra
            splat = any(k.arg is None for k in node.keywords)
            found.append((f"{path.relative_to(root.parent)}:{node.lineno}", code, variant, given, splat))
    return found


LINE_CODE = re.compile(r"[EW]\d{3}")


def test_every_call_site_uses_a_template_of_its_code_with_exactly_its_fields():
    """A message is never free text: the variant exists, and the fields given are the ones its
    template names (no more, no fewer). And every template is used somewhere."""
    import string

    used, wrong = set(), []
    for where, code, variant, given, splat in _call_sites():
        try:
            if not isinstance(variant, str):
                raise ValueError("the variant is not written at the call")
            template = BY_CODE[code].template(variant)
        except (KeyError, ValueError) as exc:
            wrong.append(f"{where}: {code} {variant!r}: {exc}")
            continue
        names = {f.split(".")[0].split("[")[0] for _, f, _, _ in string.Formatter().parse(template) if f}
        if given != names and not (splat and given <= names):
            wrong.append(f"{where}: {code} {variant!r} gives {sorted(given)}, its template names {sorted(names)}")
        used.add((code, variant or next(iter(BY_CODE[code].messages))))
    assert not wrong, "\n".join(wrong)
    templates = {(c.code, v) for c in DEFINITIONS for v in c.messages} - {("E015", "more")}   # made by Diagnostics
    assert templates - used == set(), "templates no call site uses"
