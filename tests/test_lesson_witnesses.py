"""Other witnesses (issue 13, §5): scenarios/moscow-1956/witnesses.yaml is well formed (as the
loader reads it, and as validate checks it), every moment it points to is a paragraph of the
record, every source resolves to the Sources page, and it speaks in the game's own words (quoting
only a few words of any witness)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

KEYS = {"id", "title", "witness", "date", "kind", "refs", "text", "sources", "uncertain"}
REQUIRED = KEYS - {"uncertain"}
KINDS = {"us-record", "translation", "press", "soviet-record", "memoir"}


def load(project_root: Path) -> dict:
    path = project_root / "scenarios" / "moscow-1956" / "witnesses.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_the_witnesses_file_is_well_formed(project_root, shipped):
    data = load(project_root)
    assert set(data) == {"format", "witnesses"} and data["format"] == 1
    ids = [w["id"] for w in data["witnesses"]]
    assert len(ids) == len(set(ids)) >= 8
    for w in data["witnesses"]:
        assert set(w) <= KEYS and REQUIRED <= set(w), w.get("id")
        assert re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,79}", w["id"])
        assert w["kind"] in KINDS, w["id"]
        assert w["refs"] and w["sources"], w["id"]
        for ref in w["refs"]:
            assert int(ref.lstrip("¶")) in shipped.source.paragraphs, (w["id"], ref)


def test_every_witness_source_is_on_the_sources_page(project_root, shipped):
    for w in load(project_root)["witnesses"]:
        for source in w["sources"]:
            if source.startswith("¶"):
                assert int(source[1:]) in shipped.source.paragraphs
            else:
                assert source in shipped.citations, (w["id"], source)


def test_the_witnesses_cover_the_us_record_the_other_translation_and_the_press(project_root):
    witnesses = load(project_root)["witnesses"]
    cited = {s for w in witnesses for s in w["sources"]}
    for doc in ("114", "316", "319", "322", "359"):
        assert f"frus-1955-57-xii-{doc}" in cited, doc
    assert "wilson-center-protocol-record" in cited and "time-1956-07-23" in cited
    translation = " ".join(w["text"] for w in witnesses if w["kind"] == "translation")
    for difference in ("27 June", "Your Majesty", "Sa'ed", "419"):
        assert difference in translation, difference


def test_witnesses_quote_only_a_few_words(project_root):
    """Quotations from other works stay short; the record's own words (which follow a ¶) may be longer."""
    for w in load(project_root)["witnesses"]:
        for m in re.finditer(r"\"([^\"]+)\"(\s*\(¶\d+\))?", w["text"]):
            if m.group(2):      # the record itself, cited by paragraph
                continue
            assert len(m.group(1).split()) <= 6, (w["id"], m.group(1))


def test_the_loader_reads_every_witness_and_places_it_beside_its_paragraphs(project_root, shipped):
    raw = load(project_root)["witnesses"]
    assert [w.id for w in shipped.witnesses] == [w["id"] for w in raw]
    for witness, item in zip(shipped.witnesses, raw, strict=True):
        assert witness.refs == tuple(int(r.lstrip("¶")) for r in item["refs"])
        assert witness.sources == tuple(item["sources"]) and witness.text.startswith(item["text"][:40])
        for paragraph in witness.refs:
            assert witness in shipped.witnesses_of(paragraph)
    from game.engine.citations import sources_page

    used = {u for entry in sources_page(shipped) for u in entry.used_in}
    assert all(f"what others wrote: {w.title}" in used for w in shipped.witnesses)


WITNESS = """format: 1
witnesses:
  - id: guest-diary
    title: "The guest's diary"
    witness: "The guest, in his diary"
    date: "1950"
    kind: {kind}
    refs: [{ref}]
    text: >-
      The guest wrote that the tea was warmer than the talk.
    sources: [{source}]
{extra}"""


def write_witnesses(mini: Path, kind="memoir", ref="¶3", source="tea-book", extra="") -> None:
    (mini / "scenarios" / "mini" / "witnesses.yaml").write_text(
        WITNESS.format(kind=kind, ref=ref, source=source, extra=extra), encoding="utf-8")


def found(mini: Path) -> list[str]:
    from game.engine.checked import validate_folder

    return [str(d) for d in validate_folder(mini, "").sorted()]


def test_a_good_witnesses_file_in_another_scenario_is_read(mini):
    from game.engine.checked import load_scenario

    write_witnesses(mini)
    assert found(mini) == []
    [witness] = load_scenario(mini).witnesses
    assert witness.refs == (3,) and witness.kind == "memoir" and witness.sources == ("tea-book",)


def test_validate_names_the_line_of_every_broken_witness(mini):
    write_witnesses(mini, kind="rumour", ref="¶99", source="no-such-book", extra="    mood: sunny\n")
    lines = found(mini)
    where = "scenarios/mini/witnesses.yaml"
    assert any(line.startswith(f"{where}:7:") and "E106" in line and "rumour" in line for line in lines), lines
    assert any(line.startswith(f"{where}:8:") and "E203" in line and "¶99" in line for line in lines), lines
    assert any(line.startswith(f"{where}:11:") and "E512" in line and "no-such-book" in line for line in lines), lines
    assert any(line.startswith(f"{where}:12:") and "mood" in line for line in lines), lines


def test_a_witnesses_file_of_another_format_or_shape_is_refused(mini):
    path = mini / "scenarios" / "mini" / "witnesses.yaml"
    path.write_text("format: 2\nwitnesses: []\n", encoding="utf-8")
    assert any("E510" in line for line in found(mini))
    path.write_text("- just a list\n", encoding="utf-8")
    assert any("E101" in line and "witnesses.yaml" in line for line in found(mini))
