"""The browser edition in a real Chromium: complete plays by mouse, touch and keyboard, with
JavaScript off, two players on one device, a server restart in the middle, an accessibility audit
(axe-core) of every page type, an audit of every request, reflow, targets, and screenshots."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page

from game.results.db import ResultsDB

CHROMEBOOK = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
AXE = Path(__import__("axe_playwright_python").__file__).parent / "axe.min.js"
SHOTS = Path(os.environ["MOSCOW1956_SHOTS"]) if os.environ.get("MOSCOW1956_SHOTS") else None






def page_for(chromium, viewport=CHROMEBOOK, **options) -> Page:
    context = chromium.new_context(viewport=viewport, **options)
    return context.new_page()


def go(page: Page, act, locator) -> None:
    """Click, tap or press, and wait for the page it leads to; Continue between the lines of one
    page (game.js shows them a line at a time) leads to no new page."""
    if locator.get_attribute("type") == "button":
        act(locator)
        return
    with page.expect_navigation(wait_until="domcontentloaded"):
        act(locator)


def click(page: Page, selector: str) -> None:
    go(page, lambda loc: loc.click(), page.locator(selector).first)


def wait_for_focus(page: Page, testid: str, seconds: float = 10.0) -> None:
    """The page's script puts the focus on what comes next (polled: the CSP forbids eval)."""
    import time

    from playwright.sync_api import Error

    deadline = time.monotonic() + seconds
    while True:
        try:   # a page still loading has no context to ask yet: ask again
            if page.evaluate("document.activeElement ? document.activeElement.dataset.testid || '' : ''") == testid:
                return
        except Error:
            pass
        assert time.monotonic() < deadline, f"the focus never reached {testid}"
        time.sleep(0.02)


def key(page: Page, name: str, navigates: bool = True) -> None:
    if not navigates:
        page.keyboard.press(name)
        return
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.keyboard.press(name)


def reveals(page: Page) -> bool:
    """Continue shows the next line of this page (no request)."""
    button = page.locator("[data-testid=continue]")
    return button.count() > 0 and button.get_attribute("type") == "button"


OPTION = "[data-testid=option]:visible"
READY = "form[action='/ready']:visible"


def at_choice(page: Page) -> bool:
    return page.locator(OPTION).count() > 0


def play(page: Page, act, pick=lambda n, count: 0, limit: int = 3000) -> dict:
    """Continue and choose until the debrief; `act(locator)` clicks, taps or presses."""
    seen = {"choices": 0, "handovers": 0, "pages": set()}
    for _ in range(limit):
        if page.locator("[data-testid=debrief]").count():
            return seen
        seen["pages"].add(page.url.split("#")[0].rsplit("/", 1)[-1])
        options = page.locator(OPTION)
        if options.count():
            go(page, act, options.nth(pick(seen["choices"], options.count()) % options.count()))
            seen["choices"] += 1
        else:
            if page.locator(READY).count():
                seen["handovers"] += 1
            go(page, act, page.locator("[data-testid=continue]"))
    raise AssertionError(f"no debrief; at {page.url}")


def start(page: Page, server, role="shah", path="short", act=lambda loc: loc.click()):
    page.goto(server.url + "/")
    act(page.locator(f"[data-testid=path-{path}]"))
    go(page, act, page.locator(f"[data-testid=role-{role}]"))
    go(page, act, page.locator("[data-testid=begin]"))


def test_a_whole_game_by_mouse_on_a_chromebook(chromium, server):
    page = page_for(chromium)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    start(page, server, "shah", "full")
    seen = play(page, lambda loc: loc.click(), pick=lambda n, count: n % 2 * (count - 1))
    assert seen["choices"] >= 6 and "Record match" in page.inner_text("[data-testid=debrief]")
    with ResultsDB(server.results_path, readonly=True) as db:
        assert [(s.mode, s.status, s.path) for s in db.sessions()] == [("web", "finished", "full")]
    click(page, "a[href='/minutes']")                    # the printable minutes, styled under the CSP
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert errors == []                                   # no CSP violation, no script error on the way


def test_a_whole_game_by_touch_on_a_phone(chromium, server):
    page = page_for(chromium, PHONE, has_touch=True, is_mobile=True, device_scale_factor=2)
    start(page, server, "soviet", "short", act=lambda loc: loc.tap())
    seen = play(page, lambda loc: loc.tap(), pick=lambda n, count: n * 2)
    assert seen["choices"] >= 5 and "Record match" in page.inner_text("[data-testid=debrief]")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]                     # no sideways scrolling on a phone


