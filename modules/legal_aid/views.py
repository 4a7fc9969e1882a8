"""Pages of the lawyers' desk: duty roster, consultations, the lawyer's opinion."""

from __future__ import annotations

from datetime import date, timedelta

from flask import flash, redirect, render_template, request, url_for

from core.api import (
    Matter,
    StaleEdit,
    apply_errors,
    current_actor,
    db,
    fail,
    get_visible_or_404,
    has_permission,
    opts,
    paginate,
    require,
    today,
)

from . import services
from .blueprint import bp
from .forms import ConsultationForm, DeleteForm, DutyForm, OpinionForm
from .models import Consultation, Duty
from .services import ConsultationInput, LegalAidError

ROSTER_DAYS = 14
STALE = "该记录已被他人修改，请刷新页面后重新编辑（您的修改未保存）。"


def _refused(form, exc: LegalAidError) -> None:
    """Put the service's messages next to their fields (others as a flash), and say why."""
    for message in apply_errors(form, exc.errors).values():
        flash(message, "error")
    flash(str(exc), "error")


def _duty_form() -> DutyForm:
    form = DutyForm()
    form.lawyer_id.choices = opts(
        [(0, "（请选择）"), *((u.id, u.display_name) for u in services.lawyers())]
    )
    return form


def _render_desk(form: DutyForm | None, status: int = 200):
    # The roster shows two weeks from ``?start=`` (today by default), a week back or on a click.
    start = request.args.get("start", type=date.fromisoformat) or today()
    duties = services.roster(start, start + timedelta(days=ROSTER_DAYS - 1))
    actor = current_actor()
    return render_template(
        "legal_aid/desk.html",
        today_duties=services.roster(today(), today()),
        duties=duties,
        form=form,
        remove_form=DeleteForm(),
        start=start,
        end=start + timedelta(days=ROSTER_DAYS - 1),
        earlier=start - timedelta(days=7),
        later=start + timedelta(days=7),
        me=actor.id if actor else None,
    ), status


@bp.route("/legal-aid/")
@require("legal_aid.view")
def desk():
    """Today's duty lawyers and the roster of the next two weeks."""
    form = _duty_form() if has_permission("legal_aid.roster") else None
    if form is not None and not form.day.data:
        form.day.data = today()
    return _render_desk(form)


@bp.route("/legal-aid/roster", methods=["POST"])
@require("legal_aid.roster")
def add_duty():
    """Book a lawyer for a day; a second booking of the same lawyer that day is refused."""
    form = _duty_form()
    if not form.validate():
        return _render_desk(form, 422)
    try:
        duty = services.add_duty(
            form.day.data, form.lawyer_id.data or 0, form.place.data or "", form.note.data or ""
        )
    except LegalAidError as exc:
        _refused(form, exc)
        return _render_desk(form, 422)
    flash(f"已排班：{duty.day.isoformat()} {duty.lawyer.display_name}。", "success")
    return redirect(url_for("legal_aid.desk"))


@bp.route("/legal-aid/roster/<int:duty_id>/remove", methods=["POST"])
@require("legal_aid.roster")
def remove_duty(duty_id: int):
    """Take a booking off the roster."""
    duty = get_visible_or_404(Duty, duty_id)
    if not DeleteForm().validate():
        fail(400, "表单已过期，请刷新页面后重试。")
    services.remove_duty(duty)
    flash("已取消该排班。", "success")
    return redirect(url_for("legal_aid.desk"))


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
        matter_number=form.matter_number.data or "",
        visitor_name=form.visitor_name.data or "",
        visitor_phone=form.visitor_phone.data or "",
        consulted_on=form.consulted_on.data,
        kind=form.kind.data or "consultation",
    )


@bp.route("/legal-aid/consultations/new", methods=["GET", "POST"])
@require("legal_aid.consult")
def new_consultation():
    """Record a consultation; ``?matter=<id>`` links it to a matter the lawyer may see."""
    form = ConsultationForm()
    if request.method == "GET":
        matter_id = request.args.get("matter", type=int)
        if matter_id:
            form.matter_number.data = get_visible_or_404(Matter, matter_id).number
        form.consulted_on.data = today()
        return render_template("legal_aid/new.html", form=form)
    if not form.validate():
        return render_template("legal_aid/new.html", form=form), 422
    try:
        c = services.create_consultation(_input(form))
    except LegalAidError as exc:
        _refused(form, exc)
        return render_template("legal_aid/new.html", form=form), 422
    flash("已记录法律咨询。", "success")
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
    """A consultation: question, advice, suggested route and the lawyer's written opinion."""
    return _render_detail(_visible(consultation_id))


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
    except LegalAidError as exc:
        _refused(form, exc)
        return _render_detail(c, form=form, status=422)
    except StaleEdit:
        flash(STALE, "error")
        return _render_detail(db.session.get(Consultation, consultation_id), status=409)
    flash("已保存。", "success")
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
    except LegalAidError as exc:
        _refused(form, exc)
        return _render_detail(c, opinion_form=form, status=422)
    except StaleEdit:
        flash(STALE, "error")
        return _render_detail(db.session.get(Consultation, consultation_id), status=409)
    flash("已保存律师意见。", "success")
    return redirect(url_for("legal_aid.consultation", consultation_id=c.id))


@bp.route("/legal-aid/matters/<int:matter_id>")
@require("legal_aid.view")
def matter(matter_id: int):
    """Every consultation and lawyer's opinion on one matter (律师意见汇总)."""
    m = get_visible_or_404(Matter, matter_id)
    return render_template("legal_aid/matter.html", matter=m, rows=services.consultations_on(m))
