"""The loaded content as immutable objects: what a scenario is made of once it has been checked.

Nothing here reads files or knows about a screen; the loader builds these, the runner walks them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .diagnostics import Origin
from .expressions import Condition, Effect, VarType

PROVENANCES = ("record", "adapted", "invented")
# Who speaks a line: a person in the room, the memorandum's own narrating voice ("record"), or
# the game's narrator ("narrator"), which summarises and invents but never speaks record text.
VOICES = ("person", "record", "narrator")


@dataclass(frozen=True)
class Speaker:
    id: str
    name: str
    side: str
    full_name: str = ""
    title: str = ""
    voice: str = "person"

    @property
    def is_person(self) -> bool:
        return self.voice == "person"


@dataclass(frozen=True)
class Objective:
    id: str
    text: str
    met: Condition
    why: str = ""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Role:
    id: str
    title: str
    speaker: str
    intro: str
    objectives: tuple[Objective, ...]
    questions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Variable:
    id: str
    type: VarType
    default: int | bool | str
    minimum: int | None = None
    maximum: int | None = None
    description: str = ""

    def clamp(self, value: int | bool | str) -> int | bool | str:
        if self.type.kind == "int" and isinstance(value, int) and not isinstance(value, bool):
            if self.minimum is not None:
                value = max(self.minimum, value)
            if self.maximum is not None:
                value = min(self.maximum, value)
        return value


@dataclass(frozen=True)
class StoryPath:
    id: str
    title: str
    start: str
    description: str = ""
    origin: Origin = Origin("?")


@dataclass(frozen=True)
class Implied:
    """An ending's word on one objective: met (or not met) whenever the ending is reached, so the
    debrief never shows an outcome that contradicts the score beside it. `validate` proves it."""

    objective: str
    met: bool
    origin: Origin = Origin("?")


@dataclass(frozen=True)
class Ending:
    id: str
    title: str
    when: Condition | None
    historical: bool
    summary: str
    epilogue: str
    sources: tuple[str, ...] = ()
    objectives: tuple[Implied, ...] = ()
    origin: Origin = Origin("?")


@dataclass(frozen=True)
class HistoryItem:
    date: str
    text: str
    sources: tuple[str, ...] = ()
    uncertain: str = ""


@dataclass(frozen=True)
class GlossaryEntry:
    id: str
    term: str
    text: str
    aliases: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    uncertain: str = ""
    origin: Origin = Origin("?")

    @property
    def names(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)


@dataclass(frozen=True)
class Line:
    """Something said: by a speaker, with its provenance and the paragraphs it comes from."""

    id: str
    speaker: str
    text: str
    provenance: str
    refs: tuple[int, ...] = ()
    condition: Condition | None = None
    effects: tuple[Effect, ...] = ()
    origin: Origin = Origin("?")


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    label: str
    speaker: str
    provenance: str
    refs: tuple[int, ...]
    historical: bool
    goto: str
    condition: Condition | None = None
    effects: tuple[Effect, ...] = ()
    origin: Origin = Origin("?")
    default: bool = False   # off-record moments only: what the game says when nobody plays this side

    def as_line(self) -> Line:
        """The option once chosen: an ordinary spoken line."""
        return Line(self.id, self.speaker, self.text, self.provenance, self.refs, None, (), self.origin)


@dataclass(frozen=True)
class ChoicePoint:
    id: str
    by: str
    moment: str
    note: str
    options: tuple[Option, ...]
    prompt: str = ""
    sources: tuple[str, ...] = ()
    origin: Origin = Origin("?")
    off_record: bool = False   # a moment the record does not have (reached only after leaving it)

    @property
    def historical(self) -> Option | None:
        """What the record shows at this moment; None at an off-record moment."""
        return next((o for o in self.options if o.historical), None)

    @property
    def fallback(self) -> Option:
        """The option taken when nobody plays this side: the record's, or off the record the default."""
        return next(o for o in self.options if o.historical or (self.off_record and o.default))

    def answer_from(self, offered: tuple[Option, ...]) -> Option:
        """What the record answers among the options offered now: the fallback when its condition
        lets it be offered (or when nothing is), else the first offered. The one rule for the side
        nobody plays, the replay, a seat handed to the record and the record policy."""
        answer = self.fallback
        return answer if answer in offered or not offered else offered[0]


@dataclass(frozen=True)
class BranchArm:
    condition: Condition | None
    goto: str
    origin: Origin = Origin("?")


@dataclass(frozen=True)
class Node:
    """A stretch of conversation: lines in order, then one exit (goto, choice, branch or end)."""

    id: str
    lines: tuple[Line, ...]
    title: str = ""
    effects: tuple[Effect, ...] = ()
    goto: str | None = None
    choice: ChoicePoint | None = None
    branch: tuple[BranchArm, ...] = ()
    end: str | None = None
    origin: Origin = Origin("?")

    def successors(self) -> list[str]:
        if self.goto:
            return [self.goto]
        if self.choice:
            return [o.goto for o in self.choice.options]
        return [arm.goto for arm in self.branch]


@dataclass(frozen=True)
class Paragraph:
    number: int
    text: str
    origin: Origin = Origin("?")

    @property
    def label(self) -> str:
        return f"¶{self.number}"


@dataclass(frozen=True)
class Citation:
    """One work cited outside the record (a FRUS document, a magazine, an article), by a stable id.

    `cite` is the full reference shown to players (author or publisher, title, date, volume or
    document number); the Sources page lists them all."""

    id: str
    cite: str
    note: str = ""
    uncertain: str = ""
    origin: Origin = Origin("?")


