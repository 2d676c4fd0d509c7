"""The speed table's own pieces (bench/speed.py): its floor reads what the loader reads, and lifting
the content caps for the linearity row leaves the loader as it was. The table itself: `make bench`."""

from __future__ import annotations

from pathlib import Path

from bench.generate import write_scenario
from bench.speed import caps_lifted, event_stream, interleaved, p99, ratio, yaml_files
from game.engine.content_files import ContentRoot

ROOT = Path(__file__).resolve().parent.parent


def test_the_floor_reads_the_shipped_yaml_files():
    files = yaml_files(ROOT)
    assert any(f.name == "scenario.yaml" for f in files)
    assert all(f.suffix == ".yaml" and f.is_file() for f in files)
    event_stream(files)()


def test_caps_are_lifted_only_inside_the_block(tmp_path):
    root = write_scenario(tmp_path, 10)
    before = ContentRoot.of(root)
    with caps_lifted(3):
        lifted = ContentRoot.of(root)
    after = ContentRoot.of(root)
    assert lifted.bytes_left == 3 * before.bytes_left and lifted.values_left == 3 * before.values_left
    assert (after.bytes_left, after.values_left) == (before.bytes_left, before.values_left)


def test_ratios_are_per_round():
    pair = interleaved(3, lambda: None, lambda: None)
    assert len(pair.wall) == len(pair.floor_wall) == len(pair.cpu) == len(pair.floor_cpu) == 3
    assert ratio([2.0, 4.0, 9.0], [1.0, 1.0, 3.0]) == 3.0
    assert p99([float(i) for i in range(100)]) == 99.0
