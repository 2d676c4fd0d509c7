"""The game as an installed package: `pip install .` gives a `moscow-1956` command that finds its
content, art, templates and teachers' pages inside the package, with no checkout beside it. The
wheel is built offline from the dev lock's setuptools; CI also installs it into a fresh venv
(.ci/run). The package's dependencies are the ranges of requirements.txt."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement


@pytest.fixture(scope="module")
def wheel(project_root: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = tmp_path_factory.mktemp("build")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                    "--quiet", "-w", str(out), str(project_root)], check=True, timeout=300, cwd=build,
                   env={**os.environ, "PIP_NO_INPUT": "1"})
    [found] = out.glob("moscow_1956-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory) -> Path:
    prefix = tmp_path_factory.mktemp("prefix")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", "--prefix",
                    str(prefix), str(wheel)], check=True, timeout=300)
    return prefix


def run_installed(prefix: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    purelib = sysconfig.get_path("purelib", vars={"base": str(prefix), "platbase": str(prefix)})
    script = prefix / ("Scripts" if os.name == "nt" else "bin") / "moscow-1956"
    env = {**os.environ, "PYTHONPATH": purelib, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, timeout=120,
                          cwd=cwd, env=env)


def test_the_wheel_carries_the_content_art_pages_and_a_console_script(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("game/_data/scenarios/moscow-1956/scenario.yaml", "game/_data/scenarios/moscow-1956/source.md",
                   "game/_data/dialogue/moscow-1956/common/act1.yaml", "game/_data/art/out/icon.png",
                   "game/_data/docs/teachers/guide.md", "game/web/templates/play.html",
                   "game/web/templates/print/minutes.html", "game/web/static/style.css", "game/web/static/game.js"):
        assert needed in names, needed
    assert any(n.startswith("game/_data/art/fonts/") and n.endswith(".ttf") for n in names)
    assert not any("/tests/" in n or n.startswith("tests/") or "__pycache__" in n for n in names)
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "moscow-1956 = game.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_the_installed_command_validates_and_serves_without_the_checkout(installed: Path, tmp_path: Path):
    done = run_installed(installed, "validate", cwd=tmp_path)
    assert done.returncode == 0 and "Content is valid" in done.stdout + done.stderr, done.stdout + done.stderr
    done = run_installed(installed, "serve", "--help", cwd=tmp_path)
    assert done.returncode == 0 and "--database-url" in done.stdout and "--class" in done.stdout
    where = run_installed(installed, "play", "--text", "--autoplay", "record", "--role", "shah", "--path", "short",
                          "--no-results", cwd=tmp_path)
    assert where.returncode == 0 and "Record match" in where.stdout, where.stderr[-2000:]


def test_the_package_depends_on_the_ranges_of_requirements_txt(project_root: Path):
    declared = tomllib.loads((project_root / "pyproject.toml").read_text())["project"]["dependencies"]
    wanted = [line.split("#")[0].strip() for line in (project_root / "requirements.txt").read_text().splitlines()]
    as_set = lambda items: {str(Requirement(i)) for i in items if i}   # noqa: E731
    assert as_set(declared) == as_set(wanted)
