"""JSON endpoints of the hearings module (``/api/v1/hearings…``), beside core's API.

Same authentication as core's API (bearer token or session; CSRF on session writes), the
record rules of the hearing and of its matter, and core's error envelope
``{"error": {"code", "message"}}`` (``core.web.errors`` answers JSON under ``/api/``).
Paths and schemas: ``openapi_paths()`` (listed in the OpenAPI document at
``/api/v1/openapi.json`` when core merges module paths).
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from core.api import (
    Matter,
    StaleEdit,
    fail,
    find_visible_matter,
    get_visible_or_404,
    require,
)

from . import services
from .blueprint import bp
from .models import Application, Hearing
from .services import HearingError
from .services.common import when

PREFIX = "/api/v1"


def hearing_json(h: Hearing) -> dict[str, Any]:
    """A hearing for the API (no personal data: participants by role and count)."""
    return {
        "id": h.id,
        "matter": h.matter.number,
        "stage": h.stage,
        "stage_label": h.stage_label,
        "status": h.status,
        "status_label": h.status_label,
        "reason": h.reason,
        "scheduled_at": h.starts.isoformat(),
        "ends_at": h.until.isoformat(),
        "local_time": when(h.scheduled_at),
        "venue": h.venue,
        "presiding_officer": h.presiding_officer.display_name,
        "public": h.public,
        "notice_on": h.notice_on.isoformat() if h.notice_on else None,
        "started_on": h.started_on.isoformat() if h.started_on else None,
        "concluded_on": h.concluded_on.isoformat() if h.concluded_on else None,
        "excluded_days": h.excluded_days,
        "conclusion": h.conclusion,
        "opinion_id": h.opinion_id,
        "participants": [{"role": p.role, "attended": p.attended} for p in h.participants],
    }


def application_json(a: Application) -> dict[str, Any]:
    return {
        "id": a.id,
        "matter": a.matter.number,
        "origin": a.origin,
        "stage": a.stage,
        "status": a.status,
        "status_label": a.status_label,
        "told_on": a.told_on.isoformat() if a.told_on else None,
        "applied_on": a.applied_on.isoformat(),
        "late": a.late,
        "decided_on": a.decided_on.isoformat() if a.decided_on else None,
    }


def _refusal(exc: HearingError):
    body: dict[str, Any] = {"code": 422, "message": str(exc)}
    if exc.errors:
        body["errors"] = exc.errors
    return jsonify(error=body), 422


@bp.route(f"{PREFIX}/hearings")
@require("hearings.view")
def api_hearings():
    """Hearings of a tab: ``due`` (default), ``held`` or ``late`` (late applications too)."""
    tab = request.args.get("tab", "due")
    if tab not in ("due", "held", "late"):
        fail(400, "tab 只能为 due、held 或 late。")
    rows = services.listing(tab)
    return jsonify(
        items=[hearing_json(r) if isinstance(r, Hearing) else application_json(r) for r in rows]
    )


@bp.route(f"{PREFIX}/hearings/<int:hearing_id>")
@require("hearings.view")
def api_hearing(hearing_id: int):
    """One hearing."""
    h = get_visible_or_404(Hearing, hearing_id)
    get_visible_or_404(Matter, h.matter_id)
    return jsonify(hearing_json(h))


@bp.route(f"{PREFIX}/matters/<int:matter_id>/hearings")
@require("hearings.view")
def api_matter_hearings(matter_id: int):
    """A matter's hearings and applications."""
    matter = get_visible_or_404(Matter, matter_id)
    hearings, applications = services.of_matter(matter)
    return jsonify(
        hearings=[hearing_json(h) for h in hearings],
        applications=[application_json(a) for a in applications],
    )


@bp.route(f"{PREFIX}/hearings/applications", methods=["POST"])
@require("hearings.manage")
def api_apply():
    """Record a petitioner's application (late ones as late).

    Body: ``{"matter", "applied_on", "told_on"?, "reason", "grounds"}``, dates ``YYYY-MM-DD``.
    """
    from datetime import date

    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        fail(400, "请求体应为 JSON 对象（Content-Type: application/json）。")
    matter = find_visible_matter(str(body.get("matter") or ""))
    if matter is None:
        fail(404, "未找到该信访事项，或您无权查看。")
    try:
        applied_on = date.fromisoformat(str(body.get("applied_on") or ""))
        told_on = date.fromisoformat(body["told_on"]) if body.get("told_on") else None
    except (TypeError, ValueError):
        fail(400, "日期格式应为 YYYY-MM-DD。")
    try:
        app = services.apply(
            matter,
            told_on=told_on,
            applied_on=applied_on,
            reason=str(body.get("reason") or ""),
            grounds=str(body.get("grounds") or ""),
        )
    except HearingError as exc:
        return _refusal(exc)
    except StaleEdit as exc:
        fail(409, str(exc))
    return jsonify(application_json(app)), 201


def openapi_paths() -> dict[str, Any]:
    """The module's paths for the OpenAPI document."""
    err = {"description": "错误", "content": {"application/json": {}}}
    hid = {"name": "hearing_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    mid = {"name": "matter_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    ok = {"description": "成功", "content": {"application/json": {}}}
    return {
        "/api/v1/hearings": {
            "get": {
                "operationId": "listHearings",
                "summary": "听证列表：待举行、已举行、逾期（需 hearings.view）",
                "parameters": [
                    {
                        "name": "tab",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["due", "held", "late"]},
                    }
                ],
                "responses": {"200": ok, "400": err, "401": err, "403": err},
            }
        },
        "/api/v1/hearings/{hearing_id}": {
            "get": {
                "operationId": "getHearing",
                "summary": "一次听证：安排、听证期间、结论",
                "parameters": [hid],
                "responses": {"200": ok, "404": err, "401": err, "403": err},
            }
        },
        "/api/v1/matters/{matter_id}/hearings": {
            "get": {
                "operationId": "listMatterHearings",
                "summary": "信访事项的听证与听证申请",
                "parameters": [mid],
                "responses": {"200": ok, "404": err, "401": err, "403": err},
            }
        },
        "/api/v1/hearings/applications": {
            "post": {
                "operationId": "applyForHearing",
                "summary": "登记听证申请（逾期申请记为逾期；需 hearings.manage）",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["matter", "applied_on", "reason", "grounds"],
                                "properties": {
                                    "matter": {"type": "string"},
                                    "applied_on": {"type": "string", "format": "date"},
                                    "told_on": {"type": "string", "format": "date"},
                                    "reason": {
                                        "type": "string",
                                        "enum": ["major", "complex", "difficult"],
                                    },
                                    "grounds": {"type": "string"},
                                },
                            }
                        }
                    },
                },
                "responses": {"201": ok, "400": err, "404": err, "422": err, "401": err},
            }
        },
    }
