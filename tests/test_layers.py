"""The layers of docs/design.md §4 hold: the engine, the play-session layer, the results, the store and the
text mode import neither pygame nor the window (game.ui) nor the browser edition (game.web), not
even inside a function. Checked twice: every import statement in their source, and what importing
every one of their modules really loads in a fresh interpreter."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOWER = ("game.engine", "game.session", "game.results", "game.text", "game.store")
FORBIDDEN = ("pygame", "game.ui", "game.web", "starlette", "uvicorn")   # Jinja2 is shared: the minutes and report are templates too


def modules(package: str) -> list[tuple[str, Path]]:
    folder = ROOT / package.replace(".", "/")
    found = []
    for path in sorted(folder.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found.append((".".join(parts[:-1] if parts[-1] == "__init__" else parts), path))
    return found


def imported(name: str, path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in the file, relative imports resolved."""
    is_package = path.name == "__init__.py"
    base = name.split(".") if is_package else name.split(".")[:-1]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = base[:len(base) - node.level + 1]
                target = ".".join(anchor + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            out.append((node.lineno, target))
            out += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
    return out


def forbidden(module: str) -> bool:
    return any(module == f or module.startswith(f + ".") for f in FORBIDDEN)


@pytest.mark.parametrize("package", LOWER)
def test_no_lower_layer_names_pygame_the_window_or_the_web_in_any_import(package):
    found = [f"{path.relative_to(ROOT)}:{line}: imports {target}"
             for name, path in modules(package) for line, target in imported(name, path) if forbidden(target)]
    assert not found, "\n".join(found)


def test_the_checker_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "x.py"
    module.write_text("def f():\n    from ..ui.settings import data_dir\n    import pygame\n")
    targets = [t for _, t in imported("game.results.x", module)]
    assert "game.ui.settings" in targets and "pygame" in targets and all(map(forbidden, ("game.ui.settings", "pygame")))


def test_importing_every_lower_module_loads_none_of_them():
    names = [name for package in LOWER for name, _ in modules(package)]
    script = ("import importlib, json, sys\n"
              f"for name in {names!r}:\n    importlib.import_module(name)\n"
              "print(json.dumps(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    loaded = [m for m in json.loads(done.stdout) if forbidden(m)]
    assert not loaded, loaded


def test_each_test_has_a_home_of_its_own_with_only_the_warm_cache_in_it(own_home):
    import os

    from game.paths import config_dir, data_dir

    assert os.environ["MOSCOW1956_HOME"] == str(own_home) == str(config_dir()) == str(data_dir())
    assert sorted(p.name for p in own_home.iterdir()) == ["cache", "cache.key"]   # no settings, saves or results yet
    (own_home / "settings.json").write_text("{}")     # left behind on purpose: the next test must not see it


def test_what_the_test_before_left_in_its_home_is_not_in_this_one(own_home):
    assert not (own_home / "settings.json").exists()
