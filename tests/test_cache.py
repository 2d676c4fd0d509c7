"""The cache of checked content: identical to a fresh load, never used once anything changed, and
tamper-evident: an entry someone edited is never believed, and is rebuilt from the content."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from game.engine import cache
from game.engine.checked import load_scenario


def entry(content: Path, scenario_id: str | None = None) -> Path:
    return cache.entry_path(content, scenario_id)


def test_cached_scenario_equals_a_fresh_load(shipped, project_root: Path):
    first = load_scenario(project_root, "moscow-1956", cached=True)
    again = cache.load(project_root, "moscow-1956")
    assert again is not None
    assert again == shipped == first
    assert again.nodes["act1.greetings"] == shipped.nodes["act1.greetings"]
    assert again.source.paragraphs[76] == shipped.source.paragraphs[76]


def test_any_edit_makes_the_entry_stale_and_bad_content_is_never_cached(mini: Path):
    first = load_scenario(mini, cached=True)
    assert cache.load(mini, None) == first
    main = mini / "dialogue/mini/common/main.yaml"
    main.write_text(main.read_text().replace("Then let us drink tea.", "Then let us drink coffee."))
    assert cache.load(mini, None) is None
    with pytest.raises(Exception, match="E204"):
        load_scenario(mini, cached=True)
    assert cache.load(mini, None) is None


@pytest.mark.parametrize("change", ["new dialogue file", "glossary appears", "file removed", "source edited",
                                    "flag redrawn", "image put beside the manifest"])
def test_every_file_the_loader_would_read_is_covered(mini: Path, change: str):
    from .png import banded

    manifest = mini / "scenarios/mini/scenario.yaml"
    if change == "image put beside the manifest":   # named, but until now found among the game's own pictures
        manifest.write_text(manifest.read_text().replace("  memo:", "  emblem: title_emblem.png\n  memo:"))
    load_scenario(mini, cached=True)
    assert cache.load(mini, None) is not None
    if change == "flag redrawn":
        (mini / "scenarios/mini/flag_tea.png").write_bytes(banded(24, 16, ((0, 0, 0),)))
    elif change == "image put beside the manifest":
        (mini / "scenarios/mini/title_emblem.png").write_bytes(banded(60, 60, ((0, 0, 0),)))
    elif change == "new dialogue file":
        (mini / "dialogue/mini/host/more.yaml").write_text("nodes: []\n")
    elif change == "glossary appears":
        (mini / "scenarios/mini/glossary.yaml").write_text("entries: []\n")
    elif change == "file removed":
        (mini / "dialogue/mini/host/cross.yaml").rename(mini / "dialogue/mini/host/cross.txt")
    else:
        (mini / "scenarios/mini/received.txt").write_text("Something else.\n")
    assert cache.load(mini, None) is None


def test_files_the_loader_never_reads_are_not_read_for_the_cache(mini: Path, monkeypatch):
    """A 600 MB PDF beside the manifest costs nothing: neither the loader nor the cache opens it."""
    big = mini / "scenarios/mini/handout.pdf"
    with big.open("wb") as handle:
        handle.truncate(600 * 1024 * 1024)   # sparse: no disk used
    opened: list[str] = []
    real_open = os.open

    def spy(path, *args, **kwargs):
        opened.append(os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy)
    load_scenario(mini, cached=True)
    assert cache.load(mini, None) is not None
    assert opened and not any(p.endswith("handout.pdf") for p in opened)
    data = json.loads(entry(mini).read_bytes().split(b"\n", 2)[2])
    assert sorted(data["reads"]) == ["dialogue/mini/common/main.yaml", "dialogue/mini/host/cross.yaml",
                                     "scenarios/mini/flag_tea.png", "scenarios/mini/received.txt", "scenarios/mini/scenario.yaml",
                                     "scenarios/mini/source.md", "scenarios/mini/sources.yaml"]


def _tamper(path: Path, how: str) -> None:
    """Edit a cache entry the way someone with write access to the cache folder would."""
    raw = path.read_bytes()
    magic, mac, body = raw.split(b"\n", 2)
    before = body
    invented = b'"The conversation ends."'
    if how == "invented line made record":
        body = body.replace(b'"close.l1","narrator",' + invented + b',"invented",[]',
                            b'"close.l1","host",' + invented + b',"record",[1]')
    elif how == "record words changed":
        body = body.replace(b"Then let us drink tea.", b"Then let us sign the pact.")
    elif how == "new citation":
        body = body.replace(b"It is cold in Moscow, but the tea is warm.", b"The Shah promised everything.")
    elif how == "signature recomputed without the key":
        import hashlib

        mac = hashlib.sha256(body).hexdigest().encode()
    if how in ("invented line made record", "record words changed", "new citation"):
        assert body != before, "the tampering did not apply"
    if how == "truncated":
        body = body[: len(body) // 2]
    if how == "garbage":
        magic, mac, body = b"x", b"y", b"{not json"
    if how == "empty":
        path.write_bytes(b"")
        return
    path.write_bytes(b"\n".join([magic, mac, body]))


TAMPERING = ["invented line made record", "record words changed", "new citation",
             "signature recomputed without the key", "truncated", "garbage", "empty"]


@pytest.mark.parametrize("how", TAMPERING)
def test_an_edited_entry_is_never_believed_and_is_rebuilt(mini: Path, how: str):
    fresh = load_scenario(mini, cached=True)
    _tamper(entry(mini), how)
    assert cache.load(mini, None) is None
    again = load_scenario(mini, cached=True)
    assert again == fresh
    assert again.nodes["close"].lines[0].provenance == "invented"
    assert cache.load(mini, None) == fresh            # rebuilt: the next start is fast again


def test_an_entry_copied_from_other_content_is_not_used(mini: Path, tmp_path: Path):
    other = tmp_path / "other"
    shutil.copytree(mini, other)
    main = other / "dialogue/mini/common/main.yaml"
    main.write_text(main.read_text().replace("The conversation ends.", "The talks end in friendship."))
    load_scenario(mini, cached=True)
    load_scenario(other, cached=True)
    shutil.copyfile(entry(other), entry(mini))       # a valid signature, for different files
    assert cache.load(mini, None) is None
    assert load_scenario(mini, cached=True).nodes["close"].lines[0].text == "The conversation ends."


@pytest.mark.parametrize("problem", ["readable by others", "a folder", "wrong length", "a pipe"])
def test_a_key_that_cannot_be_trusted_turns_the_cache_off(mini: Path, problem: str):
    load_scenario(mini, cached=True)
    key = cache.key_path()
    if problem == "readable by others":
        key.chmod(0o644)
    else:
        key.unlink()
        if problem == "a folder":
            key.mkdir()
        elif problem == "a pipe":
            os.mkfifo(key)
        else:
            key.write_text("abcd\n")
            key.chmod(0o600)
    try:
        assert cache.secret() is None
        assert cache.load(mini, None) is None
        assert load_scenario(mini, cached=True).id == "mini"   # still plays, from the YAML
    finally:
        if key.is_dir():
            key.rmdir()
        else:
            key.unlink(missing_ok=True)


def test_the_key_lives_outside_the_cache_folder_and_only_its_owner_reads_it(mini: Path):
    load_scenario(mini, cached=True)
    key = cache.key_path()
    assert key.is_file() and not key.resolve().is_relative_to(cache.cache_dir().resolve())
    assert key.stat().st_mode & 0o077 == 0


def test_a_damaged_cache_folder_is_ignored(mini: Path):
    load_scenario(mini, cached=True)
    entry(mini).write_text("{not json")
    assert cache.load(mini, None) is None
    assert load_scenario(mini, cached=True).id == "mini"
    shutil.rmtree(cache.cache_dir())
    assert load_scenario(mini, cached=True).id == "mini"
    entry(mini).unlink()
    os.mkfifo(entry(mini))                           # a pipe where the entry was: never blocks
    assert cache.load(mini, None) is None
    entry(mini).unlink()


def test_a_game_started_from_the_cache_loads_no_yaml_reader_and_no_checks(project_root: Path):
    """The cache is there to make the start quick: on its path PyYAML, the readers, the validator
    and difflib are never imported (each costs start-up time, and none has work to do)."""
    import subprocess
    import sys

    load_scenario(project_root, "moscow-1956", cached=True)   # the entry is warm in this test's home
    script = ("import sys\nfrom pathlib import Path\nfrom game.engine.checked import load_scenario\n"
              f"load_scenario(Path({str(project_root)!r}), 'moscow-1956', cached=True)\n"
              "from game.engine import cache\n"
              f"assert cache.load(Path({str(project_root)!r}), 'moscow-1956') is not None\n"
              "print(' '.join(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", script], cwd=project_root, capture_output=True, text=True,
                          timeout=120, env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.split())
    assert "game.engine.model" in loaded
    unwanted = {"yaml", "difflib", "game.engine.validator", "game.engine.manifest_reader",
                "game.engine.dialogue_reader", "game.engine.yaml_reader", "game.engine.fields",
                "game.engine.diagnostic_codes"}   # the table of codes is for content that has problems
    assert not loaded & unwanted, sorted(loaded & unwanted)
