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
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..engine.citations import sources_page
from ..engine.model import Scenario
from ..engine.presentation import WITNESS_KIND_NAMES, image_bytes, witness_kinds
from ..engine.runner import BOTH
from ..paths import game_files
from ..session.play import PlaySession, ResultsWriter
from ..store.base import ClassRow, Store
from . import class_pages, view
from .classroom import Classroom
from .headers import BodyLimit, SecurityHeaders
from .live import Broker
from .pairs import Pairs
from .players import COOKIE, TEXT_SIZES, Player, Players

if TYPE_CHECKING:
    from ..results.db import SessionRecord

HERE = Path(__file__).resolve().parent
FONTS = game_files() / "art" / "fonts"
ICON = game_files() / "art" / "out" / "icon.png"
MAX_BODY = 8 * 1024


@dataclass
class Site:
    """Everything the handlers share: the scenario, the players, classes and pairs, the templates."""

    scenario: Scenario
    store: Store
    players: Players
    templates: Environment
    glossed: view.Glossed
    classroom: Classroom
    pairs: Pairs
    broker: Broker
    results: ResultsWriter | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def results_sessions(self, uids: Collection[str]) -> list[SessionRecord]:
        """The records of these sessions (a class's) from the results store: only theirs are read.

        Empty when the store keeps no records to read back, or cannot be read now: the export is then
        the report of no sessions, as for a class that finished none.
        """
        from ..results.db import ResultsError

        reader = getattr(self.results, "sessions", None)
        if not uids or not callable(reader):
            return []
        try:
            return reader(uids)
        except ResultsError:
            return []


@dataclass
class Game:
    """The game a request is about: the player's own, or their pair's (with their seat)."""

    session: PlaySession
    seat: str | None = None
    pair_id: str | None = None
    klass: ClassRow | None = None

    @property
    def paired(self) -> bool:
        return self.pair_id is not None


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
    if player.class_id and (name in ("waiting.html", "lobby.html") or context.get("waiting")):
        context["live_stamp"] = class_pages.student_stamp(site, player)   # the pages that listen
    html = site.templates.get_template(name).render(
        scenario=site.scenario, player=player, csrf=player.csrf, html_class=" ".join(classes),
        voice=prefs.voice, message=message, **context)
    return with_cookie(HTMLResponse(html, status_code=status), player, new)


def stale(request: Request, player: Player, new: bool) -> Response:
    """A form from an old page or another browser: nothing is done, the player is told why."""
    player.message = "That page was out of date, so nothing was changed. Here is where you are now."
    return with_cookie(redirect("/play" if player.session or player.pair_id else "/"), player, new)


def class_of(request: Request, player: Player) -> ClassRow | None:
    return site_of(request).store.get_class(player.class_id) if player.class_id else None


def game_of(request: Request, player: Player) -> Game | None:
    """The player's game now: a pair's shared one when the teacher paired them, else their own."""
    site = site_of(request)
    klass = class_of(request, player)
    if player.pair_id:
        pair = site.pairs.game(player.pair_id)
        if pair is not None:
            pair.session.lock_choices = True   # no going back: the other player's moves would be undone
            return Game(pair.session, player.seat, player.pair_id, klass)
    if player.session is None:
        return None
    return Game(player.session, None, None, klass)


def class_block(request: Request, player: Player, game: Game | None, new: bool) -> Response | None:
    """A class that is paused or closed stops its students' moves (the page says why)."""
    klass = game.klass if game is not None else class_of(request, player)
    if klass is None:
        return None
    room = site_of(request).classroom
    if klass.paused or not room.open_now(klass):
        heading = "The class is paused" if klass.paused and room.open_now(klass) else "The class has ended"
        detail = ("Your teacher has paused the class. This page goes on by itself when the class does."
                  if klass.paused and room.open_now(klass) else "Your teacher has closed the class. Thank you for playing.")
        return page(request, "waiting.html", player, new, heading=heading, detail=detail, live=True,
                    debrief=player.ended)
    return None


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
    klass = class_of(request, player)
    from ..results.teachers import kit_folder

    return page(request, "title.html", player, new, roles=roles, paths=list(site.scenario.paths.values()),
                resume=resume, ended=session is not None and session.ended, klass=klass,
                kit=kit_folder(content_root(site.scenario)) is not None)


