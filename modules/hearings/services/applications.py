"""Applications for a hearing and the organ's decision on them.

The petitioner may apply within ``application_window_days`` (setting, 7) of being told of the
right to a hearing; a later application is recorded as late (it counts as waived unless the
organ accepts it with a reason, e.g. force majeure). The organ decides within
``decision_days`` (setting, 15): it accepts, or refuses with a written 不予受理听证通知书.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from core.api import (
    Matter,
    add_timeline_entry,
    check_version,
    current_actor,
    db,
    issue_document,
    record_audit,
    start_clock,
    stop_clock,
    today,
    transactional,
    work_calendar,
)

from ..models import REASONS, STAGES, Application
from . import common
from .common import HearingError, setting


def window_end(told_on: date) -> date:
    """The last day to apply after being told of the right to a hearing.

    Counted from the next day in calendar days, or in working days on core's calendar where
    the setting ``application_window_unit`` is ``"working"`` (some provinces' 7 个工作日).
    """
    days = int(setting("application_window_days"))
    if setting("application_window_unit") != "working":
        return told_on + timedelta(days=days)
    calendar = work_calendar()
    day = told_on
    while days > 0:
        day = calendar.next_workday(day)
        days -= 1
    return day


def decision_due(application: Application) -> date:
    """The last day to decide on an application."""
    return application.applied_on + timedelta(days=int(setting("decision_days")))


@transactional
def apply(
    matter: Matter, *, told_on: date | None, applied_on: date, reason: str, grounds: str
) -> Application:
    """Record a petitioner's application for a hearing (late ones as late)."""
    problem = common.stage_problem(matter)
    if problem:
        raise HearingError(problem, {"matter": problem})
    errors = {}
    if reason not in REASONS:
        errors["reason"] = "请选择听证理由。"
    if not (grounds or "").strip():
        errors["grounds"] = "请填写申请听证的事项和理由。"
    if applied_on > today():
        errors["applied_on"] = "申请日期不能晚于今天。"
    if told_on is not None and told_on > applied_on:
        errors["told_on"] = "告知日期不能晚于申请日期。"
    if errors:
        raise HearingError("请修正标出的内容。", errors)
    if db.session.execute(
        select(Application.id).where(
            Application.matter_id == matter.id,
            Application.status.in_(("pending", "accepted", "scheduled")),
        )
    ).first():
        message = "该信访事项已有尚未办结的听证申请。"
        raise HearingError(message, {"matter": message})
    late = told_on is not None and applied_on > window_end(told_on)
    app = Application(
        matter=matter,
        origin="petitioner",
        stage=common.stage_of(matter),
        reason=reason,
        grounds=grounds.strip(),
        told_on=told_on,
        applied_on=applied_on,
        late=late,
        status="pending",
        created_by_id=common.actor_id(),
        agency_id=common.actor_agency(matter),
    )
    db.session.add(app)
    db.session.flush()
    # The decision is due within decision_days: a clock of the matter, reminded of by core.
    start_clock(
        matter,
        "hearing_decision",
        applied_on,
        responsible_agency_id=app.agency_id,
        due=decision_due(app),
    )
    body = f"{applied_on.isoformat()} 信访人申请听证（{STAGES[app.stage]}阶段）：{app.grounds}"
    if late:
        body += (
            f"\n逾期申请：告知之日 {told_on.isoformat()} 起 "
            f"{setting('application_window_days')} 日内（至 {window_end(told_on).isoformat()}）"
            "未申请，视为放弃听证，除非有不可抗力等正当理由。"
        )
    title = "收到听证申请（逾期）" if late else "收到听证申请"
    add_timeline_entry(matter, "hearing", title, body=body)
    record_audit(
        "hearings.apply", app, summary=f"{matter.number}：听证申请" + ("（逾期）" if late else "")
    )
    return app


def _decidable(app: Application, version) -> None:
    check_version(app, version)
    if app.status != "pending":
        raise HearingError(f"该申请{app.status_label}，不能再作决定。")


@transactional
def accept(app: Application, version, late_reason: str = "") -> None:
    """Accept the application (a late one only with the reason, e.g. force majeure)."""
    _decidable(app, version)
    if app.late and not (late_reason or "").strip():
        message = "该申请已逾期，视为放弃听证；如因不可抗力等正当理由逾期，请填写理由后受理。"
        raise HearingError(message, {"late_reason": message})
    problem = common.stage_problem(app.matter)
    if problem:
        raise HearingError(problem)
    app.status, app.decided_on, app.decided_by_id = "accepted", today(), common.actor_id()
    stop_clock(app.matter, "hearing_decision", today())
    app.late_reason = (late_reason or "").strip() or None
    add_timeline_entry(
        app.matter,
        "hearing",
        "受理听证申请",
        body=f"决定举行听证（{STAGES[app.stage]}阶段）"
        + (f"；逾期理由：{app.late_reason}" if app.late_reason else "")
        + "。",
    )
    record_audit("hearings.accept", app, summary=f"{app.matter.number}：受理听证申请")


@transactional
def refuse(app: Application, version, reason: str) -> None:
    """Refuse the application in writing: the 不予受理听证通知书 is frozen on the matter."""
    _decidable(app, version)
    if not (reason or "").strip():
        raise HearingError("请填写不予受理的理由。", {"refusal_reason": "请填写不予受理的理由。"})
    app.status, app.decided_on, app.decided_by_id = "refused", today(), common.actor_id()
    stop_clock(app.matter, "hearing_decision", today())
    app.refusal_reason = reason.strip()
    db.session.flush()
    issue_document(
        app.matter,
        "hearing_refusal",
        today(),
        current_actor(),
        {"application": app, "stage": STAGES[app.stage], "issuer": app.matter.agency},
    )
    add_timeline_entry(app.matter, "hearing", "不予受理听证申请", body=app.refusal_reason)
    record_audit("hearings.refuse", app, summary=f"{app.matter.number}：不予受理听证申请")


def open_application(matter: Matter) -> Application | None:
    """The matter's application awaiting a decision or a schedule, if any."""
    return (
        db.session.execute(
            select(Application)
            .where(
                Application.matter_id == matter.id,
                Application.status.in_(("pending", "accepted")),
            )
            .order_by(Application.id.desc())
        )
        .scalars()
        .first()
    )
