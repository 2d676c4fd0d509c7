"""Results from the terminal front end: `play --text` records every session, however it ends."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

MINI = Path(__file__).parent / "fixtures" / "mini"


def play(project_root: Path, *args: str, stdin: str = "", content: Path | None = MINI,
         home: Path | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, str(project_root / "main.py"), "play", "--text", *args]
    if content is not None:
        cmd += ["--content", str(content)]
    env = dict(os.environ)
    if home is not None:
        env["MOSCOW1956_HOME"] = str(home)
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=120, env=env)


def sessions(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT scenario, mode, roles, path, status, ending, autoplay FROM sessions "
                            "ORDER BY id").fetchall()
    finally:
        conn.close()


def test_text_sessions_land_in_the_named_file(project_root: Path, tmp_path: Path):
    db = tmp_path / "class" / "results.sqlite"
    first = play(project_root, "--role", "shah", "--autoplay", "record", "--results-db", str(db), content=None)
    assert first.returncode == 0, first.stderr
    second = play(project_root, "--role", "both", "--autoplay", "random", "--seed", "3", "--results-db", str(db))
    third = play(project_root, "--role", "guest", "--results-db", str(db), stdin="2\n")
    assert second.returncode == third.returncode == 0
    assert first.stderr == second.stderr == third.stderr == ""     # nothing to report when all goes well
    rows = sessions(db)
    assert rows[0] == ("moscow-1956", "text", "shah", "full", "finished", "historical", "record")
    assert rows[1][:5] == ("mini", "text", "guest+host", "full", "finished") and rows[1][6] == "random"
    assert rows[2] == ("mini", "text", "guest", "full", "finished", "cross", "")


def test_a_session_cut_short_is_kept_as_abandoned(project_root: Path, tmp_path: Path):
    db = tmp_path / "r.sqlite"
    assert play(project_root, "--role", "both", "--results-db", str(db), stdin="1\n").returncode == 0  # input ends
    assert play(project_root, "--role", "guest", "--results-db", str(db), stdin="q\n").returncode == 0
    assert [(r[2], r[4], r[5]) for r in sessions(db)] == [("guest+host", "abandoned", None), ("guest", "abandoned", None)]
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT choice_id, option_id FROM choices").fetchall() == [("c-weather", "c-weather.cold")]
    conn.close()


def test_the_default_file_is_in_the_data_folder_and_can_be_turned_off(project_root: Path, tmp_path: Path):
    home = tmp_path / "home"
    assert play(project_root, "--role", "guest", "--autoplay", "record", home=home).returncode == 0
    assert len(sessions(home / "results.sqlite")) == 1
    other = tmp_path / "other"
    assert play(project_root, "--role", "guest", "--autoplay", "record", "--no-results", home=other).returncode == 0
    assert not (other / "results.sqlite").exists()


def test_a_locked_file_gives_a_message_and_the_game_still_ends_well(project_root: Path, tmp_path: Path):
    db = tmp_path / "r.sqlite"
    assert play(project_root, "--role", "guest", "--autoplay", "record", "--results-db", str(db)).returncode == 0
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        proc = play(project_root, "--role", "guest", "--autoplay", "record", "--results-db", str(db))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert proc.returncode == 0
    assert "Record match: 1 of 1" in proc.stdout
    assert "locked" in proc.stderr and "not saved" in proc.stderr and "Traceback" not in proc.stderr
    assert len(sessions(db)) == 1


def test_a_corrupt_file_is_set_aside_and_the_session_recorded_afresh(project_root: Path, tmp_path: Path):
    db = tmp_path / "r.sqlite"
    db.write_bytes(os.urandom(3000))
    proc = play(project_root, "--role", "guest", "--autoplay", "record", "--results-db", str(db))
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert "set aside" in proc.stderr
    assert len(list(tmp_path.glob("r.sqlite.corrupt-*"))) == 1
    assert [r[4] for r in sessions(db)] == ["finished"]


def test_minutes_are_written_at_the_end(project_root: Path, tmp_path: Path):
    out = tmp_path / "minutes" / "mine.html"
    proc = play(project_root, "--role", "guest", "--results-db", str(tmp_path / "r.sqlite"), "--minutes", str(out),
                stdin="2\n")
    assert proc.returncode == 0, proc.stderr
    page = out.read_text(encoding="utf-8")
    assert "RECORD OF CONVERSATION" in page and "Your session — " in page
    assert "Your weather is dreadful." in page and "invented for the game" in page
    assert "It is cold in Moscow, but the tea is warm." in page      # the record's option, beside it
    cut = tmp_path / "cut.html"
    proc = play(project_root, "--role", "guest", "--no-results", "--minutes", str(cut), stdin="")
    assert proc.returncode == 0 and not cut.exists() and "no minutes written" in proc.stderr
