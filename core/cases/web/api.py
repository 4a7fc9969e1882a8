"""The JSON API of the case file, version 1 (``/api/v1/…``), for hotlines and other systems.

Authentication: a bearer token (``Authorization: Bearer …``, issued on the user's own page;
the user needs ``core.api.use``) or the browser session (then with a CSRF token on writes).
The same record rules, masking and sealing apply as on the pages. Errors are always
``{"error": {"code": <HTTP status>, "message": "…"}}``; a refused registration or step adds
``"errors": {field: message}`` with the field names of the forms (``parties-0-id_number``).
The OpenAPI document is at ``/api/v1/openapi.json`` (``core.cases.web.openapi``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import jsonify, request, url_for
from flask_login import current_user
from sqlalchemy import select

from core.accounts.actor import actor_permissions, has_permission
from core.accounts.services import StaleEdit, check_version
from core.cases.clocks.clocks import today
from core.cases.lifecycle.registration import MatterError, register_matter
from core.cases.lifecycle.steps import perform
from core.cases.lifecycle.table import STATES, available
from core.cases.lifecycle.table import find as find_transition
from core.cases.models import Matter
from core.cases.models.matter import CHANNELS
from core.cases.people.sealing import identity_sealed_for
from core.cases.records import rating as ratings
from core.cases.search import results as search_results
from core.cases.search.query import MAX_QUERY, parse_filters
from core.cases.search.results import explain, parse_paging
from core.cases.web import queue as work_queue
from core.cases.web import reading
from core.cases.web.access import can_view_cases
from core.cases.web.forms import field_errors, formdata_from_json
from core.cases.web.registration_form import registration_form, remap_party_errors
from core.cases.web.step_forms import transition_fields, transition_form
from core.extensions import db
from core.web.blueprint import bp
from core.web.http import INT_MAX, fail, get_visible_or_404, paginate, parse_int

PREFIX = "/api/v1"
MAX_PER_PAGE = 100


def api_error(code: int, message: str, errors: dict[str, str] | None = None):
    """An error response in the API's envelope (with field errors for 422)."""
    body: dict[str, Any] = {"code": code, "message": message}
    if errors:
        body["errors"] = errors
    return jsonify(error=body), code


