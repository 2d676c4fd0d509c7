"""Read a scenario's dialogue folder (`content/dialogue/<id>/*.yaml`) into `Node` objects.

Every problem is reported and reading goes on, so an author sees every diagnostic in one run;
the expressions found are left in `Pending` for the validator to type-check.
"""

from __future__ import annotations

from pathlib import Path

from .content_files import ContentRoot
from .diagnostics import Diagnostics, Origin
from .expressions import Condition, Effect
from .fields import Fields, type_name
from .folders import Shown, dialogue_files, is_folder
from .loaded import Pending
from .model import PROVENANCES, BranchArm, ChoicePoint, Line, Node, Option, Role, Speaker
from .yaml_reader import YMap, load_yaml_file


def read_dialogue(root: ContentRoot, folder: Path, manifest: Path, shown: Shown, diags: Diagnostics,
                  pending: Pending, speakers: dict[str, Speaker], roles: dict[str, Role]) -> dict[str, Node]:
    """Every node of the dialogue files in `folder`; E509 (at the `manifest`) when there are none."""
    files = []
    if root.resolve(folder) is None:
        diags.add(Origin(shown(folder)), "E012", "link", what="this dialogue folder")
        return {}
    if is_folder(folder, root):
        files = dialogue_files(root, folder, shown, diags)
    if not files:
        diags.add(Origin(shown(manifest)), "E509", folder=shown(folder))
        return {}
    reader = _DialogueReader(diags, pending, speakers, roles)
    for path in files:
        where = shown(path)
        data = load_yaml_file(path, where, diags, root)
        if data is None:
            continue
        if not isinstance(data, YMap):
            diags.add(Origin(where), "E101", "type", subject="a dialogue file", expected="a map with one key, 'nodes'",
                      found=type_name(data))
            continue
        reader.read_file(data)
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
            self.diags.add(origin, "E105", "used", kind=kind, ident=ident, first=first)
            return False
        self.ids[ident] = origin
        return True

    def read_file(self, data: YMap) -> None:
        f = Fields(data, self.diags, "a dialogue file", ("nodes",))
        for item, origin in f.maps("nodes"):
            node = self._node(item, origin)
            if node:
                self.nodes[node.id] = node

    def _speaker(self, f: Fields, key: str, default: str | None = None) -> str:
        speaker = f.ident(key) if f.has(key) else default
        if speaker is None:
            return "?"
        if speaker not in self.speakers:
            self.diags.add(f.where(key), "E202", speaker=speaker)
        return speaker

    def _provenance(self, f: Fields, what: str) -> tuple[str, tuple[int, ...]]:
        provenance = f.text("provenance") or "invented"
        if f.has("provenance") and provenance not in PROVENANCES:
            self.diags.add(f.where("provenance"), "E106", "not_one_of", subject="provenance", value=provenance,
                           allowed="record, adapted or invented")
        refs = f.refs("ref")
        if provenance in ("record", "adapted") and not f.has("ref"):
            self.diags.add(f.data.mark, "E205", provenance=provenance, what=what)
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

    def _node(self, item: YMap, origin: Origin) -> Node | None:
        f = Fields(item, self.diags, "a node", ("id",),
                   ("title", "effects", "lines", "goto", "choice", "branch", "end"))
        ident = f.ident("id")
        exits = [k for k in ("goto", "choice", "branch", "end") if k in item]
        if len(exits) != 1:
            what = "no exit" if not exits else "more than one exit (" + ", ".join(exits) + ")"
            self.diags.add(origin, "E406", node=ident, found=what)
        lines = []
        for line_map, line_origin in f.maps("lines"):
            line = self._line(line_map, line_origin)
            if line:
                lines.append(line)
        choice = None
        if isinstance(item.get("choice"), YMap):
            choice = self._choice(item["choice"], f.where("choice"))
        elif "choice" in item:
            self.diags.add(f.where("choice"), "E101", "type", subject="'choice'",
                           expected="a map (id, by, moment, note, options)", found=type_name(item["choice"]))
        branch = self._branch(f) if "branch" in item else ()
        end = None
        if "end" in item:
            end = f.ident("end")
        node_ok = self._claim(ident, origin, "node")
        if not node_ok:
            return None
        return Node(ident, tuple(lines), f.text("title", "") or "", self._effects(f, "effects"),
                    f.ident("goto") if "goto" in item else None, choice, branch, end, origin)

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
            self.diags.add(f.where("by"), "E206", "by", role=by, roles=", ".join(self.roles) or "none")
        default_speaker = self.roles[by].speaker if by in self.roles else None
        options = []
        for opt_map, opt_origin in f.maps("options"):
            option = self._option(opt_map, opt_origin, default_speaker)
            if option:
                options.append(option)
        if len(options) < 2 and f.has("options"):
            self.diags.add(f.where("options"), "E405", choice=ident)
        historical = [o for o in options if o.historical]
        defaults = [o for o in options if o.default]
        if off_record:
            if historical:
                self.diags.add(historical[0].origin, "E404", "off_record", choice=ident)
            elif len(defaults) != 1 and options:
                self.diags.add(origin, "E404", "defaults", choice=ident, count=len(defaults))
        else:
            if defaults:
                self.diags.add(defaults[0].origin, "E404", "default", choice=ident)
            if len(historical) != 1 and options:
                self.diags.add(origin, "E404", "count", choice=ident, count=len(historical))
            for option in historical:
                if option.provenance == "invented":
                    self.diags.add(option.origin, "E412", option=option.id)
        labelled = [o for o in options if o.label != o.text]
        if labelled and len(labelled) != len(options):
            self.diags.add(origin, "E407", choice=ident)
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
            self.diags.add(f.where("default"), "E404", "option", option=ident)
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
                self.diags.add(arm_origin, "E409", "last")
            elif not last and not a.has("if"):
                self.diags.add(arm_origin, "E409", "early")
            if goto:
                arms.append(BranchArm(cond, goto, arm_origin))
        if not items and f.has("branch"):
            self.diags.add(f.where("branch"), "E409", "empty")
        return tuple(arms)
