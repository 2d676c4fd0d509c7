"""Issue 10, classes 1 and 6: reads that never end or reach too far, junk files and near misses.

Only regular files are read, only inside the content folder, sizes are checked before reading,
and every file of a folder is accounted for: read, skipped with a notice, or reported.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from game.engine import content_files
from game.engine.checked import validate_folder
from game.engine.diagnostics import Diagnostics
from game.engine.limits import MAX_BYTES
from game.engine.loader import read_folder

from .attack_cases import CANARY

COMMON = "dialogue/mini/common"
HOST = "dialogue/mini/host"
FILES = ["scenarios/mini/scenario.yaml", "scenarios/mini/source.md", "scenarios/mini/received.txt",
         "scenarios/mini/sources.yaml", f"{COMMON}/main.yaml", f"{HOST}/cross.yaml"]


def codes(root: Path) -> list[str]:
    return [d.code for d in validate_folder(root).sorted()]


def found(root: Path) -> list[str]:
    return [str(d) for d in validate_folder(root, "").sorted()]


@pytest.mark.parametrize("rel", [*FILES, "scenarios/mini/glossary.yaml", f"{COMMON}/new.yaml",
                                 f"{HOST}/deeper/new.yaml"])
@pytest.mark.parametrize("kind", ["fifo", "/dev/zero", "/dev/stdin", "/dev/null"])
def test_no_file_but_a_regular_file_inside_the_folder_is_ever_opened(mini: Path, rel: str, kind: str, monkeypatch):
    path = mini / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to(kind)
    opened: list[str] = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda p, *a, **k: opened.append(os.fspath(p)) or real_open(p, *a, **k))
    got = codes(mini)
    assert ("E011" if kind == "fifo" else "E012") in got, got
    assert not any(p.endswith(Path(rel).name) or p.startswith("/dev/") for p in opened), opened


@pytest.mark.parametrize("key, value", [
    ("received", "../../../outside.txt"), ("received", "../../../../../../../../etc/passwd"),
    ("clean", "{outside}"), ("clean", "../../dialogue/../../outside.txt"), ("received", "/etc/shadow"),
    ("received", "/no/such/folder/x.txt"), ("clean", "../../../../missing.md"),   # not even whether it exists
])
def test_names_in_the_manifest_never_reach_out_of_the_folder(mini: Path, key: str, value: str):
    outside = mini.parent / "outside.txt"
    outside.write_text(CANARY + "\n")
    manifest = mini / "scenarios/mini/scenario.yaml"
    old = "received: received.txt" if key == "received" else "clean: source.md"
    manifest.write_text(manifest.read_text().replace(old, f"{key}: {value.format(outside=outside)}"))
    loaded, diags, root = read_folder(mini)
    assert "E012" in [d.code for d in diags.items]
    assert not any(CANARY in str(d) or "root:" in str(d) for d in diags.sorted())
    assert all(not rel.startswith("..") and not rel.startswith("/") for rel in root.reads)


@pytest.mark.parametrize("where", ["file", "dialogue folder", "scenario folder", "sub-folder"])
def test_links_out_of_the_folder_are_refused_and_links_inside_are_followed(mini: Path, tmp_path: Path, where: str):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.yaml").write_text("nodes: []\n")
    if where == "file":
        (mini / COMMON / "x.yaml").symlink_to(elsewhere / "x.yaml")
    elif where == "sub-folder":
        (mini / COMMON / "more").symlink_to(elsewhere)
    elif where == "dialogue folder":
        (mini / "dialogue/mini").rename(elsewhere / "mini")
        (mini / "dialogue/mini").symlink_to(elsewhere / "mini")
    else:
        (mini / "scenarios/mini").rename(elsewhere / "mini")
        (mini / "scenarios/mini").symlink_to(elsewhere / "mini")
    got = codes(mini)
    assert "E012" in got, got
    inside = mini / COMMON / "inside"
    inside.symlink_to(mini / HOST)                            # inside the folder: followed, once
    _loaded, _diags, root = read_folder(mini)
    assert f"{COMMON}/inside/cross.yaml" not in root.reads or f"{HOST}/cross.yaml" not in root.reads


def test_a_folder_linked_into_itself_is_walked_once(mini: Path):
    (mini / COMMON / "again").symlink_to(mini / "dialogue/mini")
    (mini / HOST / "loop").symlink_to(mini / HOST)
    assert validate_folder(mini).sorted() == []


@pytest.mark.parametrize("size", [MAX_BYTES + 1, 600 * 1024 * 1024])
@pytest.mark.parametrize("rel", [f"{COMMON}/big.yaml", "scenarios/mini/source.md", "scenarios/mini/received.txt"])
def test_sizes_are_checked_before_a_byte_is_read(mini: Path, rel: str, size: int, monkeypatch):
    path = mini / rel
    with path.open("wb") as handle:
        handle.truncate(size)                 # sparse: no disk used, no byte worth reading
    read: list[int] = []
    real_read = os.read

    def counted(fd: int, n: int) -> bytes:
        data = real_read(fd, n)
        read.append(len(data))
        return data

    monkeypatch.setattr(os, "read", counted)
    assert "E004" in codes(mini)
    assert sum(read) < 2 * MAX_BYTES          # the other files only


def test_the_folder_as_a_whole_is_capped(mini: Path):
    for i in range(6):
        with (mini / COMMON / f"big{i}.yaml").open("wb") as handle:
            handle.truncate(MAX_BYTES - 10)
    got = codes(mini)
    assert "E013" in got and got.count("E013") >= 2


@pytest.mark.parametrize("name, kind", [
    ("._main.yaml", "macOS"), (".#main.yaml", "Emacs"), ("~$main.yaml", "Office"), (".hidden.yaml", "hidden"),
    ("._Extra.YAML", "macOS"),
])
@pytest.mark.parametrize("folder", [COMMON, HOST, f"{HOST}/sub"])
def test_junk_files_are_skipped_with_a_notice_and_the_content_still_plays(mini: Path, name: str, kind: str, folder: str):
    (mini / folder).mkdir(parents=True, exist_ok=True)
    (mini / folder / name).write_bytes(b"\x00\x05\x16\x07Mac OS X        \x00\x02")
    diags = validate_folder(mini)
    assert [d.code for d in diags.sorted()] == ["W001"] and not diags.has_errors
    assert kind in diags.sorted()[0].message
    from game.engine.checked import load_scenario

    assert load_scenario(mini).id == "mini"


def test_a_macos_archive_folder_is_skipped_with_one_notice(mini: Path):
    junk = mini / COMMON / "__MACOSX"
    junk.mkdir()
    (junk / "._main.yaml").write_bytes(b"\x00\x05\x16\x07")
    (junk / "main.yaml").write_text("nodes: [broken\n")
    assert [d.code for d in validate_folder(mini).sorted()] == ["W001"]


@pytest.mark.parametrize("name, meant", [
    ("Extra.YAML", "Extra.yaml"), ("extra.yml", "extra.yaml"), ("extra.Yaml", "extra.yaml"),
    ("extra.yaml.txt", "extra.yaml"), ("extra.YML", "extra.yaml"), ("extra.yaml ", "extra.yaml"),
])
@pytest.mark.parametrize("folder", [COMMON, f"{HOST}/sub"])
def test_near_miss_names_are_not_read_but_reported(mini: Path, name: str, meant: str, folder: str):
    (mini / folder).mkdir(parents=True, exist_ok=True)
    (mini / folder / name).write_text("nodes: [broken\n")
    found_ = validate_folder(mini).sorted()
    assert [d.code for d in found_] == ["W002"], found_
    assert f"'{meant}'" in found_[0].message


@pytest.mark.parametrize("name", ["Glossary.yaml", "glossary.yml", "GLOSSARY.YAML.txt"])
def test_near_misses_of_the_scenario_files_are_reported(mini: Path, name: str):
    (mini / "scenarios/mini" / name).write_text("entries: []\n")
    assert [d.code for d in validate_folder(mini).sorted()] == ["W002"]


@pytest.mark.parametrize("name", ["Sources.YAML", "sources.yml"])
def test_a_renamed_sources_file_is_reported_with_what_goes_missing(mini: Path, name: str):
    (mini / "scenarios/mini/sources.yaml").rename(mini / "scenarios/mini" / name)
    assert sorted(d.code for d in validate_folder(mini).sorted()) == ["E512", "W002"]


def test_a_scenario_folder_with_only_a_near_miss_manifest_says_so(mini: Path):
    (mini / "scenarios/mini/scenario.yaml").rename(mini / "scenarios/mini/Scenario.yml")
    assert sorted(codes(mini)) == ["E501", "W002"]


@pytest.mark.parametrize("folder", [COMMON, HOST, "dialogue/mini", "scenarios"])
def test_a_folder_that_cannot_be_listed_is_an_error_not_a_silence(mini: Path, folder: str, monkeypatch):
    real = os.scandir
    target = os.fspath(mini / folder)

    def scandir(path):
        if os.fspath(path) == target:
            raise PermissionError(13, "Permission denied", target)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    diags = [d for d in validate_folder(mini, "").sorted() if d.code == "E001"]
    assert diags and diags[0].origin.path == folder and "Permission denied" in diags[0].message


@pytest.mark.parametrize("raw", [b"caf\xe9.yaml", b"\xff\xfe.yaml", b"ok\x80.yaml"])
@pytest.mark.parametrize("where", [COMMON, f"{HOST}/sub"])
def test_a_name_that_is_not_utf8_is_reported_with_a_safe_spelling(mini: Path, raw: bytes, where: str):
    folder = mini / where
    folder.mkdir(parents=True, exist_ok=True)
    with open(os.path.join(os.fsencode(folder), raw), "wb") as handle:
        handle.write(b"nodes: []\n")
    lines = [str(d) for d in validate_folder(mini).sorted()]
    assert len(lines) == 1 and " E014 " in lines[0]
    lines[0].encode("ascii", "strict")                 # printable anywhere: no surrogate left
    assert "\\x" in lines[0]


def test_a_folder_name_that_is_not_utf8_is_reported_once(mini: Path):
    bad = os.path.join(os.fsencode(mini / COMMON), b"d\xe9j\xe0")
    os.mkdir(bad)
    with open(os.path.join(bad, b"x.yaml"), "wb") as handle:
        handle.write(b"nodes: [broken\n")
    assert codes(mini) == ["E014"]


def test_a_read_that_changes_the_file_under_it_is_refused(mini: Path, monkeypatch):
    """Checked once open, too: a file swapped for a pipe between the check and the open is refused."""
    target = mini / COMMON / "main.yaml"
    real_stat = os.stat

    def stat(path, *a, **k):
        info = real_stat(path, *a, **k)
        if os.fspath(path).endswith("main.yaml"):
            target.unlink()
            os.mkfifo(target)
        return info

    monkeypatch.setattr(os, "stat", stat)
    diags = Diagnostics()
    assert content_files.read_bytes(target, "main.yaml", diags) is None
    assert [d.code for d in diags.items] in (["E011"], ["E001"])
