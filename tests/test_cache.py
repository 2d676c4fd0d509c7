"""The cache of checked content: identical to a fresh load, and never used once anything changed."""

from __future__ import annotations

import shutil
from pathlib import Path

from game.engine import cache
from game.engine.loader import load_scenario


def test_cached_scenario_equals_a_fresh_load(shipped, project_root: Path):
    first = load_scenario(project_root, "moscow-1956", cached=True)
    again, key = cache.load(project_root, "moscow-1956")
    assert key and again is not None
    assert again == shipped == first
    assert again.nodes["act1.greetings"] == shipped.nodes["act1.greetings"]
    assert again.source.paragraphs[76] == shipped.source.paragraphs[76]


def test_any_edit_makes_a_new_key_and_bad_content_is_never_cached(mini: Path, tmp_path: Path):
    first = load_scenario(mini, cached=True)
    assert cache.load(mini, None)[0] == first
    main = mini / "dialogue/mini/common/main.yaml"
    main.write_text(main.read_text().replace("Then let us drink tea.", "Then let us drink coffee."))
    scenario, key = cache.load(mini, None)
    assert scenario is None and key
    try:
        load_scenario(mini, cached=True)
    except Exception as exc:
        assert "E204" in str(exc)
    else:
        raise AssertionError("broken content loaded")
    assert cache.load(mini, None)[0] is None


def test_a_damaged_cache_file_is_ignored(mini: Path):
    load_scenario(mini, cached=True)
    for path in cache.cache_dir().glob("*-default.json"):
        path.write_text("{not json")
    assert cache.load(mini, None)[0] is None
    assert load_scenario(mini, cached=True).id == "mini"
    shutil.rmtree(cache.cache_dir())
    assert load_scenario(mini, cached=True).id == "mini"
