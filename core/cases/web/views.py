"""Pages of the case file: registration, the matter page and history lookup.

The matter page carries its lifecycle steps, files and the satisfaction rating.

Views parse forms and call the services (``core.cases.lifecycle``, ``core.cases.records.rating``,
``core.cases.files.attachments``); the rules live there. Every matter is fetched through
``get_visible_or_404`` so the record rules apply.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from core import audit
from core.accounts.actor import actor_permissions, has_permission
from core.accounts.masking import may_view_personal
from core.accounts.services import StaleEdit, check_version
from core.cases.clocks.clocks import today
from core.cases.files.attachments import MAX_BYTES, AttachmentRefused, read, store_bytes
from core.cases.lifecycle.registration import MatterError, register_matter
from core.cases.lifecycle.steps import perform
from core.cases.lifecycle.table import FINAL_STATES, available
from core.cases.lifecycle.table import find as find_transition
from core.cases.models import Attachment, Matter
from core.cases.models.matter import FLAGS, HANDLING_TYPES, PURPOSES
from core.cases.people.history import matters_of_person
from core.cases.people.idcard import id_number_problem, normalise
from core.cases.people.sealing import attachment_visible, identity_sealed_for
from core.cases.records import rating as ratings
from core.cases.records.timeline import add_entry
from core.cases.search.repeats import find_candidates
from core.cases.web import reading
from core.cases.web.access import can_upload, can_view_cases
from core.cases.web.forms import UploadForm, apply_errors, rating_form
from core.cases.web.registration_form import registration_form, remap_party_errors
from core.cases.web.step_forms import transition_form
from core.extensions import db
from core.web.blueprint import bp
from core.web.http import fail, get_visible_or_404, require
from core.web.i18n import N_

HISTORY_LIMIT = 20
STALE_MESSAGE = N_(
    "该记录已被他人修改，您的修改未保存：请对照他人的修改，确认下方保留的内容后再提交"
)


def require_case_view() -> frozenset[str]:
    """Refuse users who do not work on cases; return the user's permissions."""
    perms = actor_permissions()
    if not can_view_cases(perms):
        abort(403)
    return perms


# --- registration ----------------------------------------------------------------------------


@bp.route("/cases/new", methods=["GET", "POST"])
@require("core.cases.register")
def matter_register():
    """登记: the registration form (keyboard first; the person's history beside it)."""
    status = 200
    message = None
    general: dict[str, str] = {}
    if request.method == "POST":
        form = registration_form(request.form)
        status = 422
        message = gettext("登记信息有误，请按提示修改（已填写的内容均已保留）。")
        if form.validate():
            reg, rows = form.to_registration()
            try:
                matter = register_matter(reg)
            except MatterError as exc:
                message = gettext(str(exc))
                general = apply_errors(form, remap_party_errors(exc.errors, rows))
            else:
                flash(
                    gettext(
                        "已登记信访事项 %(number)s，查询码 %(code)s"
                        "（请告知信访人，用于查询办理进度和评价）。",
                        number=matter.number,
                        code=matter.query_code,
                    ),
                    "success",
                )
                return redirect(url_for("core.matter_view", matter_id=matter.id))
    else:
        form = registration_form()
    form.pad_parties()
    return (
        render_template("core/cases/register.html", form=form, message=message, general=general),
        status,
    )


@bp.route("/cases/history")
@require("core.cases.register")
def matter_history():
    """JSON: the person's earlier matters and the ranked repeat candidates.

    ``matters`` are the earlier matters of that ID number the user may see (record rules).
    ``candidates`` come from repeat detection (ID number, or a homophone name with the same
    phone, ranked by text similarity) across agencies: for a matter the user may not see only
    its number, state and agency are given, so the desk still learns of a repeat elsewhere.
    """
    number = normalise(request.args.get("id_number", ""))
    name = request.args.get("name", "").strip()[:100]
    mobile = request.args.get("mobile", "").strip()[:20]
    if not number and not (name and mobile):
        fail(400, "请提供身份证号码，或姓名和手机号码。")
    problem = id_number_problem(number) if len(number) == 18 else None
    # The unit an accuser complained about must not learn that this person accused it.
    visible = matters_of_person(number, current_user, HISTORY_LIMIT + 1)
    candidates = find_candidates(
        id_number=number if not problem else "",
        name=name,
        mobile=mobile,
        text=request.args.get("summary", "")[:2000],
        agency=current_user.agency,
    )
    return jsonify(
        id_number_problem=problem,
        more=len(visible) > HISTORY_LIMIT,
        matters=[
            {
                "id": m.id,
                "number": m.number,
                "received_on": m.received_on.isoformat(),
                "state": m.state,
                "state_label": reading.state_label(m.state),
                "summary": reading.short(m.summary),
                "url": url_for("core.matter_view", matter_id=m.id),
            }
            for m in visible[:HISTORY_LIMIT]
        ],
        candidates=[
            {
                "number": c.number,
                "state_label": c.state_label,
                "agency": c.agency,
                "received_on": c.received_on,
                "score": c.score,
                "reasons": c.reasons,
                "leapfrog": c.leapfrog,
                "summary": reading.short(c.summary) if c.visible else "",
                "url": url_for("core.matter_view", matter_id=c.matter_id) if c.visible else None,
            }
            for c in candidates
        ],
    )


