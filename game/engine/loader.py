"""Load a content folder (manifests, sources, glossary, dialogue) into `Scenario` objects.

The loader is forgiving in one sense only: it keeps reading after a problem, so an author sees
every diagnostic in one run. It never returns content that failed a check; `load_scenario`
raises `ContentError` instead, and `validate_content` returns the diagnostics.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .. import formats
from .content_files import ContentRoot
from .diagnostics import ContentError, Diagnostics, Origin
from .expressions import BOOL, INT, Condition, Effect, VarType, calls_in
from .fields import ID, VAR_ID, Fields, type_name
from .folders import dialogue_files, is_folder, near_files, scenario_folders
from .limits import MAX_ALIASES, MAX_GLOSSARY
from .model import (
    PROVENANCES,
    VOICES,
    WITNESS_KINDS,
    BranchArm,
    ChoicePoint,
    Citation,
    Ending,
    GlossaryEntry,
    HistoryItem,
    Implied,
    Line,
    Node,
    Objective,
    Option,
    Role,
    Scenario,
    Source,
    Speaker,
    StoryPath,
    Variable,
    Witness,
)
from .presentation import PresentationReader
from .roles import BOTH
from .safe_text import shorten
from .source_text import compare_with_received, parse_source_md
from .yaml_reader import YMap, load_yaml_file, read_text

FORMAT = formats.CONTENT.current
WITNESSES_FORMAT = formats.WITNESSES.current
MANIFEST = "scenario.yaml"
GLOSSARY = "glossary.yaml"
SOURCES = "sources.yaml"
WITNESSES = "witnesses.yaml"


@dataclass
class Pending:
    """Expressions to type-check once every variable, node and option is known."""

    conditions: list[tuple[Condition, Origin]] = field(default_factory=list)
    effects: list[tuple[Effect, Origin]] = field(default_factory=list)
    sources: list[tuple[str, Origin]] = field(default_factory=list)   # every `sources` item, to resolve


@dataclass
class Loaded:
    """A scenario as read, before the semantic checks, with what those checks need."""

    scenario: Scenario
    pending: Pending


class Shown:
    """Turns real paths into the paths printed in diagnostics (as the user named the folder)."""

    def __init__(self, root: Path, shown_root: str):
        self.root = root
        self.shown_root = shown_root

    def __call__(self, path: Path) -> str:
        rel = os.path.relpath(path, self.root)
        return rel if self.shown_root in ("", ".") else os.path.join(self.shown_root, rel)


def shown_root_for(content: Path) -> str:
    """How to print the content folder: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(content)
    except ValueError:
        return str(content)
    return str(content) if rel.startswith("..") else rel


def find_scenarios(root: ContentRoot, shown: Shown, diags: Diagnostics) -> list[Path]:
    """The scenario folders (those holding a manifest), sorted; junk and unreadable folders reported."""
    top = root.given / "scenarios"
    if root.resolve(top) is None:
        diags.add(Origin(shown(top)), "E012", "the scenarios folder is a link out of the content folder; "
                                              "only files inside the folder are read")
        return []
    return scenario_folders(root, shown, diags, MANIFEST)


def listing(content: Path) -> list[str]:
    """The files the loader would consider, without reading any of them: the manifests, the glossary
    and sources files present, and the dialogue files. With the bytes of every file read, this is
    what makes a cached scenario the same as a fresh load (cache.py)."""
    diags = Diagnostics()
    root = ContentRoot.of(content)
    shown = Shown(content, "")
    out = []
    for folder in find_scenarios(root, shown, diags):
        out += [root.relative(folder / name) for name in (MANIFEST, GLOSSARY, SOURCES, WITNESSES)
                if os.path.lexists(folder / name)]
        dialogue = content / "dialogue" / folder.name
        if root.resolve(dialogue) is not None and is_folder(dialogue, root):
            out += [root.relative(p) for p in dialogue_files(root, dialogue, shown, diags)]
    return out


def read_scenario(folder: Path, root: ContentRoot, shown: Shown, diags: Diagnostics) -> Loaded | None:
    manifest_path = folder / MANIFEST
    data = load_yaml_file(manifest_path, shown(manifest_path), diags, root)
    if data is None:
        return None
    origin = Origin(shown(manifest_path))
    if not isinstance(data, YMap):
        diags.add(origin, "E101", "the manifest must be a map of keys (format, id, title, …)")
        return None
    near_files(folder, (GLOSSARY, SOURCES, WITNESSES), shown, diags)
    reader = _ManifestReader(data, folder, root, shown, diags)
    return reader.read()


