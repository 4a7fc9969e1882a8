"""The hall board (大厅看板): today's queue per unit, waiting times, the day's statistics."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from core.api import db, today, utcnow

from ..models import ReceptionVisit
from .common import _aware
from .units import on_duty, units


def board(agency_id: int, day: date | None = None, now: datetime | None = None) -> list[dict]:
    """Today's queue per unit: waiting (with minutes), at the desk, done; average wait."""
    day = day or today()
    now = _aware(now or utcnow())
    visits = list(
        db.session.execute(
            select(ReceptionVisit)
            .where(ReceptionVisit.agency_id == agency_id, ReceptionVisit.day == day)
            .order_by(ReceptionVisit.queue_number)
        ).scalars()
    )
    rows = []
    for unit in units(agency_id):
        mine = [v for v in visits if v.unit_id == unit.id]
        waiting = [v for v in mine if v.state == "waiting"]
        seen = [v for v in mine if v.called_at]
        waits = [(_aware(v.called_at) - _aware(v.arrived_at)).total_seconds() / 60 for v in seen]
        rows.append(
            {
                "unit": unit,
                "waiting": [
                    (v, int((now - _aware(v.arrived_at)).total_seconds() // 60)) for v in waiting
                ],
                "called": [v for v in mine if v.state == "called"],
                "done": sum(1 for v in mine if v.state not in ("waiting", "called")),
                "total": len(mine),
                "average_wait": round(sum(waits) / len(waits)) if waits else None,
                "on_duty": on_duty(unit, day),
            }
        )
    return rows


def daily_stats(agency_id: int, day: date | None = None) -> list[dict]:
    """Per unit: visits, people, answered, registered, leapfrog, collective, incidents."""
    day = day or today()
    visits = list(
        db.session.execute(
            select(ReceptionVisit).where(
                ReceptionVisit.agency_id == agency_id, ReceptionVisit.day == day
            )
        ).scalars()
    )
    out = []
    for unit in units(agency_id, active_only=False):
        mine = [v for v in visits if v.unit_id == unit.id]
        out.append(
            {
                "unit": unit,
                "visits": len(mine),
                "people": sum(v.head_count for v in mine),
                "answered": sum(1 for v in mine if v.state == "answered"),
                "registered": sum(1 for v in mine if v.state == "registered"),
                "directed": sum(1 for v in mine if v.state == "directed"),
                "collective": sum(1 for v in mine if v.collective),
                "incidents": sum(len(v.incidents) for v in mine),
            }
        )
    return out
