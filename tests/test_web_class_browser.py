"""The live classroom in a real Chromium: a pair on two browser contexts (each sees the other's
move without reloading), the teacher's dashboard updating while three students play, a server
restart in the middle of a class, and the access matrix through each visitor's own browser."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

CHROMEBOOK = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}






def wait_until(check, seconds: float = 10.0, what: str = "") -> None:
    """Poll `check` (a page that is reloading meanwhile counts as not yet)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if check():
                return
        except PlaywrightError:
            pass
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.05)


def join(chromium, server, code: str, name: str, viewport=PHONE) -> Page:
    page = chromium.new_context(viewport=viewport).new_page()
    page.goto(server.url + "/")
    page.fill("#join-code", code)
    with page.expect_navigation():
        page.click("[data-testid=join-code]")
    page.fill("#name", name)
    with page.expect_navigation():
        page.click("[data-testid=join]")
    assert page.locator("#class-h").inner_text() == "Period 3"
    return page


def to_the_table(page: Page, role: str | None = None) -> None:
    with page.expect_navigation():
        page.click(f"[data-testid=role-{role}]" if role else "[data-testid=begin-class]")
    with page.expect_navigation():
        page.click("[data-testid=begin]")


def reveal_all(page: Page) -> None:
    """Continue through the lines game.js shows one at a time, until the page's choice shows."""
    for _ in range(200):
        button = page.locator("[data-testid=continue]:visible")
        if not button.count() or button.get_attribute("type") != "button":
            return
        button.click()


def options(page: Page):
    return page.locator("[data-testid=option]:visible")


def teacher_control(page: Page, testid: str) -> None:
    with page.expect_navigation():
        page.click(f"[data-testid={testid}]")


def test_a_pair_on_two_devices_each_sees_the_others_move_without_reloading(chromium, server):
    opened = server.app.state.site.classroom.open("Period 3", "short", assign="pairs")
    a = join(chromium, server, opened.row.code, "Ann")
    b = join(chromium, server, opened.row.code, "Bo", viewport=CHROMEBOOK)
    teacher = chromium.new_context(viewport=CHROMEBOOK).new_page()
    teacher.goto(f"{server.url}/teach/{opened.token}")
    with teacher.expect_navigation():
        teacher.click("text=Pair the students still waiting, at random")
    for page in (a, b):                       # each lobby moved on by itself once paired
        wait_until(lambda page=page: "Your partner:" in page.content(), what="the lobby to show the partner")
    to_the_table(a)
    to_the_table(b)
    moves = 0
    for _ in range(400):
        if all(p.locator("[data-testid=debrief]").count() for p in (a, b)):
            break
        for page in (a, b):
            if page.locator("[data-testid=debrief]").count():
                continue
            reveal_all(page)
            if options(page).count():
                other = b if page is a else a
                assert other.locator("[data-testid=waiting]").count() == 1    # the partner waits …
                assert "Waiting for the" in other.locator("[data-testid=waiting]").inner_text()
                kept = other.evaluate("window.__kept = (window.__kept || 0) + 1")
                with page.expect_navigation():
                    options(page).first.click()
                moves += 1
                said = page.locator(".talk .said").last.inner_text() if page.locator(".talk .said").count() else ""
                # … and sees the move without touching anything (its page was reloaded by its stream)
                wait_until(lambda other=other, kept=kept: other.evaluate("window.__kept || 0") != kept,
                           what="the partner's page to follow the move")
                other.wait_for_load_state("domcontentloaded")
                if said and not other.locator("[data-testid=waiting]").count():
                    assert said in other.content() or other.locator("[data-testid=continue]").count()
            elif page.locator("form[action='/next'] [data-testid=continue]").count():
                with page.expect_navigation():
                    page.click("form[action='/next'] [data-testid=continue]")
    else:
        raise AssertionError("the pair never reached the debrief")
    assert moves >= 4
    for page in (a, b):
        text = page.locator("main").inner_text()
        assert "The Shah of Iran" in text and "The Soviet delegation" in text and "The minutes" in text
    wait_until(lambda: teacher.locator("[data-testid=finished-count]").inner_text() == "2", what="the dashboard")


