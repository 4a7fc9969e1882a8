"""The desk and the duty schedule: today, two weeks of slots, patterns, absences, swaps."""

from __future__ import annotations

from datetime import date, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext

from core.api import (
    StaleEdit,
    current_actor,
    fail,
    get_visible_or_404,
    has_permission,
    require,
    today,
)

from .. import services
from ..blueprint import bp
from ..forms import AbsentForm, DeleteForm, PatternForm, SlotForm, SwapForm
from ..models import DutySlot
from ..services import LegalAidError
from .common import STALE, lawyer_choices, refused

SCHEDULE_DAYS = 14


@bp.route("/legal-aid/")
@require("legal_aid.view")
def desk():
    """Today's duty lawyers, the acting lawyer's next slots and open commissions."""
    lawyer = services.current_lawyer()
    mine = []
    if lawyer is not None:
        mine = [
            s
            for s in services.slots(today(), today() + timedelta(days=SCHEDULE_DAYS - 1))
            if s.lawyer_id == lawyer.id
        ]
    return render_template(
        "legal_aid/desk.html",
        today_duty=services.slots(today(), today()),
        lawyer=lawyer,
        mine=mine,
        opinions=services.my_opinions(),
    )


def _slot_form(formdata=True) -> SlotForm:
    form = SlotForm() if formdata else SlotForm(formdata=None)
    form.lawyer_id.choices = lawyer_choices()
    return form


def _pattern_form(formdata=True) -> PatternForm:
    form = PatternForm() if formdata else PatternForm(formdata=None)
    form.lawyer_id.choices = lawyer_choices()
    return form


def _render_schedule(slot_form=None, pattern_form=None, status: int = 200):
    start = request.args.get("start", type=date.fromisoformat) or today()
    end = start + timedelta(days=SCHEDULE_DAYS - 1)
    planner = has_permission("legal_aid.roster")
    if planner:
        if slot_form is None:
            slot_form = _slot_form(False)
            slot_form.day.data = today()
        if pattern_form is None:
            pattern_form = _pattern_form(False)
            pattern_form.starts_on.data = today()
            pattern_form.ends_on.data = today() + timedelta(days=90)
    swap_form = SwapForm(formdata=None)
    swap_form.lawyer_id.choices = lawyer_choices()
    return render_template(
        "legal_aid/schedule.html",
        slots=services.slots(start, end),
        start=start,
        end=end,
        earlier=start - timedelta(days=7),
        later=start + timedelta(days=7),
        planner=planner,
        slot_form=slot_form,
        pattern_form=pattern_form,
        absent_form=AbsentForm(formdata=None),
        swap_form=swap_form,
        remove_form=DeleteForm(),
        me=current_actor().id,
    ), status


@bp.route("/legal-aid/schedule")
@require("legal_aid.view")
def schedule():
    """Two weeks of duty from ``?start=`` (today by default)."""
    return _render_schedule()


@bp.route("/legal-aid/schedule/slots", methods=["POST"])
@require("legal_aid.roster")
def add_slot():
    """Put a lawyer on duty for a half-day (refused on a non-working day or a double booking)."""
    form = _slot_form()
    if not form.validate():
        return _render_schedule(slot_form=form, status=422)
    try:
        slot = services.add_slot(
            form.day.data,
            form.half_day.data,
            services.get_lawyer(form.lawyer_id.data),
            form.place_kind.data,
            form.place.data or "",
            form.note.data or "",
        )
    except LegalAidError as exc:
        refused(form, exc)
        return _render_schedule(slot_form=form, status=422)
    flash(
        gettext(
            "已排班：%(day)s%(half)s %(name)s。",
            day=slot.day.isoformat(),
            half=gettext(slot.half_day_label),
            name=slot.lawyer.name,
        ),
        "success",
    )
    return redirect(url_for("legal_aid.schedule", start=slot.day.isoformat()))


@bp.route("/legal-aid/schedule/patterns", methods=["POST"])
@require("legal_aid.roster")
def add_pattern():
    """Generate slots from a weekly or monthly pattern, skipping non-working days."""
    form = _pattern_form()
    if not form.validate():
        return _render_schedule(pattern_form=form, status=422)
    try:
        out = services.add_pattern(
            services.get_lawyer(form.lawyer_id.data),
            start=form.starts_on.data,
            end=form.ends_on.data,
            weekdays="".join(form.weekdays.data or []),
            month_day=form.month_day.data,
            half_day=form.half_day.data,
            place_kind=form.place_kind.data,
            place=form.place.data or "",
        )
    except LegalAidError as exc:
        refused(form, exc)
        return _render_schedule(pattern_form=form, status=422)
    message = gettext(
        "已按“%(rule)s”生成 %(n)s 个班次。", rule=out.pattern.rule, n=len(out.created)
    )
    if out.holidays:
        days = "、".join(d.isoformat() for d in out.holidays)
        message += gettext("跳过非工作日：%(days)s。", days=days)
    if out.clashes:
        days = "、".join(d.isoformat() for d in out.clashes)
        message += gettext("已有排班未重复安排：%(days)s。", days=days)
    flash(message, "success")
    return redirect(url_for("legal_aid.schedule", start=form.starts_on.data.isoformat()))


def _slot(slot_id: int) -> DutySlot:
    return get_visible_or_404(DutySlot, slot_id)


@bp.route("/legal-aid/schedule/slots/<int:slot_id>/absent", methods=["POST"])
@require("legal_aid.roster")
def slot_absent(slot_id: int):
    """The lawyer does not come (缺勤)."""
    slot = _slot(slot_id)
    form = AbsentForm()
    if not form.validate():
        flash(gettext("请填写缺勤原因。"), "error")
        return _render_schedule(status=422)
    try:
        services.mark_absent(slot, form.reason.data or "", form.version.data)
    except LegalAidError as exc:
        flash(str(exc), "error")
        return _render_schedule(status=422)
    except StaleEdit:
        flash(gettext(STALE), "error")
        return _render_schedule(status=409)
    flash(gettext("已登记缺勤。"), "success")
    return redirect(url_for("legal_aid.schedule", start=slot.day.isoformat()))


@bp.route("/legal-aid/schedule/slots/<int:slot_id>/swap", methods=["POST"])
@require("legal_aid.roster")
def slot_swap(slot_id: int):
    """Another lawyer takes the slot (换班)."""
    slot = _slot(slot_id)
    form = SwapForm()
    form.lawyer_id.choices = lawyer_choices()
    if not form.validate():
        return _render_schedule(status=422)
    try:
        services.substitute(
            slot,
            services.get_lawyer(form.lawyer_id.data),
            form.reason.data or "",
            form.version.data,
        )
    except LegalAidError as exc:
        flash(str(exc), "error")
        return _render_schedule(status=422)
    except StaleEdit:
        flash(gettext(STALE), "error")
        return _render_schedule(status=409)
    flash(gettext("已换班。"), "success")
    return redirect(url_for("legal_aid.schedule", start=slot.day.isoformat()))


@bp.route("/legal-aid/schedule/slots/<int:slot_id>/remove", methods=["POST"])
@require("legal_aid.roster")
def remove_slot(slot_id: int):
    """Take a slot off the schedule."""
    slot = _slot(slot_id)
    if not DeleteForm().validate():
        fail(400, "表单已过期，请刷新页面后重试。")
    day = slot.day
    services.remove_slot(slot)
    flash(gettext("已取消该排班。"), "success")
    return redirect(url_for("legal_aid.schedule", start=day.isoformat()))
