"""The printable pages come from Jinja2 templates: no markup written in Python, every field
escaped, the browser edition's stylesheet inline, and a saved page that works from disk, offline,
in a real Chromium: no request but the file itself, and an axe-core audit with no violation."""

from __future__ import annotations

import ast
import dataclasses
import itertools
import re
import types
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, Union, get_args, get_origin, get_type_hints

import pytest
from jinja2 import StrictUndefined, UndefinedError
from markupsafe import escape
from playwright.sync_api import Page, sync_playwright

from game.engine.autoplay import RandomPolicy, RecordPolicy, play_out
from game.engine.runner import Runner
from game.engine.scoring import build_debrief
from game.results import page as page_module
from game.results.db import MEMORY, Merged, ResultsDB, Skipped, merge
from game.results.minutes_html import MinutesPage, minutes_html, save_minutes
from game.results.page import STYLESHEET, TEMPLATES, environment, render, stylesheet
from game.results.report import ReportPage, report_html, write_report
from game.web.app import csp_with_inline_style

from .web_support import chromium_path

RESULTS = Path(page_module.__file__).parent
AXE = Path(__import__("axe_playwright_python").__file__).parent / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# No sandbox or GPU in a container, and none of the browser's own background requests: any request
# seen comes from the page.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


# --- no markup in Python ----------------------------------------------------------------------------

def docstrings(tree: ast.AST) -> set[int]:
    """The ids of the string constants that are docstrings (a module's, a class's, a function's)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


# A tag's start, or a "<" just before a value put into an f-string (f"<{tag}>"); "<=" in SQL is neither.
TAG = re.compile(r"<[A-Za-z/!?]|<$")


@pytest.mark.parametrize("module", sorted(p.name for p in RESULTS.glob("*.py")))
def test_no_markup_is_written_in_python(module):
    """Markup lives in the templates: no string in the results modules (f-strings included) starts
    a tag, and nothing builds Markup by hand, which would skip the escaping."""
    tree = ast.parse((RESULTS / module).read_text(encoding="utf-8"))
    skip = docstrings(tree)
    tagged = [node.lineno for node in ast.walk(tree)
              if isinstance(node, ast.Constant) and isinstance(node.value, str) and TAG.search(node.value)
              and id(node) not in skip]
    assert tagged == [], f"{module}: markup in Python on line(s) {tagged}"
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
    assert not names & {"Markup", "escape", "esc"}, module


# --- every field escaped ------------------------------------------------------------------------------

HOSTILE = '<i class="h">{}</i>"\'&'


class Hostile:
    """Fills a page's dataclasses with hostile text, one numbered string a field, and remembers
    which field each number went to. `variant` picks among the kinds, flags and optional values,
    so that every field is shown by one variant or another (the test checks that it is)."""

    def __init__(self) -> None:
        self.numbers = itertools.count()
        self.field_of: dict[int, str] = {}

    def make(self, kind: object, variant: int, where: str = "") -> object:
        if dataclasses.is_dataclass(kind):
            hints = get_type_hints(kind)
            return kind(**{f.name: self.make(hints[f.name], variant + i, f"{kind.__name__}.{f.name}")
                           for i, f in enumerate(dataclasses.fields(kind))})
        origin, args = get_origin(kind), get_args(kind)
        if kind is str:
            number = next(self.numbers)
            self.field_of[number] = where
            return HOSTILE.format(number)
        if kind is bool:
            return variant % 2 == 0
        if kind is int:
            return 2
        if kind is float:
            return 0.5
        if origin is Literal:
            return args[variant % len(args)]
        if origin in (Union, types.UnionType):
            choices = [a for a in args if a is not type(None)] + ([None] if type(None) in args else [])
            pick = choices[variant % len(choices)]
            return None if pick is None else self.make(pick, variant // len(choices), where)
        if origin is tuple:
            return tuple(self.make(args[0], variant + i, where) for i in range(4))
        raise TypeError(f"no hostile value for {kind!r} ({where})")


def fields_of(kind: type, seen: set[type] | None = None) -> set[str]:
    """Every str field of a page's dataclasses, as Class.field."""
    seen = seen if seen is not None else set()
    found = set()
    if not dataclasses.is_dataclass(kind) or kind in seen:
        return found
    seen.add(kind)
    hints = get_type_hints(kind)
    for f in dataclasses.fields(kind):
        parts = [hints[f.name]]
        while parts:
            part = parts.pop()
            if part is str:
                found.add(f"{kind.__name__}.{f.name}")
            parts += [a for a in get_args(part) if a is not Ellipsis]
            found |= fields_of(part, seen)
    return found


