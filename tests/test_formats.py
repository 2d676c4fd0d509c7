"""One rule for every format number: a format writes its current version and reads each version
from its oldest to its current; anything else is refused with a message saying which way it is out
of date (game/formats.py)."""

from __future__ import annotations

import json

import pytest

from game import formats
from game.session.log import LogError, read_log


@pytest.mark.parametrize("fmt", formats.ALL, ids=lambda f: f.what)
def test_each_format_reads_its_range_and_nothing_else(fmt):
    assert fmt.oldest <= fmt.current
    assert all(fmt.reads(v) for v in range(fmt.oldest, fmt.current + 1))
    for outside in (fmt.oldest - 1, fmt.current + 1, True, "1", None, 1.0):
        assert not fmt.reads(outside), outside
    assert "newer" in fmt.refusal(fmt.current + 1) and "update the game" in fmt.refusal(fmt.current + 1)
    assert "no longer reads" in fmt.refusal(fmt.oldest - 1)


def test_the_formats_in_use_are_the_ones_the_rule_names():
    from game.engine import cache, manifest_reader
    from game.results import schema
    from game.session import log

    assert manifest_reader.FORMAT == formats.CONTENT.current and manifest_reader.WITNESSES_FORMAT == formats.WITNESSES.current
    assert log.LOG_VERSION == formats.SAVE.current and cache.CACHE_FORMAT == formats.CACHE.current
    assert schema.SCHEMA_VERSION == formats.RESULTS.current
    assert set(schema.READABLE_VERSIONS) == set(range(formats.RESULTS.oldest, formats.RESULTS.current + 1))


@pytest.mark.parametrize("version, says", [(formats.SAVE.current + 1, "newer than this game reads"),
                                           (0, "no longer reads"), ("1", "no longer reads")])
def test_a_saved_game_of_another_version_says_which_way_it_is_out_of_date(tmp_path, version, says):
    path = tmp_path / "autosave.log"
    header = {"format": "moscow-1956-log", "version": version, "scenario": "mini", "role": "guest", "path": "full",
              "uid": "u1", "started_at": "2026-01-01T00:00:00Z"}
    path.write_text(json.dumps(header) + "\n")
    with pytest.raises(LogError, match=says):
        read_log(path)
