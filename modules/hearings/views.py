"""Pages of the hearings desk: list, schedule a hearing, a hearing with its record forms."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, request, url_for

from core.api import (
    Matter,
    StaleEdit,
    apply_errors,
    get_visible_or_404,
    has_permission,
    opts,
    require,
)

from . import services
from .blueprint import bp
from .forms import (
    CancelForm,
    ConcludeForm,
    HoldForm,
    ParticipantForm,
    RemoveParticipantForm,
    RescheduleForm,
    ScheduleForm,
)
from .models import Hearing
from .services import HearingError, Schedule

LOCAL_TZ = ZoneInfo("Asia/Shanghai")  # the form's local time is Beijing time


def _refused(form, exc: HearingError) -> None:
    """Show a refusal: its messages next to their fields, the others (or itself) flashed."""
    left = apply_errors(form, exc.errors)
    for message in left.values() if exc.errors else [str(exc)]:
        flash(message, "error")


def _officer_choices(form) -> None:
    form.presiding_officer_id.choices = opts(
        (u.id, u.display_name) for u in services.officers()
    ) or opts([(0, "（尚无听证主持人角色的用户）")])


def _schedule_of(form) -> Schedule:
    return Schedule(
        reason=form.reason.data,
        stage=form.stage.data,
        scheduled_at=form.scheduled_at.data.replace(tzinfo=LOCAL_TZ).astimezone(UTC),
        venue=form.venue.data or "",
        presiding_officer_id=form.presiding_officer_id.data or 0,
        public=bool(form.public.data),
        closed_reason=form.closed_reason.data or "",
    )


def _local(at: datetime) -> datetime:
    """A stored time as the naive Beijing time the datetime-local input shows."""
    if at.tzinfo is None:  # stored times are UTC
        at = at.replace(tzinfo=UTC)
    return at.astimezone(LOCAL_TZ).replace(tzinfo=None)


def _hearing(hearing_id: int) -> Hearing:
    hearing = get_visible_or_404(Hearing, hearing_id)
    # The record rule of the matter applies too: a hearing is as confidential as its matter.
    get_visible_or_404(Matter, hearing.matter_id)
    return hearing


@bp.route("/hearings/")
@require("hearings.view")
def index():
    """Hearings: upcoming (planned) or held (held, concluded, cancelled)."""
    tab = "held" if request.args.get("tab") == "held" else "upcoming"
    return render_template("hearings/index.html", tab=tab, hearings=services.listing(tab))


@bp.route("/hearings/new", methods=["GET", "POST"])
@require("hearings.manage")
def new():
    """Schedule a hearing on a matter (by number or id; the record rules apply)."""
    form = ScheduleForm()
    if request.method == "GET" and request.args.get("matter"):
        form.matter.data = request.args["matter"]
    _officer_choices(form)
    if form.validate_on_submit():
        matter = services.find_matter(form.matter.data)
        if matter is None:
            form.matter.errors = [*form.matter.errors, "未找到该信访事项，或您无权查看。"]
        else:
            try:
                hearing = services.schedule(matter, _schedule_of(form))
            except HearingError as exc:
                _refused(form, exc)
            else:
                flash("已安排听证。", "success")
                return redirect(url_for("hearings.detail", hearing_id=hearing.id))
    code = 422 if request.method == "POST" else 200
    return render_template("hearings/new.html", form=form), code


def _detail(hearing: Hearing, code: int = 200, **forms):
    v = hearing.version
    made = {
        "participant_form": ParticipantForm(formdata=None, version=v),
        "hold_form": HoldForm(formdata=None, version=v),
        "conclude_form": ConcludeForm(formdata=None, version=v),
        "cancel_form": CancelForm(formdata=None, version=v),
        "remove_form": RemoveParticipantForm(formdata=None, version=v),
        **forms,
    }
    if "reschedule_form" not in forms:
        made["reschedule_form"] = RescheduleForm(
            formdata=None,
            version=v,
            reason=hearing.reason,
            stage=hearing.stage,
            scheduled_at=_local(hearing.scheduled_at),
            venue=hearing.venue,
            presiding_officer_id=hearing.presiding_officer_id,
            public=hearing.public,
            closed_reason=hearing.closed_reason or "",
        )
    _officer_choices(made["reschedule_form"])
    return render_template(
        "hearings/detail.html",
        hearing=hearing,
        matter=hearing.matter,
        petitioner=services.petitioner_label(hearing.matter),
        names={p.id: services.participant_name(hearing.matter, p) for p in hearing.participants},
        may_manage=has_permission("hearings.manage"),
        **made,
    ), code


@bp.route("/hearings/<int:hearing_id>")
@require("hearings.view")
def detail(hearing_id: int):
    """A hearing: schedule, participants, record, conclusion, and the forms to fill them."""
    return _detail(_hearing(hearing_id))


def _act(hearing: Hearing, form, form_key: str, action, done: str):
    """Run ``action`` for a posted record form; errors re-render the page with the form."""
    if not form.validate_on_submit():
        return _detail(hearing, 422, **{form_key: form})
    try:
        action()
    except StaleEdit as exc:
        flash(str(exc), "error")
        return _detail(hearing, 409)
    except HearingError as exc:
        _refused(form, exc)
        return _detail(hearing, 422, **{form_key: form})
    flash(done, "success")
    return redirect(url_for("hearings.detail", hearing_id=hearing.id))


@bp.route("/hearings/<int:hearing_id>/schedule", methods=["POST"])
@require("hearings.manage")
def reschedule(hearing_id: int):
    """Change the time, venue, presiding officer or publicity of a planned hearing."""
    hearing = _hearing(hearing_id)
    form = RescheduleForm()
    _officer_choices(form)
    return _act(
        hearing,
        form,
        "reschedule_form",
        lambda: services.reschedule(hearing, form.version.data, _schedule_of(form)),
        "已变更听证安排。",
    )


@bp.route("/hearings/<int:hearing_id>/participants", methods=["POST"])
@require("hearings.manage")
def participant(hearing_id: int):
    """Add a participant with their role."""
    hearing = _hearing(hearing_id)
    form = ParticipantForm()
    return _act(
        hearing,
        form,
        "participant_form",
        lambda: services.add_participant(
            hearing, form.version.data, form.role.data, form.name.data, form.organisation.data
        ),
        "已登记参加人。",
    )


@bp.route("/hearings/<int:hearing_id>/participants/<int:participant_id>/remove", methods=["POST"])
@require("hearings.manage")
def remove_participant(hearing_id: int, participant_id: int):
    """Take a participant off a planned hearing."""
    hearing = _hearing(hearing_id)
    form = RemoveParticipantForm()
    return _act(
        hearing,
        form,
        "remove_form",
        lambda: services.remove_participant(hearing, form.version.data, participant_id),
        "已移除参加人。",
    )


@bp.route("/hearings/<int:hearing_id>/hold", methods=["POST"])
@require("hearings.manage")
def hold(hearing_id: int):
    """Record that the hearing was held: the record summary and the members' opinions."""
    hearing = _hearing(hearing_id)
    form = HoldForm()
    return _act(
        hearing,
        form,
        "hold_form",
        lambda: services.hold(hearing, form.version.data, form.heard.data, form.opinions.data),
        "已记录听证。",
    )


@bp.route("/hearings/<int:hearing_id>/conclude", methods=["POST"])
@require("hearings.manage")
def conclude(hearing_id: int):
    """Give the conclusion; it lands on the matter's timeline."""
    hearing = _hearing(hearing_id)
    form = ConcludeForm()
    return _act(
        hearing,
        form,
        "conclude_form",
        lambda: services.conclude(hearing, form.version.data, form.conclusion.data),
        "已作出听证结论。",
    )


@bp.route("/hearings/<int:hearing_id>/cancel", methods=["POST"])
@require("hearings.manage")
def cancel(hearing_id: int):
    """Call the hearing off, with the reason."""
    hearing = _hearing(hearing_id)
    form = CancelForm()
    return _act(
        hearing,
        form,
        "cancel_form",
        lambda: services.cancel(hearing, form.version.data, form.cancel_reason.data),
        "已取消听证。",
    )
