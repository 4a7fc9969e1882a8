"""A petitioner's history: the earlier matters of one person, as the acting user may see them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.cases.models import Matter, MatterParty, Person
from core.cases.people.sealing import identity_sealed_for
from core.extensions import db


def matters_of_person(id_number: str, actor: Any, limit: int = 20) -> list[Matter]:
    """The matters of the person with this ID number, newest first, at most ``limit``.

    Through the record rules (only matters the actor may see); a matter whose accuser is sealed
    from the actor is left out, so the unit complained about does not learn who accused it.
    """
    if not id_number:
        return []
    person_matters = (
        select(MatterParty.matter_id)
        .join(Person, MatterParty.person_id == Person.id)
        .where(Person.id_number == id_number)
    )
    rows = db.session.execute(
        select(Matter)
        .where(Matter.id.in_(person_matters))
        .order_by(Matter.received_on.desc(), Matter.id.desc())
        .limit(limit)
    ).scalars()
    return [m for m in rows if not identity_sealed_for(m, actor)]


def find_visible_matter(number: str) -> Matter | None:
    """The matter with this 信访件编号 as the acting user may see it; ``None`` if hidden or absent.

    For forms where a user types a number: the answer is the same for a matter that does not
    exist and one the record rules hide, so the form can say so without a 404.
    """
    number = (number or "").strip()
    if not number:
        return None
    stmt = select(Matter).where(Matter.number == number)
    return db.session.execute(stmt).scalar_one_or_none()