WITNESS_KINDS = ("us-record", "translation", "press", "soviet-record", "memoir")


@dataclass(frozen=True)
class Witness:
    """What another witness wrote about moments of the record (a US telegram, the second
    translation, a magazine), in the game's own words, set beside the ¶s it bears on: the
    corroboration a history class practises. `sources` are ids of sources.yaml (or ¶s)."""

    id: str
    title: str
    witness: str
    date: str
    kind: str
    refs: tuple[int, ...]
    text: str
    sources: tuple[str, ...]
    uncertain: str = ""
    origin: Origin = Origin("?")


@dataclass(frozen=True)
class Source:
    received: str
    clean: str
    citation: str
    note: str
    paragraphs: dict[int, Paragraph] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Image:
    """A picture the content names (a flag, an emblem, a stamp), checked to be a PNG of a sane size.

    `source` says where it was found: "scenario" (a file inside the scenario's folder, `name`
    relative to it) or "game" (one of the game's own pictures in art/out, `name` a file name)."""

    name: str
    source: str
    width: int
    height: int


@dataclass(frozen=True)
class Seat:
    """One card of the seating plan: a speaker (lit when they speak), or someone who only attended."""

    name: str
    speaker: str = ""
    leader: bool = False


@dataclass(frozen=True)
class SeatingSide:
    """One delegation on the seating plan: its rows from the far side of the table to the near."""

    side: str
    label: str
    rows: tuple[tuple[Seat, ...], ...]
    flag: Image | None = None


@dataclass(frozen=True)
class PlacesMap:
    """A map of the places the talks name, shown from the glossary and the source reader: an
    argument about mountains and borders cannot be followed without one. Its words are the
    scenario's, since only it knows what the picture shows."""

    image: Image
    title: str          # the heading and the button's words ("Map: Iran and its neighbours, June 1956")
    description: str    # the picture in words, for readers who cannot see it (alt text)
    caption: str = ""   # where the outlines come from, how exact they are


@dataclass(frozen=True)
class Presentation:
    """What the screens show about this scenario beyond its title: the manifest's `presentation`
    block, with every default already filled in by the loader (docs/content-format.md), so a front
    end draws these fields and knows nothing of any one scenario. `kiosk_path` alone may stay ""
    (the shortest path, which only a playthrough can tell: presentation.kiosk_path)."""

    memo: str = ""
    short_subtitle: str = ""
    record_date: str = ""
    year: str = ""
    blurb: str = ""
    credit: str = ""
    room_note: str = ""
    emblem: Image | None = None
    stamp: Image | None = None
    narrator: str = ""
    seating: tuple[SeatingSide, ...] = ()
    seating_caption: str = ""
    kiosk_tagline: str = ""
    kiosk_path: str = ""
    kiosk_roles: tuple[str, ...] = ()
    map: PlacesMap | None = None
    witnesses_note: str = ""   # above what others wrote: whose the record is, who else saw


@dataclass(frozen=True)
class Scenario:
    """A whole scenario: manifest, source, glossary and the dialogue graph."""

    id: str
    title: str
    subtitle: str
    date: str
    date_note: str
    place: str
    source: Source
    speakers: dict[str, Speaker]
    roles: dict[str, Role]
    variables: dict[str, Variable]
    paths: dict[str, StoryPath]
    endings: tuple[Ending, ...]
    outcome: str
    outcome_sources: tuple[str, ...]
    history: tuple[HistoryItem, ...]
    source_note: str
    questions: tuple[str, ...]
    glossary: tuple[GlossaryEntry, ...]
    nodes: dict[str, Node]
    folder: str = ""
    citations: dict[str, Citation] = field(default_factory=dict)
    witnesses: tuple[Witness, ...] = ()
    presentation: Presentation = field(default_factory=Presentation)

    def witnesses_of(self, paragraph: int) -> tuple[Witness, ...]:
        """The other witnesses that bear on one ¶ of the record, in reading order."""
        return tuple(w for w in self.witnesses if paragraph in w.refs)

    def ending(self, ending_id: str) -> Ending:
        return next(e for e in self.endings if e.id == ending_id)

    @property
    def historical_ending(self) -> Ending:
        return next(e for e in self.endings if e.historical)

    def choices(self) -> dict[str, ChoicePoint]:
        """Every choice point by id (built once: the nodes of a loaded scenario never change)."""
        found = self.__dict__.get("_choices")
        if found is None:
            found = {n.choice.id: n.choice for n in self.nodes.values() if n.choice}
            object.__setattr__(self, "_choices", found)
        return found

    def options(self) -> dict[str, Option]:
        """Every option by id (built once, as `choices`)."""
        found = self.__dict__.get("_options")
        if found is None:
            found = {o.id: o for n in self.nodes.values() if n.choice for o in n.choice.options}
            object.__setattr__(self, "_options", found)
        return found

    def speaker_name(self, speaker_id: str) -> str:
        speaker = self.speakers.get(speaker_id)
        return speaker.name if speaker else speaker_id

    def is_person(self, speaker_id: str) -> bool:
        """False for the record's narrating voice and the game's narrator: their words are not
        a person's, so front ends never put their name before an option."""
        speaker = self.speakers.get(speaker_id)
        return speaker is None or speaker.is_person
