"""Consultation pages: list, record, detail, edit, the lawyer's opinion, the guidance slip."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from core.api import (
    ActionRefused,
    Matter,
    StaleEdit,
    current_actor,
    db,
    fail,
    get_visible_or_404,
    has_permission,
    paginate,
    require,
    today,
)

from .. import services
from ..blueprint import bp
from ..forms import ConsultationForm, OpinionForm
from ..models import BODY_HINTS, LEGAL_ROUTE_OF, Consultation
from ..services import ConsultationInput
from .common import STALE, refused


@bp.route("/legal-aid/consultations")
@require("legal_aid.view")
def consultations():
    """The consultation list: the lawyer's own, or every one the user may see."""
    show = request.args.get("show") or ("mine" if has_permission("legal_aid.consult") else "all")
    mine = show == "mine"
    page = paginate(
        services.consultations_query(mine=mine), request.args.get("page", 1, type=int), 50
    )
    return render_template("legal_aid/list.html", page=page, show="mine" if mine else "all")


def _input(form: ConsultationForm) -> ConsultationInput:
    return ConsultationInput(
        question=form.question.data or "",
        advice=form.advice.data or "",
        route=form.route.data or "",
        body=form.body.data or "",
        minutes=form.minutes.data,
        matter_number=form.matter_number.data or "",
        visitor_name=form.visitor_name.data or "",
        visitor_phone=form.visitor_phone.data or "",
        consulted_on=form.consulted_on.data,
        kind=form.kind.data or "consultation",
    )


def _render_new(form, status: int = 200):
    return render_template(
        "legal_aid/new.html", form=form, hints=BODY_HINTS, legal=sorted(LEGAL_ROUTE_OF)
    ), status


@bp.route("/legal-aid/consultations/new", methods=["GET", "POST"])
@require("legal_aid.consult")
def new_consultation():
    """Record a consultation; ``?matter=<id>`` links it to a matter the lawyer may see.

    A legal route recommended on a matter routes the matter (诉访分离) with the record.
    """
    form = ConsultationForm()
    if request.method == "GET":
        matter_id = request.args.get("matter", type=int)
        if matter_id:
            form.matter_number.data = get_visible_or_404(Matter, matter_id).number
        form.consulted_on.data = today()
        return _render_new(form)
    if not form.validate():
        return _render_new(form, 422)
    try:
        c = services.create_consultation(_input(form))
    except StaleEdit:
        flash(gettext("该信访事项刚被他人办理，请核对后重新提交。"), "error")
        return _render_new(form, 409)
    except ActionRefused as exc:  # the desk's refusal, or core's refusal of the step
        refused(form, exc)
        return _render_new(form, 422)
    if c.routed:
        flash(
            gettext(
                "已记录法律咨询，事项已导入法定途径：%(route)s（%(body)s）。",
                route=gettext(c.route_label),
                body=c.body,
            ),
            "success",
        )
    else:
        flash(gettext("已记录法律咨询。"), "success")
    return redirect(url_for("legal_aid.consultation", consultation_id=c.id))


def _visible(consultation_id: int) -> Consultation:
    """A consultation the user may see: its own record rule, and its matter's when linked."""
    c = get_visible_or_404(Consultation, consultation_id)
    if c.matter_id is not None:
        get_visible_or_404(Matter, c.matter_id)
    return c


def _editable(c: Consultation) -> bool:
    actor = current_actor()
    return has_permission("legal_aid.consult") and actor is not None and c.lawyer_id == actor.id


def _render_detail(c: Consultation, form=None, opinion_form=None, status: int = 200):
    editable = _editable(c)
    if editable and form is None:
        form = ConsultationForm(obj=c, formdata=None)
        form.route.data = c.route or ""
        form.version.data = str(c.version)
    if editable and opinion_form is None:
        opinion_form = OpinionForm(formdata=None, opinion=c.opinion or "", version=c.version)
    return render_template(
        "legal_aid/detail.html", c=c, form=form, opinion_form=opinion_form, editable=editable
    ), status


@bp.route("/legal-aid/consultations/<int:consultation_id>")
@require("legal_aid.view")
def consultation(consultation_id: int):
    """A consultation: question, advice, route and body, the lawyer's written opinion."""
    return _render_detail(_visible(consultation_id))


@bp.route("/legal-aid/consultations/<int:consultation_id>/slip.pdf")
@require("legal_aid.view")
def slip(consultation_id: int):
    """The guidance slip (法律咨询引导单) for the petitioner, as PDF."""
    c = _visible(consultation_id)
    pdf = services.guidance_slip(c)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f"inline; filename=guidance-{c.id}.pdf"},
    )


@bp.route("/legal-aid/consultations/<int:consultation_id>/edit", methods=["POST"])
@require("legal_aid.consult")
def edit_consultation(consultation_id: int):
    """Save changes made from the detail page (refused when someone saved in between)."""
    c = _visible(consultation_id)
    if not _editable(c):
        fail(403, "只有记录该咨询的律师可以修改。")
    form = ConsultationForm()
    if not form.validate():
        return _render_detail(c, form=form, status=422)
    try:
        services.update_consultation(c, form.version.data, _input(form))
    except StaleEdit:
        flash(gettext(STALE), "error")
        return _render_detail(db.session.get(Consultation, consultation_id), status=409)
    except ActionRefused as exc:
        refused(form, exc)
        return _render_detail(c, form=form, status=422)
    flash(gettext("已保存。"), "success")
    return redirect(url_for("legal_aid.consultation", consultation_id=c.id))


@bp.route("/legal-aid/consultations/<int:consultation_id>/opinion", methods=["POST"])
@require("legal_aid.consult")
def save_opinion(consultation_id: int):
    """The lawyer's written opinion (律师意见)."""
    c = _visible(consultation_id)
    if not _editable(c):
        fail(403, "只有记录该咨询的律师可以出具意见。")
    form = OpinionForm()
    if not form.validate():
        return _render_detail(c, opinion_form=form, status=422)
    try:
        services.save_opinion(c, form.version.data, form.opinion.data or "")
    except StaleEdit:
        flash(gettext(STALE), "error")
        return _render_detail(db.session.get(Consultation, consultation_id), status=409)
    except ActionRefused as exc:
        refused(form, exc)
        return _render_detail(c, opinion_form=form, status=422)
    flash(gettext("已保存律师意见。"), "success")
    return redirect(url_for("legal_aid.consultation", consultation_id=c.id))
