"""Awards (已获救助): one per (person, matter) ever, and a person's earlier awards anywhere."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from core.api import Agency, Matter, Person, db

from ..models import Award, ReliefApplication


@dataclass(frozen=True)
class AwardSeen:
    """An award as an approver sees it: where, how much, when (nothing else of that matter)."""

    application_id: int
    matter_id: int
    matter_number: str
    agency: str
    amount_fen: int
    awarded_on: date


def awards_of(person: Person | None, exclude_application: int | None = None) -> list[AwardSeen]:
    """Every award to ``person`` (or one with the same ID number) on any matter, newest first.

    Read past the record rules on purpose: every approver must see that the person was relieved
    before, wherever (only the matter's number, the agency, the amount and the date).
    """
    if person is None:
        return []
    same = [Award.person_id == person.id]
    if person.id_number:
        same.append(
            Award.person_id.in_(select(Person.id).where(Person.id_number == person.id_number))
        )
    stmt = (
        select(Award, Matter.number, Agency.name)
        .join(Matter, Award.matter_id == Matter.id)
        .join(Agency, Matter.agency_id == Agency.id)
        .where(or_(*same))
        .order_by(Award.awarded_on.desc(), Award.id.desc())
        .execution_options(skip_record_rules=True)
    )
    if exclude_application is not None:
        stmt = stmt.where(Award.application_id != exclude_application)
    return [
        AwardSeen(a.application_id, a.matter_id, number, agency, a.amount_fen, a.awarded_on)
        for a, number, agency in db.session.execute(stmt).all()
    ]


def earlier_awards(app: ReliefApplication) -> list[AwardSeen]:
    """The awards the application's person got before (any matter), shown to every approver."""
    return awards_of(app.person, exclude_application=app.id)


def award_on(person_id: int | None, matter_id: int | None) -> Award | None:
    """The award to ``person_id`` on ``matter_id``, if there is one."""
    if person_id is None or matter_id is None:
        return None
    return db.session.execute(
        select(Award).where(Award.person_id == person_id, Award.matter_id == matter_id)
    ).scalar_one_or_none()