def view_title(title: str) -> str:
    return "the " + title[4:] if title.startswith("The ") else title


async def new_game(request: Request) -> Response:
    player, new = player_of(request)
    data = await form_of(request, player)
    if data is None:
        return stale(request, player, new)
    site = site_of(request)
    role, path = data.get("role", ""), data.get("path", "full")
    klass = class_of(request, player)
    if klass is not None:
        blocked = class_block(request, player, None, new)
        if blocked is not None:
            return blocked
        if player.pair_id:
            return with_cookie(redirect("/intro"), player, new)
        if player.session is not None and player.session.began and not player.session.ended \
                and player.session.runner.state.path == klass.path:
            return with_cookie(redirect("/play"), player, new)    # "back to the talks"
        path = klass.path                      # the teacher chose the length
        if player.seat:
            role = player.seat                 # …and, unless students choose, the side
        elif role not in site.scenario.roles:
            player.message = "Choose a side."
            return with_cookie(redirect("/class"), player, new)
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
    game = game_of(request, player)
    if game is None:
        return with_cookie(redirect("/class" if player.class_id else "/"), player, new)
    session = game.session
    if session.began and not game.paired:   # a pair's partner may have begun: this student still reads theirs
        return with_cookie(redirect("/play"), player, new)
    scenario = site_of(request).scenario
    roles = [game.seat] if game.paired else list(scenario.roles) if session.two_players else [session.role]
    sides = [(role.title, [s for s in scenario.speakers.values() if s.side == role.id]) for role in scenario.roles.values()]
    return page(request, "intro.html", player, new, session=session, roles=[scenario.roles[r] for r in roles],
                sides=sides, paired=game.paired)


async def begin(request: Request) -> Response:
    player, new = player_of(request)
    data = await form_of(request, player)
    game = game_of(request, player)
    if data is None or game is None:
        return stale(request, player, new)
    blocked = class_block(request, player, game, new)
    if blocked is not None:
        return blocked
    if game.paired:
        site_of(request).pairs.begin(game.pair_id)
    elif not game.session.began:
        game.session.begin()
        game.session.advance_to_stop()
        _tell_the_class(request, player, "began")
    return with_cookie(redirect("/play"), player, new)


# --- the talks ------------------------------------------------------------------------------------

async def play(request: Request) -> Response:
    """The conversation since the players' last decision, every line with its mark, then what
    comes next: the choice, the hand-over to the other player (or, for a pair on two devices,
    waiting for the partner), or the way to the debrief."""
    player, new = player_of(request)
    game = game_of(request, player)
    if game is None or not game.session.began:
        return with_cookie(redirect("/intro" if game else "/class" if player.class_id else "/"), player, new)
    blocked = class_block(request, player, game, new)
    if blocked is not None:
        return blocked
    session = game.session
    if session.ended and (session.recorded == "finished" or (game.paired and player.ended)):
        return with_cookie(redirect("/debrief"), player, new)
    site = site_of(request)
    shown = session.advance_to_stop()
    waiting = game.paired and shown.choice is not None and shown.choice.by != game.seat
    handover = not game.paired and session.needs_handover()
    choice = shown.choice if not (handover or waiting) else None
    turn = session.who_plays() if not game.paired else f"You: {session.role_title(game.seat)}"
    return page(request, "play.html", player, new, session=session, lines=view.recent_lines(session, site.glossed),
                choice=choice, handover=handover, waiting=waiting, ended=shown.ended, paired=game.paired,
                options=view.options_of(session) if choice else [], turn=turn,
                path_title=site.scenario.paths[session.runner.state.path].title,
                who=site.scenario.roles[shown.choice.by].title if shown.choice else "")


