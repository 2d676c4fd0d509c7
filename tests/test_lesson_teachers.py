"""The teacher's kit (issue 13, §6): its figures are the measured ones, its source packet is the
record word for word, and the map and every page it links to exist."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

from bench.content_balance import reading_words, record_choice_points
from game.engine.source_text import check_verbatim
from game.engine.stats import WORDS_PER_MINUTE, path_stats

KIT = Path(__file__).resolve().parent.parent / "docs" / "teachers"


def page(name: str) -> str:
    return (KIT / name).read_text(encoding="utf-8")


def test_every_page_the_kit_links_exists():
    for target in re.findall(r"\]\(([^)#]+)\)", page("README.md")):
        assert (KIT / target).resolve().is_file(), target


def test_the_map_is_drawn(project_root):
    png = (project_root / "art" / "out" / "map.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (1600, 1500)


def test_the_source_packet_quotes_the_record_word_for_word(shipped):
    quotes = re.findall(r"^> \*\*¶(\d+)\*\* (.+)$", page("worksheet.md"), re.M)
    assert len(quotes) >= 20
    for number, text in quotes:
        paragraph = shipped.source.paragraphs[int(number)].text
        failure = check_verbatim(text, [paragraph])
        assert failure is None, (number, failure)


@pytest.mark.parametrize("path, spoken, shown", [("class", 16, 19), ("full", 33, 37), ("short", 6, None)])
def test_the_guides_minutes_are_the_measured_ones(shipped, path, spoken, shown):
    guide = page("guide.md")
    row = next(line for line in guide.splitlines() if f"(`{path}`)" in line)
    assert f"about {spoken} minutes of spoken lines" in row
    for role in shipped.roles:
        assert round(path_stats(shipped, role, path).minutes) == spoken
        if shown is not None:
            assert f"about {shown} with" in row
            assert round(reading_words(shipped, role, path) / WORDS_PER_MINUTE) == shown


def test_the_guides_choice_points_are_the_counted_ones(shipped):
    guide = page("guide.md")
    assert len(record_choice_points(shipped, "shah", "class")) == 14 == len(record_choice_points(shipped, "soviet", "class"))
    assert "14 for each side" in guide
    full = (len(record_choice_points(shipped, "shah", "full")), len(record_choice_points(shipped, "soviet", "full")))
    assert f"{full[0]} (Shah), {full[1]} (Soviet side)" in guide
