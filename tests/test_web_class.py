"""The live classroom over plain HTTP: joining with a code, the teacher's controls, pairs on two
devices played to the end, exports, expiry, many classes on one server, and the access matrix
(every URL and action against every kind of visitor)."""

from __future__ import annotations

import csv
import io
import re
import time
import urllib.parse

import pytest

from game.results.db import ResultsDB

from .web_support import Browser, Served, play_to_end


def open_class(server, name="Period 3", path="short", **kw):
    return server.app.state.site.classroom.open(name, path, **kw)


def join(server, code: str, name: str = "") -> Browser:
    student = Browser(server.url)
    student.get(f"/join/{code}")
    status, _, text = student.post("/join", code=code, name=name)
    assert status == 200 and 'id="class-h"' in text, text[-1500:]        # the class's lobby
    return student


class Teacher(Browser):
    def __init__(self, server, token: str):
        super().__init__(server.url)
        self.token = token

    def dashboard(self) -> str:
        status, _, text = self.get(f"/teach/{self.token}")
        assert status == 200
        return text

    def control(self, action: str, **fields: str) -> int:
        self.dashboard()
        return self.post(f"/teach/{self.token}/control", action=action, **fields)[0]

    def count(self, what: str) -> int:
        _, _, text = self.get(f"/teach/{self.token}/panel")
        return int(re.search(rf'data-testid="{what}-count">(\d+)<', text).group(1))


def at(browser: Browser) -> str:
    return re.search(r'name="at" value="([^"]*)"', browser.last).group(1)


def to_the_table(student: Browser, role: str | None = None) -> str:
    """From the lobby to the first page of the talks; returns the introduction page."""
    student.get("/class")
    if role:
        student.post("/new", role=role)
    else:
        assert student.testids("begin-class"), student.last[-1500:]
        student.post("/new", role=re.search(r'name="role" value="([^"]*)"', student.last).group(1))
    assert student.testids("begin"), student.last[-1500:]
    intro = student.last
    student.post("/begin")
    return intro


def play_pair(a: Browser, b: Browser, limit: int = 2000) -> tuple[int, int]:
    """Both devices play, each only on its own turn, until both see the debrief."""
    made = {id(a): 0, id(b): 0}
    for _ in range(limit):
        done = 0
        for student in (a, b):
            student.get("/play")
            if 'data-testid="debrief"' in student.last:
                done += 1
                continue
            options = re.findall(r'name="option" value="(\d+)"', student.last)
            if options:
                student.post("/choose", option=options[0], at=at(student))
                made[id(student)] += 1
            elif 'action="/next"' in student.last:
                student.post("/next", at="end")
            else:
                assert student.testids("waiting"), student.last[-2000:]
        if done == 2:
            return made[id(a)], made[id(b)]
    raise AssertionError("the pair never reached the debrief")


# --- joining, playing, the dashboard ------------------------------------------------------------

def test_a_student_joins_with_the_code_from_the_title_page_and_the_dashboard_follows(server):
    opened = open_class(server)
    teacher = Teacher(server, opened.token)
    assert teacher.count("joined") == 0
    student = Browser(server.url)
    student.get("/")
    assert student.testids("join-code")
    status, _, text = student.get("/join?code=" + urllib.parse.quote(opened.row.code.lower()[:3] + "-"
                                                                      + opened.row.code.lower()[3:]))
    assert status == 200 and "Join Period 3" in text                 # case and dashes do not matter
    student.post("/join", code=opened.row.code, name="Ann")
    assert "Period 3" in student.last and "as <strong>Ann</strong>" in student.last
    assert teacher.count("joined") == 1 and teacher.count("finished") == 0
    to_the_table(student, "shah")
    assert "You are the Shah" in student.last or student.testids("option") or student.testids("continue")
    student.get("/play")
    choices = play_to_end(student)
    assert choices >= 3 and "Record match:" in student.last
    assert teacher.count("finished") == 1
    panel = teacher.get(f"/teach/{opened.token}/panel")[2]
    assert "as in the record" in panel and "Ann" in panel and "finished:" in panel
    assert '<ol class="bars">' in panel and "Objectives met" in panel