def test_a_whole_game_by_keyboard_alone(chromium, server):
    page = page_for(chromium)
    page.goto(server.url + "/")
    # the title by Tab, arrows and Enter: Tab into the paths (the focus lands on the checked one),
    # arrows to the short path, as in any radio group, then Tab to the Shah's chair
    focused = "document.activeElement ? document.activeElement.dataset.testid || '' : ''"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate(focused).startswith("path-"):
            break
    for _ in range(5):
        if page.evaluate(focused) == "path-short":
            break
        page.keyboard.press("ArrowUp")
    assert page.is_checked("[data-testid=path-short]")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate(focused) == "role-shah":
            break
    assert page.evaluate(focused) == "role-shah"
    key(page, "Enter")
    wait_for_focus(page, "begin")
    key(page, "Enter")
    choices = 0
    for _ in range(600):
        if page.locator("[data-testid=debrief]").count():
            break
        if at_choice(page):
            page.wait_for_load_state()
            assert page.evaluate("document.activeElement.dataset.testid") != "option"   # nothing pre-selected
            page.keyboard.press("Enter")                   # Enter never answers a choice
            page.keyboard.press("Space")
            assert at_choice(page) and page.url.endswith("/play")
            count = page.locator(OPTION).count()
            page.wait_for_timeout(400)                     # options ignore presses in their first moment
            key(page, str(1 + choices % count))            # 1–9 choose
            choices += 1
        else:
            wait_for_focus(page, "continue")
            key(page, "Enter", navigates=not reveals(page))  # Enter continues
    assert page.locator("[data-testid=debrief]").count() and choices >= 5


def test_keys_b_s_g_l_do_what_the_window_does(chromium, server):
    page = page_for(chromium)
    start(page, server, "shah", "short")
    for _ in range(200):
        if at_choice(page):
            break
        click(page, "[data-testid=continue]")
    page.wait_for_timeout(400)
    key(page, "1")
    for name, path in (("s", "/source"), ("g", "/glossary"), ("l", "/log")):
        key(page, name)
        assert page.url.split("#")[0].endswith(path), (name, page.url)
        page.go_back()
    key(page, "b")                                         # back to the last choice
    assert at_choice(page)


@pytest.mark.parametrize("role", ["shah", "soviet", "both"])
def test_a_whole_game_with_javascript_off(chromium, server, role):
    page = page_for(chromium, java_script_enabled=False)
    start(page, server, role, "short")
    seen = play(page, lambda loc: loc.click(), pick=lambda n, count: n)
    assert "Record match" in page.inner_text("[data-testid=debrief]")
    if role == "both":
        assert seen["handovers"] >= 2


def test_two_players_on_one_device_hand_over_before_each_change_of_side(chromium, server):
    page = page_for(chromium)
    start(page, server, "both", "short")
    sides = []
    handovers = []
    for _ in range(3000):
        if page.locator("[data-testid=debrief]").count():
            break
        if page.locator(READY).count():
            handovers.append(page.inner_text(".handover .big"))
            click(page, "[data-testid=continue]")
        elif at_choice(page):
            sides.append(page.inner_text(".your-turn"))
            click(page, OPTION)
        else:
            click(page, "[data-testid=continue]")
    assert page.locator("[data-testid=debrief]").count()
    changes = [s for i, s in enumerate(sides) if i == 0 or s != sides[i - 1]]
    assert len(handovers) == len(changes) >= 2
    assert page.locator("#minutes").count()                # the pair's minutes show both sides


def test_restarting_the_server_in_the_middle_resumes_the_game(chromium, server):
    page = page_for(chromium)
    start(page, server, "shah", "short")
    for _ in range(2):
        for _ in range(300):
            if at_choice(page):
                break
            click(page, "[data-testid=continue]")
        click(page, OPTION)
    for _ in range(300):
        if at_choice(page):
            break
        click(page, "[data-testid=continue]")
    prompt = page.inner_text("legend")
    server.restart()
    page.goto(server.url + "/")                            # the same browser, the same cookie
    click(page, "[data-testid=resume]")
    for _ in range(300):
        if at_choice(page):
            break
        click(page, "[data-testid=continue]")
    assert page.inner_text("legend") == prompt
    play(page, lambda loc: loc.click())
    with ResultsDB(server.results_path, readonly=True) as db:
        assert [s.status for s in db.sessions()] == ["finished"]


# --- every page type -------------------------------------------------------------------------------

