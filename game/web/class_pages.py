"""The class's pages: joining with a code, a student's lobby and live updates, and the teacher's
dashboard, projector view, controls and exports (all under the teacher's secret link).

Who may see what: a student sees their own game and, in a pair, their partner's shared game; a
teacher's token opens that class's pages and no other's; nothing here takes a student's id from a
student. Unknown or wrong tokens get the same 404 as any unknown address.
"""

from __future__ import annotations

import csv
import functools
import io
import urllib.parse
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response, StreamingResponse

from ..store.base import ClassRow
from . import live
from .classroom import assigns, clean_code, token_hash


def _site(request: Request):
    return request.app.state.site


def teacher_class(request: Request) -> tuple[ClassRow, str]:
    token = request.path_params.get("token", "")
    row = _site(request).classroom.by_token(token)
    if row is None:
        raise HTTPException(404)
    return row, token


def teacher_csrf(token: str) -> str:
    return token_hash("form:" + token)[:32]


def links(request: Request, row: ClassRow, token: str) -> dict[str, str]:
    base = str(request.base_url).rstrip("/")
    return {"students": f"{base}/join/{row.code}", "teacher": f"{base}/teach/{token}"}


# --- students ------------------------------------------------------------------------------------

async def join_page(request: Request) -> Response:
    from .app import page, player_of

    player, new = player_of(request)
    code = clean_code(request.path_params.get("code", "") or request.query_params.get("code", ""))
    row = _site(request).classroom.by_code(code) if code else None
    return page(request, "join.html", player, new, status=200 if row or not code else 404, row=row, code=code)


async def join(request: Request) -> Response:
    from .app import form_of, page, player_of, redirect, stale, with_cookie

    player, new = player_of(request)
    data = await form_of(request, player)
    if data is None:
        return stale(request, player, new)
    site = _site(request)
    address = request.client.host if request.client else "?"
    if site.classroom.joins.blocked(address):
        return page(request, "problem.html", player, new, status=429, heading="Too many tries",
                    detail="That was many wrong join codes in a short time. Wait a minute, then type the code your "
                           "teacher shows.")
    row = site.classroom.by_code(data.get("code", ""))
    if row is None:
        site.classroom.joins.missed(address)
        player.message = "There is no open class with that code. Check it with your teacher."
        return with_cookie(redirect("/join"), player, new)
    if player.class_id != row.id:
        site.classroom.join(player.key, row, data.get("name", ""))
        player.session = None
    return with_cookie(redirect("/class"), player, new)


async def lobby(request: Request) -> Response:
    """A student's class page: the class, their side (or the choice of one), their partner."""
    from .app import page, player_of, redirect, with_cookie

    player, new = player_of(request)
    site = _site(request)
    row = site.store.get_class(player.class_id) if player.class_id else None
    if row is None:
        return with_cookie(redirect("/"), player, new)
    pair = site.store.get_pair(player.pair_id) if player.pair_id else None
    partner = ""
    if pair is not None:
        other = next((role for role, key in pair.seats.items() if key != player.key), None)
        if other in pair.record:
            partner = "the record (it plays what was really said)"
        elif other is not None:
            partner = site.scenario.roles[other].title + (" (another student)" if pair.seats.get(other) else
                                                        " (the seat is empty for now)")
    open_now = site.classroom.open_now(row)
    roles = [(r.id, r.title) for r in site.scenario.roles.values()]
    return page(request, "lobby.html", player, new, row=row, open_now=open_now, pair=pair, partner=partner,
                roles=roles, seat_title=site.scenario.roles[player.seat].title if player.seat else "",
                path_title=site.scenario.paths[row.path].title if row.path in site.scenario.paths else row.path,
                free=row.assign == "free" and not player.seat, waiting_for_pair=row.assign == "pairs" and pair is None)


def student_stamp(site, player) -> str:
    """What a student's waiting page was drawn from (their class's state, their seat, their pair's
    version). A page's stream is given it back: a change between drawing the page and listening
    (or while the server restarted) is not missed."""
    row = site.store.get_class(player.class_id) if player.class_id else None
    if row is None:
        return "none"
    pair = site.store.get_pair(player.pair_id) if player.pair_id else None
    state = (int(row.paused), int(row.hold_debrief), int(site.classroom.open_now(row)), row.assign, row.path,
             player.seat or "", player.pair_id or "", pair.version if pair else -1)
    return token_hash(repr(state))[:16]


async def student_events(request: Request) -> Response:
    """What changed in the student's class (their page decides whether to look again)."""
    from .app import player_of

    player, _new = player_of(request)
    if not player.class_id:
        raise HTTPException(404)
    site = _site(request)
    mine = {"class", f"pair:{player.pair_id}"} if player.pair_id else {"class"}
    stale = request.query_params.get("v", "") not in ("", student_stamp(site, player))
    return StreamingResponse(live.stream(site.broker, player.class_id, request.is_disconnected,
                                         lambda what: what in mine, changed_already=stale),
                             media_type="text/event-stream", headers={"Cache-Control": "no-store"})


# --- the teacher ---------------------------------------------------------------------------------

def _dashboard_context(request: Request, row: ClassRow, token: str, names: bool = True) -> dict[str, Any]:
    site = _site(request)
    summary = site.classroom.summary(row)
    objectives = {o.id: (role.title, o.text) for role in site.scenario.roles.values() for o in role.objectives}
    return {"row": row, "token": token, "summary": summary, "links": links(request, row, token),
            "names": names, "roles": site.scenario.roles, "paths": site.scenario.paths, "assigns": assigns(site.scenario),
            "objectives": objectives, "teacher_csrf": teacher_csrf(token), "open_now": site.classroom.open_now(row),
            "qr": qr_svg(links(request, row, token)["students"]),
            "labels": {s.key: s.label for s in summary.students}}


