"""The `presentation` block (issue 11): what a screen shows about one scenario is its data.

The shipped scenario's words, seats and flags come from its manifest and are what the screens
showed when they were written into the code; the mini fixture brings its own; a scenario without
the block gets neutral defaults; every broken block is refused with a diagnostic.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from game.engine.checked import load_scenario, validate_folder
from game.engine.model import Image, Seat
from game.engine.presentation import SEATING_CAPTION, WITNESSES_NOTE, image_bytes, kiosk_path, reading_minutes

from .diagnostic_cases import MANIFEST, edit, write
from .png import MINI_FLAG, banded, claiming

MINI = Path(__file__).parent / "fixtures" / "mini"
QUICK_PATH = "  - {id: full, title: \"All of it\", start: start}\n"


def without_presentation(root: Path) -> Path:
    """The mini fixture with no `presentation` block (everything after it is gone too: it is last)."""
    path = root / MANIFEST
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("presentation:")], encoding="utf-8")
    return root


def codes(root: Path) -> list[str]:
    return [d.code for d in validate_folder(root).sorted()]


# --- what the shipped scenario and the fixture hold ------------------------------------------------

def test_the_shipped_scenario_shows_what_its_screens_showed_before(shipped):
    p = shipped.presentation
    assert (p.memo, p.short_subtitle, p.record_date, p.year) == (
        "No. 831 · 11 copies", "A role-play from the record", "record signed 30.VI.", "1956")
    assert p.blurb == ("The Shah of Iran at the table with Khrushchev, Bulganin, Voroshilov and Mikoyan. Every line "
                       "shows its source; every choice is set beside what was really said.")
    assert p.credit == "Source: Soviet record, translated by S. Dunn and S. Savranskaya, National Security Archive."
    assert p.room_note == "The record lists who attended, not where they sat."
    assert p.seating_caption == "Seating illustrative: the record lists who attended, not where they sat."
    # the rows the seating plan had in its code: far side to near side, speaker ids and cards
    rows = [[(s.speaker, s.name) for s in row] for side in p.seating for row in side.rows]
    assert rows == [
        [("", "Semenov"), ("", "Ilyichev"), ("", "Lavrentyev"), ("", "Pavlov")],
        [("bulganin", "Bulganin"), ("voroshilov", "Voroshilov"), ("khrushchev", "Khrushchev"), ("mikoyan", "Mikoyan")],
        [("", "Kashani"), ("saed", "Saed"), ("shah", "The Shah"), ("yazdan_panah", "Yazdan Panah"), ("", "Ansari")],
    ]
    leaders = {s.speaker for side in p.seating for row in side.rows for s in row if s.leader}
    assert leaders == {"voroshilov", "khrushchev", "bulganin", "mikoyan", "shah"}
    assert [(s.side, s.label, s.flag.name, s.flag.source) for s in p.seating] == [
        ("soviet", "Soviet side", "flag_ussr.png", "game"), ("shah", "Iranian side", "flag_iran_1956.png", "game")]
    assert (p.emblem.name, p.stamp.name) == ("title_emblem.png", "stamp_secret.png")
    assert p.kiosk_tagline == "Sit at the table with Khrushchev and the Shah of Iran"
    assert (kiosk_path(shipped), p.kiosk_roles, reading_minutes(shipped, "short")) == ("short", ("shah", "soviet"), 6)
    assert p.narrator == "narrator"
    # the map and the note over the other witnesses, as their pages had them in their templates
    assert (p.map.title, p.map.image.name, p.map.image.source, p.map.image.width, p.map.image.height) == (
        "Map: Iran and its neighbours, June 1956", "map.png", "game", 1600, 1500)
    assert p.map.description.startswith("Map of Iran and its neighbours in June 1956: the Soviet Union to the north")
    assert p.map.caption.startswith("Country outlines: Natural Earth (public domain).")
    assert p.witnesses_note.startswith("The record is one side's account, written by the Soviet side.")


def test_the_mini_fixture_brings_its_own_words_seats_and_flag(mini_scenario):
    p = mini_scenario.presentation
    assert (p.memo, p.record_date, p.kiosk_tagline) == ("Copy 1 of 2", "noted the same day",
                                                        "Sit down to tea with the host")
    host, guest = p.seating
    assert (host.side, host.label, guest.side, guest.label) == ("host", "At home", "guest", "The guest")
    assert host.rows == ((Seat("A cook"), Seat("Host", "host", True)),) and guest.rows == ((Seat("Guest", "guest", True),),)
    assert host.flag == Image("flag_tea.png", "scenario", 24, 16) and guest.flag is None
    assert p.emblem is None and p.stamp is None
    assert image_bytes(mini_scenario, host.flag) == (MINI / "scenarios/mini/flag_tea.png").read_bytes()
    assert "831" not in repr(p) and "Khrushchev" not in repr(p)


def test_the_mini_flag_is_the_picture_its_code_makes():
    assert (MINI / "scenarios/mini/flag_tea.png").read_bytes() == banded(*MINI_FLAG)


def test_a_scenario_without_the_block_gets_neutral_defaults(mini: Path):
    without_presentation(mini)
    edit(mini, MANIFEST, 'title: "Tea"\n', 'title: "Tea"\nsubtitle: "A cup at the embassy"\n')
    edit(mini, MANIFEST, QUICK_PATH, QUICK_PATH + "  - {id: quick, title: \"The end of it\", start: tea}\n")
    scenario = load_scenario(mini)
    p = scenario.presentation
    assert (p.memo, p.record_date, p.blurb, p.credit, p.room_note, p.emblem, p.stamp) == ("", "", "", "", "", None, None)
    assert p.short_subtitle == p.kiosk_tagline == "A cup at the embassy"
    assert p.year == "1956" and p.narrator == "narrator" and p.seating_caption == SEATING_CAPTION
    # seats from the speakers, by side, in the order of the roles, each role's own speaker in bold; no flags
    assert [(s.side, s.label, s.rows, s.flag) for s in p.seating] == [
        ("guest", "The guest", ((Seat("Guest", "guest", True),),), None),
        ("host", "The host", ((Seat("Host", "host", True),),), None)]
    assert p.kiosk_roles == ("guest", "host")
    assert kiosk_path(scenario) == "quick"                    # the shortest, not the first
    assert p.map is None and p.witnesses_note == WITNESSES_NOTE and "Soviet" not in p.witnesses_note
    assert reading_minutes(scenario, "quick", exact=True) < reading_minutes(scenario, "full", exact=True)


def test_the_default_seating_puts_a_large_side_in_rows_that_fit(mini: Path):
    without_presentation(mini)
    extra = "".join(f"  - {{id: host{i}, name: \"Host {i}\", side: host}}\n" for i in range(60))
    edit(mini, MANIFEST, "  - {id: guest, name:", extra + "  - {id: guest, name:")
    p = load_scenario(mini).presentation
    assert all(len(row) <= 8 for side in p.seating for row in side.rows)
    assert sum(len(side.rows) for side in p.seating) == 6        # what fits beside the table


def test_the_year_is_given_or_read_from_the_date(mini: Path):
    edit(mini, MANIFEST, "  memo:", "  year: 1955\n  memo:")
    assert load_scenario(mini).presentation.year == "1955"
    edit(mini, MANIFEST, "  year: 1955\n", "")
    edit(mini, MANIFEST, 'date: "1 January 1956"', 'date: "New Year\'s Day"')
    assert load_scenario(mini).presentation.year == ""


def test_images_are_found_beside_the_manifest_in_folders_or_among_the_games_own(mini: Path):
    write(mini, "scenarios/mini/pictures/stamp.png", banded(30, 10, ((200, 0, 0),)))
    edit(mini, MANIFEST, "  memo:", "  stamp: pictures/stamp.png\n  emblem: title_emblem.png\n  memo:")
    p = load_scenario(mini).presentation
    assert p.stamp == Image("pictures/stamp.png", "scenario", 30, 10)
    assert p.emblem == Image("title_emblem.png", "game", 600, 600)


def test_an_image_changed_after_the_check_is_not_used(mini: Path):
    """The window reads a picture again when it draws it: a file swapped since validate is refused."""
    scenario = load_scenario(mini)
    flag = scenario.presentation.seating[0].flag
    assert image_bytes(scenario, flag) is not None
    path = mini / "scenarios/mini/flag_tea.png"
    path.write_bytes(claiming(50_000, 50_000))
    assert image_bytes(scenario, flag) is None
    path.unlink()
    os.mkfifo(path)
    assert image_bytes(scenario, flag) is None               # never blocks on a pipe
    path.unlink()
    path.symlink_to("/etc/hostname")
    assert image_bytes(scenario, flag) is None               # a link out of the content folder


# --- broken blocks -----------------------------------------------------------------------------------

BROKEN = {
    "not a map": ("presentation:\n  memo:", "presentation: yes\nx:\n  memo:", "E101"),
    "unknown key": ("  memo:", "  memos: 1\n  memo:", "E102"),
    "memo not text": ('memo: "Copy 1 of 2"', "memo: [1, 2]", "E101"),
    "empty blurb": ('blurb: "A guest and a host, a cold day and a pot of tea. Every line shows its source."',
                    'blurb: ""', "E106"),
    "bidi in the credit": ('credit: "Source:', 'credit: "\\u202eSource:', "E108"),
    "line break in the memo": ('memo: "Copy 1 of 2"', 'memo: "Copy 1\\nof 2"', "E108"),
    "a 201-character memo": ('memo: "Copy 1 of 2"', f'memo: "{"x" * 201}"', "E109"),
    "a 401-character blurb": ('blurb: "A guest', f'blurb: "{"x" * 401}', "E109"),
    "year not a number": ("  memo:", "  year: soon\n  memo:", "E101"),
    "year 0": ("  memo:", "  year: 0\n  memo:", "E106"),
    "narrator unknown": ("  memo:", "  narrator: chorus\n  memo:", "E513"),
    "narrator a person": ("  memo:", "  narrator: host\n  memo:", "E513"),
    "side not a role": ("- side: guest", "- side: waiter", "E513"),
    "side twice": ("- side: guest\n        rows:\n          - [guest]", "- side: host\n        rows:\n          - [{name: x}]",
                   "E513"),
    "side without rows": ("        rows:\n          - [guest]\n", "", "E103"),
    "rows not a list": ("          - [guest]\n", "          - guest\n", "E101"),
    "an empty row": ("          - [guest]\n", "          - []\n", "E101"),
    "nine seats in a row": ("- [guest]", "- [guest" + ", {name: x}" * 8 + "]", "E106"),
    "seven rows": ("          - [guest]\n", "          - [guest]\n" + "          - [{name: x}]\n" * 6, "E106"),
    "seat of no speaker": ("- [guest]", "- [guest, stalin]", "E513"),
    "seat for the record's voice": ("- [guest]", "- [guest, record]", "E513"),
    "seat for the narrator": ("- [guest]", "- [guest, {speaker: narrator}]", "E513"),
    "seat on the other side": ("- [guest]", "- [guest, host]", "E513"),
    "seated twice": ("- [guest]", "- [guest, {speaker: guest, name: Again}]", "E513"),
    "seat with neither": ("- [guest]", "- [guest, {leader: true}]", "E103"),
    "seat a number": ("- [guest]", "- [guest, 7]", "E101"),
    "seat not an id": ("- [guest]", "- [guest, 'The Guest']", "E104"),
    "seat leader not a boolean": ('{name: "A cook"}', '{name: "A cook", leader: often}', "E101"),
    "unknown seat key": ('{name: "A cook"}', '{name: "A cook", chair: 3}', "E102"),
    "flag missing": ("flag: flag_tea.png", "flag: flag_coffee.png", "E514"),
    "flag in a folder of the game's art": ("flag: flag_tea.png", "flag: out/flag_ussr.png", "E514"),
    "flag out of the folder": ("flag: flag_tea.png", "flag: ../../../outside.png", "E012"),
    "flag an absolute path": ("flag: flag_tea.png", "flag: /etc/hostname", "E012"),
    "kiosk not a map": ('  kiosk:\n    tagline: "Sit down to tea with the host"', "  kiosk: [short]", "E101"),
    "kiosk path unknown": ("    tagline:", "    path: short\n    tagline:", "E513"),
    "kiosk role unknown": ("    tagline:", "    roles: [guest, waiter]\n    tagline:", "E513"),
    "kiosk role twice": ("    tagline:", "    roles: [guest, both, guest]\n    tagline:", "E106"),
    "kiosk roles empty": ("    tagline:", "    roles: []\n    tagline:", "E106"),
    "map not a map": ("  kiosk:\n", "  map: yes\n  kiosk:\n", "E101"),
    "map without its description": ("  kiosk:\n", '  map:\n    image: flag_tea.png\n    title: "T"\n  kiosk:\n', "E103"),
    "map picture missing": ("  kiosk:\n", '  map:\n    image: tea_map.png\n    title: "T"\n    description: "D"\n'
                                           "  kiosk:\n", "E514"),
    "unknown map key": ("  kiosk:\n", '  map:\n    image: flag_tea.png\n    title: "T"\n    description: "D"\n'
                                       "    legend: x\n  kiosk:\n", "E102"),
    "empty witnesses note": ("  memo:", '  witnesses_note: ""\n  memo:', "E106"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_presentation_block_is_refused_with_its_code(mini: Path, case: str):
    old, new, code = BROKEN[case]
    edit(mini, MANIFEST, old, new)
    found = validate_folder(mini).sorted()
    assert code in [d.code for d in found], "\n".join(map(str, found))
    assert all(d.origin.line >= 1 for d in found)
    with pytest.raises(Exception, match=code):
        load_scenario(mini)


@pytest.mark.parametrize("picture", [b"GIF89a" + bytes(40), claiming(4097, 10), claiming(10, 0), b""])
def test_a_picture_that_is_not_a_sane_png_is_refused(mini: Path, picture: bytes):
    (mini / "scenarios/mini/flag_tea.png").write_bytes(picture)
    assert "E016" in codes(mini)


def test_a_flag_that_is_a_pipe_or_a_folder_is_refused_without_hanging(mini: Path):
    path = mini / "scenarios/mini/flag_tea.png"
    path.unlink()
    os.mkfifo(path)
    assert "E011" in codes(mini)
    path.unlink()
    path.mkdir()
    assert "E001" in codes(mini)
