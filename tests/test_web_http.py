"""The browser edition over plain HTTP: every page works without JavaScript, forms carry CSRF
tokens, cookies are unguessable and safe, bad requests get clear pages, never a 500 for a
client's mistake, and a game survives a server restart."""

from __future__ import annotations

import http.client
import re
import urllib.parse
from pathlib import Path

import pytest

from game.results.db import ResultsDB

from .web_support import Browser, LiveServer, play_to_end, start


@pytest.mark.parametrize("role", ["shah", "soviet", "both"])
@pytest.mark.parametrize("path", ["short", "full"])
def test_every_role_and_path_plays_to_the_debrief_without_javascript(server, role, path):
    browser = Browser(server.url)
    start(browser, role, path)
    choices = play_to_end(browser, pick=lambda n, count: n)
    assert choices >= 5
    assert "Record match:" in browser.last and 'data-testid="debrief"' in browser.last
    with ResultsDB(server.results_path, readonly=True) as db:
        [session] = db.sessions()
    assert session.mode == "web" and session.status == "finished" and session.path == path


def test_security_headers_and_cookie(server):
    browser = Browser(server.url)
    status, headers, text = browser.get("/")
    assert status == 200 and '<html lang="en"' in text
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
    assert headers["referrer-policy"] == "no-referrer" and headers["x-content-type-options"] == "nosniff"
    cookie = browser.request("GET", "/")[1].get("set-cookie")
    assert cookie is None                                  # a known browser gets no new cookie
    fresh = Browser(server.url)
    fresh.get("/")
    assert len(fresh.cookies["m56"]) == 32                 # 192 random bits
    raw = http.client.HTTPConnection("127.0.0.1", int(server.url.rsplit(":", 1)[1]))
    raw.request("GET", "/")
    set_cookie = raw.getresponse().getheader("set-cookie")
    assert "HttpOnly" in set_cookie and "SameSite=strict" in set_cookie.replace("Strict", "strict")
    assert "<script>" not in text and "style=" not in text   # no inline script or style (CSP)


def test_a_post_without_the_players_csrf_token_changes_nothing(server):
    browser = Browser(server.url)
    start(browser)
    before = browser.last
    at = re.search(r'name="at" value="([^"]*)"', before).group(1)
    for token in ("", "forged", browser.csrf()[:-1] + "x"):
        data = urllib.parse.urlencode({"csrf": token, "at": at}).encode()
        status, _, text = browser.request("POST", "/next", data)
        assert status == 200 and "out of date" in text
    other = Browser(server.url)                           # another browser's token and cookie
    other.get("/")
    data = urllib.parse.urlencode({"csrf": other.csrf(), "at": at}).encode()
    browser.request("POST", "/next", data)
    status, _, text = browser.get("/play")
    assert re.search(r'name="at" value="([^"]*)"', text).group(1) == at     # still the same line


@pytest.mark.parametrize("cookie", ["", "x", "a" * 32, "../../etc/passwd", "é" * 40, "A" * 5000])
def test_a_tampered_or_stale_cookie_starts_fresh_never_a_500(server, cookie):
    browser = Browser(server.url)
    browser.cookies["m56"] = urllib.parse.quote(cookie)
    status, _, text = browser.get("/play")
    assert status == 200 and 'data-testid="role-shah"' in text       # the title, with a new player
    assert browser.cookies["m56"] != urllib.parse.quote(cookie)


@pytest.mark.parametrize("path", ["/nowhere", "/static/../app.py", "/fonts/../../main.py", "/fonts/x.ttf",
                                  "/static/nothing.css", "/glossary/extra"])
def test_unknown_urls_get_a_404_page(server, path):
    status, headers, text = Browser(server.url).get(path)
    assert status == 404 and "There is no such page" in text and "Traceback" not in text


def test_request_bodies_are_capped(server):
    browser = Browser(server.url)
    browser.get("/")
    big = urllib.parse.urlencode({"csrf": browser.csrf(), "role": "shah", "pad": "x" * 100_000}).encode()
    status, _, text = browser.request("POST", "/new", big, follow=False)
    assert status == 413
    status, _, _ = browser.get("/")
    assert status == 200                                  # and the server goes on


