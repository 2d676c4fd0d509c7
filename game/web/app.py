"""The browser edition: server-rendered pages on Starlette, one play session per browser.

Every page works without JavaScript (forms and links); game.js only makes them quicker (no full
reload), adds the keys of the window and reads lines aloud when asked. Nothing is fetched from
anywhere but this server: fonts, the stylesheet and the script are served from the game itself.

The routes are in `ROUTES` below (one module per page family would be overkill for a dozen
handlers that share the same few helpers). Every POST carries the player's CSRF token; every
response carries the security headers (`headers.py`).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..engine.citations import sources_page
from ..engine.model import Scenario
from ..engine.runner import BOTH
from ..session.play import ResultsWriter
from ..store.base import Store
from . import view
from .headers import BodyLimit, SecurityHeaders
from .players import COOKIE, TEXT_SIZES, Player, Players

HERE = Path(__file__).resolve().parent
FONTS = HERE.parents[1] / "art" / "fonts"
ICON = HERE.parents[1] / "art" / "out" / "icon.png"
MAX_BODY = 8 * 1024


@dataclass
class Site:
    """Everything the handlers share: the scenario, the players and the templates."""

    scenario: Scenario
    players: Players
    templates: Environment
    glossed: view.Glossed
    extra: dict[str, Any] = field(default_factory=dict)


def site_of(request: Request) -> Site:
    return request.app.state.site


# --- players and forms ----------------------------------------------------------------------------

def player_of(request: Request) -> tuple[Player, bool]:
    """The request's player (a new one for no cookie, or an unknown, forged or stale one)."""
    players = site_of(request).players
    player = players.find(request.cookies.get(COOKIE))
    if player is not None:
        return player, False
    return players.create(), True


def with_cookie(response: Response, player: Player, new: bool) -> Response:
    if new:
        response.set_cookie(COOKIE, player.id, max_age=60 * 60 * 24 * 60, httponly=True, samesite="strict", path="/")
    return response


async def form_of(request: Request, player: Player) -> dict[str, str] | None:
    """The posted form, or None if its CSRF token is not this player's."""
    form = await request.form(max_files=0, max_fields=20, max_part_size=MAX_BODY)
    data = {k: v for k, v in form.items() if isinstance(v, str)}
    token = data.get("csrf", "")
    if not hmac.compare_digest(token.encode(), player.csrf.encode()):
        return None
    return data


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def page(request: Request, name: str, player: Player, new: bool = False, status: int = 200, **context: Any) -> Response:
    site = site_of(request)
    prefs = player.prefs
    classes = [f"size-{prefs.text}"] + (["contrast"] if prefs.contrast else []) + ([] if prefs.motion else ["still"])
    message, player.message = player.message, ""
    html = site.templates.get_template(name).render(
        scenario=site.scenario, player=player, csrf=player.csrf, html_class=" ".join(classes),
        voice=prefs.voice, message=message, **context)
    return with_cookie(HTMLResponse(html, status_code=status), player, new)


def stale(request: Request, player: Player, new: bool) -> Response:
    """A form from an old page or another browser: nothing is done, the player is told why."""
    player.message = "That page was out of date, so nothing was changed. Here is where you are now."
    return with_cookie(redirect("/play" if player.session else "/"), player, new)


# --- the title, the introduction ------------------------------------------------------------------

async def title(request: Request) -> Response:
    player, new = player_of(request)
    site = site_of(request)
    session = player.session
    resume = None
    if session is not None and session.began and not session.ended:
        who = "two players" if session.two_players else view_title(session.role_title(session.role))
        if session.replay:
            who = "the record, replayed"
        resume = f"{who} · {site.scenario.paths[session.runner.state.path].title}"
    roles = [(r.id, f"Play as {view_title(r.title)}") for r in site.scenario.roles.values()]
    roles.append((BOTH, "Two players on this device"))
    return page(request, "title.html", player, new, roles=roles, paths=list(site.scenario.paths.values()),
                resume=resume, ended=session is not None and session.ended)


def view_title(title: str) -> str:
    return "the " + title[4:] if title.startswith("The ") else title


async def new_game(request: Request) -> Response:
    player, new = player_of(request)
    data = await form_of(request, player)
    if data is None:
        return stale(request, player, new)
    site = site_of(request)
    role, path = data.get("role", ""), data.get("path", "full")
    replay = role == "record"
    if replay:
        role = BOTH
    if (role != BOTH and role not in site.scenario.roles) or path not in site.scenario.paths:
        player.message = "Choose a chair and a length from the list."
        return with_cookie(redirect("/"), player, new)
    if player.session is not None and player.session.began and not player.session.ended:
        player.session.cut_short()
    site.players.new_game(player, role, path, replay)
    return with_cookie(redirect("/intro"), player, new)


