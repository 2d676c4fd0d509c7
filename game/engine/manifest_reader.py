"""Read a scenario's manifest (`scenario.yaml`) and the files beside it (the sources, glossary,
sources.yaml, witnesses.yaml, the presentation) into a `Scenario`, its dialogue read by
dialogue_reader.

Every problem is reported and reading goes on, so an author sees every diagnostic in one run;
the semantic checks come after, in validator.py.
"""

from __future__ import annotations

import os
from pathlib import Path

from .. import formats
from .content_files import ContentRoot
from .diagnostics import Diagnostics, Origin
from .dialogue_reader import read_dialogue
from .expressions import BOOL, INT, VarType, calls_in
from .fields import Fields, type_name
from .folders import GLOSSARY, MANIFEST, SOURCES, WITNESSES, Shown, near_files
from .ids import ID, VAR_ID
from .limits import MAX_ALIASES, MAX_GLOSSARY
from .loaded import Loaded, Pending
from .model import (
    VOICES,
    WITNESS_KINDS,
    Citation,
    Ending,
    GlossaryEntry,
    HistoryItem,
    Implied,
    Node,
    Objective,
    Role,
    Scenario,
    Source,
    Speaker,
    StoryPath,
    Variable,
    Witness,
)
from .presentation_reader import PresentationReader
from .roles import BOTH
from .safe_text import shorten
from .source_text import compare_with_received, parse_source_md
from .yaml_reader import YMap, load_yaml_file, read_text

FORMAT = formats.CONTENT.current
WITNESSES_FORMAT = formats.WITNESSES.current