def test_bad_form_values_are_refused_with_a_message(server):
    browser = Browser(server.url)
    browser.get("/")
    for fields in ({"role": "tsar", "path": "short"}, {"role": "shah", "path": "long"}, {}):
        status, _, text = browser.post("/new", **fields)
        assert status == 200 and "Choose a chair" in text
    start(browser)
    before = browser.testids("option")
    for option, at in (("99", "nowhere"), ("0", ""), ("-1", "x"), ("1", "not-this-choice")):
        status, _, text = browser.post("/choose", option=option, at=at)
        assert status == 200 and browser.testids("option") == before   # the same choice, still open


def test_an_exception_gives_a_page_that_says_what_to_do_and_keeps_the_game(server, monkeypatch):
    browser = Browser(server.url)
    start(browser, "shah", "short")
    play_to_end_at = re.search(r'name="at" value="([^"]*)"', browser.last).group(1)
    site = server.app.state.site
    monkeypatch.setattr(site.glossed, "linked", lambda text: 1 / 0)
    status, _, text = browser.get("/play")
    assert status == 500 and "Your game is kept" in text and "Traceback" not in text
    monkeypatch.undo()
    status, _, text = browser.get("/play")
    assert status == 200 and re.search(r'name="at" value="([^"]*)"', text).group(1) == play_to_end_at


def test_a_game_survives_a_server_restart_and_resumes_at_the_same_choice(server):
    browser = Browser(server.url)
    start(browser, "soviet", "full")
    for _ in range(400):
        if 'name="option"' in browser.last:
            break
        browser.post("/next", at=re.search(r'name="at" value="([^"]*)"', browser.last).group(1))
    first = re.search(r'name="at" value="([^"]*)"', browser.last).group(1)
    browser.post("/choose", option="1", at=first)
    for _ in range(400):
        if 'name="option"' in browser.last:
            break
        browser.post("/next", at=re.search(r'name="at" value="([^"]*)"', browser.last).group(1))
    second = re.search(r'name="at" value="([^"]*)"', browser.last).group(1)
    server.restart()                                       # nothing in memory survives
    browser.base = server.url
    status, _, text = browser.get("/play")
    assert status == 200
    browser.last = text
    for _ in range(400):                                   # the lines after the last decision, again
        if 'name="option"' in browser.last:
            break
        browser.post("/next", at=re.search(r'name="at" value="([^"]*)"', browser.last).group(1))
    assert re.search(r'name="at" value="([^"]*)"', browser.last).group(1) == second
    play_to_end(browser)
    with ResultsDB(server.results_path, readonly=True) as db:
        assert [s.status for s in db.sessions()] == ["finished"]


def test_continue_where_you_left_off_is_bound_to_the_cookie(server):
    browser = Browser(server.url)
    start(browser, "shah", "short")
    status, _, text = browser.get("/")
    assert 'data-testid="resume"' in text and "the Shah of Iran" in text
    other = Browser(server.url)
    status, _, text = other.get("/")
    assert 'data-testid="resume"' not in text


def test_pages_are_small_and_self_contained(server):
    browser = Browser(server.url)
    start(browser, "shah", "full")
    sizes = {}
    for page in ("/", "/play", "/source", "/glossary", "/sources", "/log", "/settings"):
        status, _, text = browser.get(page)
        assert status == 200
        sizes[page] = len(text.encode())
        for url in re.findall(r'(?:src|href)="([^"#]+)"', text):
            assert url.startswith("/") and not url.startswith("//"), (page, url)   # nothing from elsewhere
    assert max(v for k, v in sizes.items() if k not in ("/source",)) < 100_000, sizes
    css = browser.get("/static/style.css")[2]
    assert "url(" in css and all(u.startswith('"/fonts/') for u in re.findall(r"url\(([^)]+)\)", css))


def test_the_mini_fixture_plays_in_the_browser(mini_scenario, tmp_path):
    live = LiveServer(mini_scenario, tmp_path).start()
    try:
        browser = Browser(live.url)
        start(browser, "guest", "full")
        play_to_end(browser)
        assert "Tea" in browser.last and "Record match:" in browser.last
    finally:
        live.stop()


