"""Shared test set-up: headless SDL, the project's content and a tiny scenario to break."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
# Settings, saves, results and the content cache go to a throw-away folder: this one for what is
# made once a session (the shared fixtures), and each test's own (`own_home` below) for the rest.
SESSION_HOME = tempfile.mkdtemp(prefix="moscow1956-tests-")
os.environ["MOSCOW1956_HOME"] = SESSION_HOME

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


@pytest.fixture(scope="session", autouse=True)
def warm_cache():
    """The shipped content checked and cached once, in the session's folder (see `own_home`);
    the folder goes when the session ends."""
    import shutil

    from game.engine.checked import load_scenario

    load_scenario(ROOT, "moscow-1956", cached=True)
    yield
    shutil.rmtree(SESSION_HOME, ignore_errors=True)


@pytest.fixture(autouse=True)
def own_home(warm_cache, tmp_path_factory, monkeypatch) -> Path:
    """Each test its own settings, saves, results and cache: nothing one test leaves behind (a
    setting, an autosave, a results row) can change what another sees. The session's signed
    content cache is copied in, so a test that loads the shipped content does not parse it again."""
    import shutil

    home = tmp_path_factory.mktemp("home")
    for name in ("cache", "cache.key"):
        source = Path(SESSION_HOME) / name
        if source.is_dir():
            shutil.copytree(source, home / name)
        elif source.is_file():
            shutil.copy2(source, home / name)
            (home / name).chmod(0o600)
    monkeypatch.setenv("MOSCOW1956_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A private copy of the tiny valid scenario, for tests that break it on purpose."""
    target = tmp_path / "content"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture(scope="session")
def mini_scenario():
    from game.engine.checked import load_scenario

    return load_scenario(MINI)


@pytest.fixture(scope="session")
def shipped():
    from game.engine.checked import load_scenario

    return load_scenario(ROOT, "moscow-1956")


@pytest.fixture(scope="module")
def chromium():
    """The machine's own Chromium through Playwright (one a test module): `make test` finds or
    installs it; the browser tests are never skipped for want of one."""
    from playwright.sync_api import sync_playwright

    from .web_support import CHROMIUM_FLAGS, chromium_path

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def server(shipped, tmp_path):
    """The browser edition of the shipped scenario on 127.0.0.1, with its own store and results."""
    from .web_support import LiveServer

    live = LiveServer(shipped, tmp_path).start()
    yield live
    live.stop()
