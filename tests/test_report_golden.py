"""The teacher's report gives what it gave before on a fixed set of files (tests/report_fixture.py).

`tests/fixtures/report-golden/` was written by the report as it was before it was computed by
SQL: the CSV, the data of the printable page, the counts and the warnings about skipped rows.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .report_fixture import GOLDEN, build, outputs


@pytest.mark.parametrize("with_choices", [True, False], ids=["choices copied", "choices counted while merging"])
def test_the_report_of_the_fixture_files_is_what_it_was(tmp_path: Path, with_choices: bool):
    found = outputs(build(tmp_path / "files"), with_choices=with_choices)
    assert found.pop("csv") == (GOLDEN / "class.csv").read_text(encoding="utf-8")
    golden = json.loads((GOLDEN / "report.json").read_text(encoding="utf-8"))
    for key in ("added", "duplicates", "skipped"):
        assert found[key] == golden[key], key
    for number, (part, before) in enumerate(zip(found["page"]["scenarios"], golden["page"]["scenarios"], strict=True)):
        for key in before:
            assert part[key] == before[key], (number, key)
    assert found["page"] == golden["page"]
