"""A path that fits a class period, and honest minutes (issue 13, §3).

Every minutes claim in a path's description is the figure `validate --stats` measures; the class
path reads in 20 minutes or less with at least 10 choice points for each side and keeps the heart
of the record; the short path reads in 6; the class debrief reads in 10."""

from __future__ import annotations

import re

import pytest

from bench.content_balance import debrief_words, play, reading_words, record_choice_points, record_pick
from game.engine.runner import BOTH
from game.engine.stats import WORDS_PER_MINUTE, path_stats

# Moments the class path must keep: the Turkey bombs, 1941 and 1946, the pact, the proposal and
# the silence, the personal statement and "This will be sufficient", the press.
HEART = {22: "Turkey bombs", 23: "this is not a threat", 41: "regret for 1941-46", 49: "1941, Azerbaijan",
         59: "1946: troops that stayed", 60: "Stalin and Beria", 63: "a defensive pact",
         70: "Zagros and Alborz", 76: "the proposal", 78: "the silence", 81: "the Shah's word",
         83: "the personal statement", 84: "This will be sufficient", 102: "the press"}


def claimed_minutes(description: str) -> list[int]:
    return [int(m) for m in re.findall(r"about (\d+) minutes? of reading", description)]


def test_every_minutes_claim_in_a_path_description_is_the_measured_figure(shipped):
    for path in shipped.paths.values():
        claims = claimed_minutes(path.description)
        assert claims, f"path '{path.id}' says nothing about its length in minutes of reading"
        for role in (*shipped.roles, BOTH):
            measured = path_stats(shipped, role, path.id).minutes
            assert all(abs(c - measured) <= 0.5 for c in claims), (path.id, role, claims, round(measured, 1))


@pytest.mark.parametrize("role", ["shah", "soviet", BOTH])
def test_the_class_path_reads_in_twenty_minutes(shipped, role):
    assert path_stats(shipped, role, "class").minutes <= 20
    if role != BOTH:   # one reader: the intro, objectives, prompts and options offered as well
        assert reading_words(shipped, role, "class") <= 20 * WORDS_PER_MINUTE


@pytest.mark.parametrize("role", ["shah", "soviet"])
def test_the_class_path_has_ten_choice_points_for_each_side(shipped, role):
    assert len(record_choice_points(shipped, role, "class")) >= 10


def test_the_class_path_keeps_the_heart_of_the_record(shipped):
    runner = play(shipped, BOTH, "class", record_pick)
    heard = {r for s in runner.state.spoken for r in s.refs}
    missing = {p: what for p, what in HEART.items() if p not in heard}
    assert not missing, missing
    # "This will be sufficient" and the personal statement are spoken as the record has them
    said = {s.text for s in runner.state.spoken}
    assert "This will be sufficient." in said


def test_long_passages_on_the_class_path_are_marked_summaries_one_tap_from_the_source(shipped):
    runner = play(shipped, BOTH, "class", record_pick)
    summaries = [s for s in runner.state.spoken if s.text.startswith("The record, summarised")]
    assert len(summaries) >= 6
    for s in summaries:
        speaker = shipped.speakers[s.speaker]
        assert speaker.voice == "narrator" and "game" in speaker.name.lower()
        assert s.provenance == "adapted" and s.refs, s.id


def test_the_short_path_reads_in_six_minutes(shipped):
    for role in (*shipped.roles, BOTH):
        assert path_stats(shipped, role, "short").minutes <= 6


@pytest.mark.parametrize("role", ["shah", "soviet"])
def test_the_class_debrief_reads_in_ten_minutes(shipped, role):
    """The window's debrief tabs for the class record path; citation lines are one level down
    (they open the Sources page) and are counted apart."""
    body, cites = debrief_words(play(shipped, role, "class", record_pick))
    assert body <= 10 * WORDS_PER_MINUTE, body
    assert cites <= 3 * WORDS_PER_MINUTE, cites


def test_debrief_notes_are_short(shipped):
    for choice in shipped.choices().values():
        assert len(choice.note.split()) <= 45, (choice.id, len(choice.note.split()))


# Where the README and the docs say how long a path takes: (file, pattern with the minutes, path).
DOC_CLAIMS = (
    ("README.md", r"`class` path fits one period \(about (\d+) minutes of reading", "class"),
    ("README.md", r"\(about (\d+) minutes of reading\) takes two periods", "full"),
    ("README.md", r"`short` path of about (\d+) minutes of reading", "short"),
    ("docs/classroom.md", r"fits one period: about (\d+) minutes of reading", "class"),
    ("docs/classroom.md", r"`--path short` takes about (\d+) minutes", "short"),
    ("docs/classroom.md", r"the whole conversation \(about (\d+) minutes", "full"),
    ("docs/teachers/guide.md", r"\(`class`\) \| about (\d+) minutes of spoken lines", "class"),
    ("docs/teachers/guide.md", r"\(`full`\) \| about (\d+) minutes of spoken lines", "full"),
    ("docs/teachers/guide.md", r"\(`short`\) \| about (\d+) minutes of spoken lines", "short"),
)


@pytest.mark.parametrize("name, pattern, path_id", DOC_CLAIMS)
def test_every_minutes_claim_in_the_readme_and_the_docs_is_the_measured_figure(shipped, project_root,
                                                                               name, pattern, path_id):
    text = " ".join((project_root / name).read_text(encoding="utf-8").split())   # claims may wrap
    found = re.findall(pattern, text)
    assert found, f"{name} no longer says how long the {path_id} path takes (or says it differently)"
    for role in (*shipped.roles, BOTH):
        measured = path_stats(shipped, role, path_id).minutes
        assert all(abs(int(c) - measured) <= 0.5 for c in found), (name, path_id, role, found, round(measured, 1))