# --- the matter page ---------------------------------------------------------------------------


def _step_forms(matter: Matter, perms: frozenset[str], failed: tuple[str, Any] | None):
    forms = []
    for t in available(matter, perms):
        if failed and failed[0] == t.name:
            form = failed[1]
        else:
            form = transition_form(t, matter, user=current_user)
        forms.append((t, form))
    return forms


def render_matter(
    matter: Matter,
    *,
    status: int = 200,
    failed: tuple[str, Any] | None = None,
    failed_message: str | None = None,
    stale: dict[str, Any] | None = None,
    rating_override: tuple[str, Any] | None = None,
    rating_message: str | None = None,
    upload_form: UploadForm | None = None,
):
    """The matter page; ``failed`` is the step form to show again with its errors."""
    perms = actor_permissions()
    user = current_user._get_current_object()
    statuses = ratings.statuses(matter)
    rating_forms = {}
    if "core.cases.rate" in perms:
        for s in statuses:
            if s.open:
                if rating_override and rating_override[0] == s.target:
                    rating_forms[s.target] = rating_override[1]
                else:
                    rating_forms[s.target] = rating_form(s.target)
    return (
        render_template(
            "core/cases/matter.html",
            matter=matter,
            sealed=identity_sealed_for(matter, user),
            parties=reading.parties(matter, user),
            clocks=reading.clocks(matter),
            clock_states=reading.CLOCK_STATES,
            timeline=reading.timeline(matter, user),
            entry_title=reading.entry_title,
            documents=reading.documents(matter, user),
            uploads=reading.uploads(matter, user),
            size_label=reading.size_label,
            state_label=reading.state_label(matter.state),
            step_forms=_step_forms(matter, perms, failed),
            failed_step=failed[0] if failed else None,
            failed_message=failed_message,
            stale=stale,
            rating_statuses=statuses,
            rating_forms=rating_forms,
            rating_values=ratings.VALUES,
            rating_methods=ratings.METHODS,
            rating_failed=rating_override[0] if rating_override else None,
            rating_message=rating_message,
            rating_window=ratings.window_days(),
            upload_form=upload_form or UploadForm(formdata=None),
            may_upload=can_upload(perms),
            purposes=PURPOSES,
            handling_types=HANDLING_TYPES,
            flags=FLAGS,
            final_states=FINAL_STATES,
            today=today(),
        ),
        status,
    )


@bp.route("/cases/<int:matter_id>")
@login_required
def matter_view(matter_id: int):
    """A matter: facts, petitioners, deadlines, steps, files, rating and timeline."""
    require_case_view()
    return render_matter(get_visible_or_404(Matter, matter_id))


def _typed(form) -> list[tuple[str, str]]:
    """What the user filled in, as (label, text) pairs, to show again after a refusal."""
    typed = []
    for field in form:
        if field.type in ("CSRFTokenField", "HiddenField"):
            continue
        if field.type == "FieldList":
            rows = [" — ".join(str(v) for v in entry.data.values() if v) for entry in field.entries]
            value = "\n".join(r for r in rows if r)
        else:
            value = "" if field.data in (None, False) else str(field.data)
        if value.strip():
            typed.append((str(field.label.text), value))
    return typed


def _stale(matter_id: int, name: str, form):
    """A step refused as stale: the page again, with what others changed and what was typed.

    Nothing typed is lost: the step's form keeps the submitted values (with the version the user
    now sees, so a second submission goes through), and the changes made since the user's
    version are listed from the timeline (one entry per step taken).
    """
    db.session.rollback()
    matter = get_visible_or_404(Matter, matter_id)
    try:
        seen = int(form.version.data)
    except (TypeError, ValueError):
        seen = matter.version
    changes = []
    if matter.version > seen:
        # Read as the page reads the timeline, so sealing applies to this list too.
        steps = [e for e in reading.timeline(matter, current_user) if e.kind == "transition"]
        changes = steps[-(matter.version - seen) :]
    stale = {"changes": changes, "typed": _typed(form), "step": name}
    form.version.data = matter.version
    if hasattr(form.version, "raw_data"):
        form.version.raw_data = [str(matter.version)]
    return render_matter(
        matter, status=409, failed=(name, form), failed_message=gettext(STALE_MESSAGE), stale=stale
    )


