"""Daily jobs of the case file: reminders, overdue records, lapsed windows.

Idempotent: each scans the database for due work and marks what it did, so a repeated or
missed run does no harm.
"""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import select

from core import audit
from core.accounts.models import Permission, Role, User
from core.cases.clocks import clocks
from core.cases.lifecycle.table import STATES, installed_modules
from core.cases.models import Clock, Matter, Reminder
from core.cases.records.timeline import add_entry
from core.extensions import db

log = logging.getLogger(__name__)

WINDOW_ENDS = {
    "review_window": ("review_window", "复查申请期届满未申请，处理意见生效，事项终结"),
    "reexam_window": ("reexam_window", "复核申请期届满未申请，复查意见生效，事项终结"),
}


def _recipients(clock: Clock) -> list[User]:
    matter = clock.matter
    people = [u for u in (matter.handler, matter.follower) if u is not None and u.active]
    if people:
        return people
    # Nobody named yet: everyone of the responsible agency who can act on the matter.
    stmt = (
        select(User)
        .join(User.roles)
        .join(Role.permissions)
        .where(
            User.active.is_(True),
            User.agency_id == (clock.responsible_agency_id or matter.agency_id),
            Permission.name.in_(("core.cases.handle", "core.cases.triage")),
        )
        .distinct()
    )
    return list(db.session.execute(stmt).scalars())


def _remind(clock: Clock, kind: str, message: str) -> int:
    users = _recipients(clock)
    for user in users:
        db.session.add(
            Reminder(
                user_id=user.id,
                matter_id=clock.matter_id,
                clock_id=clock.id,
                kind=kind,
                message=message,
                data={"due": clock.due.isoformat()},
            )
        )
    return len(users)


def remind(on: date | None = None) -> dict[str, int]:
    """Raise reminders three days before a duty clock is due and once when it is overdue."""
    on = on or clocks.today()
    cutoff = clocks.due_soon_cutoff(on)
    counts = {"due_soon": 0, "overdue": 0}
    stmt = select(Clock).where(Clock.state == "running", Clock.due <= cutoff)
    dormant = clocks.dormant_kinds(installed_modules())
    if dormant:
        stmt = stmt.where(Clock.kind.not_in(dormant))
    for clock in db.session.execute(stmt).scalars():
        if clocks.CLOCK_KINDS[clock.kind].window:
            continue
        number = clock.matter.number
        if clock.due < on and clock.overdue_noted_on is None:
            clock.overdue_noted_on = on
            counts["overdue"] += _remind(
                clock, "overdue", f"{number} {clock.label}已于 {clock.due} 届满，已超期"
            )
            add_entry(clock.matter, "clock", f"{clock.label}超期（应于 {clock.due} 前完成）")
        elif clock.due >= on and clock.reminded_on is None:
            clock.reminded_on = on
            counts["due_soon"] += _remind(
                clock, "due_soon", f"{number} {clock.label}将于 {clock.due} 届满"
            )
    db.session.commit()
    return counts


def close_lapsed_windows(on: date | None = None) -> int:
    """Terminate matters whose review or re-review window ran out unused (条例第35、36条)."""
    on = on or clocks.today()
    closed = 0
    stmt = select(Clock).where(
        Clock.state == "running", Clock.kind.in_(tuple(WINDOW_ENDS)), Clock.due < on
    )
    for clock in db.session.execute(stmt).scalars():
        matter: Matter = clock.matter
        state, reason = WINDOW_ENDS[clock.kind]
        clocks.lapse(clock)
        if matter.state != state:
            continue
        before = matter.state
        matter.state = "terminated"
        matter.termination_reason = reason
        add_entry(matter, "transition", f"{STATES[before]} → 已终结", body=reason)
        audit.record("matter.lapse", matter, summary=f"{matter.number}：{reason}")
        closed += 1
    db.session.commit()
    return closed


def daily() -> None:
    """The daily run: lapse windows, then reminders."""
    closed = close_lapsed_windows()
    counts = remind()
    log.info("case clocks: %d matters terminated, reminders %s", closed, counts)