def test_serve_prints_its_address_listens_on_localhost_and_stops_on_sigterm(project_root: Path, tmp_path: Path):
    import os
    import signal
    import subprocess
    import sys

    env = {**os.environ, "MOSCOW1956_HOME": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, str(project_root / "main.py"), "serve", "--port", "0"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        url = re.search(r"http://[^\s]+", line).group(0)
        assert url.startswith("http://127.0.0.1:")
        status = Browser(url.rstrip("/")).get("/")[0]
        assert status == 200
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


def test_what_others_wrote_is_reached_from_the_source_and_the_debrief(server, shipped):
    browser = Browser(server.url)
    status, _, page = browser.get("/witnesses")
    assert status == 200 and page.count('class="witness"') == len(shipped.witnesses)
    for w in shipped.witnesses:
        assert f'id="w-{w.id}"' in page
        assert all(f'href="/source#p{p}"' in page for p in w.refs)
    _, _, source = browser.get("/source")
    for w in shipped.witnesses:
        section = source.split(f'id="p{w.refs[0]}"', 1)[1].split("</section>", 1)[0]
        assert f'href="/witnesses#w-{w.id}"' in section                  # beside its paragraph
    start(browser, "shah", "short")
    play_to_end(browser)
    assert 'href="/witnesses"' in browser.last
    _, _, sources = browser.get("/sources")
    assert "what others wrote:" in sources


def test_for_teachers_prints_the_whole_kit_with_the_map(server, project_root):
    browser = Browser(server.url)
    _, _, title = browser.get("/")
    assert 'href="/teachers"' in title
    status, headers, page = browser.get("/teachers")
    assert status == 200 and "the teacher's kit" in page
    for name in ("readme", "guide", "background", "vocabulary", "worksheet", "answers", "standards", "map"):
        assert f'id="{name}"' in page, name
    assert "<table>" in page and 'src="/art/map.png"' in page
    assert 'href="guide.md"' not in page and 'href="#guide"' in page          # links within the one page
    guide = (project_root / "docs" / "teachers" / "guide.md").read_text(encoding="utf-8")
    first_heading = next(line[2:].strip() for line in guide.splitlines() if line.startswith("# "))
    assert first_heading.split(":")[0] in page
    assert "'sha256-" in headers["content-security-policy"] and "<script" not in page
    status, headers, _ = browser.get("/art/map.png")
    assert status == 200 and headers["content-type"] == "image/png"
    for bad in ("/art/../scenarios/moscow-1956/scenario.yaml", "/art/nothing.png", "/art/map.PNG", "/art/.x.png"):
        assert browser.get(bad)[0] == 404, bad


def test_the_kit_shows_raw_html_in_a_file_as_text(tmp_path, project_root):
    import shutil

    from game.results.teachers import read_kit, teachers_html

    (tmp_path / "docs").mkdir()
    shutil.copytree(project_root / "docs" / "teachers", tmp_path / "docs" / "teachers")
    (tmp_path / "docs" / "teachers" / "guide.md").write_text("# Guide\n\n<script>alert(1)</script> [x](javascript:alert(1))\n")
    html = teachers_html(read_kit(tmp_path), "T")
    assert "<script>alert" not in html and "&lt;script&gt;" in html and 'href="javascript:' not in html
    assert 'id="map"' not in html                      # no map in this content folder


def test_the_glossary_and_the_source_show_the_map_when_the_content_has_one(server):
    browser = Browser(server.url)
    for path in ("/glossary", "/source"):
        _, _, page = browser.get(path)
        assert '<details class="map">' in page and 'src="/art/map.png"' in page and 'alt="Map of Iran' in page


def test_starting_another_game_from_the_title_starts_it_and_the_old_one_is_recorded_once(server):
    """A student in the middle of a game goes to the title and takes another chair: they get the
    new game (not the old one back), and the old one is recorded once, as cut short."""
    browser = Browser(server.url)
    start(browser, "shah", "short")
    options = re.findall(r'name="option" value="(\d+)"', browser.last)
    while not options:
        browser.post("/next", at=re.search(r'name="at" value="([^"]*)"', browser.last).group(1))
        options = re.findall(r'name="option" value="(\d+)"', browser.last)
    browser.post("/choose", option=options[0], at=re.search(r'name="at" value="([^"]*)"', browser.last).group(1))
    browser.get("/")
    browser.post("/new", role="soviet", path="full")
    assert browser.testids("begin") and "Soviet delegation" in browser.last    # the new chair's introduction
    browser.post("/begin")
    browser.get("/")
    assert "Continue: the Soviet delegation" in browser.last
    browser.get("/play")
    choices = play_to_end(browser)
    assert choices >= 5
    with ResultsDB(server.results_path, readonly=True) as db:
        rows = sorted((s.roles, s.status) for s in db.sessions())
    assert rows == [("shah", "abandoned"), ("soviet", "finished")], rows
