"""Lists of hearings (due, held, late), applications awaiting a decision, week calendars."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import or_, select

from core.api import Matter, db, today

from ..models import Application, Hearing
from .common import LOCAL_TZ, setting

TABS = {
    "due": "待举行",
    "applications": "待决定的申请",
    "held": "已举行",
    "late": "逾期",
}


def _visible(stmt):
    # Hearings of matters the user may not see are left out (the organising agency may see the
    # hearing while the matter moved elsewhere): join through the matter's own record rule.
    return stmt.join(Matter, Matter.id == Hearing.matter_id)


def listing(tab: str) -> list:
    """The rows of a tab: hearings, or applications for ``applications``."""
    if tab == "applications":
        stmt = (
            select(Application)
            .join(Matter, Matter.id == Application.matter_id)
            .where(Application.status.in_(("pending", "accepted")))
            .order_by(Application.applied_on)
        )
        return list(db.session.execute(stmt.limit(200)).scalars())
    stmt = select(Hearing)
    if tab == "held":
        stmt = stmt.where(Hearing.status.in_(("held", "concluded", "no_show", "cancelled")))
        stmt = stmt.order_by(Hearing.scheduled_at.desc())
    elif tab == "late":
        return late()
    else:
        stmt = stmt.where(Hearing.status.in_(("planned", "in_session", "suspended")))
        stmt = stmt.order_by(Hearing.scheduled_at)
    return list(db.session.execute(_visible(stmt).limit(200)).scalars())


def late() -> list:
    """Hearings and applications past their period, as rows of their own kind.

    A hearing started more than ``conclusion_days`` ago without its conclusion; a hearing still
    planned a day after its scheduled start (neither opened nor recorded as a no-show); an
    application undecided more than ``decision_days`` after it came in.
    """
    on = today()
    missed = db.session.execute(
        _visible(select(Hearing))
        .where(
            Hearing.status == "planned",
            Hearing.scheduled_at < datetime.combine(on, time(0), LOCAL_TZ).astimezone(UTC),
        )
        .order_by(Hearing.scheduled_at)
    ).scalars()
    held = db.session.execute(
        _visible(select(Hearing))
        .where(
            Hearing.status.in_(("in_session", "suspended", "held")),
            Hearing.started_on < on - timedelta(days=int(setting("conclusion_days"))),
        )
        .order_by(Hearing.started_on)
    ).scalars()
    pending = db.session.execute(
        select(Application)
        .join(Matter, Matter.id == Application.matter_id)
        .where(
            Application.status == "pending",
            Application.applied_on < on - timedelta(days=int(setting("decision_days"))),
        )
        .order_by(Application.applied_on)
    ).scalars()
    return [*missed, *held, *pending]


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week(first: date, *, venue_id: int | None = None, officer_id: int | None = None):
    """Seven days from ``first`` (a Monday) with the hearings of a room or a person each day."""
    start = datetime.combine(first, time(0), LOCAL_TZ).astimezone(UTC)
    end = start + timedelta(days=7)
    stmt = select(Hearing).where(
        Hearing.scheduled_at >= start,
        Hearing.scheduled_at < end,
        Hearing.status != "cancelled",
    )
    if venue_id:
        stmt = stmt.where(Hearing.venue_id == venue_id)
    if officer_id:
        stmt = stmt.where(
            or_(Hearing.presiding_officer_id == officer_id, Hearing.clerk_id == officer_id)
        )
    rows = list(db.session.execute(_visible(stmt).order_by(Hearing.scheduled_at)).scalars())
    days = []
    for i in range(7):
        d = first + timedelta(days=i)
        days.append((d, [h for h in rows if h.starts.astimezone(LOCAL_TZ).date() == d]))
    return days


def of_matter(matter: Matter) -> tuple[list[Hearing], list[Application]]:
    """The matter's hearings and applications, newest first."""
    hearings = db.session.execute(
        select(Hearing).where(Hearing.matter_id == matter.id).order_by(Hearing.id.desc())
    ).scalars()
    apps = db.session.execute(
        select(Application)
        .where(Application.matter_id == matter.id)
        .order_by(Application.id.desc())
    ).scalars()
    return list(hearings), list(apps)