async def step(request: Request) -> Response:
    """POST /next, /choose, /back, /ready, /lock: one move of the talks, then the page again."""
    player, new = player_of(request)
    data = await form_of(request, player)
    game = game_of(request, player)
    if data is None or game is None or not game.session.began:
        return stale(request, player, new)
    blocked = class_block(request, player, game, new)
    if blocked is not None:
        return blocked
    session = game.session
    action = request.url.path.strip("/")
    shown = session.shown
    at = data.get("at", "")
    if game.paired:
        return _pair_step(request, player, new, game, action, data)
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
                _tell_the_class(request, player, "moved")
    elif action == "back":
        session.go_back()
    elif action == "ready":
        session.take_turn()
    elif action == "lock":
        session.set_lock(data.get("on") == "1")
    return with_cookie(redirect("/play"), player, new)


def _pair_step(request: Request, player: Player, new: bool, game: Game, action: str, data: dict[str, str]) -> Response:
    pairs = site_of(request).pairs
    if action == "choose":
        number = data.get("option", "")
        if number.isdigit():
            pairs.choose(game.pair_id, game.seat, data.get("at", ""), int(number))
    elif action == "next" and game.session.ended:
        pairs.finish(game.pair_id)
        site_of(request).store.end_log(player.key)    # this student has seen the end
        return with_cookie(redirect("/debrief"), player, new)
    return with_cookie(redirect("/play"), player, new)


def _tell_the_class(request: Request, player: Player, what: str) -> None:
    if player.class_id:
        site_of(request).store.publish(player.class_id, what)


async def said(request: Request) -> Response:
    player, new = player_of(request)
    game = game_of(request, player)
    if game is None:
        return with_cookie(redirect("/"), player, new)
    return page(request, "log.html", player, new, lines=view.all_lines(game.session, site_of(request).glossed))


# --- documents ------------------------------------------------------------------------------------

async def source(request: Request) -> Response:
    player, new = player_of(request)
    scenario = site_of(request).scenario
    return page(request, "source.html", player, new, paragraphs=sorted(scenario.source.paragraphs.values(),
                                                                       key=lambda p: p.number),
                places=scenario.presentation.map, map_src=map_url(scenario), witness_kinds=witness_kinds(scenario))


async def glossary(request: Request) -> Response:
    player, new = player_of(request)
    scenario = site_of(request).scenario
    entries = sorted(scenario.glossary, key=lambda e: e.term.casefold())
    return page(request, "glossary.html", player, new, entries=entries,
                cite=lambda refs: view.sources_text(scenario, refs), places=scenario.presentation.map, map_src=map_url(scenario))



def content_root(scenario: Scenario) -> Path:
    """The content folder a scenario was loaded from (its kit and art sit beside scenarios/)."""
    return Path(scenario.folder).parents[1] if scenario.folder else game_files()


async def teachers(request: Request) -> Response:
    """The teacher's kit, printable: every handout of docs/teachers in one page."""
    from ..results.teachers import read_kit, teachers_html

    scenario = site_of(request).scenario
    places = scenario.presentation.map
    kit = read_kit(content_root(scenario), places, map_url(scenario) if places is not None else "")
    if kit is None:
        raise HTTPException(404)
    html = teachers_html(kit, scenario.title)
    return HTMLResponse(html, headers={"content-security-policy": csp_with_inline_style(html)})


def has_map(scenario: Scenario) -> bool:
    return scenario.presentation.map is not None


def map_url(scenario: Scenario) -> str:
    """Where pages find the scenario's map: /art/ and the picture's plain file name."""
    places = scenario.presentation.map
    return f"/art/{Path(places.image.name).name}" if places is not None else ""


async def art(request: Request) -> Response:
    """The scenario's map, the one picture a page shows: only the file its presentation names,
    read again under the content rules (engine/presentation.image_bytes)."""
    scenario = site_of(request).scenario
    places = scenario.presentation.map
    if places is None or request.url.path != map_url(scenario):
        raise HTTPException(404)
    data = image_bytes(scenario, places.image)
    if data is None:
        raise HTTPException(404)
    return Response(data, media_type="image/png", headers={"Cache-Control": "public, max-age=86400"})