class _ManifestReader:
    def __init__(self, data: YMap, folder: Path, root: ContentRoot, shown: Shown, diags: Diagnostics):
        self.data = data
        self.folder = folder
        self.root = root
        self.content = root.given
        self.shown = shown
        self.diags = diags
        self.pending = Pending()

    def _unique(self, seen: dict[str, Origin], ident: str | None, origin: Origin, kind: str) -> bool:
        if ident is None:
            return False
        if ident in seen:
            self.diags.add(origin, "E105", f"{kind} id '{ident}' is used twice (first at line {seen[ident].line})")
            return False
        seen[ident] = origin
        return True

    def read(self) -> Loaded | None:
        f = Fields(
            self.data, self.diags, "the scenario manifest",
            ("format", "id", "title", "date", "place", "source", "speakers", "roles", "paths",
             "endings", "outcome"),
            ("subtitle", "date_note", "variables", "history", "debrief", "presentation"),
        )
        version = f.integer("format")
        if version is not None and not formats.CONTENT.reads(version):
            self.diags.add(f.where("format"), "E510", f"format {version} is not supported (this engine reads format {FORMAT})")
            return None
        scenario_id = f.ident("id")
        if scenario_id and scenario_id != self.folder.name:
            self.diags.add(f.where("id"), "E507", f"id '{scenario_id}' differs from its folder name '{self.folder.name}'")
        scenario_id = scenario_id or self.folder.name
        source = self._source(f)
        speakers = self._speakers(f)
        variables = self._variables(f)
        roles = self._roles(f, speakers)
        paths = self._paths(f)
        endings = self._endings(f)
        outcome_text, outcome_sources = self._outcome(f)
        history = self._history(f)
        source_note, questions = self._debrief(f)
        glossary = self._glossary()
        citations = self._citations()
        witnesses = self._witnesses()
        subtitle, date = f.text("subtitle", "") or "", f.text("date") or ""
        presentation = PresentationReader(self.folder, self.root, self.shown, self.diags).read(
            f, speakers, roles, list(paths), subtitle, date)
        nodes = self._dialogue(scenario_id, speakers, roles)
        scenario = Scenario(
            id=scenario_id, title=f.text("title") or scenario_id, subtitle=subtitle,
            date=date, date_note=f.text("date_note", "") or "",
            place=f.text("place") or "", source=source, speakers=speakers, roles=roles,
            variables=variables, paths=paths, endings=tuple(endings), outcome=outcome_text,
            outcome_sources=outcome_sources, history=tuple(history), source_note=source_note,
            questions=questions, glossary=tuple(glossary), nodes=nodes, folder=os.path.abspath(self.folder),
            citations=citations, witnesses=tuple(witnesses), presentation=presentation,
        )
        return Loaded(scenario, self.pending)

    # --- manifest parts ---------------------------------------------------------------------

    def _source(self, f: Fields) -> Source:
        empty = Source("", "", "", "")
        if not isinstance(self.data.get("source"), YMap):
            if f.has("source"):
                self.diags.add(f.where("source"), "E101", "'source' must be a map (received, clean, citation)")
            return empty
        s = Fields(self.data["source"], self.diags, "source", ("received", "clean", "citation"), ("note",))
        received_name, clean_name = s.text("received"), s.text("clean")
        received_text = None
        paragraphs = {}
        if received_name:
            path = self.folder / received_name
            if not os.path.lexists(path) and self.root.resolve(path) is not None:   # outside: E012, found or not
                self.diags.add(s.where("received"), "E502", f"the received source '{received_name}' is not in {self.shown(self.folder)}")
            else:
                received_text = read_text(path, self.shown(path), self.diags, self.root)
        if clean_name:
            path = self.folder / clean_name
            if not os.path.lexists(path) and self.root.resolve(path) is not None:   # outside: E012, found or not
                self.diags.add(s.where("clean"), "E502", f"the clean source '{clean_name}' is not in {self.shown(self.folder)}")
            else:
                text = read_text(path, self.shown(path), self.diags, self.root)
                if text is not None:
                    paragraphs = parse_source_md(text, self.shown(path), self.diags)
        if paragraphs and received_text is not None:
            diff = compare_with_received(paragraphs, received_text)
            if diff:
                number, what = diff
                self.diags.add(paragraphs[number].origin, "E503",
                               f"¶{number} is not word for word the received source: {what}")
        source = Source(received_name or "", clean_name or "", s.text("citation") or "",
                        s.text("note", "") or "", paragraphs)
        return source

    def _speakers(self, f: Fields) -> dict[str, Speaker]:
        out: dict[str, Speaker] = {}
        seen: dict[str, Origin] = {}
        for item, origin in f.maps("speakers"):
            s = Fields(item, self.diags, "a speaker", ("id", "name", "side"), ("full_name", "title", "voice"))
            ident = s.ident("id")
            voice = s.text("voice", "person") or "person"
            if voice not in VOICES:
                self.diags.add(s.where("voice"), "E106", f"voice '{voice}' is not person, record or narrator")
                voice = "person"
            if voice != "person" and (s.text("side") or "none") != "none":
                self.diags.add(s.where("side"), "E106", f"speaker '{ident}' has voice {voice}, so its side must be 'none'")
            if self._unique(seen, ident, origin, "speaker"):
                out[ident] = Speaker(ident, s.text("name") or ident, s.text("side") or "none",
                                     s.text("full_name", "") or "", s.text("title", "") or "", voice)
        return out

    def _variables(self, f: Fields) -> dict[str, Variable]:
        out: dict[str, Variable] = {}
        seen: dict[str, Origin] = {}
        for item, origin in f.maps("variables"):
            v = Fields(item, self.diags, "a variable", ("id", "type", "default"),
                       ("min", "max", "values", "description"))
            ident = v.ident("id", VAR_ID)
            kind = v.text("type")
            if not self._unique(seen, ident, origin, "variable") or kind is None:
                continue
            default = item.get("default")
            where = v.where("default")
            if kind == "bool":
                if not isinstance(default, bool):
                    self.diags.add(where, "E305", f"variable '{ident}' is bool; its default must be true or false")
                    continue
                out[ident] = Variable(ident, BOOL, default, description=v.text("description", "") or "")
            elif kind == "int":
                lo, hi = v.integer("min"), v.integer("max")
                if lo is None or hi is None or lo > hi:
                    self.diags.add(origin, "E305", f"int variable '{ident}' needs 'min' and 'max' with min <= max")
                    continue
                if not isinstance(default, int) or isinstance(default, bool) or not lo <= default <= hi:
                    self.diags.add(where, "E305", f"default of '{ident}' must be a whole number from {lo} to {hi}")
                    continue
                out[ident] = Variable(ident, INT, default, lo, hi, v.text("description", "") or "")
            elif kind == "enum":
                values = v.strings("values")
                bad = [x for x in values if not ID.match(x)]
                if not values or bad or len(set(values)) != len(values):
                    self.diags.add(v.where("values"), "E305", f"enum '{ident}' needs 'values': a list of different ids")
                    continue
                if default not in values:
                    self.diags.add(where, "E305", f"default of '{ident}' must be one of {', '.join(values)}")
                    continue
                out[ident] = Variable(ident, VarType("enum", values), default,
                                      description=v.text("description", "") or "")
            else:
                self.diags.add(v.where("type"), "E305", f"type '{kind}' of '{ident}' is not bool, int or enum")
        return out

    def _roles(self, f: Fields, speakers: dict[str, Speaker]) -> dict[str, Role]:
        out: dict[str, Role] = {}
        seen: dict[str, Origin] = {}
        objective_ids: dict[str, Origin] = {}
        for item, origin in f.maps("roles"):
            r = Fields(item, self.diags, "a role", ("id", "title", "speaker", "intro", "objectives"), ("questions",))
            ident = r.ident("id")
            if ident == BOTH:
                self.diags.add(r.where("id"), "E104", "'both' is reserved for two players; choose another role id")
                continue
            speaker = r.ident("speaker")
            if speaker and speaker not in speakers:
                self.diags.add(r.where("speaker"), "E202", f"unknown speaker '{speaker}'")
            objectives = []
            for obj, o_origin in r.maps("objectives"):
                o = Fields(obj, self.diags, "an objective", ("id", "text", "met"), ("why", "sources"))
                o_id = o.ident("id")
                met, met_origin = o.condition("met")
                if self._unique(objective_ids, o_id, o_origin, "objective") and met:
                    self.pending.conditions.append((met, met_origin))
                    objectives.append(Objective(o_id, o.text("text") or o_id, met, o.text("why", "") or "", o.cited("sources", self.pending.sources)))
            if self._unique(seen, ident, origin, "role"):
                out[ident] = Role(ident, r.text("title") or ident, speaker or "", r.text("intro") or "",
                                  tuple(objectives), r.strings("questions"))
        for speaker in speakers.values():
            if speaker.side != "none" and speaker.side not in out:
                self.diags.add(Origin(f.where("speakers").path, f.where("speakers").line, 1), "E206",
                               f"speaker '{speaker.id}' sits on side '{speaker.side}', which is not a role (or 'none')")
        return out

    def _paths(self, f: Fields) -> dict[str, StoryPath]:
        out: dict[str, StoryPath] = {}
        seen: dict[str, Origin] = {}
        for item, origin in f.maps("paths"):
            p = Fields(item, self.diags, "a path", ("id", "title", "start"), ("description",))
            ident = p.ident("id")
            start = p.ident("start")
            if self._unique(seen, ident, origin, "path") and start:
                out[ident] = StoryPath(ident, p.text("title") or ident, start, p.text("description", "") or "", p.where("start"))
        if f.has("paths") and "full" not in out:
            self.diags.add(f.where("paths"), "E505", "there must be a path with id 'full'")
        return out

    def _endings(self, f: Fields) -> list[Ending]:
        out: list[Ending] = []
        seen: dict[str, Origin] = {}
        items = f.maps("endings")
        for i, (item, origin) in enumerate(items):
            e = Fields(item, self.diags, "an ending", ("id", "title", "summary", "epilogue"),
                       ("when", "historical", "sources", "objectives"))
            ident = e.ident("id")
            when, when_origin = e.condition("when")
            last = i == len(items) - 1
            if last and e.has("when"):
                self.diags.add(e.where("when"), "E504", "the last ending is the fallback and must have no 'when'")
            if not last and not e.has("when"):
                self.diags.add(origin, "E504", f"ending '{ident}' has no 'when'; only the last ending may lack one")
            if when and any(name == "ends" for name, _arg in calls_in(when.expr)):
                self.diags.add(when_origin, "E304", f"ending '{ident}': ends() cannot be used in an ending's own "
                                                    "'when' (it asks which ending the conditions give)")
            elif when:
                self.pending.conditions.append((when, when_origin))
            if self._unique(seen, ident, origin, "ending"):
                out.append(Ending(ident, e.text("title") or ident, when, e.boolean("historical"),
                                  e.text("summary") or "", e.text("epilogue") or "", e.cited("sources", self.pending.sources),
                                  self._implied(e), origin))
        if items and sum(1 for e in out if e.historical) != 1:
            self.diags.add(f.where("endings"), "E504", "exactly one ending must be 'historical: true'")
        return out

    def _implied(self, e: Fields) -> tuple[Implied, ...]:
        """An ending's `objectives`: {objective id: met | not met}; the ids are resolved by the validator."""
        value = e.data.get("objectives")
        if value is None:
            return ()
        if not isinstance(value, YMap):
            self.diags.add(e.where("objectives"), "E101", "'objectives' in an ending must be a map of objective ids "
                                                          f"to 'met' or 'not met', not {type_name(value)}")
            return ()
        out = []
        for key, said in value.items():
            if said not in ("met", "not met"):
                shown = f"'{shorten(said, 30)}'" if isinstance(said, str) else type_name(said)
                self.diags.add(value.where(key), "E106", f"objective '{shorten(str(key), 40)}' must be 'met' or "
                                                         f"'not met', not {shown}")
                continue
            out.append(Implied(str(key), said == "met", value.key_mark(key)))
        return tuple(out)

    def _outcome(self, f: Fields) -> tuple[str, tuple[str, ...]]:
        value = self.data.get("outcome")
        if not isinstance(value, YMap):
            if f.has("outcome"):
                self.diags.add(f.where("outcome"), "E101", "'outcome' must be a map with 'text' and 'sources'")
            return "", ()
        o = Fields(value, self.diags, "the outcome", ("text",), ("sources",))
        return o.text("text", multiline=True) or "", o.cited("sources", self.pending.sources)

    def _history(self, f: Fields) -> list[HistoryItem]:
        out = []
        for item, _origin in f.maps("history"):
            h = Fields(item, self.diags, "a history item", ("date", "text", "sources"), ("uncertain",))
            out.append(HistoryItem(h.text("date") or "", h.text("text", multiline=True) or "",
                                   h.cited("sources", self.pending.sources), h.uncertain()))
        return out

    def _debrief(self, f: Fields) -> tuple[str, tuple[str, ...]]:
        value = self.data.get("debrief")
        if value is None:
            return "", ()
        if not isinstance(value, YMap):
            self.diags.add(f.where("debrief"), "E101", "'debrief' must be a map (source_note, questions)")
            return "", ()
        d = Fields(value, self.diags, "the debrief", (), ("source_note", "questions"))
        return d.text("source_note", "") or "", d.strings("questions")

    def _side_file(self, name: str, not_a_map: str) -> YMap | None:
        """An optional file beside the manifest (glossary, sources, witnesses), read as a map: None
        when it is absent, unreadable (already reported) or not a map (E101 with `not_a_map`)."""
        path = self.folder / name
        if not os.path.lexists(path):
            return None
        shown = self.shown(path)
        data = load_yaml_file(path, shown, self.diags, self.root)
        if data is not None and not isinstance(data, YMap):
            self.diags.add(Origin(shown), "E101", not_a_map)
            return None
        return data

    def _glossary(self) -> list[GlossaryEntry]:
        data = self._side_file(GLOSSARY, "the glossary must be a map with one key, 'entries'")
        if data is None:
            return []
        g = Fields(data, self.diags, "the glossary", ("entries",))
        out = []
        seen: dict[str, Origin] = {}
        items = g.maps("entries")
        if len(items) > MAX_GLOSSARY:
            self.diags.add(g.where("entries"), "E106", f"the glossary holds {len(items):,} entries; at most "
                                                       f"{MAX_GLOSSARY:,} (it is matched against every line)")
            return []
        for item, origin in items:
            e = Fields(item, self.diags, "a glossary entry", ("id", "term", "text", "sources"), ("aliases", "uncertain"))
            ident = e.ident("id")
            note = e.uncertain()
            aliases = e.strings("aliases")
            if len(aliases) > MAX_ALIASES:
                self.diags.add(e.where("aliases"), "E106", f"'{ident}' has {len(aliases)} aliases; at most {MAX_ALIASES}")
                aliases = aliases[:MAX_ALIASES]
            if self._unique(seen, ident, origin, "glossary entry"):
                out.append(GlossaryEntry(ident, e.text("term") or ident, e.text("text", multiline=True) or "",
                                         aliases, e.cited("sources", self.pending.sources), note, origin))
        return out

    def _citations(self) -> dict[str, Citation]:
        """sources.yaml: the works cited outside the record, each with a full citation."""
        data = self._side_file(SOURCES, "sources.yaml must be a map with one key, 'sources'")
        if data is None:
            return {}
        g = Fields(data, self.diags, "the sources file", ("sources",))
        out: dict[str, Citation] = {}
        seen: dict[str, Origin] = {}
        for item, origin in g.maps("sources"):
            c = Fields(item, self.diags, "a source", ("id", "cite"), ("note", "uncertain"))
            ident = c.ident("id")
            note = c.uncertain()
            if self._unique(seen, ident, origin, "source"):
                out[ident] = Citation(ident, c.text("cite") or ident, c.text("note", "") or "", note.strip(), origin)
        return out

    def _witnesses(self) -> list[Witness]:
        """witnesses.yaml: what others wrote about moments of the record (optional)."""
        data = self._side_file(WITNESSES, "witnesses.yaml must be a map with the keys 'format' and 'witnesses'")
        if data is None:
            return []
        g = Fields(data, self.diags, "the witnesses file", ("format", "witnesses"))
        version = g.integer("format")
        if version is not None and not formats.WITNESSES.reads(version):
            self.diags.add(g.where("format"), "E510", f"witnesses format {version} is not supported (this engine "
                                                      f"reads format {WITNESSES_FORMAT})")
            return []
        out: list[Witness] = []
        seen: dict[str, Origin] = {}
        for item, origin in g.maps("witnesses"):
            w = Fields(item, self.diags, "a witness", ("id", "title", "witness", "date", "kind", "refs", "text",
                                                       "sources"), ("uncertain",))
            ident = w.ident("id")
            kind = w.text("kind") or ""
            if kind and kind not in WITNESS_KINDS:
                self.diags.add(w.where("kind"), "E106", f"kind '{shorten(kind, 40)}' is not one of "
                                                        f"{', '.join(WITNESS_KINDS)}")
            refs = w.refs("refs")
            for number in refs:
                self.pending.sources.append((f"¶{number}", w.where("refs")))
            note = w.uncertain()
            if self._unique(seen, ident, origin, "witness"):
                out.append(Witness(ident, w.text("title") or ident, w.text("witness") or "", w.text("date") or "",
                                   kind, refs, w.text("text", multiline=True) or "",
                                   w.cited("sources", self.pending.sources), note, origin))
        return out

    # --- dialogue ---------------------------------------------------------------------------

    def _dialogue(self, scenario_id: str, speakers: dict[str, Speaker], roles: dict[str, Role]) -> dict[str, Node]:
        folder = self.content / "dialogue" / scenario_id
        files = []
        if self.root.resolve(folder) is None:
            self.diags.add(Origin(self.shown(folder)), "E012", "this dialogue folder is a link out of the content "
                                                               "folder; only files inside the folder are read")
            return {}
        if is_folder(folder, self.root):
            files = dialogue_files(self.root, folder, self.shown, self.diags)
        if not files:
            self.diags.add(Origin(self.shown(self.folder / MANIFEST)), "E509",
                           f"no dialogue files in {self.shown(folder)}")
            return {}
        reader = _DialogueReader(self.diags, self.pending, speakers, roles)
        for path in files:
            shown = self.shown(path)
            data = load_yaml_file(path, shown, self.diags, self.root)
            if data is None:
                continue
            if not isinstance(data, YMap):
                self.diags.add(Origin(shown), "E101", "a dialogue file must be a map with one key, 'nodes'")
                continue
            reader.read_file(data, shown)
        return reader.nodes


