"""Generate a large, valid scenario for load-time benchmarks (and a test that it validates)."""

from __future__ import annotations

from pathlib import Path

PARAGRAPHS = 50
NODES_PER_FILE = 100


def paragraph(i: int) -> str:
    return f"Speaker {i % 3}. This is paragraph number {i} of a generated record, about tea and peace."


def write_scenario(root: Path, nodes: int, scenario_id: str = "generated") -> Path:
    """A chain of `nodes` nodes; every fifth ends in a three-way choice that rejoins the chain."""
    folder = root / "scenarios" / scenario_id
    folder.mkdir(parents=True, exist_ok=True)
    paras = [paragraph(i) for i in range(1, PARAGRAPHS + 1)]
    (folder / "received.txt").write_text("\n\n".join(paras) + "\n", encoding="utf-8")
    (folder / "source.md").write_text("\n\n".join(f"¶{i} {p}" for i, p in enumerate(paras, 1)) + "\n", encoding="utf-8")
    (folder / "scenario.yaml").write_text(f"""format: 1
id: {scenario_id}
title: "Generated"
date: "1956"
place: "Nowhere"
source: {{received: received.txt, clean: source.md, citation: "generated"}}
speakers:
  - {{id: a, name: "A", side: one}}
  - {{id: b, name: "B", side: two}}
roles:
  - {{id: one, title: "One", speaker: a, intro: "One.", objectives: [{{id: one.o, text: "Score.", met: "score >= 1"}}]}}
  - {{id: two, title: "Two", speaker: b, intro: "Two.", objectives: [{{id: two.o, text: "Calm.", met: "mood == 'calm'"}}]}}
variables:
  - {{id: score, type: int, default: 0, min: 0, max: 100}}
  - {{id: mood, type: enum, values: [calm, cross], default: calm}}
paths:
  - {{id: full, title: "All", start: n0}}
endings:
  - {{id: cross, title: "Cross", when: "mood == 'cross'", summary: "x", epilogue: "x"}}
  - {{id: calm, title: "Calm", historical: true, summary: "x", epilogue: "x"}}
outcome: {{text: "x"}}
""", encoding="utf-8")
    dialogue = root / "dialogue" / scenario_id / "common"
    dialogue.mkdir(parents=True, exist_ok=True)
    for start in range(0, nodes, NODES_PER_FILE):
        out = ["nodes:"]
        for n in range(start, min(start + NODES_PER_FILE, nodes)):
            p = n % PARAGRAPHS + 1
            nxt = f"n{n + 1}" if n + 1 < nodes else None
            out += [
                f"  - id: n{n}",
                "    lines:",
                f"      - {{id: n{n}.l1, speaker: a, provenance: record, ref: ¶{p}, text: \"{paragraph(p).split('. ', 1)[1]}\"}}",
                f"      - {{id: n{n}.l2, speaker: b, provenance: invented, text: \"A reply to line {n}.\", if: \"score > {n % 7}\"}}",
            ]
            if nxt is None:
                out.append("    end: auto")
            elif n % 5 == 4:
                by = "one" if n % 10 == 4 else "two"
                out += [
                    "    choice:",
                    f"      id: n{n}.c",
                    f"      by: {by}",
                    f"      moment: \"Moment {n}\"",
                    "      note: \"Generated.\"",
                    "      options:",
                    f"        - {{id: n{n}.c.a, label: \"Agree\", provenance: adapted, ref: ¶{p}, text: \"Yes.\", historical: true, effects: [\"score += 1\"], goto: {nxt}}}",
                    f"        - {{id: n{n}.c.b, label: \"Refuse\", provenance: invented, text: \"No.\", historical: false, effects: [\"mood = 'cross'\"], goto: {nxt}}}",
                    f"        - {{id: n{n}.c.c, label: \"Wait\", provenance: invented, text: \"Later.\", historical: false, if: \"score < 50\", goto: {nxt}}}",
                ]
            else:
                out.append(f"    goto: {nxt}")
        (dialogue / f"part{start // NODES_PER_FILE:04d}.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
    return root