@functools.lru_cache(maxsize=256)
def qr_svg(url: str) -> str:
    """The join link as an inline SVG QR code (segno), for the dashboard and the projector; made
    once a link (it takes longer than the rest of the panel)."""
    import segno

    return segno.make(url, error="m").svg_inline(scale=5, title="Join link", dark="#1e1a16", light="#f6efdc", omitsize=True)


def _teacher_page(request: Request, name: str, context: dict[str, Any]) -> Response:
    site = _site(request)
    html = site.templates.get_template(name).render(scenario=site.scenario, **context)
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


async def dashboard(request: Request) -> Response:
    row, token = teacher_class(request)
    return _teacher_page(request, "dashboard.html", _dashboard_context(request, row, token))


async def panel(request: Request) -> Response:
    """The live part of the dashboard, fetched again by its script whenever the class changes."""
    row, token = teacher_class(request)
    names = request.query_params.get("projector") != "1"   # the projector's panel never shows names
    return _teacher_page(request, "panel.html", _dashboard_context(request, row, token, names=names))


async def projector(request: Request) -> Response:
    row, token = teacher_class(request)
    return _teacher_page(request, "projector.html", {**_dashboard_context(request, row, token, names=False), "big": True})


async def teacher_events(request: Request) -> Response:
    row, _token = teacher_class(request)
    return StreamingResponse(live.stream(_site(request).broker, row.id, request.is_disconnected),
                             media_type="text/event-stream", headers={"Cache-Control": "no-store"})


async def control(request: Request) -> Response:
    """One of the teacher's controls, then the dashboard again."""
    from .app import redirect

    row, token = teacher_class(request)
    form = await request.form(max_files=0, max_fields=10, max_part_size=4096)
    data = {k: v for k, v in form.items() if isinstance(v, str)}
    if data.get("csrf") != teacher_csrf(token):
        raise HTTPException(403)
    site = _site(request)
    room = site.classroom
    action = data.get("action", "")
    if action == "assign":
        room.set_assign(row, data.get("mode", ""))
    elif action == "seat":
        seat = data.get("seat") or None
        if not room.set_seat(row, data.get("student", ""), seat):
            raise HTTPException(403)
    elif action == "pairs":
        room.make_pairs(row)
    elif action == "record":
        pair = site.store.get_pair(data.get("pair", ""))
        if pair is None or pair.class_id != row.id:
            raise HTTPException(403)
        site.pairs.hand_to_record(pair.id, data.get("seat", ""))
    elif action in ("pause", "resume"):
        room.set_flag(row, "paused", action == "pause")
    elif action in ("hold", "release"):
        room.set_flag(row, "hold_debrief", action == "hold")
    elif action == "end":
        room.set_flag(row, "ended", True)
    elif action == "path":
        room.set_path(row, data.get("path", ""))
    elif action == "expires":
        try:
            room.extend(row, float(data.get("hours", "")))
        except ValueError:
            pass
    return redirect(f"/teach/{token}")


async def open_another(request: Request) -> Response:
    row, token = teacher_class(request)
    form = await request.form(max_files=0, max_fields=10, max_part_size=4096)
    data = {k: v for k, v in form.items() if isinstance(v, str)}
    if data.get("csrf") != teacher_csrf(token):
        raise HTTPException(403)
    site = _site(request)
    path = data.get("path", row.path)
    opened = site.classroom.open(data.get("name", "Class"), path if path in site.scenario.paths else row.path)
    return _teacher_page(request, "opened.html", {"row": opened.row, "links": links(request, opened.row, opened.token),
                                                  "back": f"/teach/{token}"})


async def export_csv(request: Request) -> Response:
    """One row a student: names only when the teacher asks (`?names=1`)."""
    row, _token = teacher_class(request)
    names = request.query_params.get("names") == "1"
    summary = _site(request).classroom.summary(row)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    from ..results.report import _cell as safe_cell  # the CSV cell that no spreadsheet runs as a formula

    writer.writerow(["student", "side", "partner_seat", "where", "choices", "finished", "ending", "record_match",
                     "of_moments"])
    for number, s in enumerate(summary.students, 1):
        writer.writerow([safe_cell(s.label if names else f"Student {number}"), safe_cell(s.seat or ""),
                         "pair" if s.pair_id else "", safe_cell(s.moment), s.choices, int(s.finished),
                         safe_cell(s.ending), s.matched if s.finished else "", s.total if s.finished else ""])
    filename = urllib.parse.quote(f"{row.name}.csv")
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{filename}",
                             "Cache-Control": "no-store"})


async def export_report(request: Request) -> Response:
    """The printable class report of this class's finished sessions (anonymous: it has no names)."""
    from ..results.db import MEMORY, Merged, ResultsDB
    from ..results.report import report_html
    from .app import csp_with_inline_style

    row, _token = teacher_class(request)
    site = _site(request)
    merged = Merged(ResultsDB(MEMORY))
    try:
        records = site.results_sessions(set(site.classroom.uids(row)))
        merged.added = merged.db.add(records)
        html = report_html(merged, {site.scenario.id: site.scenario})
    finally:
        merged.db.close()
    return HTMLResponse(html, headers={"content-security-policy": csp_with_inline_style(html), "Cache-Control": "no-store"})
