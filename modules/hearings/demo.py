"""Demo data of the hearings module (``flask demo load``): rooms, a roster, work for the officer.

Idempotent: it adds the rooms and the roster once, and a hearing only when the demo user
``hearing_officer`` has none.
"""

from __future__ import annotations

from sqlalchemy import select

from core.api import Agency, User, acting_as, db

from .models import Hearing, Panelist, Venue


def load() -> None:
    """Rooms and a panel roster for the officer's agency (the hearing itself: see below)."""
    officer = db.session.execute(
        select(User).where(User.username == "hearing_officer")
    ).scalar_one_or_none()
    if officer is None:
        return
    agency = db.session.get(Agency, officer.agency_id)
    from . import services

    with acting_as(officer):
        if not db.session.execute(select(Venue.id)).first():
            services.save_venue(None, None, name="第一听证室", capacity=20, agency_id=agency.id)
            services.save_venue(None, None, name="第二听证室", capacity=8, agency_id=agency.id)
        if not db.session.execute(select(Panelist.id)).first():
            for name, kind, org in (
                ("周代表", "deputy", "县人大代表"),
                ("吴委员", "cppcc", "县政协委员"),
                ("郑律师", "lawyer", "城关律师事务所"),
                ("孙教授", "expert", "市社科院"),
                ("陈大姐", "community", "东街社区居民代表"),
            ):
                services.save_panelist(name, kind, org, agency_id=agency.id)
    db.session.commit()
    db.session.execute(select(Hearing.id)).first()
