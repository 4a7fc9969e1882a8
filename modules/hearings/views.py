"""Pages of a hearing: the lists, scheduling, and a hearing with the forms of its proceedings."""

from __future__ import annotations

from datetime import datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext

from core.api import (
    N_,
    Matter,
    StaleEdit,
    _l,
    apply_errors,
    data_opts,
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
    NoShowForm,
    ParticipantForm,
    RecordForm,
    RecusalForm,
    RescheduleForm,
    ScheduleForm,
    SuspendForm,
    VersionForm,
)
from .models import Hearing
from .services import HearingError, Schedule


def refused(form, exc: HearingError) -> None:
    """Show a refusal: its messages next to their fields, the rest (and its own) flashed."""
    left = apply_errors(form, exc.errors) if exc.errors else {}
    messages = list(left.values())
    if str(exc) != "请修正标出的内容。":
        messages.insert(0, str(exc))
    for message in dict.fromkeys(messages):
        flash(message, "error")


def _choices(form) -> None:
    form.presiding_officer_id.choices = data_opts(
        (u.id, u.display_name) for u in services.officers()
    ) or opts([(0, _l("（名册中尚无听证主持人）"))])
    form.clerk_id.choices = opts([(0, _l("（不指定）"))]) + data_opts(
        (u.id, u.display_name) for u in services.officers()
    )
    form.venue_id.choices = data_opts(
        (v.id, _l("%(room)s（%(seats)d 人）") % {"room": v.name, "seats": v.capacity})
        for v in services.venues()
    ) or opts([(0, _l("（尚未设置听证室）"))])
    if hasattr(form, "panelist_ids"):
        form.panelist_ids.choices = data_opts(
            (p.id, f"{p.name}（{_l(p.kind_label)}）") for p in services.panelists()
        )


def _utc(value: datetime | None) -> datetime | None:
    return services.to_utc(value) if value else None


def _schedule_of(form) -> Schedule:
    return Schedule(
        reason=form.reason.data,
        scheduled_at=services.to_utc(form.scheduled_at.data),
        ends_at=_utc(form.ends_at.data),
        venue_id=form.venue_id.data or 0,
        presiding_officer_id=form.presiding_officer_id.data or 0,
        clerk_id=form.clerk_id.data or None,
        panelist_ids=list((getattr(form, "panelist_ids", None) and form.panelist_ids.data) or []),
        public=bool(form.public.data),
        closed_reason=form.closed_reason.data or "",
    )


def _local(at: datetime) -> datetime:
    """A stored time as the naive Beijing time the datetime-local input shows."""
    from .services.common import local

    return local(at).replace(tzinfo=None)


def visible_hearing(hearing_id: int) -> Hearing:
    """A hearing through its record rule and its matter's (as confidential as its matter)."""
    hearing = get_visible_or_404(Hearing, hearing_id)
    get_visible_or_404(Matter, hearing.matter_id)
    return hearing


@bp.route("/hearings/")
@require("hearings.view")
def index():
    """Hearings due, applications awaiting a decision, hearings held, and what is late."""
    tab = request.args.get("tab", "due")
    tab = tab if tab in services.TABS else "due"
    return render_template(
        "hearings/index.html", tab=tab, tabs=services.TABS, rows=services.listing(tab)
    )


@bp.route("/hearings/new", methods=["GET", "POST"])
@require("hearings.manage")
def new():
    """Schedule a hearing on a matter: on its accepted application, or of the organ's motion."""
    form = ScheduleForm()
    if request.method == "GET" and request.args.get("matter"):
        form.matter.data = request.args["matter"]
    _choices(form)
    if form.validate_on_submit():
        matter = services.find_matter(form.matter.data)
        if matter is None:
            form.matter.errors = [*form.matter.errors, "未找到该信访事项，或您无权查看。"]
        else:
            application = services.open_application(matter)
            try:
                hearing = services.schedule(matter, _schedule_of(form), application)
            except HearingError as exc:
                refused(form, exc)
            else:
                flash(gettext("已安排听证，并已出具听证通知书。"), "success")
                return redirect(url_for("hearings.detail", hearing_id=hearing.id))
    code = 422 if request.method == "POST" else 200
    return render_template("hearings/new.html", form=form), code