def test_the_teacher_chooses_the_length_and_the_sides(server):
    opened = open_class(server, path="full")
    teacher = Teacher(server, opened.token)
    assert teacher.control("path", path="short") == 200
    assert teacher.control("assign", mode="soviet") == 200
    student = join(server, opened.row.code)
    assert "You play <strong>The Soviet delegation" in student.last
    to_the_table(student)
    assert "short" in student.last.lower() or "Short" in student.last
    student.get("/play")
    assert "Soviet delegation" in student.last
    late = join(server, opened.row.code)
    assert teacher.control("assign", mode="free") == 200
    late.get("/class")
    assert late.testids("role-shah") and late.testids("role-soviet")          # now they choose
    rows = server.store.class_players(opened.row.id)
    assert teacher.control("seat", student=rows[1].key, seat="shah") == 200  # by hand
    late.get("/class")
    assert "You play <strong>The Shah of Iran" in late.last


def test_pause_stops_every_move_until_the_teacher_resumes(server):
    opened = open_class(server)
    teacher = Teacher(server, opened.token)
    student = join(server, opened.row.code)
    to_the_table(student, "shah")
    student.get("/play")
    before = at(student)
    teacher.control("pause")
    status, _, text = student.get("/play")
    assert status == 200 and "paused" in text and student.testids("waiting")
    student.post("/next", at=before)
    student.post("/choose", option="1", at=before)
    teacher.control("resume")
    student.get("/play")
    assert at(student) == before                      # nothing moved while paused


def test_the_debrief_waits_until_the_teacher_releases_it(server):
    opened = open_class(server)
    teacher = Teacher(server, opened.token)
    teacher.control("hold")
    student = join(server, opened.row.code)
    to_the_table(student, "soviet")
    play_to_end_until_held(student)
    assert "The talks are over" in student.last and 'data-testid="debrief"' not in student.last
    status, _, text = student.get("/minutes")
    assert "Record of conversation" not in text                      # nor the minutes
    assert teacher.count("finished") == 1
    teacher.control("release")
    student.get("/debrief")
    assert 'data-testid="debrief"' in student.last


def play_to_end_until_held(student: Browser) -> None:
    student.get("/play")
    for _ in range(2000):
        if "The talks are over" in student.last:
            return
        options = re.findall(r'name="option" value="(\d+)"', student.last)
        if options:
            student.post("/choose", option=options[0], at=at(student))
        else:
            student.post("/next", at=at(student))
    raise AssertionError("never held")


def test_ending_the_class_closes_it_to_moves_and_to_new_students(server):
    opened = open_class(server)
    teacher = Teacher(server, opened.token)
    student = join(server, opened.row.code)
    to_the_table(student, "shah")
    teacher.control("end")
    student.get("/play")
    assert "The class has ended" in student.last
    newcomer = Browser(server.url)
    newcomer.get("/join")
    newcomer.post("/join", code=opened.row.code)
    assert "There is no open class with that code" in newcomer.last
    assert teacher.count("joined") == 1 and "closed" in teacher.get(f"/teach/{opened.token}/panel")[2]


def test_a_class_expires_and_the_teacher_can_give_it_more_time(server):
    opened = open_class(server, hours=1)
    teacher = Teacher(server, opened.token)
    server.store.update_class(opened.row.id, expires=time.time() - 1)
    student = Browser(server.url)
    student.get("/join")
    student.post("/join", code=opened.row.code)
    assert "There is no open class" in student.last
    assert teacher.control("expires", hours="2") == 200           # the teacher's link still works
    assert server.store.get_class(opened.row.id).expires > time.time() + 1.9 * 3600
    student.post("/join", code=opened.row.code)
    assert "Period 3" in student.last


def test_wrong_join_codes_are_rate_limited_but_a_whole_class_behind_one_address_joins(server):
    opened = open_class(server)
    for _ in range(40):                       # forty right codes from one address: never limited
        join(server, opened.row.code)
    guesser = Browser(server.url)
    guesser.get("/join")
    statuses = []
    for n in range(12):
        guesser.get("/join")
        statuses.append(guesser.post("/join", code=f"ZZZZZ{n:02d}")[0])
    assert statuses[:10] == [200] * 10 and statuses[10:] == [429, 429]
    assert "Too many tries" in guesser.last
    assert len(server.store.class_players(opened.row.id)) == 40