async def witnesses(request: Request) -> Response:
    player, new = player_of(request)
    scenario = site_of(request).scenario
    if not scenario.witnesses:
        raise HTTPException(404)
    return page(request, "witnesses.html", player, new, witnesses=scenario.witnesses, kinds=WITNESS_KIND_NAMES,
                cite=lambda refs: view.sources_text(scenario, refs))


async def sources(request: Request) -> Response:
    player, new = player_of(request)
    return page(request, "sources.html", player, new, entries=sources_page(site_of(request).scenario))


# --- the end --------------------------------------------------------------------------------------

async def debrief(request: Request) -> Response:
    player, new = player_of(request)
    game = game_of(request, player)
    if game is None or not game.session.ended:
        return with_cookie(redirect("/play" if game else "/"), player, new)
    session = game.session
    if game.paired:
        site_of(request).pairs.finish(game.pair_id)
    else:
        was = session.recorded
        session.finish()     # recorded once: a no-op when "On to the debrief" already did it
        if was != session.recorded:
            _tell_the_class(request, player, "finished")
    if game.klass is not None and game.klass.hold_debrief:
        return page(request, "waiting.html", player, new, heading="The talks are over",
                    detail="Your teacher will open the debrief in a moment, after the class has talked about it. "
                           "This page goes on by itself.", live=True, debrief=False)
    scenario = site_of(request).scenario
    report = session.debrief()
    return page(request, "debrief.html", player, new, report=report,
                cite=lambda refs: view.sources_text(scenario, refs), mark=view.mark_of,
                minutes=[view.shown_line(scenario, site_of(request).glossed, s) for s in report.minutes]
                if len(report.roles) > 1 else [])


async def minutes(request: Request) -> Response:
    from ..results.minutes_html import minutes_html

    player, new = player_of(request)
    game = game_of(request, player)
    if game is None or not game.session.ended or (game.klass is not None and game.klass.hold_debrief):
        return with_cookie(redirect("/"), player, new)
    html = minutes_html(game.session.debrief())
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
    if code == 403:
        return page(request, "problem.html", player, new, status=403, heading="Not allowed",
                    detail="That form was not from this page, or it was about a class or a student that is not yours. "
                           "Nothing was changed.")
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
    Route("/witnesses", witnesses),
    Route("/teachers", teachers),
    Route("/art/{name:str}", art),
    Route("/debrief", debrief),
    Route("/minutes", minutes),
    Route("/settings", settings, methods=["GET", "POST"]),
    Route("/join", class_pages.join_page),
    Route("/join", class_pages.join, methods=["POST"]),
    Route("/join/{code:str}", class_pages.join_page),
    Route("/class", class_pages.lobby),
    Route("/events", class_pages.student_events),
    Route("/teach/{token:str}", class_pages.dashboard),
    Route("/teach/{token:str}/panel", class_pages.panel),
    Route("/teach/{token:str}/projector", class_pages.projector),
    Route("/teach/{token:str}/events", class_pages.teacher_events),
    Route("/teach/{token:str}/control", class_pages.control, methods=["POST"]),
    Route("/teach/{token:str}/open", class_pages.open_another, methods=["POST"]),
    Route("/teach/{token:str}/export.csv", class_pages.export_csv),
    Route("/teach/{token:str}/report.html", class_pages.export_report),
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
    classroom = Classroom(store, scenario)
    pairs = Pairs(store, scenario, results,
                  lambda class_id: getattr(store.get_class(class_id), "path", "full"))
    app.state.site = Site(scenario, store, Players(store, scenario, results, capacity), templates,
                          view.Glossed(scenario), classroom, pairs, Broker(store), results)
    app.add_middleware(BodyLimit, limit=MAX_BODY)
    app.add_middleware(SecurityHeaders)
    return app
