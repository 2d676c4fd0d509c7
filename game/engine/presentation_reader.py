"""Read and check the manifest's `presentation` block: what a screen shows about one scenario.

The record's mark ("No. 831 · 11 copies"), the title blurb, the seating plan with its flags, the
kiosk's tagline, length and chairs belong to the scenario, not to the code: a new scenario brings
its own, and one without the block gets neutral defaults (its title, subtitle and date; seats from
its speakers by side; no flags; the kiosk on its shortest path with all its roles). Every default
is filled in here, so front ends draw the fields and know nothing of any one scenario.

Images are content files like any other (only regular files inside the content folder, each size
checked before a byte is read, E0xx), found beside the manifest or else among the game's own
pictures (art/out). They must be PNGs of at most MAX_IMAGE_SIDE pixels each way, because the
window decodes them: a 40 KB PNG can claim 100,000 × 100,000 pixels.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .content_files import ContentRoot, read_bytes
from .diagnostics import Diagnostics, Origin
from .fields import Fields, type_name
from .ids import ID
from .limits import MAX_IMAGE_SIDE, MAX_SEAT_ROWS, MAX_SEATS_PER_ROW
from .model import Image, PlacesMap, Presentation, Role, Seat, SeatingSide, Speaker
from .presentation import SEATING_CAPTION, WITNESSES_NOTE, game_art, png_size, sane_size
from .roles import BOTH
from .yaml_reader import YList, YMap

KEYS = ("memo", "short_subtitle", "record_date", "year", "blurb", "credit", "room_note", "emblem", "stamp",
        "narrator", "seating", "kiosk", "map", "witnesses_note")
GAME_ART_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}\.png$")
YEAR = re.compile(r"(?<![0-9])([0-9]{4})(?![0-9])")


class PresentationReader:
    """Reads the `presentation` block of one manifest, once the speakers, roles and paths are known."""

    def __init__(self, folder: Path, root: ContentRoot, shown: Callable[[Path], str], diags: Diagnostics):
        self.folder = folder
        self.root = root
        self.shown = shown
        self.diags = diags
        self.speakers: dict[str, Speaker] = {}
        self.roles: dict[str, Role] = {}
        self.paths: list[str] = []

    def read(self, manifest: Fields, speakers: dict[str, Speaker], roles: dict[str, Role], paths: list[str],
             subtitle: str, date: str) -> Presentation:
        self.speakers, self.roles, self.paths = speakers, roles, paths
        value = manifest.data.get("presentation")
        p: Fields | None = None
        if isinstance(value, YMap):
            p = Fields(value, self.diags, "the presentation", (), KEYS)
        elif value is not None:
            self.diags.add(manifest.where("presentation"), "E101", "type", subject="'presentation'",
                           expected="a map (memo, blurb, seating, kiosk, …)", found=type_name(value))

        def text(key: str) -> str:
            return (p.text(key, "") or "") if p is not None and p.has(key) else ""

        seating, caption = self._seating(p)
        tagline, path, kiosk_roles = self._kiosk(p, subtitle)
        return Presentation(
            memo=text("memo"), short_subtitle=text("short_subtitle") or subtitle, record_date=text("record_date"),
            year=self._year(p, date), blurb=text("blurb"), credit=text("credit"), room_note=text("room_note"),
            emblem=self._image(p, "emblem"), stamp=self._image(p, "stamp"), narrator=self._narrator(p),
            seating=seating, seating_caption=caption, kiosk_tagline=tagline, kiosk_path=path, kiosk_roles=kiosk_roles,
            map=self._map(p), witnesses_note=text("witnesses_note") or WITNESSES_NOTE,
        )

    # --- single fields ------------------------------------------------------------------------

    def _year(self, p: Fields | None, date: str) -> str:
        """The year the talks are set in ("not said in 1956"): given, or the last year in the date."""
        if p is not None and p.has("year"):
            year = p.integer("year")
            if year is not None and not 1 <= year <= 9999:
                self.diags.add(p.where("year"), "E106", "range", key="year", low=1, high=9999, unit="", value=year)
            elif year is not None:
                return str(year)
        found = YEAR.findall(date)
        return found[-1] if found else ""

    def _narrator(self, p: Fields | None) -> str:
        """The speaker who is the game's own voice: given, or the first with `voice: narrator`."""
        if p is None or not p.has("narrator"):
            return next((s.id for s in self.speakers.values() if s.voice == "narrator"), "")
        ident = p.ident("narrator")
        speaker = self.speakers.get(ident or "")
        if ident is None:
            return ""
        if speaker is None:
            self.diags.add(p.where("narrator"), "E513", "not_speaker", what="narrator", ident=ident, why="")
        elif speaker.voice != "narrator":
            self.diags.add(p.where("narrator"), "E513", "narrator_voice", ident=ident, voice=speaker.voice)
        else:
            return ident
        return ""

    def _image(self, f: Fields | None, key: str) -> Image | None:
        """A picture named by `key`: a file inside the scenario's folder, else one of the game's own."""
        if f is None or not f.has(key):
            return None
        name = f.text(key)
        if name is None:
            return None
        where = f.where(key)
        path = self.folder / name
        if self.root.resolve(path) is None:
            self.diags.add(where, "E012", "outside", what=f"image '{name}'")
            return None
        if os.path.lexists(path):
            data, source = read_bytes(path, self.shown(path), self.diags, self.root), "scenario"
        else:
            self.root.note_absent(path)
            art = game_art()
            if not GAME_ART_NAME.match(name) or not os.path.lexists(art / name):
                self.diags.add(where, "E514", name=name, folder=self.shown(self.folder))
                return None
            data, source = read_bytes(art / name, f"art/out/{name}", self.diags, ContentRoot.of(art)), "game"
        if data is None:
            return None
        size = png_size(data)
        if size is None:
            self.diags.add(where, "E016", "kind", name=name)
            return None
        if not sane_size(size):
            self.diags.add(where, "E016", "size", name=name, width=size[0], height=size[1], limit=MAX_IMAGE_SIDE)
            return None
        return Image(name, source, *size)

    def _map(self, p: Fields | None) -> PlacesMap | None:
        """The map of the places, if the scenario has one: a picture and its words, all three
        needed (a map without its description shuts out readers who cannot see it)."""
        value = p.data.get("map") if p is not None else None
        if value is None:
            return None
        if not isinstance(value, YMap):
            self.diags.add(p.where("map"), "E101", "type", subject="'map'",
                           expected="a map (image, title, description, caption)", found=type_name(value))
            return None
        m = Fields(value, self.diags, "the map", ("image", "title", "description"), ("caption",))
        image = self._image(m, "image")
        title, description = m.text("title"), m.text("description")
        caption = (m.text("caption", "") or "") if m.has("caption") else ""
        if image is None or not title or not description:
            return None
        return PlacesMap(image, title, description, caption)

    # --- the seating plan ---------------------------------------------------------------------

    def _seating(self, p: Fields | None) -> tuple[tuple[SeatingSide, ...], str]:
        value = p.data.get("seating") if p is not None else None
        if value is None:
            return self._default_seating(), SEATING_CAPTION
        if not isinstance(value, YMap):
            self.diags.add(p.where("seating"), "E101", "type", subject="'seating'", expected="a map (sides, caption)",
                           found=type_name(value))
            return (), SEATING_CAPTION
        s = Fields(value, self.diags, "the seating plan", ("sides",), ("caption",))
        caption = (s.text("caption", "") or "") if s.has("caption") else SEATING_CAPTION
        sides: list[SeatingSide] = []
        listed: dict[str, Origin] = {}
        seated: dict[str, Origin] = {}
        rows = 0
        for item, origin in s.maps("sides"):
            d = Fields(item, self.diags, "a side of the seating plan", ("side", "rows"), ("label", "flag"))
            side = d.ident("side")
            if side is not None and side not in self.roles:
                self.diags.add(d.where("side"), "E513", "not_listed", what="side", ident=side, thing="role",
                               known=", ".join(self.roles) or "none")
                side = None
            elif side in listed:
                self.diags.add(d.where("side"), "E513", "side_twice", side=side, first=listed[side].line)
                side = None
            seats = self._rows(d, side, seated)
            rows += len(seats)
            flag = self._image(d, "flag")
            if side is not None:
                listed[side] = origin
                label = (d.text("label", "") or "") if d.has("label") else self.roles[side].title
                sides.append(SeatingSide(side, label, seats, flag))
        if rows > MAX_SEAT_ROWS:
            self.diags.add(s.where("sides"), "E106", "too_many", subject="the seating plan", count=rows,
                           things="rows of seats", limit=MAX_SEAT_ROWS, why=" fit beside the table")
        return tuple(sides), caption

    def _rows(self, d: Fields, side: str | None, seated: dict[str, Origin]) -> tuple[tuple[Seat, ...], ...]:
        value = d.data.get("rows")
        if value is None:
            return ()
        if not isinstance(value, YList) or not value:
            self.diags.add(d.where("rows"), "E101", "type", subject="'rows'", expected="a list of rows, each a list of seats",
                           found=type_name(value) if value != [] else "an empty list")
            return ()
        out = []
        for i, row in enumerate(value):
            where = value.where(i)
            if not isinstance(row, YList) or not row:
                self.diags.add(where, "E101", "type", subject="each row", expected="a list of seats (speaker ids or maps)",
                               found=type_name(row) if row != [] else "an empty list")
                continue
            if len(row) > MAX_SEATS_PER_ROW:
                self.diags.add(where, "E106", "too_many", subject="this row", count=len(row), things="seats",
                               limit=MAX_SEATS_PER_ROW, why=" fit (use another row)")
                continue
            seats = [self._seat(item, row.where(j), side, seated) for j, item in enumerate(row)]
            out.append(tuple(seat for seat in seats if seat is not None))
        return tuple(out)

    def _seat(self, item: Any, where: Origin, side: str | None, seated: dict[str, Origin]) -> Seat | None:
        """A speaker id, or a map: `speaker` (lit when they speak), `name` (the card), `leader`."""
        leaders = {r.speaker for r in self.roles.values()}
        if isinstance(item, str):
            if not ID.match(item):
                self.diags.add(where, "E104", "seat", value=item[:60])
                return None
            speaker, name, leader = item, None, item in leaders
        elif isinstance(item, YMap):
            f = Fields(item, self.diags, "a seat", (), ("speaker", "name", "leader"))
            speaker = f.ident("speaker") if f.has("speaker") else None
            name = f.text("name") if f.has("name") else None
            leader = f.boolean("leader", speaker in leaders)
            if speaker is None and name is None:
                if not f.has("speaker") and not f.has("name"):
                    self.diags.add(where, "E103", "seat")
                return None
        else:
            self.diags.add(where, "E101", "type", subject="a seat", expected="a speaker id or a map (speaker, name, leader)",
                           found=type_name(item))
            return None
        if speaker is not None and not self._seatable(speaker, where, side, seated):
            return None
        if name is None:
            name = self.speakers[speaker].name if speaker in self.speakers else speaker or ""
        return Seat(name, speaker or "", leader)

    def _seatable(self, speaker: str, where: Origin, side: str | None, seated: dict[str, Origin]) -> bool:
        """A person at the table, on this side, seated once."""
        found = self.speakers.get(speaker)
        if found is None:
            self.diags.add(where, "E513", "not_speaker", what="seat", ident=speaker,
                           why=" (someone who only attended has a 'name' and no 'speaker')")
        elif not found.is_person:
            self.diags.add(where, "E513", "voice", ident=speaker, voice=found.voice)
        elif side is not None and found.side != side:
            self.diags.add(where, "E513", "other_side", ident=speaker, side=found.side, seat_side=side)
        elif speaker in seated:
            self.diags.add(where, "E513", "seated", ident=speaker, first=seated[speaker].line)
        else:
            seated[speaker] = where
            return True
        return False

    def _default_seating(self) -> tuple[SeatingSide, ...]:
        """One side per role, in the manifest's order: its people, as many to a row as fit, the
        role's own speaker in bold; rows beyond what fits beside the table are left out."""
        sides, rows_left = [], MAX_SEAT_ROWS
        for role in self.roles.values():
            people = [s for s in self.speakers.values() if s.is_person and s.side == role.id]
            seats = [Seat(s.name, s.id, s.id == role.speaker) for s in people]
            rows = tuple(tuple(seats[i:i + MAX_SEATS_PER_ROW]) for i in range(0, len(seats), MAX_SEATS_PER_ROW))
            rows = rows[:rows_left]
            if rows:
                rows_left -= len(rows)
                sides.append(SeatingSide(role.id, role.title, rows))
        return tuple(sides)

    # --- the kiosk ----------------------------------------------------------------------------

    def _kiosk(self, p: Fields | None, subtitle: str) -> tuple[str, str, tuple[str, ...]]:
        """(tagline, path, roles) of the kiosk's attract loop; path "" means the shortest."""
        value = p.data.get("kiosk") if p is not None else None
        default = (subtitle, "", tuple(self.roles))
        if value is None:
            return default
        if not isinstance(value, YMap):
            self.diags.add(p.where("kiosk"), "E101", "type", subject="'kiosk'", expected="a map (tagline, path, roles)",
                           found=type_name(value))
            return default
        k = Fields(value, self.diags, "the kiosk presentation", (), ("tagline", "path", "roles"))
        tagline = (k.text("tagline", "") or "") if k.has("tagline") else subtitle
        path = (k.ident("path") or "") if k.has("path") else ""
        if path and path not in self.paths:
            self.diags.add(k.where("path"), "E513", "not_listed", what="kiosk path", ident=path, thing="path",
                           known=", ".join(self.paths) or "none")
            path = ""
        roles = self._kiosk_roles(k) if k.has("roles") else default[2]
        return tagline, path, roles

    def _kiosk_roles(self, k: Fields) -> tuple[str, ...]:
        roles = k.strings("roles")
        if not roles and isinstance(k.data.get("roles"), (str, YList)):
            self.diags.add(k.where("roles"), "E106", "none", key="roles", thing="role", why="")
        out: list[str] = []
        for role in roles:
            if role != BOTH and role not in self.roles:
                self.diags.add(k.where("roles"), "E513", "not_listed", what="kiosk role", ident=role[:60], thing="role",
                               known=", ".join([*self.roles, BOTH]))
            elif role in out:
                self.diags.add(k.where("roles"), "E106", "twice", key="roles", value=role)
            else:
                out.append(role)
        return tuple(out) or tuple(self.roles)