@pytest.mark.parametrize(("template", "kind"), [("print/minutes.html", MinutesPage),
                                                ("print/report.html", ReportPage)])
def test_every_field_of_a_page_is_shown_as_text(template, kind):
    hostile = Hostile()
    pages = [render(template, page=hostile.make(kind, variant)) for variant in range(6)]
    for page in pages:
        body = page.split("<body>", 1)[1]
        assert "<i" not in body and 'class="h"' not in body
    shown = {hostile.field_of[n] for n in hostile.field_of
             if any(str(escape(HOSTILE.format(n))) in page for page in pages)}
    assert shown == fields_of(kind)          # every field is on the page, escaped, by one variant or another


def hostile_scenario(scenario, text: str):
    """The scenario with every name and title the pages show replaced by `text`."""
    roles = {k: dataclasses.replace(r, title=text, questions=(text,),
                                    objectives=tuple(dataclasses.replace(o, text=text) for o in r.objectives))
             for k, r in scenario.roles.items()}
    speakers = {k: dataclasses.replace(s, name=text) for k, s in scenario.speakers.items()}
    paragraphs = {k: dataclasses.replace(p, text=text) for k, p in scenario.source.paragraphs.items()}
    source = dataclasses.replace(scenario.source, citation=text, paragraphs=paragraphs)
    return dataclasses.replace(
        scenario, title=text, subtitle=text, place=text, date=text, source=source, speakers=speakers, roles=roles,
        paths={k: dataclasses.replace(p, title=text) for k, p in scenario.paths.items()},
        endings=tuple(dataclasses.replace(e, title=text) for e in scenario.endings), questions=(text,))


def play(scenario, role: str, policy) -> Runner:
    runner = Runner(scenario, role)
    play_out(runner, policy)
    return runner


def test_hostile_content_stays_text_in_both_pages(mini_scenario, tmp_path):
    text = '<img src=x onerror=alert(1)>"\'</style><script>x</script>'
    scenario = hostile_scenario(mini_scenario, text)
    page = minutes_html(build_debrief(play(scenario, "both", RandomPolicy(3))))
    results = tmp_path / "r.sqlite"
    with ResultsDB(results) as db:
        db.record_session(play(mini_scenario, "both", RandomPolicy(3)), "text", datetime(2026, 3, 2, tzinfo=UTC),
                          60, "finished")
    merged = merge([results])
    try:
        report = report_html(merged, {mini_scenario.id: scenario})
    finally:
        merged.db.close()
    for html in (page, report):
        body = html.split("</style>", 1)[1]
        assert not re.search(r"<(img|script)\b", body) and str(escape(text)) in body
        assert html.count("<style>") == 1 and html.count("</style>") == 1


# --- the stylesheet inline ------------------------------------------------------------------------------

def test_the_pages_carry_the_browser_editions_stylesheet_inline(mini_scenario):
    css = STYLESHEET.read_text(encoding="utf-8")
    inline = stylesheet()
    assert re.search(r"@font-face\s*\{", css) and not re.search(r"@font-face\s*\{", inline)
    assert "url(" not in inline and "@import" not in inline                              # nothing to fetch
    assert re.sub(r"@font-face\s*\{[^}]*\}\s*", "", css).strip() == inline              # and nothing else left out
    assert "</" not in inline                     # it cannot close its own <style> element
    assert "html.print-minutes" in inline and "html.print-report" in inline and "@page print-minutes" in inline
    page = minutes_html(build_debrief(play(mini_scenario, "guest", RecordPolicy())))
    assert page.count("<style>") == 1 and page.split("<style>", 1)[1].split("</style>", 1)[0].strip() == inline
    csp = csp_with_inline_style(page)              # the browser edition allows exactly this stylesheet
    assert "style-src 'self' 'sha256-" in csp and "'unsafe-inline'" not in csp


# --- from a file, offline, in Chromium ------------------------------------------------------------------