def _detail(hearing: Hearing, code: int = 200, **forms):
    v = hearing.version
    made = {
        "participant_form": ParticipantForm(formdata=None, version=v),
        "start_form": VersionForm(formdata=None, version=v),
        "record_form": RecordForm(formdata=None, version=v),
        "no_show_form": NoShowForm(formdata=None, version=v),
        "conclude_form": ConcludeForm(formdata=None, version=v),
        "cancel_form": CancelForm(formdata=None, version=v),
        "suspend_form": SuspendForm(formdata=None, version=v),
        "remove_form": VersionForm(formdata=None, version=v),
        "recusal_form": RecusalForm(formdata=None, version=v),
        **forms,
    }
    if "reschedule_form" not in forms:
        made["reschedule_form"] = RescheduleForm(
            formdata=None,
            version=v,
            reason=hearing.reason,
            scheduled_at=_local(hearing.scheduled_at),
            ends_at=_local(hearing.until),
            venue_id=hearing.venue_id or 0,
            presiding_officer_id=hearing.presiding_officer_id,
            clerk_id=hearing.clerk_id or 0,
            public=hearing.public,
            closed_reason=hearing.closed_reason or "",
        )
    _choices(made["reschedule_form"])
    made["participant_form"].panelist_id.choices = opts([(0, _l("（不从库中选取）"))]) + opts(
        (p.id, f"{p.name}（{_l(p.kind_label)}）") for p in services.panelists()
    )
    matter = hearing.matter
    made["recusal_form"].participant_id.choices = data_opts(
        (p.id, f"{p.role_label} {services.participant_name(matter, p)}")
        for p in hearing.participants
    )
    return render_template(
        "hearings/detail.html",
        hearing=hearing,
        matter=matter,
        petitioner=services.petitioner_label(matter),
        names={p.id: services.participant_name(matter, p) for p in hearing.participants},
        may_manage=has_permission("hearings.manage"),
        steps=services.ORDER_OF_PROCEEDINGS,
        clock=services.running_clock(hearing),
        pauses=services.pauses(hearing.stage),
        conclusion_due=services.conclusion_due(hearing),
        **made,
    ), code


@bp.route("/hearings/<int:hearing_id>")
@require("hearings.view")
def detail(hearing_id: int):
    """A hearing: schedule, notice, participants, record, conclusion, and the forms."""
    return _detail(visible_hearing(hearing_id))


def act(hearing: Hearing, form, form_key: str, action, done: str):
    """Run ``action`` for a posted form; errors re-render the page with the form (4xx)."""
    if not form.validate_on_submit():
        return _detail(hearing, 422, **{form_key: form})
    try:
        action()
    except StaleEdit as exc:
        flash(str(exc), "error")
        return _detail(hearing, 409)
    except HearingError as exc:
        refused(form, exc)
        return _detail(hearing, 422, **{form_key: form})
    flash(gettext(done), "success")
    return redirect(url_for("hearings.detail", hearing_id=hearing.id))


@bp.route("/hearings/<int:hearing_id>/schedule", methods=["POST"])
@require("hearings.manage")
def reschedule(hearing_id: int):
    """Change the time, room, presiding officer or publicity (a new notice goes out)."""
    hearing = visible_hearing(hearing_id)
    form = RescheduleForm()
    _choices(form)
    return act(
        hearing,
        form,
        "reschedule_form",
        lambda: services.reschedule(
            hearing, form.version.data, _schedule_of(form), form.change_reason.data or ""
        ),
        N_("已变更听证安排，并已重新出具听证通知书。"),
    )


@bp.route("/hearings/<int:hearing_id>/participants", methods=["POST"])
@require("hearings.manage")
def participant(hearing_id: int):
    """Add a participant (a panel member from the roster, or anyone by name)."""
    hearing = visible_hearing(hearing_id)
    form = ParticipantForm()
    return act(
        hearing,
        form,
        "participant_form",
        lambda: services.add_participant(
            hearing,
            form.version.data,
            form.role.data,
            form.name.data or "",
            form.organisation.data or "",
            panelist_id=form.panelist_id.data or None,
            power_of_attorney=bool(form.power_of_attorney.data),
        ),
        N_("已登记参加人。"),
    )


@bp.route("/hearings/<int:hearing_id>/participants/<int:participant_id>/remove", methods=["POST"])
@require("hearings.manage")
def remove_participant(hearing_id: int, participant_id: int):
    """Take a participant off a planned hearing (withdrew, recused)."""
    hearing = visible_hearing(hearing_id)
    form = VersionForm()
    return act(
        hearing,
        form,
        "remove_form",
        lambda: services.remove_participant(hearing, form.version.data, participant_id),
        N_("已移除参加人。"),
    )


@bp.route("/hearings/<int:hearing_id>/recusal", methods=["POST"])
@require("hearings.manage")
def recusal(hearing_id: int):
    """Decide a recusal request (a granted one takes the participant off)."""
    hearing = visible_hearing(hearing_id)
    form = RecusalForm()
    return act(
        hearing,
        form,
        "recusal_form",
        lambda: services.recusal(
            hearing,
            form.version.data,
            form.participant_id.data or 0,
            form.recusal_reason.data,
            form.granted.data == "y",
        ),
        N_("已对回避申请作出决定。"),
    )


