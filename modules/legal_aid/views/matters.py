"""Lawyers on a matter (指派, 法律论证, 代理), the desk's one click, sessions, and hours."""

from __future__ import annotations

from datetime import date

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from core.api import (
    ActionRefused,
    Base,
    Matter,
    StaleEdit,
    db,
    fail,
    find_visible_matter,
    get_visible_or_404,
    has_permission,
    require,
    today,
)

from .. import services
from ..blueprint import bp
from ..forms import AttachForm, CommissionForm, DeliverForm, MandateForm, SessionLawyerForm
from ..models import DutySlot, Opinion
from .common import STALE, lawyer_choices, refused


def _forms(**given):
    forms = {}
    for name, cls in (("commission", CommissionForm), ("mandate", MandateForm)):
        form = given.get(name) or cls(formdata=None)
        form.lawyer_id.choices = lawyer_choices()
        forms[name] = form
    if not given.get("mandate"):
        forms["mandate"].signed_on.data = today()
    return forms


def _render_matter(m: Matter, status: int = 200, **given):
    return render_template(
        "legal_aid/matter.html",
        matter=m,
        rows=services.consultations_on(m),
        assignments=services.assignments_on(m),
        opinions=services.opinions_on(m),
        mandates=services.mandates_on(m),
        may_assign=has_permission("legal_aid.assign"),
        **_forms(**given),
    ), status


@bp.route("/legal-aid/matters/<int:matter_id>")
@require("legal_aid.view")
def matter(matter_id: int):
    """Everything the lawyers did on one matter (404 if the matter is hidden)."""
    return _render_matter(get_visible_or_404(Matter, matter_id))


def _back(default: str):
    # Back to the page the click came from (the reception desk), if it is one of ours.
    target = request.form.get("next") or request.referrer or ""
    if target.startswith(request.host_url):
        return redirect(target)
    if target.startswith("/") and not target.startswith(("//", "/\\")):  # not another host
        return redirect(target)
    return redirect(default)


@bp.route("/legal-aid/attach", methods=["POST"])
@require("legal_aid.assign")
def attach():
    """The desk's one click: attach today's duty lawyer to a matter (by id or number)."""
    form = AttachForm()
    if not form.validate():
        fail(400, "表单已过期，请刷新页面后重试。")
    matter = None
    if form.matter_id.data:
        try:
            matter = get_visible_or_404(Matter, int(form.matter_id.data))
        except ValueError:
            fail(400, "信访事项编号有误。")
    else:
        matter = find_visible_matter(form.matter_number.data or "")
    if matter is None:
        flash(gettext("未找到该信访事项，或您无权查看。"), "error")
        return _back(url_for("legal_aid.desk"))
    slot = None
    if form.slot_id.data and form.slot_id.data.isdigit():
        slot = db.session.get(DutySlot, int(form.slot_id.data))
    try:
        row = services.assign(matter, services.get_lawyer(form.lawyer_id.data), slot)
    except ActionRefused as exc:
        flash(str(exc), "error")
        return _back(url_for("legal_aid.matter", matter_id=matter.id))
    flash(
        gettext(
            "已请律师%(name)s接待（信访件 %(number)s）。",
            name=row.lawyer.name,
            number=matter.number,
        ),
        "success",
    )
    return _back(url_for("legal_aid.matter", matter_id=matter.id))


@bp.route("/legal-aid/matters/<int:matter_id>/assign", methods=["POST"])
@require("legal_aid.assign")
def assign(matter_id: int):
    """Attach any lawyer of the roster to the matter (conflicts refused, named)."""
    m = get_visible_or_404(Matter, matter_id)
    form = AttachForm()
    if not form.validate():
        fail(400, "表单已过期，请刷新页面后重试。")
    try:
        services.assign(m, services.get_lawyer(form.lawyer_id.data))
    except ActionRefused as exc:
        flash(str(exc), "error")
        return _render_matter(m, 422)
    flash(gettext("已指派律师。"), "success")
    return redirect(url_for("legal_aid.matter", matter_id=m.id))


@bp.route("/legal-aid/sessions/<int:session_id>/lawyers", methods=["POST"])
@require("legal_aid.assign")
def attach_session(session_id: int):
    """A lawyer sits with the leader at reception session ``session_id``."""
    _visible_session(session_id)
    form = SessionLawyerForm()
    form.lawyer_id.choices = lawyer_choices(blank=False)
    if not form.validate():
        fail(400, "表单已过期，请刷新页面后重试。")
    try:
        row = services.attach_to_session(session_id, services.get_lawyer(form.lawyer_id.data))
    except ActionRefused as exc:
        flash(str(exc), "error")
    else:
        flash(gettext("已安排律师%(name)s参加接访。", name=row.lawyer.name), "success")
    return _back(url_for("legal_aid.desk"))