def read_scenario(folder: Path, root: ContentRoot, shown: Shown, diags: Diagnostics) -> Loaded | None:
    manifest_path = folder / MANIFEST
    data = load_yaml_file(manifest_path, shown(manifest_path), diags, root)
    if data is None:
        return None
    origin = Origin(shown(manifest_path))
    if not isinstance(data, YMap):
        diags.add(origin, "E101", "type", subject="the manifest", expected="a map of keys (format, id, title, …)",
                  found=type_name(data))
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
            self.diags.add(origin, "E105", "twice", kind=kind, ident=ident, first=seen[ident].line)
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
            self.diags.add(f.where("format"), "E510", what="", version=version, supported=FORMAT)
            return None
        scenario_id = f.ident("id")
        if scenario_id and scenario_id != self.folder.name:
            self.diags.add(f.where("id"), "E507", ident=scenario_id, folder=self.folder.name)
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
                self.diags.add(f.where("source"), "E101", "type", subject="'source'",
                               expected="a map (received, clean, citation)", found=type_name(self.data["source"]))
            return empty
        s = Fields(self.data["source"], self.diags, "source", ("received", "clean", "citation"), ("note",))
        received_name, clean_name = s.text("received"), s.text("clean")
        received_text = None
        paragraphs = {}
        if received_name:
            path = self.folder / received_name
            if not os.path.lexists(path) and self.root.resolve(path) is not None:   # outside: E012, found or not
                self.diags.add(s.where("received"), "E502", which="received", name=received_name,
                               folder=self.shown(self.folder))
            else:
                received_text = read_text(path, self.shown(path), self.diags, self.root)
        if clean_name:
            path = self.folder / clean_name
            if not os.path.lexists(path) and self.root.resolve(path) is not None:   # outside: E012, found or not
                self.diags.add(s.where("clean"), "E502", which="clean", name=clean_name, folder=self.shown(self.folder))
            else:
                text = read_text(path, self.shown(path), self.diags, self.root)
                if text is not None:
                    paragraphs = parse_source_md(text, self.shown(path), self.diags)
        if paragraphs and received_text is not None:
            diff = compare_with_received(paragraphs, received_text)
            if diff:
                number, what = diff
                self.diags.add(paragraphs[number].origin, "E503", number=number, difference=what)
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
                self.diags.add(s.where("voice"), "E106", "not_one_of", subject="voice", value=voice,
                               allowed="person, record or narrator")
                voice = "person"
            if voice != "person" and (s.text("side") or "none") != "none":
                self.diags.add(s.where("side"), "E106", "side", ident=ident, voice=voice)
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
                    self.diags.add(where, "E305", "default", name=ident, allowed="true or false")
                    continue
                out[ident] = Variable(ident, BOOL, default, description=v.text("description", "") or "")
            elif kind == "int":
                lo, hi = v.integer("min"), v.integer("max")
                if lo is None or hi is None or lo > hi:
                    self.diags.add(origin, "E305", "bounds", name=ident)
                    continue
                if not isinstance(default, int) or isinstance(default, bool) or not lo <= default <= hi:
                    self.diags.add(where, "E305", "default", name=ident, allowed=f"a whole number from {lo} to {hi}")
                    continue
                out[ident] = Variable(ident, INT, default, lo, hi, v.text("description", "") or "")
            elif kind == "enum":
                values = v.strings("values")
                bad = [x for x in values if not ID.match(x)]
                if not values or bad or len(set(values)) != len(values):
                    self.diags.add(v.where("values"), "E305", "values", name=ident)
                    continue
                if default not in values:
                    self.diags.add(where, "E305", "default", name=ident, allowed=f"one of {', '.join(values)}")
                    continue
                out[ident] = Variable(ident, VarType("enum", values), default,
                                      description=v.text("description", "") or "")
            else:
                self.diags.add(v.where("type"), "E305", "type", type=kind, name=ident)
        return out

    def _roles(self, f: Fields, speakers: dict[str, Speaker]) -> dict[str, Role]:
        out: dict[str, Role] = {}
        seen: dict[str, Origin] = {}
        objective_ids: dict[str, Origin] = {}
        for item, origin in f.maps("roles"):
            r = Fields(item, self.diags, "a role", ("id", "title", "speaker", "intro", "objectives"), ("questions",))
            ident = r.ident("id")
            if ident == BOTH:
                self.diags.add(r.where("id"), "E104", "both")
                continue
            speaker = r.ident("speaker")
            if speaker and speaker not in speakers:
                self.diags.add(r.where("speaker"), "E202", speaker=speaker)
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
                self.diags.add(Origin(f.where("speakers").path, f.where("speakers").line, 1), "E206", "side",
                               speaker=speaker.id, side=speaker.side)
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
            self.diags.add(f.where("paths"), "E505", "full")
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
                self.diags.add(e.where("when"), "E504", "fallback")
            if not last and not e.has("when"):
                self.diags.add(origin, "E504", "when", ending=ident)
            if when and any(name == "ends" for name, _arg in calls_in(when.expr)):
                self.diags.add(when_origin, "E304", "ends", ident=ident)
            elif when:
                self.pending.conditions.append((when, when_origin))
            if self._unique(seen, ident, origin, "ending"):
                out.append(Ending(ident, e.text("title") or ident, when, e.boolean("historical"),
                                  e.text("summary") or "", e.text("epilogue") or "", e.cited("sources", self.pending.sources),
                                  self._implied(e), origin))
        if items and sum(1 for e in out if e.historical) != 1:
            self.diags.add(f.where("endings"), "E504", "historical")
        return out

    def _implied(self, e: Fields) -> tuple[Implied, ...]:
        """An ending's `objectives`: {objective id: met | not met}; the ids are resolved by the validator."""
        value = e.data.get("objectives")
        if value is None:
            return ()
        if not isinstance(value, YMap):
            self.diags.add(e.where("objectives"), "E101", "type", subject="'objectives' in an ending",
                           expected="a map of objective ids to 'met' or 'not met'", found=type_name(value))
            return ()
        out = []
        for key, said in value.items():
            if said not in ("met", "not met"):
                shown = f"'{shorten(said, 30)}'" if isinstance(said, str) else type_name(said)
                self.diags.add(value.where(key), "E106", "claim", key=shorten(str(key), 40), found=shown)
                continue
            out.append(Implied(str(key), said == "met", value.key_mark(key)))
        return tuple(out)

    def _outcome(self, f: Fields) -> tuple[str, tuple[str, ...]]:
        value = self.data.get("outcome")
        if not isinstance(value, YMap):
            if f.has("outcome"):
                self.diags.add(f.where("outcome"), "E101", "type", subject="'outcome'",
                               expected="a map with 'text' and 'sources'", found=type_name(value))
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
            self.diags.add(f.where("debrief"), "E101", "type", subject="'debrief'",
                           expected="a map (source_note, questions)", found=type_name(value))
            return "", ()
        d = Fields(value, self.diags, "the debrief", (), ("source_note", "questions"))
        return d.text("source_note", "") or "", d.strings("questions")

    def _side_file(self, name: str, subject: str, expected: str) -> YMap | None:
        """An optional file beside the manifest (glossary, sources, witnesses), read as a map: None
        when it is absent, unreadable (already reported) or not a map (E101: `subject` must be `expected`)."""
        path = self.folder / name
        if not os.path.lexists(path):
            return None
        shown = self.shown(path)
        data = load_yaml_file(path, shown, self.diags, self.root)
        if data is not None and not isinstance(data, YMap):
            self.diags.add(Origin(shown), "E101", "type", subject=subject, expected=expected, found=type_name(data))
            return None
        return data

    def _glossary(self) -> list[GlossaryEntry]:
        data = self._side_file(GLOSSARY, "the glossary", "a map with one key, 'entries'")
        if data is None:
            return []
        g = Fields(data, self.diags, "the glossary", ("entries",))
        out = []
        seen: dict[str, Origin] = {}
        items = g.maps("entries")
        if len(items) > MAX_GLOSSARY:
            self.diags.add(g.where("entries"), "E106", "too_many", subject="the glossary", count=len(items),
                           things="entries", limit=MAX_GLOSSARY, why=" (it is matched against every line)")
            return []
        for item, origin in items:
            e = Fields(item, self.diags, "a glossary entry", ("id", "term", "text", "sources"), ("aliases", "uncertain"))
            ident = e.ident("id")
            note = e.uncertain()
            aliases = e.strings("aliases")
            if len(aliases) > MAX_ALIASES:
                self.diags.add(e.where("aliases"), "E106", "too_many", subject=f"'{ident}'", count=len(aliases),
                               things="aliases", limit=MAX_ALIASES, why="")
                aliases = aliases[:MAX_ALIASES]
            if self._unique(seen, ident, origin, "glossary entry"):
                out.append(GlossaryEntry(ident, e.text("term") or ident, e.text("text", multiline=True) or "",
                                         aliases, e.cited("sources", self.pending.sources), note, origin))
        return out

    def _citations(self) -> dict[str, Citation]:
        """sources.yaml: the works cited outside the record, each with a full citation."""
        data = self._side_file(SOURCES, "sources.yaml", "a map with one key, 'sources'")
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
        data = self._side_file(WITNESSES, "witnesses.yaml", "a map with the keys 'format' and 'witnesses'")
        if data is None:
            return []
        g = Fields(data, self.diags, "the witnesses file", ("format", "witnesses"))
        version = g.integer("format")
        if version is not None and not formats.WITNESSES.reads(version):
            self.diags.add(g.where("format"), "E510", what="witnesses ", version=version, supported=WITNESSES_FORMAT)
            return []
        out: list[Witness] = []
        seen: dict[str, Origin] = {}
        for item, origin in g.maps("witnesses"):
            w = Fields(item, self.diags, "a witness", ("id", "title", "witness", "date", "kind", "refs", "text",
                                                       "sources"), ("uncertain",))
            ident = w.ident("id")
            kind = w.text("kind") or ""
            if kind and kind not in WITNESS_KINDS:
                self.diags.add(w.where("kind"), "E106", "not_one_of", subject="kind", value=shorten(kind, 40),
                               allowed=f"one of {', '.join(WITNESS_KINDS)}")
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
        return read_dialogue(self.root, self.content / "dialogue" / scenario_id, self.folder / MANIFEST, self.shown,
                             self.diags, self.pending, speakers, roles)