@bp.route("/hearings/<int:hearing_id>/start", methods=["POST"])
@require("hearings.manage")
def start(hearing_id: int):
    """Open the hearing on its day; the stage's clock stops counting."""
    hearing = visible_hearing(hearing_id)
    form = VersionForm()
    return act(
        hearing,
        form,
        "start_form",
        lambda: services.start(hearing, form.version.data, form.on.data),
        N_("听证已开始。"),
    )


@bp.route("/hearings/<int:hearing_id>/record", methods=["POST"])
@require("hearings.manage")
def record(hearing_id: int):
    """Keep the record: attendance, signatures, panel members' views; issued as a PDF."""
    hearing = visible_hearing(hearing_id)
    form = RecordForm()
    ids = [p.id for p in hearing.participants]
    r = services.Record(
        heard=form.heard.data or "",
        deliberation=form.deliberation.data or "",
        attended={pid: request.form.get(f"attended-{pid}") == "y" for pid in ids},
        signatures={pid: request.form.get(f"signature-{pid}", "signed") for pid in ids},
        views={pid: request.form.get(f"view-{pid}", "") for pid in ids},
        evidence=[
            (f.filename or "证据材料", f.read())
            for f in request.files.getlist("evidence")
            if f and f.filename
        ],
        recordings=[
            (f.filename or "录音录像", f.read())
            for f in request.files.getlist("recordings")
            if f and f.filename
        ],
    )
    return act(
        hearing,
        form,
        "record_form",
        lambda: services.record(hearing, form.version.data, r),
        N_("已记录听证笔录。"),
    )


@bp.route("/hearings/<int:hearing_id>/no-show", methods=["POST"])
@require("hearings.manage")
def no_show(hearing_id: int):
    """The petitioner did not come: the hearing is waived."""
    hearing = visible_hearing(hearing_id)
    form = NoShowForm()
    return act(
        hearing,
        form,
        "no_show_form",
        lambda: services.no_show(hearing, form.version.data, form.no_show_note.data or ""),
        N_("已登记信访人未到场（视为放弃听证）。"),
    )


@bp.route("/hearings/<int:hearing_id>/conclude", methods=["POST"])
@require("hearings.manage")
def conclude(hearing_id: int):
    """Give the conclusion (served as a PDF); the stage's clock counts again."""
    hearing = visible_hearing(hearing_id)
    form = ConcludeForm()
    return act(
        hearing,
        form,
        "conclude_form",
        lambda: services.conclude(hearing, form.version.data, form.conclusion.data, form.on.data),
        N_("已作出听证结论，并已出具听证结论书。"),
    )


@bp.route("/hearings/<int:hearing_id>/suspend", methods=["POST"])
@require("hearings.manage")
def suspend(hearing_id: int):
    """Suspend the hearing in session, with the reason (the clock stays paused)."""
    hearing = visible_hearing(hearing_id)
    form = SuspendForm()
    return act(
        hearing,
        form,
        "suspend_form",
        lambda: services.suspend(hearing, form.version.data, form.suspend_reason.data),
        N_("听证已中止。"),
    )


@bp.route("/hearings/<int:hearing_id>/resume", methods=["POST"])
@require("hearings.manage")
def resume(hearing_id: int):
    """Resume a suspended hearing."""
    hearing = visible_hearing(hearing_id)
    form = VersionForm()
    return act(
        hearing,
        form,
        "start_form",
        lambda: services.resume(hearing, form.version.data),
        N_("已恢复听证。"),
    )


@bp.route("/hearings/<int:hearing_id>/cancel", methods=["POST"])
@require("hearings.manage")
def cancel(hearing_id: int):
    """Call the hearing off, with the reason."""
    hearing = visible_hearing(hearing_id)
    form = CancelForm()
    return act(
        hearing,
        form,
        "cancel_form",
        lambda: services.cancel(hearing, form.version.data, form.cancel_reason.data),
        N_("已取消听证。"),
    )


@bp.route("/hearings/<int:hearing_id>/publish", methods=["POST"])
@require("hearings.manage")
def publish(hearing_id: int):
    """Publish the conclusion (条例第36条第2款)."""
    hearing = visible_hearing(hearing_id)
    form = VersionForm()
    return act(
        hearing,
        form,
        "start_form",
        lambda: services.publish(hearing, form.version.data),
        N_("已标记为公开。"),
    )