class _DialogueReader:
    def __init__(self, diags: Diagnostics, pending: Pending, speakers: dict[str, Speaker], roles: dict[str, Role]):
        self.diags = diags
        self.pending = pending
        self.speakers = speakers
        self.roles = roles
        self.nodes: dict[str, Node] = {}
        self.ids: dict[str, Origin] = {}

    def _claim(self, ident: str | None, origin: Origin, kind: str) -> bool:
        if ident is None:
            return False
        if ident in self.ids:
            first = self.ids[ident]
            self.diags.add(origin, "E105", f"{kind} id '{ident}' is already used at {first}")
            return False
        self.ids[ident] = origin
        return True

    def read_file(self, data: YMap, shown: str) -> None:
        f = Fields(data, self.diags, "a dialogue file", ("nodes",))
        for item, origin in f.maps("nodes"):
            node = self._node(item, origin, shown)
            if node:
                self.nodes[node.id] = node

    def _speaker(self, f: Fields, key: str, default: str | None = None) -> str:
        speaker = f.ident(key) if f.has(key) else default
        if speaker is None:
            return "?"
        if speaker not in self.speakers:
            self.diags.add(f.where(key), "E202", f"unknown speaker '{speaker}'")
        return speaker

    def _provenance(self, f: Fields, what: str) -> tuple[str, tuple[int, ...]]:
        provenance = f.text("provenance") or "invented"
        if f.has("provenance") and provenance not in PROVENANCES:
            self.diags.add(f.where("provenance"), "E106",
                           f"provenance '{provenance}' is not record, adapted or invented")
        refs = f.refs("ref")
        if provenance in ("record", "adapted") and not f.has("ref"):
            self.diags.add(f.data.mark, "E205", f"{provenance} {what} must cite its paragraphs with 'ref: ¶N'")
        return provenance, refs

    def _condition(self, f: Fields, key: str) -> Condition | None:
        cond, origin = f.condition(key)
        if cond:
            self.pending.conditions.append((cond, origin))
        return cond

    def _effects(self, f: Fields, key: str) -> tuple[Effect, ...]:
        found = f.effects(key)
        self.pending.effects.extend(found)
        return tuple(e for e, _ in found)

    def _node(self, item: YMap, origin: Origin, shown: str) -> Node | None:
        f = Fields(item, self.diags, "a node", ("id",),
                   ("title", "effects", "lines", "goto", "choice", "branch", "end"))
        ident = f.ident("id")
        exits = [k for k in ("goto", "choice", "branch", "end") if k in item]
        if len(exits) != 1:
            what = "no exit" if not exits else "more than one exit (" + ", ".join(exits) + ")"
            self.diags.add(origin, "E406", f"node '{ident}' has {what}; give exactly one of goto, choice, branch, end")
        lines = []
        for line_map, line_origin in f.maps("lines"):
            line = self._line(line_map, line_origin)
            if line:
                lines.append(line)
        choice = None
        if isinstance(item.get("choice"), YMap):
            choice = self._choice(item["choice"], f.where("choice"))
        elif "choice" in item:
            self.diags.add(f.where("choice"), "E101", "'choice' must be a map (id, by, moment, note, options)")
        branch = self._branch(f) if "branch" in item else ()
        end = None
        if "end" in item:
            end = f.ident("end")
        node_ok = self._claim(ident, origin, "node")
        if not node_ok:
            return None
        return Node(ident, tuple(lines), f.text("title", "") or "", self._effects(f, "effects"),
                    f.ident("goto") if "goto" in item else None, choice, branch, end, shown, origin)

    def _line(self, item: YMap, origin: Origin) -> Line | None:
        f = Fields(item, self.diags, "a line", ("id", "speaker", "text", "provenance"), ("ref", "if", "effects"))
        ident = f.ident("id")
        provenance, refs = self._provenance(f, "line")
        speaker = self._speaker(f, "speaker")
        text = f.text("text")
        cond = self._condition(f, "if")
        effects = self._effects(f, "effects")
        if not self._claim(ident, origin, "line") or text is None:
            return None
        return Line(ident, speaker, text, provenance, refs, cond, effects, origin)

    def _choice(self, item: YMap, origin: Origin) -> ChoicePoint | None:
        f = Fields(item, self.diags, "a choice point", ("id", "by", "moment", "note", "options"),
                   ("prompt", "sources", "off_record"))
        off_record = f.boolean("off_record")
        ident = f.ident("id")
        by = f.ident("by")
        if by and by not in self.roles:
            self.diags.add(f.where("by"), "E206", f"'{by}' is not a role of this scenario ({', '.join(self.roles) or 'none'})")
        default_speaker = self.roles[by].speaker if by in self.roles else None
        options = []
        for opt_map, opt_origin in f.maps("options"):
            option = self._option(opt_map, opt_origin, default_speaker)
            if option:
                options.append(option)
        if len(options) < 2 and f.has("options"):
            self.diags.add(f.where("options"), "E405", f"choice point '{ident}' needs at least 2 options")
        historical = [o for o in options if o.historical]
        defaults = [o for o in options if o.default]
        if off_record:
            if historical:
                self.diags.add(historical[0].origin, "E404",
                               f"'{ident}' is off the record, so none of its options is historical; "
                               "mark what the game says when nobody plays this side with 'default: true'")
            elif len(defaults) != 1 and options:
                self.diags.add(origin, "E404", f"off-record choice point '{ident}' has {len(defaults)} options "
                                               "with 'default: true'; exactly one must have it")
        else:
            if defaults:
                self.diags.add(defaults[0].origin, "E404",
                               f"'default' is for off-record moments only; '{ident}' has a historical option")
            if len(historical) != 1 and options:
                self.diags.add(origin, "E404", f"choice point '{ident}' has {len(historical)} historical options; "
                                               "exactly one must be 'historical: true' (or mark the moment 'off_record: true')")
            for option in historical:
                if option.provenance == "invented":
                    self.diags.add(option.origin, "E412",
                                   f"'{option.id}' is the historical option, but its text is invented: what the "
                                   "record shows must be record or adapted text (or mark the moment 'off_record: true')")
        labelled = [o for o in options if o.label != o.text]
        if labelled and len(labelled) != len(options):
            self.diags.add(origin, "E407", f"in '{ident}' some options have a 'label' and some do not; give all or none")
        usable = (len(defaults) == 1 and not historical) if off_record else (len(historical) == 1 and not defaults)
        if not self._claim(ident, origin, "choice point") or by is None or not usable:
            return None
        return ChoicePoint(ident, by, f.text("moment") or "", f.text("note") or "", tuple(options),
                           f.text("prompt", "") or "", f.cited("sources", self.pending.sources), origin, off_record)

    def _option(self, item: YMap, origin: Origin, default_speaker: str | None) -> Option | None:
        f = Fields(item, self.diags, "an option", ("id", "text", "provenance", "historical", "goto"),
                   ("label", "speaker", "ref", "if", "effects", "default"))
        ident = f.ident("id")
        provenance, refs = self._provenance(f, "option")
        speaker = self._speaker(f, "speaker", default_speaker)
        text = f.text("text")
        label = f.text("label") if f.has("label") else text
        cond = self._condition(f, "if")
        effects = self._effects(f, "effects")
        goto = f.ident("goto")
        historical = f.boolean("historical")
        default = f.boolean("default")
        if historical and default:
            self.diags.add(f.where("default"), "E404", f"'{ident}' is historical; 'default' is for off-record moments")
        if not self._claim(ident, origin, "option") or text is None or goto is None:
            return None
        return Option(ident, text, label or text, speaker, provenance, refs, historical, goto, cond, effects, origin,
                      default)

    def _branch(self, f: Fields) -> tuple[BranchArm, ...]:
        arms = []
        items = f.maps("branch")
        for i, (arm_map, arm_origin) in enumerate(items):
            a = Fields(arm_map, self.diags, "a branch arm", ("goto",), ("if",))
            cond = self._condition(a, "if")
            goto = a.ident("goto")
            last = i == len(items) - 1
            if last and a.has("if"):
                self.diags.add(arm_origin, "E409", "the last arm of a branch must have no 'if' (it is the fallback)")
            elif not last and not a.has("if"):
                self.diags.add(arm_origin, "E409", "only the last arm of a branch may lack an 'if'")
            if goto:
                arms.append(BranchArm(cond, goto, arm_origin))
        if not items and f.has("branch"):
            self.diags.add(f.where("branch"), "E409", "a branch needs at least one arm")
        return tuple(arms)


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Loading builds hundreds of thousands of small acyclic objects; the cyclic garbage
    collector would rescan them again and again (loading time grew faster than linearly)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_folder(content: Path, shown_root: str | None = None) -> tuple[list[Loaded], Diagnostics]:
    """Read every scenario under `content` (no semantic checks yet)."""
    loaded, diags, _root = read_folder(content, shown_root)
    return loaded, diags