def _visible_session(session_id: int) -> None:
    """404 unless reception's session ``session_id`` exists and the user's record rules show it.

    Read through reception's mapped class (found by its table: this module does not import
    reception), so a lawyer cannot be attached to another agency's reception day.
    """
    for mapper in Base.registry.mappers:
        if getattr(mapper.local_table, "name", None) == "reception_session":
            get_visible_or_404(mapper.class_, session_id)
            return
    fail(404, "没有这场领导接访。")


@bp.route("/legal-aid/matters/<int:matter_id>/commission", methods=["POST"])
@require("legal_aid.assign")
def commission(matter_id: int):
    """Commission a lawyer's legal analysis (法律论证) with a deadline."""
    m = get_visible_or_404(Matter, matter_id)
    form = CommissionForm()
    form.lawyer_id.choices = lawyer_choices()
    if not form.validate():
        return _render_matter(m, 422, commission=form)
    try:
        opinion = services.commission(
            m,
            services.get_lawyer(form.lawyer_id.data),
            form.question.data or "",
            form.deadline.data,
        )
    except ActionRefused as exc:
        refused(form, exc)
        return _render_matter(m, 422, commission=form)
    flash(gettext("已委托律师%(name)s法律论证。", name=opinion.lawyer.name), "success")
    return redirect(url_for("legal_aid.matter", matter_id=m.id))


@bp.route("/legal-aid/matters/<int:matter_id>/mandates", methods=["POST"])
@require("legal_aid.assign")
def add_mandate(matter_id: int):
    """Record the petitioner's appointment of a lawyer as agent (代理)."""
    m = get_visible_or_404(Matter, matter_id)
    form = MandateForm()
    form.lawyer_id.choices = lawyer_choices()
    if not form.validate():
        return _render_matter(m, 422, mandate=form)
    try:
        services.add_mandate(
            m,
            services.get_lawyer(form.lawyer_id.data),
            form.principal.data or "",
            form.scope.data or "",
            form.signed_on.data,
        )
    except ActionRefused as exc:
        refused(form, exc)
        return _render_matter(m, 422, mandate=form)
    flash(gettext("已登记代理委托。"), "success")
    return redirect(url_for("legal_aid.matter", matter_id=m.id))


def _opinion(opinion_id: int) -> Opinion:
    opinion = get_visible_or_404(Opinion, opinion_id)
    get_visible_or_404(Matter, opinion.matter_id)
    return opinion


def _render_opinion(opinion: Opinion, form=None, status: int = 200):
    lawyer = services.current_lawyer()
    mine = lawyer is not None and lawyer.id == opinion.lawyer_id
    if mine and opinion.status == "commissioned" and form is None:
        form = DeliverForm(formdata=None, version=opinion.version)
    return render_template(
        "legal_aid/opinion.html",
        opinion=opinion,
        form=form if mine else None,
        overdue=opinion.status == "commissioned" and opinion.deadline < today(),
    ), status


@bp.route("/legal-aid/opinions/<int:opinion_id>")
@require("legal_aid.view")
def opinion(opinion_id: int):
    """A commissioned opinion; the lawyer delivers it here."""
    return _render_opinion(_opinion(opinion_id))


@bp.route("/legal-aid/opinions/<int:opinion_id>/deliver", methods=["POST"])
@require("legal_aid.consult")
def deliver(opinion_id: int):
    """Deliver the opinion: issued as a PDF document on the matter."""
    opinion = _opinion(opinion_id)
    form = DeliverForm()
    if not form.validate():
        return _render_opinion(opinion, form, 422)
    try:
        doc = services.deliver(opinion, form.text.data or "", form.minutes.data, form.version.data)
    except StaleEdit:
        flash(gettext(STALE), "error")
        return _render_opinion(_opinion(opinion_id), None, 409)
    except ActionRefused as exc:
        refused(form, exc)
        return _render_opinion(opinion, form, 422)
    flash(
        gettext("已出具%(title)s（%(number)s）。", title=gettext(doc.title), number=doc.number),
        "success",
    )
    return redirect(url_for("legal_aid.opinion", opinion_id=opinion_id))


def _month() -> tuple[int, int]:
    raw = request.args.get("month") or today().strftime("%Y-%m")
    try:
        first = date.fromisoformat(raw + "-01")
    except ValueError:
        fail(400, "月份格式应为 YYYY-MM。")
    return first.year, first.month


@bp.route("/legal-aid/hours")
@require("legal_aid.hours")
def hours():
    """Totals per lawyer for a month (``?month=YYYY-MM``), the payment basis."""
    year, month = _month()
    return render_template(
        "legal_aid/hours.html",
        rows=services.month_totals(year, month),
        year=year,
        month=month,
        month_value=f"{year:04d}-{month:02d}",
    )


@bp.route("/legal-aid/hours.xlsx")
@require("legal_aid.hours")
def hours_export():
    """The month as an Excel workbook (totals, records behind them, duty register)."""
    year, month = _month()
    data = services.workbook(year, month)
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": f"attachment; filename=legal-aid-hours-{year}-{month:02d}.xlsx"
        },
    )