@bp.route("/cases/<int:matter_id>/actions/<name>", methods=["POST"])
@login_required
def matter_action(matter_id: int, name: str):
    """Run one step of the lifecycle from its form on the matter page."""
    perms = require_case_view()
    matter = get_visible_or_404(Matter, matter_id)
    transition = find_transition(name)
    if transition is None:
        abort(404)
    if transition.permission not in perms:
        abort(403)
    form = transition_form(transition, matter, formdata=request.form, user=current_user)
    try:
        check_version(matter, form.version.data)
    except StaleEdit:
        return _stale(matter_id, name, form)
    if not form.validate():
        return render_matter(
            matter,
            status=422,
            failed=(name, form),
            failed_message=gettext("请按提示修改后再提交。"),
        )
    try:
        doc = perform(
            matter, name, form.service_data(), version=form.version.data, on=form.event_date()
        )
    except StaleEdit:
        return _stale(matter_id, name, form)
    except MatterError as exc:
        db.session.rollback()
        left = apply_errors(form, exc.errors)
        message = " ".join([gettext(str(exc)), *left.values()])
        matter = get_visible_or_404(Matter, matter_id)
        return render_matter(matter, status=422, failed=(name, form), failed_message=message)
    step = gettext(transition.label)
    if doc is None:
        done = gettext("已完成“%(step)s”。", step=step)
    else:
        done = gettext(
            "已完成“%(step)s”。已出具%(title)s（%(number)s）。",
            step=step,
            title=gettext(doc.title),
            number=doc.number,
        )
    flash(done, "success")
    return redirect(url_for("core.matter_view", matter_id=matter_id))


# --- files -------------------------------------------------------------------------------------


@bp.route("/cases/<int:matter_id>/attachments", methods=["POST"])
@login_required
def matter_upload(matter_id: int):
    """Attach a file (PDF/JPEG/PNG, ≤ 20 MB, checked by its content, stored under a random name)."""
    perms = require_case_view()
    matter = get_visible_or_404(Matter, matter_id)
    if not can_upload(perms):
        abort(403)
    form = UploadForm()
    if form.validate():
        upload = form.file.data
        data = upload.read(MAX_BYTES + 1)
        try:
            att = store_bytes(
                matter, upload.filename or "", data, upload.mimetype or "", actor=current_user
            )
        except AttachmentRefused as exc:
            db.session.rollback()
            form.file.errors = [str(exc)]
        else:
            add_entry(matter, "note", f"上传附件：{att.filename}", attachment_id=att.id)
            audit.record(
                "matter.attachment.upload",
                matter,
                summary=f"{matter.number}：上传附件 {att.filename}",
                attachment_id=att.id,
                size=att.size,
                sha256=att.sha256,
            )
            db.session.commit()
            flash(gettext("已上传附件：%(name)s", name=att.filename), "success")
            return redirect(url_for("core.matter_view", matter_id=matter_id) + "#files")
    return render_matter(matter, status=422, upload_form=form)


@bp.route("/cases/<int:matter_id>/attachments/<int:attachment_id>")
@login_required
def matter_attachment(matter_id: int, attachment_id: int):
    """Download a file of a matter the user can see; never served from ``static/``."""
    require_case_view()
    matter = get_visible_or_404(Matter, matter_id)
    att = db.session.execute(
        select(Attachment).where(Attachment.id == attachment_id, Attachment.matter_id == matter.id)
    ).scalar_one_or_none()
    if att is None or not attachment_visible(
        att, identity_sealed_for(matter, current_user), current_user
    ):
        abort(404)
    # A file cannot be masked: scans and issued notices name the petitioner, so downloading
    # one needs the same right as seeing their identity unmasked on the page.
    if not may_view_personal():
        fail(403, "文件含信访人个人信息，需具有“查看未脱敏的个人信息”权限才能下载。")
    try:
        data = read(att)
    except FileNotFoundError:
        abort(404)
    audit.record(
        "matter.attachment.download",
        matter,
        summary=f"{matter.number}：下载 {att.filename}",
        attachment_id=att.id,
    )
    db.session.commit()
    response = send_file(
        BytesIO(data),
        mimetype=att.content_type,
        as_attachment=True,
        download_name=att.filename,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- satisfaction ------------------------------------------------------------------------------


@bp.route("/cases/<int:matter_id>/rating/<target>", methods=["POST"])
@login_required
def matter_rate(matter_id: int, target: str):
    """Enter the petitioner's rating of the petition department or the responsible unit."""
    require_case_view()
    matter = get_visible_or_404(Matter, matter_id)
    if not has_permission(ratings.PERMISSION):
        abort(403)
    if target not in ratings.TARGETS:
        abort(404)
    form = rating_form(target, formdata=request.form)
    if not form.validate():
        return render_matter(matter, status=422, rating_override=(target, form))
    try:
        ratings.rate(
            matter, target, form.value.data or "", form.reason.data or "", form.method.data or ""
        )
    except ratings.RatingError as exc:
        left = apply_errors(form, exc.errors)
        matter = get_visible_or_404(Matter, matter_id)
        return render_matter(
            matter,
            status=422,
            rating_override=(target, form),
            rating_message=" ".join([gettext(str(exc)), *left.values()]),
        )
    target_label = gettext(ratings.TARGETS[target])
    flash(gettext("已记录对%(target)s的评价。", target=target_label), "success")
    return redirect(url_for("core.matter_view", matter_id=matter_id) + "#rating")