async def intro(request: Request) -> Response:
    player, new = player_of(request)
    session = player.session
    if session is None:
        return with_cookie(redirect("/"), player, new)
    if session.began:
        return with_cookie(redirect("/play"), player, new)
    scenario = site_of(request).scenario
    roles = list(scenario.roles) if session.two_players else [session.role]
    sides = [(role.title, [s for s in scenario.speakers.values() if s.side == role.id]) for role in scenario.roles.values()]
    return page(request, "intro.html", player, new, session=session, roles=[scenario.roles[r] for r in roles],
                sides=sides)


async def begin(request: Request) -> Response:
    player, new = player_of(request)
    data = await form_of(request, player)
    if data is None or player.session is None:
        return stale(request, player, new)
    if not player.session.began:
        player.session.begin()
        player.session.advance_to_stop()
    return with_cookie(redirect("/play"), player, new)


# --- the talks ------------------------------------------------------------------------------------

async def play(request: Request) -> Response:
    """The conversation since the players' last decision, every line with its mark, then what
    comes next: the choice, the hand-over to the other player, or the way to the debrief."""
    player, new = player_of(request)
    session = player.session
    if session is None or not session.began:
        return with_cookie(redirect("/intro" if session else "/"), player, new)
    if session.ended and session.recorded == "finished":
        return with_cookie(redirect("/debrief"), player, new)
    site = site_of(request)
    shown = session.advance_to_stop()
    handover = session.needs_handover()
    choice = shown.choice if not handover else None
    return page(request, "play.html", player, new, session=session, lines=view.recent_lines(session, site.glossed),
                choice=choice, handover=handover, ended=shown.ended,
                options=view.options_of(session) if choice else [], turn=view.whose_turn(session),
                path_title=site.scenario.paths[session.runner.state.path].title,
                who=site.scenario.roles[shown.choice.by].title if shown.choice else "")


async def step(request: Request) -> Response:
    """POST /next, /choose, /back, /ready, /lock: one move of the talks, then the page again."""
    player, new = player_of(request)
    data = await form_of(request, player)
    session = player.session
    if data is None or session is None or not session.began:
        return stale(request, player, new)
    action = request.url.path.strip("/")
    shown = session.shown
    at = data.get("at", "")
    if action == "next":
        if shown.ended:
            session.finish()
            return with_cookie(redirect("/debrief"), player, new)
    elif action == "choose":
        if shown.choice is not None and at == shown.choice.id and not session.needs_handover():
            number = data.get("option", "")
            if number.isdigit() and 1 <= int(number) <= len(shown.options):
                session.choose(shown.options[int(number) - 1])
                session.advance_to_stop()
    elif action == "back":
        session.go_back()
    elif action == "ready":
        session.take_turn()
    elif action == "lock":
        session.set_lock(data.get("on") == "1")
    return with_cookie(redirect("/play"), player, new)


async def said(request: Request) -> Response:
    player, new = player_of(request)
    if player.session is None:
        return with_cookie(redirect("/"), player, new)
    return page(request, "log.html", player, new, lines=view.all_lines(player.session, site_of(request).glossed))


# --- documents ------------------------------------------------------------------------------------

async def source(request: Request) -> Response:
    player, new = player_of(request)
    scenario = site_of(request).scenario
    return page(request, "source.html", player, new, paragraphs=sorted(scenario.source.paragraphs.values(),
                                                                       key=lambda p: p.number))


async def glossary(request: Request) -> Response:
    player, new = player_of(request)
    scenario = site_of(request).scenario
    entries = sorted(scenario.glossary, key=lambda e: e.term.casefold())
    return page(request, "glossary.html", player, new, entries=entries,
                cite=lambda refs: view.sources_text(scenario, refs))


async def sources(request: Request) -> Response:
    player, new = player_of(request)
    return page(request, "sources.html", player, new, entries=sources_page(site_of(request).scenario))


# --- the end --------------------------------------------------------------------------------------

async def debrief(request: Request) -> Response:
    player, new = player_of(request)
    session = player.session
    if session is None or not session.ended:
        return with_cookie(redirect("/play" if session else "/"), player, new)
    session.finish()     # recorded once: a no-op when "On to the debrief" already did it
    scenario = site_of(request).scenario
    report = session.debrief()
    return page(request, "debrief.html", player, new, report=report,
                cite=lambda refs: view.sources_text(scenario, refs), mark=view.mark_of,
                minutes=[view.shown_line(scenario, site_of(request).glossed, s) for s in report.minutes]
                if len(report.roles) > 1 else [])