def read_folder(content: Path, shown_root: str | None = None) -> tuple[list[Loaded], Diagnostics, ContentRoot]:
    """`load_folder`, and the content root that knows every file read (for the cache)."""
    with no_cycle_collection():
        return _load_folder(content, shown_root)


def _load_folder(content: Path, shown_root: str | None) -> tuple[list[Loaded], Diagnostics, ContentRoot]:
    diags = Diagnostics()
    root = ContentRoot.of(content)
    shown = Shown(content, shown_root if shown_root is not None else shown_root_for(content))
    folders = find_scenarios(root, shown, diags)
    if not folders:
        diags.add(Origin(shown(content / "scenarios")), "E501",
                  f"no scenario found: expected {shown(content / 'scenarios')}/<id>/{MANIFEST}")
        return [], diags, root
    loaded = []
    for folder in folders:
        item = read_scenario(folder, root, shown, diags)
        if item:
            loaded.append(item)
    return loaded, diags, root


def load_scenario(content: Path, scenario_id: str | None = None, cached: bool = False) -> Scenario:
    """Load, check and return one scenario, or raise ContentError with every diagnostic.

    With `cached`, content that passed every check before (same bytes, same engine) comes from
    the cache in cache.py instead of being parsed and checked again."""
    from .validator import validate_loaded

    if cached:
        from . import cache

        scenario = cache.load(content, scenario_id)
        if scenario is not None:
            return scenario
    loaded, diags, root = read_folder(content)
    if scenario_id is not None:
        loaded = [item for item in loaded if item.scenario.id == scenario_id]
        if not loaded and not diags.has_errors:
            diags.add(Origin(str(content)), "E501", f"no scenario with id '{scenario_id}'")
    with no_cycle_collection():
        for item in loaded[:1]:
            diags.extend(validate_loaded(item))
    if diags.has_errors or not loaded:
        raise ContentError(diags.sorted())
    if cached:
        cache.store(content, scenario_id, loaded[0].scenario, root.reads)
    return loaded[0].scenario