def test_many_classes_on_one_server_each_with_its_own_dashboard(server):
    classes = [open_class(server, f"Period {n}") for n in range(1, 6)]
    for n, opened in enumerate(classes, 1):
        for _ in range(n):
            join(server, opened.row.code)
    for n, opened in enumerate(classes, 1):
        assert Teacher(server, opened.token).count("joined") == n


def test_the_teacher_opens_another_class_from_the_dashboard(server):
    opened = open_class(server)
    teacher = Teacher(server, opened.token)
    teacher.dashboard()
    status, _, text = teacher.post(f"/teach/{opened.token}/open", name="Period 4", path="full")
    assert status == 200 and "Period 4 is open" in text
    new_link = re.search(r'href="http://[^"]+(/teach/[^"]+)"', text).group(1)
    code = re.search(r'class="code">([A-Z0-9]+)<', text).group(1)
    assert code != opened.row.code
    join(server, code)
    status, _, text = teacher.get(new_link)
    assert status == 200 and "Period 4" in text
    assert Teacher(server, opened.token).count("joined") == 0


# --- pairs on two devices -----------------------------------------------------------------------

def test_a_pair_plays_one_negotiation_on_two_devices_and_both_debriefs_show_both_sides(server):
    opened = open_class(server, assign="pairs")
    a, b = join(server, opened.row.code, "A"), join(server, opened.row.code, "B")
    teacher = Teacher(server, opened.token)
    teacher.control("pairs")
    for student in (a, b):
        student.get("/class")
        assert "Your partner:" in student.last and "(another student)" in student.last
        assert "Your partner plays the other side on their own device" in to_the_table(student)
    a.get("/play")
    b.get("/play")
    assert bool(a.testids("option")) != bool(b.testids("option"))     # exactly one of them is on turn
    waiting = b if a.testids("option") else a
    assert "Waiting for the" in waiting.last and waiting.testids("back") == []
    made_a, made_b = play_pair(a, b)
    assert made_a >= 1 and made_b >= 1
    for student in (a, b):
        assert "The Shah of Iran" in student.last and "The Soviet delegation" in student.last
        assert 'id="minutes"' in student.last                                      # both sides' minutes
        status, _, text = student.get("/minutes")
        assert status == 200 and "Record of conversation" in text
    with ResultsDB(server.results_path, readonly=True) as db:
        sessions = db.sessions()
    assert len(sessions) == 1 and sessions[0].status == "finished"               # recorded once
    assert teacher.count("finished") == 2


def test_a_dropped_device_resumes_its_seat_and_a_partner_sees_each_move(server):
    opened = open_class(server, assign="pairs")
    a, b = join(server, opened.row.code), join(server, opened.row.code)
    Teacher(server, opened.token).control("pairs")
    for student in (a, b):
        to_the_table(student)
    a.get("/play")
    first, second = (a, b) if a.testids("option") else (b, a)
    first.post("/choose", option="1", at=at(first))
    said = re.findall(r'<p class="said">(.*?)</p>', first.last)
    second.get("/play")
    assert said[-1] in second.last                    # the partner sees the line chosen
    cookies = dict(second.cookies)
    server.restart()                                  # the device drops out and the server restarts
    again = Browser(server.url)
    again.cookies = cookies
    again.get("/play")
    assert said[-1] in again.last and (again.testids("option") or again.testids("waiting"))