@pytest.fixture(scope="module")
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def saved(shipped, tmp_path_factory) -> dict[str, Path]:
    """The two pages as a player and a teacher save them: the shah's full record path, and a class."""
    folder = tmp_path_factory.mktemp("saved")
    minutes = save_minutes(build_debrief(play(shipped, "shah", RecordPolicy())), folder / "minutes.html")
    results = folder / "r.sqlite"
    with ResultsDB(results) as db:
        for role, policy in [("shah", RecordPolicy()), ("soviet", RandomPolicy(5)), ("both", RandomPolicy(2))]:
            db.record_session(play(shipped, role, policy), "text", datetime(2026, 3, 2, tzinfo=UTC), 300, "finished")
    merged = merge([results])
    try:
        write_report(merged, None, folder / "report.html", Path(__file__).resolve().parent.parent)
    finally:
        merged.db.close()
    return {"minutes": minutes, "report": folder / "report.html"}


def open_file(chromium, path: Path, media: str = "screen", width: int = 1366) -> tuple[Page, list[str]]:
    page = chromium.new_context(viewport={"width": width, "height": 900}, offline=True).new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.emulate_media(media=media)
    page.goto(path.as_uri())
    return page, requests


@pytest.mark.parametrize("name", ["minutes", "report"])
def test_a_saved_page_opens_from_disk_with_no_request_but_itself(chromium, saved, name):
    page, requests = open_file(chromium, saved[name])
    page.wait_for_load_state("networkidle")
    assert requests == [saved[name].as_uri()]
    assert page.evaluate("document.styleSheets.length") == 1          # styled, by its own inline sheet
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert ("Courier" if name == "minutes" else "Georgia") in family
    page.context.close()


def axe_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async (tags) => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
        return r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(' | '));
    }""", AXE_TAGS)


@pytest.mark.parametrize("media", ["screen", "print"])
@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("name", ["minutes", "report"])
def test_a_saved_page_passes_axe(chromium, saved, name, width, media):
    """WCAG 2.2 AA and best practice: lang, one main, headings in order, every region in a landmark,
    contrast of 4.5:1 (the grey of what was not said too, on screen and as printed), labelled bars."""
    page, _ = open_file(chromium, saved[name], media, width)
    assert axe_violations(page) == []
    page.context.close()


def test_the_shahs_full_record_path_prints_on_about_ten_a4_pages(chromium, saved):
    page, _ = open_file(chromium, saved["minutes"], "print")
    pdf = page.pdf(prefer_css_page_size=True)
    page.context.close()
    sizes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert sizes and all(round(float(w)) == 595 and round(float(h)) == 842 for w, h in sizes)   # A4
    assert 8 <= len(sizes) <= 12, len(sizes)


def test_every_bar_is_an_image_with_a_label(saved):
    report = saved["report"].read_text(encoding="utf-8")
    bars = re.findall(r"<svg\b[^>]*>", report)
    assert bars and all('role="img"' in b and re.search(r'aria-label="[^"]+"', b) for b in bars)


def test_one_environment_escapes_everything_and_refuses_missing_values():
    env = environment()
    assert env is environment() and env.autoescape is True and env.undefined is StrictUndefined
    assert env.loader.searchpath == [str(TEMPLATES)] and (TEMPLATES / "base.html").is_file()   # the browser pages' folder
    with pytest.raises(UndefinedError):
        render("print/minutes.html")                        # no page given: an error, not an empty sheet


def test_the_report_says_what_it_left_out_and_when_there_is_nothing(tmp_path):
    """The report's first lines: the files read, the duplicates and damaged rows left out, or no sessions."""
    merged = Merged(ResultsDB(MEMORY), files=[Path("laptop-<a>.sqlite"), Path("kiosk.sqlite")], duplicates=2,
                    skipped=[Skipped(Path("laptop-<a>.sqlite"), (), 3)])
    try:
        page = report_html(merged, {}, datetime(2026, 3, 2, 9, 5))
    finally:
        merged.db.close()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page.split("<body>", 1)[1]))
    assert ("Made 2 March 2026, 09:05 from 2 results file(s): laptop-&lt;a&gt;.sqlite, kiosk.sqlite. "
            "0 finished session(s); 2 duplicate(s) skipped; 3 damaged row(s) left out") in text
    assert "No sessions recorded yet." in text and page.count("<main>") == 1
