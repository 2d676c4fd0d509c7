"""The wheel carries the game's content and art inside the package (game/_data), so `pip install .`
or `pipx install .` gives a `moscow-1956` command that plays, serves and validates anywhere, without
the checkout. Everything else about the package is in pyproject.toml."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
CONTENT = ("scenarios", "dialogue", "art/fonts", "art/out", "docs/teachers")


class BuildWithContent(build_py):
    """build_py, then a copy of the content folders into the built package's _data folder."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "game" / "_data"
        for folder in CONTENT:
            source = HERE / folder
            if source.is_dir():
                shutil.copytree(source, target / folder, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))


setup(cmdclass={"build_py": BuildWithContent})