def test_an_odd_student_waits_for_a_late_joiner_or_the_record(server):
    opened = open_class(server, assign="pairs")
    students = [join(server, opened.row.code) for _ in range(3)]
    teacher = Teacher(server, opened.token)
    teacher.control("pairs")
    pairs = server.store.class_pairs(opened.row.id)
    assert sorted(sum(1 for k in p.seats.values() if k) for p in pairs) == [1, 2]
    lonely = next(p for p in pairs if None in p.seats.values())
    late = join(server, opened.row.code)               # a late joiner takes the empty seat
    assert server.store.get_pair(lonely.id).seats == {**lonely.seats,
                                                      next(r for r, k in lonely.seats.items() if k is None):
                                                      server.store.class_players(opened.row.id)[-1].key}
    del late
    # another odd one: the teacher hands the empty seat to the record, which plays it
    fifth = join(server, opened.row.code)
    teacher.control("pairs")
    pair = next(p for p in server.store.class_pairs(opened.row.id) if None in p.seats.values())
    empty = next(r for r, k in pair.seats.items() if k is None)
    panel = teacher.get(f"/teach/{opened.token}/panel")[2]
    assert "Let the record play this empty seat" in panel
    assert teacher.control("record", pair=pair.id, seat=empty) == 200
    to_the_table(fifth)
    for _ in range(2000):
        fifth.get("/play")
        if 'data-testid="debrief"' in fifth.last:
            break
        assert not fifth.testids("waiting"), "the record should answer at once"
        options = re.findall(r'name="option" value="(\d+)"', fifth.last)
        if options:
            fifth.post("/choose", option=options[-1], at=at(fifth))
        else:
            fifth.post("/next", at="end")
    assert 'data-testid="debrief"' in fifth.last
    assert len(students) == 3


# --- exports ------------------------------------------------------------------------------------