async def minutes(request: Request) -> Response:
    from ..results.minutes_html import minutes_html

    player, new = player_of(request)
    session = player.session
    if session is None or not session.ended:
        return with_cookie(redirect("/"), player, new)
    html = minutes_html(session.debrief())
    return with_cookie(HTMLResponse(html, headers={"content-security-policy": csp_with_inline_style(html)}),
                       player, new)


def csp_with_inline_style(html: str) -> str:
    """The printable pages carry their stylesheet inline (they must work as a saved file): allow
    exactly that stylesheet, by its hash, and nothing else inline."""
    import base64
    import hashlib

    from .headers import CSP

    start, end = html.index("<style>") + len("<style>"), html.index("</style>")
    digest = base64.b64encode(hashlib.sha256(html[start:end].encode()).digest()).decode()
    return CSP.replace("style-src 'self'", f"style-src 'self' 'sha256-{digest}'")


# --- settings -------------------------------------------------------------------------------------

async def settings(request: Request) -> Response:
    player, new = player_of(request)
    if request.method == "POST":
        data = await form_of(request, player)
        if data is None:
            return stale(request, player, new)
        prefs = player.prefs
        prefs.text = data.get("text") if data.get("text") in TEXT_SIZES else prefs.text
        prefs.contrast = data.get("contrast") == "on"
        prefs.motion = data.get("motion") != "reduce"
        prefs.voice = data.get("voice") == "on"
        site_of(request).players.save_prefs(player)
        player.message = "Settings saved."
        back = data.get("back", "/")
        return with_cookie(redirect(back if back in ("/", "/play", "/debrief") else "/"), player, new)
    back = request.query_params.get("back", "/")
    return page(request, "settings.html", player, new, sizes=TEXT_SIZES,
                back=back if back in ("/", "/play", "/debrief") else "/")


# --- errors and fonts -----------------------------------------------------------------------------

async def font(request: Request) -> Response:
    name = request.path_params["name"]
    path = FONTS / name
    if not name.endswith(".ttf") or "/" in name or not path.is_file():
        raise HTTPException(404)
    return FileResponse(path, media_type="font/ttf", headers={"Cache-Control": "public, max-age=86400"})


async def favicon(request: Request) -> Response:
    return FileResponse(ICON, media_type="image/png", headers={"Cache-Control": "public, max-age=86400"})


async def not_found(request: Request, exc: Exception) -> Response:
    player, new = player_of(request)
    code = getattr(exc, "status_code", 404)
    if code == 413:
        return page(request, "problem.html", player, new, status=413, heading="That was too much",
                    detail="The form sent was larger than any page of the game sends.")
    if code == 405:
        return page(request, "problem.html", player, new, status=405, heading="Not here",
                    detail="This address is not used that way.")
    return page(request, "problem.html", player, new, status=404, heading="There is no such page",
                detail="The address may be mistyped, or the page has moved.")


async def server_error(request: Request, exc: Exception) -> Response:
    player, new = player_of(request)
    return page(request, "problem.html", player, new, status=500, heading="Something went wrong on the server",
                detail="Your game is kept at your last choice. Go back to the talks and try again; if it "
                       "happens again, tell your teacher.")


ACTIONS = ("next", "choose", "back", "ready", "lock")
ROUTES = [
    Route("/", title),
    Route("/new", new_game, methods=["POST"]),
    Route("/intro", intro),
    Route("/begin", begin, methods=["POST"]),
    Route("/play", play),
    *[Route(f"/{action}", step, methods=["POST"]) for action in ACTIONS],
    Route("/log", said),
    Route("/source", source),
    Route("/glossary", glossary),
    Route("/sources", sources),
    Route("/debrief", debrief),
    Route("/minutes", minutes),
    Route("/settings", settings, methods=["GET", "POST"]),
    Route("/fonts/{name:str}", font),
    Route("/favicon.ico", favicon),
    Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
]


def create_app(scenario: Scenario, store: Store, results: ResultsWriter | None = None,
               capacity: int = 5000) -> Starlette:
    templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                            trim_blocks=True, lstrip_blocks=True)
    app = Starlette(routes=ROUTES, exception_handlers={HTTPException: not_found, 500: server_error,
                                                       Exception: server_error})
    app.state.site = Site(scenario, Players(store, scenario, results, capacity), templates, view.Glossed(scenario))
    app.add_middleware(BodyLimit, limit=MAX_BODY)
    app.add_middleware(SecurityHeaders)
    return app