def test_the_dashboard_follows_three_students_without_reloading(chromium, server):
    opened = server.app.state.site.classroom.open("Period 3", "short")
    teacher = chromium.new_context(viewport=CHROMEBOOK).new_page()
    teacher.goto(f"{server.url}/teach/{opened.token}")
    teacher.evaluate("window.__kept = 'same page'")
    count = teacher.locator("[data-testid=joined-count]")
    students = []
    for n, name in enumerate(("Zelda", "Quincy", "Xavi"), 1):
        students.append(join(chromium, server, opened.row.code, name))
        wait_until(lambda n=n: count.inner_text() == str(n), what=f"{n} joined")
    for page, role in zip(students, ("shah", "soviet", "shah"), strict=True):
        to_the_table(page, role)
    first = students[0]
    reveal_all(first)
    with first.expect_navigation():
        options(first).first.click()
    wait_until(lambda: "1 of 1" in teacher.locator("#panel").inner_text()
               or "0 of 1" in teacher.locator("#panel").inner_text(), what="the first bar")
    for page in students:                    # all three play to the end
        for _ in range(400):
            if page.locator("[data-testid=debrief]").count():
                break
            reveal_all(page)
            if options(page).count():
                with page.expect_navigation():
                    options(page).first.click()
            else:
                with page.expect_navigation():
                    page.click("form[action='/next'] [data-testid=continue]")
    wait_until(lambda: teacher.locator("[data-testid=finished-count]").inner_text() == "3", what="3 finished")
    panel = teacher.locator("#panel").inner_text()
    assert "Endings reached" in panel and "Zelda" in panel and "Xavi" in panel
    assert teacher.evaluate("window.__kept") == "same page"          # never reloaded
    projector = chromium.new_context(viewport=CHROMEBOOK).new_page()
    projector.goto(f"{server.url}/teach/{opened.token}/projector")
    text = projector.locator("main").inner_text()
    assert opened.row.code in text and "3" in projector.locator("[data-testid=finished-count]").inner_text()
    assert not any(name in projector.content() for name in ("Zelda", "Quincy", "Xavi"))   # no names on the projector


def test_the_panel_waits_while_the_teacher_is_using_it(chromium, server):
    """A side picked in a student's row (not yet set) is not swept away by the next live update;
    the panel catches up as soon as the focus leaves it."""
    opened = server.app.state.site.classroom.open("Period 3", "short")
    teacher = chromium.new_context(viewport=CHROMEBOOK).new_page()
    teacher.goto(f"{server.url}/teach/{opened.token}")
    student = join(chromium, server, opened.row.code, "Zelda")
    wait_until(lambda: teacher.locator("[data-testid=joined-count]").inner_text() == "1", what="1 joined")
    seat = teacher.locator("#seat-1")
    seat.focus()
    seat.select_option("soviet")                 # picked, focused, not yet set
    assert teacher.evaluate("document.activeElement.id") == "seat-1"
    to_the_table(student, "shah")
    reveal_all(student)
    with student.expect_navigation():
        options(student).first.click()
    time.sleep(2.5)                              # long past the next update (at most one a second)
    assert seat.input_value() == "soviet"
    assert teacher.evaluate("document.activeElement.id") == "seat-1"
    assert "not started" in teacher.locator("#panel").inner_text()
    teacher.locator("h1").first.click()          # the focus leaves the panel: it catches up
    wait_until(lambda: "not started" not in teacher.locator("#panel").inner_text(), what="the panel to catch up")


def test_a_restart_in_the_middle_of_a_class_loses_nothing_and_the_pages_go_on(chromium, server):
    opened = server.app.state.site.classroom.open("Period 3", "short")
    teacher = chromium.new_context(viewport=CHROMEBOOK).new_page()
    teacher.goto(f"{server.url}/teach/{opened.token}")
    student = join(chromium, server, opened.row.code, "Ann")
    to_the_table(student, "shah")
    reveal_all(student)
    with student.expect_navigation():
        options(student).first.click()
    said = student.locator(".talk .said").all_inner_texts()
    port = server.url.rsplit(":", 1)[1]
    server.stop()
    server.start_on(int(port))
    student.reload()
    assert student.locator(".talk .said").all_inner_texts() == said
    reveal_all(student)
    assert options(student).count() or student.locator("[data-testid=continue]").count()
    wait_until(lambda: teacher.locator("[data-testid=joined-count]").inner_text() == "1", what="the dashboard")
    with student.expect_navigation():
        options(student).first.click()                                    # the stream reconnected
    wait_until(lambda: re.search(r"[12] of [12]", teacher.locator("#panel").inner_text()) is not None,
               what="the dashboard to follow after the restart")


def test_access_matrix_through_each_visitors_own_browser(chromium, server):
    """The same cells as the HTTP matrix, with each visitor's real cookies: teacher pages only by
    their own class's token, a student's pages only their own game."""
    room = server.app.state.site.classroom
    one, two = room.open("Period 3", "short"), room.open("Period 4", "short")
    a = join(chromium, server, one.row.code, "Ann")
    b = join(chromium, server, one.row.code, "Bea")
    to_the_table(a, "shah")
    visitors = {"anonymous": chromium.new_context().new_page(), "A": a, "B": b}
    visitors["anonymous"].goto(server.url + "/")
    for name, page in visitors.items():
        for token, expected in ((one.token, 200), (two.token, 200), (one.token[:-2], 404), ("guess" * 6, 404)):
            for suffix in ("", "/panel", "/projector", "/export.csv", "/report.html"):
                response = page.request.get(f"{server.url}/teach/{token}{suffix}")
                assert response.status == expected, (name, suffix, response.status)
                response.dispose()
        response = page.request.post(f"{server.url}/teach/{one.token}/control", form={"action": "end"})
        assert response.status == 403, name
    assert not server.store.get_class(one.row.id).ended
    logs = {name: re.findall(r'<p class="said">(.*?)</p>', page.request.get(server.url + "/log").text())
            for name, page in visitors.items()}
    assert logs["A"] and logs["B"] == [] and logs["anonymous"] == []