def test_exports_have_names_only_when_the_teacher_asks(server):
    opened = open_class(server)
    teacher = Teacher(server, opened.token)
    for name in ("Ann", "=HYPERLINK(\"x\")"):
        student = join(server, opened.row.code, name)
        to_the_table(student, "shah")
        student.get("/play")
        play_to_end(student)
    status, headers, text = teacher.get(f"/teach/{opened.token}/export.csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "student" and len(rows) == 3
    assert "Ann" not in text and [r[0] for r in rows[1:]] == ["Student 1", "Student 2"]
    assert all(r[5] == "1" for r in rows[1:])
    named = list(csv.reader(io.StringIO(teacher.get(f"/teach/{opened.token}/export.csv?names=1")[2])))
    assert named[1][0] == "Ann" and named[2][0].startswith("'=")        # never a formula
    status, headers, report = teacher.get(f"/teach/{opened.token}/report.html")
    assert status == 200 and "Ann" not in report and "2 sessions" in report.replace("\n", " ") or "2</" in report
    other = open_class(server, "Period 9")
    lone = join(server, other.row.code)
    to_the_table(lone, "soviet")
    lone.get("/play")
    play_to_end(lone)
    assert report == Teacher(server, opened.token).get(f"/teach/{opened.token}/report.html")[2] or \
        "Period 9" not in report


def test_the_class_report_counts_the_class_s_sessions_and_no_others(server):
    opened = open_class(server)
    for name in ("Ann", "Bo"):
        student = join(server, opened.row.code, name)
        to_the_table(student, "shah")
        student.get("/play")
        play_to_end(student)
    other = open_class(server, "Period 9")
    lone = join(server, other.row.code)
    to_the_table(lone, "soviet")
    lone.get("/play")
    play_to_end(lone)
    with ResultsDB(server.results_path, readonly=True) as db:
        assert db.counts()["finished"] >= 3      # the results file holds both classes' sessions
    first = Teacher(server, opened.token).get(f"/teach/{opened.token}/report.html")[2]
    second = Teacher(server, other.token).get(f"/teach/{other.token}/report.html")[2]
    assert " 2 finished session(s);" in first.replace("\n", " ")
    assert " 1 finished session(s);" in second.replace("\n", " ")


# --- who may see what ---------------------------------------------------------------------------

VISITORS = ("anonymous", "A", "B", "partner", "other class", "teacher", "other teacher")


@pytest.fixture
def matrix(server):
    """Two classes: A and their partner in a pair, B playing alone, and a student of another class."""
    one, two = open_class(server, "Period 3"), open_class(server, "Period 4")
    teacher = Teacher(server, one.token)
    teacher.control("assign", mode="pairs")
    a, partner = join(server, one.row.code, "Ann"), join(server, one.row.code, "Pat")
    teacher.control("pairs")
    teacher.control("assign", mode="free")
    b = join(server, one.row.code, "Bea")
    other = join(server, two.row.code, "Otto")
    to_the_table(a)
    to_the_table(partner)
    to_the_table(b, "soviet")
    to_the_table(other, "shah")
    for student in (a, partner):
        student.get("/play")
        if student.testids("option"):
            student.post("/choose", option="2", at=at(student))
    pair = server.store.class_pairs(one.row.id)[0]
    visitors = {"anonymous": Browser(server.url), "A": a, "B": b, "partner": partner, "other class": other,
                "teacher": teacher, "other teacher": Teacher(server, two.token)}
    for visitor in visitors.values():
        visitor.get("/")
    return {"one": one, "two": two, "pair": pair, "visitors": visitors}


def teacher_urls(token: str) -> list[str]:
    return [f"/teach/{token}", f"/teach/{token}/panel", f"/teach/{token}/projector", f"/teach/{token}/export.csv",
            f"/teach/{token}/report.html"]


def test_access_matrix_teacher_pages(server, matrix):
    """Only the class's own token opens its pages; everyone else's request is a 404 like any
    unknown address (a guessed token, another class's token, a prefix of the right one)."""
    one, two = matrix["one"], matrix["two"]
    for name, visitor in matrix["visitors"].items():
        mine = {"teacher": one.token, "other teacher": two.token}.get(name)
        for token in (one.token, two.token, one.token[:-1] + ("A" if one.token[-1] != "A" else "B"),
                      one.token[:16], "x" * 32, ""):
            for url in teacher_urls(token):
                status = visitor.request("GET", url, follow=False)[0]
                # a token is the key, whoever holds it; the matrix checks that each visitor's own
                # credentials (cookie, token) give no more than theirs
                expected = 200 if token in (one.token, two.token) else 404
                assert status == expected, (name, url, status)
        if mine is not None:
            panel = visitor.get(f"/teach/{mine}/panel")[2]
            names = {"Ann", "Pat", "Bea"} if mine == one.token else {"Otto"}
            others = {"Ann", "Pat", "Bea", "Otto"} - names
            assert all(n in panel for n in names) and not any(n in panel for n in others), name


def test_access_matrix_teacher_controls(server, matrix):
    """A control needs the class's token and its form token; another class's teacher can move
    neither this class's students nor its pairs."""
    one, two, pair = matrix["one"], matrix["two"], matrix["pair"]
    visitors = matrix["visitors"]
    keys = {p.name: p.key for p in server.store.class_players(one.row.id)}
    for name, visitor in visitors.items():
        visitor.get("/")
        for token in (one.token, two.token):
            for fields in ({"action": "pause"}, {"action": "end"}):
                data = urllib.parse.urlencode({"csrf": visitor.csrf(), **fields}).encode()
                status = visitor.request("POST", f"/teach/{token}/control", data, follow=False)[0]
                assert status == 403, (name, token == one.token, fields)       # a student page's token is not the teacher's
    assert not server.store.get_class(one.row.id).paused and not server.store.get_class(one.row.id).ended
    stranger = visitors["other teacher"]
    assert stranger.control("seat", student=keys["Bea"], seat="shah") == 403
    assert stranger.control("record", pair=pair.id, seat="shah") == 403
    assert server.store.get_pair(pair.id).record == ()
    assert {p.key: p.seat for p in server.store.class_players(one.row.id)}[keys["Bea"]] is None   # chose for herself
    status = visitors["teacher"].control("pause")
    assert status == 200 and server.store.get_class(one.row.id).paused
    visitors["teacher"].control("resume")


def test_access_matrix_student_pages(server, matrix):
    """A student sees their own game and, in a pair, the pair's; nobody else's, by any URL."""
    visitors = matrix["visitors"]
    logs = {}
    for name, visitor in visitors.items():
        status, _, text = visitor.get("/log")
        logs[name] = re.findall(r'<p class="said">(.*?)</p>', text)
        assert status == 200
    assert logs["A"] == logs["partner"] and logs["A"]                      # one shared negotiation
    assert logs["anonymous"] == [] and logs["teacher"] == [] and logs["other teacher"] == []
    for name, visitor in visitors.items():
        expected = 200 if name in ("A", "B", "partner", "other class") else 404
        assert first_of_stream(visitor) == expected, name
    rows = {name: visitors[name].get("/class")[2] for name in VISITORS}
    assert "Period 3" in rows["A"] and "Period 3" in rows["B"] and "Period 4" in rows["other class"]
    assert "Period 4" not in rows["A"] and "Period 3" not in rows["other class"]
    assert 'id="class-h"' not in rows["anonymous"] and 'id="class-h"' not in rows["teacher"]   # the title page
    assert "Pat" not in rows["A"] and "Ann" not in rows["partner"]            # a partner's name is not shown
    for name in VISITORS:                                                       # no URL takes another's id
        for url in (f"/log?player={matrix['pair'].id}", f"/log?pair={matrix['pair'].id}&key=1"):
            status, _, text = visitors[name].get(url)
            assert status == 200 and re.findall(r'<p class="said">(.*?)</p>', text) == logs[name], (name, url)


def first_of_stream(visitor: Browser) -> int:
    """The status of /events, reading only the stream's first bytes (it never ends by itself)."""
    import http.client

    url = urllib.parse.urlsplit(visitor.base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    conn.request("GET", "/events", headers={"Cookie": "; ".join(f"{k}={v}" for k, v in visitor.cookies.items())})
    response = conn.getresponse()
    if response.status == 200:
        assert response.getheader("content-type").startswith("text/event-stream")
        assert response.read1(100).startswith(b"retry:")
    conn.close()
    return response.status


def test_the_teacher_token_is_long_random_and_compared_in_constant_time(server):
    import secrets

    opened = open_class(server)
    assert len(opened.token) >= 22 and len(opened.token) * 6 >= 128
    room = server.app.state.site.classroom
    assert room.by_token(opened.token).id == opened.row.id
    assert room.by_token(opened.token + "x") is None and room.by_token(secrets.token_urlsafe(24)) is None
    assert opened.token not in repr(server.store.get_class(opened.row.id))     # only its hash is kept


# --- the real server: serve --class, kill -9, restart -------------------------------------------

def test_serve_class_prints_both_links_and_kill_9_loses_no_committed_choice(tmp_path):
    served = Served(tmp_path, "--class", "Period 3", "--path", "short")
    text = served.text()
    students = re.search(r"^Students: (http://\S+/join/([A-Z0-9]+))$", text, re.M)
    teacher = re.search(r"^Teacher: (http://\S+/teach/(\S+))$", text, re.M)
    assert students and teacher, text
    token = teacher.group(2)
    assert len(token) * 6 >= 128
    assert "\u2584" in text or "\u2588" in text                              # a QR code in the terminal
    code = students.group(2)
    pupils = []
    for name in ("Ann", "Bo", "Cy"):
        pupil = Browser(served.url)
        pupil.get(f"/join/{code}")
        pupil.post("/join", code=code, name=name)
        to_the_table(pupil, "shah")
        pupil.get("/play")
        pupils.append(pupil)
    made = {}
    for n, pupil in enumerate(pupils):
        for _ in range(n + 1):                       # 1, 2 and 3 choices: every one answered, so committed
            options = re.findall(r'name="option" value="(\d+)"', pupil.last)
            while not options:
                pupil.post("/next", at=at(pupil))
                options = re.findall(r'name="option" value="(\d+)"', pupil.last)
            pupil.post("/choose", option=options[0], at=at(pupil))
        made[n] = re.findall(r'<p class="said">(.*?)</p>', pupil.get("/log")[2])
    served.kill()                                    # no shutdown of any kind
    again = Served(tmp_path)                         # the same store, no new class
    for n, pupil in enumerate(pupils):
        pupil.base = again.url
        assert re.findall(r'<p class="said">(.*?)</p>', pupil.get("/log")[2]) == made[n]
        assert pupil.get("/play")[0] == 200 and (pupil.testids("option") or pupil.testids("continue"))
    board = Browser(again.url)
    status, _, panel = board.get(f"/teach/{token}/panel")
    assert status == 200 and 'data-testid="joined-count">3<' in panel
    assert all(name in panel for name in ("Ann", "Bo", "Cy"))
    again.kill()
    logs = again.text() + (tmp_path / "out-0.txt").read_text()
    assert logs.count(token) == 1                    # printed once, as the teacher's link, never logged
