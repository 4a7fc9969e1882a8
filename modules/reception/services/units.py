"""The hall's units (windows), the staff on duty and routing by subject (按质分流)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core.api import (
    N_,
    Agency,
    ContentCategory,
    User,
    check_version,
    db,
    record_audit,
    today,
    transactional,
)

from ..models import ReceptionDuty, ReceptionUnit
from .common import ReceptionError

#: The 义马 mass-work bureau's seven windows (REGULATION.md §8.2) and the subjects (level-1
#: content category names) each takes; 办信办案 takes whatever no other window takes.
YIMA_WINDOWS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("W1", "法律服务窗口", ("政法",)),
    ("W2", "交流谈心窗口", ()),
    ("W3", "社情民意窗口", ("环境保护", "交通运输")),
    ("W4", "帮扶济困窗口", ("民政", "劳动和社会保障", "退役军人事务")),
    ("W5", "宣传教育窗口", ("教育", "卫生计生")),
    ("W6", "效能监察窗口", ("纪检监察", "组织人事")),
    ("W7", "办信办案窗口", ("城乡建设", "国土资源", "农村农业", "经济管理")),
)


def seed() -> None:
    """The 义马 seven windows for the first petition bureau (or the first agency), once.

    Runs inside the installer's transaction (not a unit of work of its own).
    """
    agency = (
        db.session.execute(select(Agency).where(Agency.level == "bureau").order_by(Agency.id))
        .scalars()
        .first()
    ) or db.session.execute(select(Agency).order_by(Agency.id)).scalars().first()
    if agency is None:
        return
    ids = dict(
        db.session.execute(
            select(ContentCategory.name, ContentCategory.id).where(ContentCategory.level == 1)
        ).all()
    )
    for code, name, subjects in YIMA_WINDOWS:
        db.session.add(
            ReceptionUnit(
                agency_id=agency.id,
                code=code,
                name=name,
                subjects=[ids[s] for s in subjects if s in ids],
                general=code == "W7",
            )
        )


def units(agency_id: int | None = None, active_only: bool = True) -> list[ReceptionUnit]:
    stmt = select(ReceptionUnit).order_by(ReceptionUnit.code, ReceptionUnit.id)
    if agency_id is not None:
        stmt = stmt.where(ReceptionUnit.agency_id == agency_id)
    if active_only:
        stmt = stmt.where(ReceptionUnit.active.is_(True))
    return list(db.session.execute(stmt).scalars())


@transactional
def save_unit(
    unit: ReceptionUnit | None,
    *,
    agency_id: int,
    code: str,
    name: str,
    subjects: list[int],
    general: bool = False,
    active: bool = True,
    version: int | str | None = None,
) -> ReceptionUnit:
    """Create a unit (``unit`` None) or change one edited from a form rendered at ``version``.

    A change from a form of an older version raises ``StaleEdit`` (someone saved the unit in
    between) and writes nothing; the page then shows the user what they typed beside the
    unit as it now is.
    """
    if unit is not None:
        check_version(unit, version)
    if not code.strip() or not name.strip():
        raise ReceptionError(N_("请填写窗口编号和名称。"))
    if unit is None:
        unit = ReceptionUnit(agency_id=agency_id)
        db.session.add(unit)
    unit.code, unit.name = code.strip(), name.strip()
    unit.subjects = sorted(set(subjects))
    unit.general, unit.active = general, active
    db.session.flush()
    record_audit("reception.unit.save", unit, summary=f"接访窗口 {unit.name}")
    return unit


@transactional
def set_duty(unit: ReceptionUnit, user_ids: list[int], day: date | None = None) -> None:
    """Replace the staff on duty at ``unit`` on ``day`` (default today)."""
    day = day or today()
    for duty in list(unit.duties):
        if duty.day == day:
            db.session.delete(duty)
    db.session.flush()
    for uid in dict.fromkeys(user_ids):
        db.session.add(ReceptionDuty(unit_id=unit.id, user_id=uid, day=day))
    record_audit(
        "reception.duty", unit, summary=f"{unit.name} {day.isoformat()} 值班", users=user_ids
    )


def on_duty(unit: ReceptionUnit, day: date | None = None) -> list[User]:
    day = day or today()
    return [d.user for d in unit.duties if d.day == day]


def category_chain(category_id: int | None) -> list[int]:
    """``category_id`` and its ancestors, most specific first."""
    chain: list[int] = []
    cat = db.session.get(ContentCategory, category_id) if category_id else None
    while cat is not None and cat.id not in chain:
        chain.append(cat.id)
        cat = cat.parent
    return chain


def covers(subjects: list[int], category_id: int | None) -> bool:
    """Whether a category falls under any of ``subjects`` (the category or one of its parents)."""
    wanted = set(subjects or [])
    return bool(wanted) and any(c in wanted for c in category_chain(category_id))


def route(category_id: int | None, agency_id: int) -> ReceptionUnit | None:
    """按质分流: the unit of ``agency_id``'s hall that takes this subject.

    The most specific match wins (a unit for 征地 before one for 国土资源); without a match the
    general unit, if the hall has one.
    """
    hall = units(agency_id)
    for cat_id in category_chain(category_id):
        for unit in hall:
            if cat_id in (unit.subjects or []):
                return unit
    return next((u for u in hall if u.general), None)
