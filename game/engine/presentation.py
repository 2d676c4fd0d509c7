"""What a screen shows about one scenario, for every front end: its images (read again under the
content rules), the kiosk's path, and the words that depend on the scenario's year or witnesses.

The manifest's `presentation` block is read and checked, every default filled in, by
presentation_reader.py; this module needs no YAML, so a game started from the cache never loads it.
"""

from __future__ import annotations

import struct
from pathlib import Path

from .content_files import ContentRoot, read_bytes
from .diagnostics import Diagnostics
from .limits import MAX_IMAGE_SIDE
from .model import Image, Scenario
from .roles import BOTH

SEATING_CAPTION = "Seating illustrative: not where anyone really sat."
WITNESSES_NOTE = ("The record is one account of the talks. Here other witnesses of the same moments are set beside "
                  "it, each in the game's own words, with a few words quoted at most. Compare them with the record: "
                  "where do they agree, and where not?")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def game_art() -> Path:
    """The game's own pictures (art/out, made by art/make_art.py), in a checkout or an install."""
    from ..paths import game_files

    return game_files() / "art" / "out"


def png_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG's header, or None for anything that is not a PNG."""
    if len(data) < 24 or not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def sane_size(size: tuple[int, int] | None) -> bool:
    """A PNG size the window may decode: at most MAX_IMAGE_SIDE pixels each way."""
    return size is not None and 0 < size[0] <= MAX_IMAGE_SIDE and 0 < size[1] <= MAX_IMAGE_SIDE


def image_bytes(scenario: Scenario, image: Image) -> bytes | None:
    """The bytes of a checked image, read again under the same rules (since the check it may have
    become a pipe, a link out of the folder or a far bigger picture); None if it is not usable."""
    if image.source == "game":
        root_folder, path = game_art(), game_art() / image.name
    else:
        folder = Path(scenario.folder)
        root_folder, path = folder.parent.parent, folder / image.name
    data = read_bytes(path, image.name, Diagnostics(), ContentRoot.of(root_folder))
    return data if data is not None and sane_size(png_size(data)) else None


def kiosk_path(scenario: Scenario) -> str:
    """The path a kiosk plays unless its config names one: the presentation's, else the one that
    reads quickest when played as the record has it (ties: the first in the manifest)."""
    if scenario.presentation.kiosk_path:
        return scenario.presentation.kiosk_path
    return min(scenario.paths, key=lambda path: reading_minutes(scenario, path, exact=True))


WITNESS_KIND_NAMES = {"us-record": "The US record", "translation": "Another translation", "press": "The press",
                      "soviet-record": "The Soviet record", "memoir": "A memoir"}   # model.WITNESS_KINDS, in words


def witness_kinds(scenario: Scenario) -> str:
    """The kinds of account "What others wrote" holds, in the order they come ("the US record,
    another translation, the press"): the scenario's witnesses, not a list the code keeps."""
    kinds = dict.fromkeys(w.kind for w in scenario.witnesses)
    names = [WITNESS_KIND_NAMES.get(kind, kind) for kind in kinds]
    return ", ".join(name[:1].lower() + name[1:] for name in names)


def not_said(scenario: Scenario) -> str:
    """What the mark of an invented line says after "Invented for the game:" (no full stop)."""
    year = scenario.presentation.year
    return f"this was not said in {year}" if year else "this was never said"


def what_happened(scenario: Scenario) -> str:
    """The heading over what really happened in the room ("What happened in 1956")."""
    year = scenario.presentation.year
    return f"What happened in {year}" if year else "What really happened"


def reading_minutes(scenario: Scenario, path: str, exact: bool = False) -> float:
    """Minutes of reading of a path played as the record has it (200 words a minute), rounded to
    a whole minute of at least 1 unless `exact`: the kiosk says "about 6 minutes"."""
    from .stats import path_stats

    minutes = path_stats(scenario, BOTH, path).minutes
    return minutes if exact else max(1, round(minutes))
