"""The terminal front end, as a user (or a script) drives it through main.py."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

MINI = Path(__file__).parent / "fixtures" / "mini"


def play(project_root: Path, *args: str, stdin: str = "", content: Path | None = MINI) -> subprocess.CompletedProcess:
    cmd = [sys.executable, str(project_root / "main.py"), "play", "--text", *args]
    if content is not None:
        cmd += ["--content", str(content)]
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=120)


def test_human_session_with_mistakes_and_back(project_root: Path):
    proc = play(project_root, "--role", "guest", stdin="hello\n7\n\n2\n")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Host: Welcome. Shall we talk about the weather? [¶2]" in out
    assert "1) Say it is cold\n2) Complain\n" in out
    assert out.count("Please type a number from 1 to 2") == 3  # hello, 7 and an empty line
    assert "Guest: Your weather is dreadful. [invented for the game]" in out
    assert "Record match: 0 of 1" in out and "Ending: A cross parting" in out


def test_end_of_input_ends_cleanly(project_root: Path):
    proc = play(project_root, "--role", "guest", stdin="")
    assert proc.returncode == 0 and "(Input ended.)" in proc.stdout and "Traceback" not in proc.stderr


def test_quit_and_back_commands(project_root: Path):
    proc = play(project_root, "--role", "both", stdin="1\nb\n2\n")
    assert proc.returncode == 0
    assert "(Back to the previous choice.)" in proc.stdout
    assert proc.stdout.count("--- The guest's turn") == 2
    proc = play(project_root, "--role", "guest", stdin="q\n")
    assert proc.returncode == 0 and "Session ended" in proc.stdout


def test_autoplay_record_prints_options_and_picks_like_a_session(project_root: Path):
    proc = play(project_root, "--role", "both", "--autoplay", "record")
    assert proc.returncode == 0
    assert "1) Say it is cold\n2) Complain\n> 1\n" in proc.stdout
    assert "1) Offer nothing\n2) Offer tea\n> 2\n" in proc.stdout
    assert proc.stdout.count("Record match: 1 of 1") == 2
    assert "This is the ending the record shows." in proc.stdout


def test_autoplay_random_is_deterministic_per_seed(project_root: Path):
    runs = {seed: play(project_root, "--role", "both", "--autoplay", "random", "--seed", str(seed)).stdout
            for seed in (1, 2, 3, 4)}
    assert runs[1] == play(project_root, "--role", "both", "--autoplay", "random", "--seed", "1").stdout
    assert len(set(runs.values())) > 1


def test_usage_errors_exit_2(project_root: Path):
    assert play(project_root, "--role", "waiter").returncode == 2
    assert play(project_root, "--role", "guest", "--path", "long").returncode == 2
    assert play(project_root, "--role", "guest", content=Path("/nonexistent-folder")).returncode == 2


def test_shipped_game_record_replay_ends_historically(project_root: Path):
    proc = play(project_root, "--role", "shah", "--autoplay", "record", content=None)
    assert proc.returncode == 0, proc.stderr
    match = re.search(r"^Record match: (\d+) of (\d+)$", proc.stdout, re.MULTILINE)
    assert match and match[1] == match[2] and int(match[2]) >= 12
    assert "Ending: A personal statement, and the pact kept" in proc.stdout
    assert "This is the ending the record shows." in proc.stdout
    assert "What really happened" not in proc.stdout
    for line in proc.stdout.splitlines():
        if re.match(r"^(N\. Khrushchev|K\. Voroshilov|N\. Bulganin|A\. Mikoyan|Shah|The record|Narrator \(game\)): ", line):
            assert re.search(r"\[(¶\d+(, ¶\d+)*|adapted from ¶\d+(, ¶\d+)*|invented for the game)\]$", line), line


def test_two_players_on_one_keyboard_with_mistakes_end_with_both_comparisons(project_root: Path):
    # Wrong entries (a word, 0, an out-of-range number, an empty line) re-prompt; every
    # eighth answer goes back once; the session still reaches the end of the short path.
    answers = []
    for i in range(60):
        answers += ["two", "0", "9", ""] if i % 5 == 0 else []
        answers.append("b" if i % 8 == 7 else str(1 + i % 3))
    proc = play(project_root, "--role", "both", "--path", "short", "--no-results",
                stdin="\n".join(answers) + "\n", content=None)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "The Shah of Iran's turn" in out and "The Soviet delegation's turn" in out
    assert out.count("Please type a number from 1 to") >= 4
    assert "(Back to the previous choice.)" in out
    matches = re.findall(r"^Record match: (\d+) of (\d+)$", out, re.MULTILINE)
    assert len(matches) == 2 and all(int(m) <= int(n) and int(n) > 0 for m, n in matches)
    assert "THE MINUTES OF YOUR SESSION, BESIDE THE RECORD" in out
    assert re.search(r"^Ending: ", out, re.MULTILINE)


def test_validate_stats_prints_figures_per_role_and_path(project_root: Path):
    proc = subprocess.run([sys.executable, str(project_root / "main.py"), "validate", "--stats"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    rows = {tuple(line.split()[:2]): line.split() for line in proc.stdout.splitlines()
            if line.split()[:1] in (["shah"], ["soviet"], ["both"])}
    assert set(rows) == {(r, p) for r in ("shah", "soviet", "both") for p in ("full", "short", "class")}
    for role in ("shah", "soviet"):
        full, short, lesson = rows[(role, "full")], rows[(role, "short")], rows[(role, "class")]
        assert int(full[2]) >= 12 and 4 <= int(short[2]) <= 8 and int(lesson[2]) >= 10   # choice points met
        assert 20 <= float(full[5]) <= 35 and float(short[5]) <= 6 and float(lesson[5]) <= 20   # reading minutes
        assert int(full[6].rstrip("%")) >= 95                          # paragraphs cited


def test_source_and_glossary_commands_at_a_choice(project_root: Path):
    proc = play(project_root, "--role", "shah", "--no-results", stdin="s\ns 76\ns 999\ng\nq\n", content=None)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "¶4 V.V. [Your Highness], maybe we will start our conversation?" in out
    assert "¶76 N. Khrushchev. It is a continuation of the old colonial policy" in out
    assert "(There is no ¶999; the record has ¶1–¶108.)" in out
    assert re.search(r"^Voroshilov.*: ", out, re.MULTILINE) or "Sources:" in out
