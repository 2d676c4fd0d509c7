"""Every format number the game writes, and the one rule for which versions each one reads.

As Ink's `kMinCompatibleLoadVersion`: a format writes only its `current` version and reads every
version from `oldest` to `current`. A change older code cannot read raises `current`; a change
this code still reads old files through (an upgrade on write, a default for a missing key) keeps
`oldest`; `oldest` rises only when reading an old version is given up, and then the file is
refused with a message that says which way it is out of date, never misread.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    what: str          # what the number counts, as a message names it
    current: int       # the version this code writes
    oldest: int        # the oldest version this code still reads

    def reads(self, version: object) -> bool:
        return isinstance(version, int) and not isinstance(version, bool) and self.oldest <= version <= self.current

    def refusal(self, version: object) -> str:
        """Why a version is not read, for the person who has the file."""
        if isinstance(version, int) and not isinstance(version, bool) and version > self.current:
            return (f"{self.what} is format {version}, newer than this game reads (format {self.current}): "
                    "update the game")
        readable = f"format {self.current}" if self.oldest == self.current else f"formats {self.oldest}–{self.current}"
        return f"{self.what} is format {version!r}, which this game no longer reads (it reads {readable})"


CONTENT = Format("the scenario", 1, 1)                     # scenario.yaml `format:`
WITNESSES = Format("the witnesses file", 1, 1)             # witnesses.yaml `format:`
SAVE = Format("the saved game", 1, 1)                      # the autosave's choice log, its header `version`
CACHE = Format("the content cache entry", 4, 4)            # never upgraded: an old entry is rebuilt from the content
RESULTS = Format("the results file", 2, 1)                 # results.sqlite `PRAGMA user_version`; 1 is upgraded on write
ALL = (CONTENT, WITNESSES, SAVE, CACHE, RESULTS)
