"""Other witnesses (issue 13, §5): scenarios/moscow-1956/witnesses.yaml is well formed, every
moment it points to is a paragraph of the record, every source resolves to the Sources page, and
it speaks in the game's own words (quoting only a few words of any witness)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

KEYS = {"id", "title", "witness", "date", "kind", "refs", "text", "sources", "uncertain"}
REQUIRED = KEYS - {"uncertain"}
KINDS = {"us-record", "translation", "press", "soviet-record"}


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