def visit_every_page_type(page: Page, server) -> dict[str, str]:
    """Go through one of each page; returns {name: url} and leaves screenshots when asked."""
    seen: dict[str, str] = {}

    def mark(name: str) -> None:
        page.wait_for_load_state()
        seen[name] = page.url
        yield_page(page, name)

    page.goto(server.url + "/")
    mark("title")
    for name, path in (("source", "/source#p76"), ("glossary", "/glossary"), ("sources", "/sources"),
                       ("witnesses", "/witnesses"), ("teachers", "/teachers"), ("settings", "/settings"),
                       ("not-found", "/nowhere")):
        page.goto(server.url + path)
        mark(name)
    page.goto(server.url + "/")
    page.click("[data-testid=path-short]")
    click(page, "[data-testid=role-both]")
    mark("intro")
    click(page, "[data-testid=begin]")
    mark("line")
    for _ in range(300):
        if page.locator(READY).count():
            if "handover" not in seen:
                mark("handover")
            click(page, "[data-testid=continue]")
        elif at_choice(page):
            if "choice" not in seen:
                mark("choice")
                page.goto(server.url + "/log")
                mark("log")
                page.goto(server.url + "/play")
                continue
            click(page, OPTION)
        elif page.locator("[data-testid=debrief]").count():
            break
        else:
            click(page, "[data-testid=continue]")
    mark("debrief")
    page.goto(server.url + "/minutes")
    mark("minutes")
    return seen


CURRENT_SHOTS: dict[str, Path] = {}


def yield_page(page: Page, name: str) -> None:
    folder = CURRENT_SHOTS.get("folder")
    if folder is not None:
        path = folder / f"{CURRENT_SHOTS['size']}-{name}.png"
        long_page = name in ("source", "glossary", "sources", "witnesses", "teachers", "debrief", "minutes", "log")
        page.screenshot(path=str(path), full_page=not long_page)   # a long document: its first screen
        assert path.stat().st_size > 5000


def axe_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}});
        return r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(' | '));
    }""")


VIEWPORTS = {"chromebook": CHROMEBOOK, "phone": PHONE, "320px": {"width": 320, "height": 640},
             "200%-zoom": {"width": 683, "height": 384}}


@pytest.mark.parametrize("name", list(VIEWPORTS))
def test_every_page_type_is_accessible_reflows_and_stays_on_its_origin(chromium, server, tmp_path, name):
    """One of each page at this size: an axe-core audit (WCAG 2.2 AA) with 0 violations, no
    sideways scrolling (320 px, 200 % zoom), every request to this server, and screenshots."""
    audit = name in ("chromebook", "phone")
    CURRENT_SHOTS.update(folder=SHOTS or tmp_path, size=name)
    page = page_for(chromium, VIEWPORTS[name], bypass_csp=audit)   # bypass only to inject axe; CSP tested elsewhere
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        pages = visit_every_page_type(page, server)
    finally:
        CURRENT_SHOTS.clear()
    assert {"title", "intro", "line", "choice", "handover", "log", "source", "glossary", "sources", "witnesses",
            "teachers", "settings", "debrief", "minutes", "not-found"} <= set(pages)
    assert requests and all(url.startswith(server.url + "/") for url in requests), \
        sorted({u for u in requests if not u.startswith(server.url)})
    problems = {}
    for page_name, url in pages.items():
        if page_name in ("handover", "choice", "line"):
            continue        # audited in their own state by the next test (the URL shows only what is current)
        page.goto(url)
        wide = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth + 1")
        if wide:
            problems[page_name] = ["scrolls sideways"]
        if audit:
            found = axe_violations(page)
            if found:
                problems.setdefault(page_name, []).extend(found)
    assert not problems, problems


def test_the_talks_pages_pass_axe_in_every_state(chromium, server):
    page = page_for(chromium, bypass_csp=True)
    start(page, server, "both", "short")
    audited = set()
    problems = {}
    for _ in range(400):
        state = ("debrief" if page.locator("[data-testid=debrief]").count() else
                 "handover" if page.locator(READY).count() else
                 "choice" if at_choice(page) else "line")
        if state not in audited:
            audited.add(state)
            found = axe_violations(page)
            if found:
                problems[state] = found
        if state == "debrief":
            break
        click(page, OPTION if state == "choice" else "[data-testid=continue]")
    assert audited == {"line", "choice", "handover", "debrief"} and not problems, problems


def test_targets_are_44px_and_reduced_motion_is_honoured(chromium, server):
    page = page_for(chromium, reduced_motion="reduce")
    start(page, server, "shah", "short")
    for _ in range(100):
        if at_choice(page):
            break
        click(page, "[data-testid=continue]")
    small = page.evaluate("""() => [...document.querySelectorAll('button, .button, header nav a, .tabs a')]
        .filter(e => e.offsetParent !== null)
        .map(e => [e.textContent.trim(), e.getBoundingClientRect().height, e.getBoundingClientRect().width])
        .filter(([t, h, w]) => h < 44 || w < 44)""")
    assert small == []
    assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"
    assert page.evaluate("document.documentElement.lang") == "en"