def api_view(permission: str | None = None) -> Callable:
    """Decorator: an authenticated caller who works on cases (and holds ``permission``)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            if not current_user.is_authenticated:
                fail(401, "请先登录，或在请求头中提供有效的 API 令牌（Authorization: Bearer …）。")
            if not can_view_cases(actor_permissions()):
                fail(403, "您没有访问信访事项的权限。")
            if permission and not has_permission(permission):
                fail(403, "您没有执行此操作的权限。")
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        fail(400, "请求体应为 JSON 对象（Content-Type: application/json）。")
    return body


# --- output ------------------------------------------------------------------------------------


def matter_brief(matter: Matter, user: Any) -> dict[str, Any]:
    """A matter in lists: identifiers, state, the lead petitioner as the viewer may see them."""
    return {
        "id": matter.id,
        "number": matter.number,
        "state": matter.state,
        "state_label": reading.state_label(matter.state),
        "channel": matter.channel,
        "channel_label": matter.channel_label,
        "received_on": matter.received_on.isoformat(),
        "summary": reading.short(matter.summary, 120),
        "lead": reading.lead_name(matter, user),
        "handling_agency": matter.handling_agency.name if matter.handling_agency else None,
        "version": matter.version,
        "url": url_for("core.api_matter", matter_id=matter.id),
    }


def _clock(clock) -> dict[str, Any]:
    return {
        "kind": clock.kind,
        "label": clock.label,
        "article": clock.article,
        "start": clock.start.isoformat(),
        "due": clock.due.isoformat(),
        "state": clock.state,
        "state_label": reading.CLOCK_STATES.get(clock.state, clock.state),
        "provisional": clock.provisional,
        "explanation": clock.explanation,
        "responsible_agency_id": clock.responsible_agency_id,
    }


def matter_detail(matter: Matter, user: Any) -> dict[str, Any]:
    """Everything the viewer may see of a matter, as the page shows it."""
    sealed = identity_sealed_for(matter, user)
    perms = actor_permissions()
    out = matter_brief(matter, user)
    out.update(
        {
            "query_code": None if sealed else matter.query_code,
            "purpose": matter.purpose,
            "handling_type": matter.handling_type,
            "category": matter.category.path_name if matter.category else None,
            "summary": matter.summary,
            "demands": list(matter.demands or []),
            "place": matter.place_text,
            "complained_party": matter.complained_party,
            "complained_agency": matter.complained_agency.name
            if matter.complained_agency
            else None,
            "head_count": matter.head_count,
            "people_involved": matter.people_involved,
            "flags": list(matter.flags or []),
            "repeat_of": matter.repeat_of.number if matter.repeat_of else None,
            "external_numbers": dict(matter.external_numbers or {}),
            "agency": matter.agency.name,
            "handler": matter.handler.display_name if matter.handler else None,
            "accepted_on": matter.accepted_on.isoformat() if matter.accepted_on else None,
            "reply_received_on": matter.reply_received_on.isoformat()
            if matter.reply_received_on
            else None,
            "outcome": matter.outcome,
            "identity_sealed": sealed,
            "parties": [{"role": p.role, **p.values} for p in reading.parties(matter, user)],
            "clocks": [_clock(c) for c in reading.clocks(matter)],
            "timeline": [
                {
                    "at": e.at.isoformat(),
                    "actor": e.actor,
                    "kind": e.kind,
                    "title": e.title,
                    "body": e.body,
                }
                for e in reading.timeline(matter, user)
            ],
            "documents": [
                {
                    "number": f.document.number,
                    "title": f.document.title,
                    "issued_at": f.document.issued_at.isoformat(),
                    "download": url_for(
                        "core.matter_attachment",
                        matter_id=matter.id,
                        attachment_id=f.attachment.id,
                    )
                    if f.downloadable
                    else None,
                }
                for f in reading.documents(matter, user)
            ],
            "ratings": [
                {
                    "target": s.target,
                    "status": s.status,
                    "status_label": s.label,
                    "value": s.rating.value if s.rating else None,
                    "window_ends": s.window_ends.isoformat() if s.window_ends else None,
                }
                for s in ratings.statuses(matter)
            ],
            "transitions": [
                {
                    "name": t.name,
                    "label": t.label,
                    "required": list(t.required),
                    "fields": list(transition_fields(t)),
                }
                for t in available(matter, perms)
            ],
        }
    )
    return out


# --- matters -----------------------------------------------------------------------------------


@bp.route(f"{PREFIX}/matters", methods=["POST"])
@api_view("core.cases.register")
def api_register():
    """Register a matter; 201 with its number and query code, 422 with field errors."""
    body = dict(_json_body())
    if isinstance(body.get("demands"), list):
        body["demands"] = "\n".join(str(d) for d in body["demands"])
    if "category_id" in body:
        body.update(_category_levels(body.pop("category_id")))
    body.setdefault("received_on", today().isoformat())
    form = registration_form(formdata_from_json(body), api=True)
    if not form.validate():
        errors = field_errors(form)
        for level in ("category_1", "category_2", "category_3"):
            # The API takes one category_id; report it under that name.
            if level in errors:
                errors["category_id"] = "内容分类无效。"
                errors.pop(level)
        return api_error(422, "登记信息有误，请按提示修改。", errors)
    reg, rows = form.to_registration()
    try:
        matter = register_matter(reg)
    except MatterError as exc:
        return api_error(422, str(exc), remap_party_errors(exc.errors, rows))
    response = jsonify(
        id=matter.id,
        number=matter.number,
        query_code=matter.query_code,
        state=matter.state,
        version=matter.version,
        url=url_for("core.api_matter", matter_id=matter.id),
    )
    response.status_code = 201
    response.headers["Location"] = url_for("core.api_matter", matter_id=matter.id)
    return response


def _category_levels(category_id: Any) -> dict[str, Any]:
    from core.cases.models import ContentCategory

    # An id past PostgreSQL's integer would fail in the database: it names no category.
    number = parse_int(category_id) if category_id else None
    node = db.session.get(ContentCategory, number) if number is not None else None
    if category_id and node is None:
        return {"category_1": "invalid"}
    levels: dict[str, Any] = {}
    while node is not None:
        levels[f"category_{node.level}"] = node.id
        node = node.parent
    return levels


@bp.route(f"{PREFIX}/matters", methods=["GET"])
@api_view()
def api_matters():
    """Matters the caller can see, newest first; filters ``state`` and ``channel``."""
    stmt = select(Matter).order_by(Matter.id.desc())
    state = request.args.get("state", "").strip()
    channel = request.args.get("channel", "").strip()
    if state:
        if state not in STATES:
            fail(400, f"未知的状态：{state}。")
        stmt = stmt.where(Matter.state == state)
    if channel:
        if channel not in CHANNELS:
            fail(400, f"未知的信访形式：{channel}。")
        stmt = stmt.where(Matter.channel == channel)
    page = paginate(stmt, *_paging())
    user = current_user._get_current_object()
    return jsonify(
        items=[matter_brief(m, user) for m in page.items],
        page=page.page,
        per_page=page.per_page,
        total=page.total,
        pages=page.pages,
    )


def _paging() -> tuple[int, int]:
    """``page`` and ``per_page`` as the OpenAPI document bounds them; 400 naming the wrong one."""
    values = []
    for name, default, high in (("page", 1, INT_MAX), ("per_page", 30, MAX_PER_PAGE)):
        raw = request.args.get(name, "")
        value = parse_int(raw, 1, high) if raw.strip() else default
        if value is None:
            fail(400, f"参数 {name} 应为 1 到 {high} 之间的整数：{raw[:30]}")
        values.append(value)
    return values[0], values[1]


@bp.route(f"{PREFIX}/matters/<int:matter_id>", methods=["GET"])
@api_view()
def api_matter(matter_id: int):
    """One matter with clocks, timeline, documents, ratings and the steps available now."""
    matter = get_visible_or_404(Matter, matter_id)
    return jsonify(matter_detail(matter, current_user._get_current_object()))


@bp.route(f"{PREFIX}/matters/<int:matter_id>/transitions/<name>", methods=["POST"])
@api_view()
def api_transition(matter_id: int, name: str):
    """Run a step: 200 with the matter; 409 stale version; 422 refused; 403; 404."""
    matter = get_visible_or_404(Matter, matter_id)
    transition = find_transition(name)
    if transition is None:
        fail(404, f"没有名为 {name} 的操作。")
    if transition.permission not in actor_permissions():
        fail(403, f"您没有“{transition.label}”的权限。")
    body = _json_body()
    form = transition_form(
        transition, matter, formdata=formdata_from_json(body), api=True, user=current_user
    )
    try:
        check_version(matter, body.get("version"))
    except StaleEdit as exc:
        fail(409, str(exc))
    if not form.validate():
        return api_error(422, "请按提示修改后再提交。", field_errors(form))
    try:
        doc = perform(
            matter, name, form.service_data(), version=body.get("version"), on=form.event_date()
        )
    except StaleEdit as exc:
        fail(409, str(exc))
    except MatterError as exc:
        db.session.rollback()
        return api_error(422, str(exc), dict(exc.errors))
    matter = get_visible_or_404(Matter, matter_id)
    out = matter_detail(matter, current_user._get_current_object())
    if doc is not None:
        out["issued_document"] = {"number": doc.number, "title": doc.title}
    return jsonify(out)


@bp.route(f"{PREFIX}/matters/<int:matter_id>/ratings", methods=["POST"])
@api_view(ratings.PERMISSION)
def api_rate(matter_id: int):
    """Enter a satisfaction rating after a return visit; 201, or 422 with the reason."""
    matter = get_visible_or_404(Matter, matter_id)
    body = _json_body()
    try:
        rating = ratings.rate(
            matter,
            str(body.get("target") or ""),
            str(body.get("value") or ""),
            str(body.get("reason") or ""),
            str(body.get("method") or "phone"),
        )
    except ratings.RatingError as exc:
        return api_error(422, str(exc), exc.errors)
    response = jsonify(
        target=rating.target, value=rating.value, reason=rating.reason, matter_id=matter.id
    )
    response.status_code = 201
    return response


# --- search ----------------------------------------------------------------------------------


@bp.route(f"{PREFIX}/search", methods=["GET"])
@api_view()
def api_search():
    """Matters by words of their text, petitioners and addresses, with filters; paged by key.

    The parameters are those of the search page (``q state channel category agency from to
    flag overdue``) plus ``after`` (the ``next_after`` of the previous page) and ``limit``.
    """
    filters, errors = parse_filters(request.args)
    after, limit, paging_errors = parse_paging(request.args)
    errors.update(paging_errors)
    if errors:
        return api_error(400, explain(errors), errors)
    found = search_results.results(filters, after=after, limit=limit)
    user = current_user._get_current_object()
    return jsonify(items=[matter_brief(m, user) for m in found.items], next_after=found.next_after)


# --- queue ---------------------------------------------------------------------------------------


@bp.route(f"{PREFIX}/queue", methods=["GET"])
@api_view()
def api_queue():
    """The caller's work queue: one tab's rows and the count of every tab."""
    user = current_user._get_current_object()
    perms = actor_permissions()
    tab = request.args.get("tab", "mine")
    if tab not in work_queue.TABS:
        fail(400, f"未知的分组：{tab}（可选 {'、'.join(work_queue.TABS)}）。")
    on = today()
    page_no, per_page = _paging()
    q = request.args.get("q", "")
    if len(q) > MAX_QUERY:
        fail(400, f"关键词不能超过 {MAX_QUERY} 个字（现有 {len(q)} 个）。")
    page = work_queue.tab_page(tab, user, perms, page=page_no, per_page=per_page, on=on, q=q)
    items = []
    for item in page.items:
        row = matter_brief(item.matter, user)
        if item.clock is not None:
            row["clock"] = _clock(item.clock)
        items.append(row)
    return jsonify(
        tab=tab,
        counts=work_queue.counts(user, perms, on=on),
        items=items,
        page=page.page,
        per_page=page.per_page,
        total=page.total,
        pages=page.pages,
    )


@bp.route(f"{PREFIX}/openapi.json")
def api_openapi():
    """The OpenAPI 3.1 description of this API (public: it holds no data).

    Installed modules add their endpoints' paths (``Manifest.openapi``).
    """
    from flask import current_app

    from core.cases.web.openapi import document
    from core.registry.manifest import resolve

    doc = document(request.host_url.rstrip("/"))
    registry = current_app.extensions["minsheng.registry"]
    for name in sorted(registry.installed_names()):
        manifest = registry.manifests.get(name)
        if manifest is not None and manifest.openapi:
            doc["paths"].update(resolve(manifest.openapi)())
    return jsonify(doc)
