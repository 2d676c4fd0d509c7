"""Every diagnostic code: a broken file reports it, `validate` exits 1, the docs explain it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from game.engine.checked import validate_folder
from game.engine.diagnostics import CODES

from .diagnostic_cases import CASES

LINE = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<code>[EW]\d{3}) \S")


def test_the_fixture_itself_is_clean(mini: Path):
    assert validate_folder(mini).sorted() == []


def test_every_code_has_a_case_and_a_page(project_root: Path):
    assert sorted(CASES) == sorted(CODES)
    doc = (project_root / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    documented = re.findall(r"^## ([EW]\d{3})\b", doc, re.MULTILINE)
    assert sorted(documented) == sorted(CODES)


@pytest.mark.parametrize("code", sorted(CASES))
def test_broken_content_reports_its_code(mini: Path, code: str):
    CASES[code](mini)
    found = validate_folder(mini).sorted()
    assert code in [d.code for d in found], "\n".join(map(str, found))
    for d in found:
        assert d.origin.line >= 1 and d.origin.col >= 1


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


@pytest.mark.parametrize("code", sorted(c for c in CODES if c.startswith("W")))
def test_warnings_are_printed_alike_and_validate_still_exits_0(mini: Path, code: str, project_root: Path):
    CASES[code](mini)
    proc = subprocess.run(
        [sys.executable, str(project_root / "main.py"), "validate", "--content", str(mini)],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    assert lines and all(LINE.match(ln) and LINE.match(ln)["code"].startswith("W") for ln in lines), proc.stdout
    assert "1 warning" in proc.stderr
    play = subprocess.run(
        [sys.executable, str(project_root / "main.py"), "play", "--text", "--role", "guest", "--autoplay", "record",
         "--no-results", "--content", str(mini)], capture_output=True, text=True, timeout=60,
    )
    assert play.returncode == 0 and "Ending:" in play.stdout, play.stderr


def test_every_page_shows_a_real_output_line_of_its_case(tmp_path: Path, project_root: Path):
    """The example under each `## CODE` heading is what `validate` prints for that code's case."""
    import shutil

    doc = (project_root / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    pages = dict(re.findall(r"^## ([EW]\d{3})\b(.*?)(?=^## |\Z)", doc, re.MULTILINE | re.DOTALL))
    wrong = []
    for code in sorted(CASES):
        root = tmp_path / code / "content"
        shutil.copytree(Path(__file__).parent / "fixtures" / "mini", root)
        CASES[code](root)
        printed = {str(d) for d in validate_folder(root, "").sorted()}
        shown = [ln for ln in pages[code].splitlines() if LINE.match(ln) and LINE.match(ln)["code"] == code]
        if not any(ln in printed for ln in shown):
            wrong.append(f"{code}: {shown[:1]} but validate prints {sorted(p for p in printed if f' {code} ' in p)[:1]}")
    assert not wrong, "\n".join(wrong)
