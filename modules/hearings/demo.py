"""Demo data of the hearings module (``flask demo load``): work for the demo hearing officer.

Rooms and a panel roster of the officer's agency, a hearing scheduled on a matter in handling
(its notice issued), a petitioner's application awaiting the decision on another, and a major
decision waiting for its hearing-assessment. Idempotent: each part only when there is none.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from core.api import Matter, User, acting_as, db, perform, today

from .models import Application, Assessment, Hearing, Panelist, Venue
from .services.common import LOCAL_TZ

PANEL = (
    ("周代表", "deputy", "区人大代表"),
    ("吴委员", "cppcc", "区政协委员"),
    ("郑律师", "lawyer", "沈河律师事务所"),
    ("孙教授", "expert", "市社会科学院"),
    ("陈大姐", "community", "小东社区居民代表"),
)


def _second_matter_in_handling() -> None:
    """Have two matters in handling: the housing bureau accepts a forwarded or assigned one.

    (Core's demo has one: one matter gets a hearing, the other an application.)
    """
    handling = db.session.execute(select(Matter.id).where(Matter.state == "in_handling")).all()
    handler = db.session.execute(
        select(User).where(User.username == "case_handler")
    ).scalar_one_or_none()
    forwarded = (
        db.session.execute(
            select(Matter).where(Matter.state.in_(("forwarded", "assigned"))).order_by(Matter.id)
        )
        .scalars()
        .first()
    )
    if len(handling) >= 2 or handler is None or forwarded is None:
        return
    with acting_as(handler):
        perform(forwarded, "accept", {}, version=forwarded.version)


def load() -> None:
    """Give the demo user ``hearing_officer`` something to do on every page of the module."""
    from . import services

    officer = db.session.execute(
        select(User).where(User.username == "hearing_officer")
    ).scalar_one_or_none()
    if officer is None:
        return
    agency_id = officer.agency_id
    _second_matter_in_handling()
    with acting_as(officer):
        if not db.session.execute(select(Venue.id)).first():
            services.save_venue(None, None, name="第一听证室", capacity=20, agency_id=agency_id)
            services.save_venue(None, None, name="第二听证室", capacity=8, agency_id=agency_id)
        if not db.session.execute(select(Panelist.id)).first():
            for name, kind, org in PANEL:
                services.save_panelist(name, kind, org, agency_id=agency_id)
        in_handling = list(
            db.session.execute(
                select(Matter).where(Matter.state == "in_handling").order_by(Matter.id)
            ).scalars()
        )
        if in_handling and not db.session.execute(select(Hearing.id)).first():
            matter = in_handling[0]
            day = today() + timedelta(days=int(services.setting("notice_days")) + 3)
            start = datetime.combine(day, time(9, 30), LOCAL_TZ).astimezone(UTC)
            panel = [p.id for p in services.panelists()[:3]]
            services.schedule(
                matter,
                services.Schedule(
                    reason="complex",
                    scheduled_at=start,
                    ends_at=start + timedelta(hours=2),
                    venue_id=services.venues()[0].id,
                    presiding_officer_id=officer.id,
                    panelist_ids=panel,
                ),
            )
        petitioners = select(Application.id).where(Application.origin == "petitioner")
        if len(in_handling) > 1 and not db.session.execute(petitioners).first():
            services.apply(
                in_handling[1],
                told_on=today() - timedelta(days=2),
                applied_on=today(),
                reason="major",
                grounds="信访人对补偿标准有异议，申请举行听证。",
            )
        if not db.session.execute(select(Assessment.id)).first():
            services.plan(
                "老旧小区改造加装电梯费用分摊办法",
                "区住房和城乡建设局",
                "拟按楼层系数分摊加装电梯费用，低层住户可不出资。",
                agency_id=agency_id,
            )
    db.session.commit()
