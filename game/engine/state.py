"""Where a session stands: position, variables and what has been said and chosen.

Plain data, so it serialises to versioned JSON and a rollback snapshot is cheap (the histories
only ever grow, so a snapshot keeps their lengths, not copies). Positions are stored as ids, never
indexes, so a save survives edits to the content around it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

Value = int | bool | str


@dataclass(frozen=True)
class Spoken:
    """One entry of the session's minutes: a line or a chosen option, as it was said."""

    id: str
    speaker: str
    text: str
    provenance: str
    refs: tuple[int, ...] = ()
    choice: str = ""
    by: str = ""


@dataclass(frozen=True)
class Chosen:
    """One decision at a choice point: who decided, what, and what the record shows."""

    choice: str
    option: str
    by: str
    historical: str          # "" at an off-record moment: the record has nothing to follow
    auto: bool = False

    @property
    def off_record(self) -> bool:
        return not self.historical

    @property
    def followed(self) -> bool:
        return bool(self.historical) and self.option == self.historical


@dataclass
class Snapshot:
    node: str
    variables: dict[str, Value]
    visited: int
    chosen: int
    spoken: int


@dataclass
class StoryState:
    scenario: str
    role: str
    path: str
    node: str
    next_line: str | None = None
    entered: bool = False
    pending: str | None = None
    ending: str | None = None
    variables: dict[str, Value] = field(default_factory=dict)
    visited: list[str] = field(default_factory=list)
    chosen: list[Chosen] = field(default_factory=list)
    spoken: list[Spoken] = field(default_factory=list)
    snapshots: list[Snapshot] = field(default_factory=list)

    def to_json(self) -> dict:
        data = asdict(self)
        data["spoken"] = [dict(asdict(s), refs=list(s.refs)) for s in self.spoken]
        return data
