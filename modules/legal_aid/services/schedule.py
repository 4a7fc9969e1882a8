"""The duty schedule (值班排班): half-day slots, patterns on the working-day calendar, swaps.

A slot belongs to the agency of the hall that plans it (record rules). A lawyer sits in one
place per half-day across all agencies (checked here past the record rules, and by a unique
constraint for races). Days that are not working days (weekends, public holidays, by core's
calendar with the administrator's overrides) are refused for a single slot and skipped by a
pattern, which says which days it skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.api import (
    check_version,
    current_actor,
    db,
    record_audit,
    today,
    transactional,
    work_calendar,
)

from ..models import HALF_DAYS, HALL_PLACES, PLACE_KINDS, DutyPattern, DutySlot, Lawyer
from .common import LAWYER_ROLE, refuse

#: The longest span a pattern may generate at once.
MAX_PATTERN_DAYS = 366


def slots(start: date, end: date) -> list[DutySlot]:
    """Slots from ``start`` to ``end`` (inclusive) the acting user may see."""
    stmt = select(DutySlot).where(DutySlot.day >= start, DutySlot.day <= end)
    return list(
        db.session.execute(stmt.order_by(DutySlot.day, DutySlot.half_day, DutySlot.id)).scalars()
    )


def on_duty(day: date | None = None) -> list[DutySlot]:
    """The hall's duty lawyers of ``day`` (today) the acting user may see, not absent."""
    stmt = select(DutySlot).where(
        DutySlot.day == (day or today()),
        DutySlot.status == "scheduled",
        DutySlot.place_kind.in_(HALL_PLACES),
    )
    return list(db.session.execute(stmt.order_by(DutySlot.half_day, DutySlot.id)).scalars())


def record_grants(user) -> list[int]:
    """Agencies whose records ``user`` also sees (``Manifest.record_grants``).

    A lawyer on duty today at a hall or one of its windows sees that hall's agency's
    records, and only while on duty.
    """
    if not any(role.code == LAWYER_ROLE for role in user.roles):
        return []  # every request asks: no query for the accounts that are not lawyers
    lawyer_ids = select(Lawyer.id).where(Lawyer.user_id == user.id, Lawyer.status == "active")
    stmt = select(DutySlot.agency_id).where(
        DutySlot.lawyer_id.in_(lawyer_ids),
        DutySlot.day == today(),
        DutySlot.status == "scheduled",
        DutySlot.place_kind.in_(HALL_PLACES),
    )
    return list(db.session.execute(stmt.execution_options(skip_record_rules=True)).scalars())


def _not_a_working_day(day: date) -> str | None:
    info = work_calendar().info(day)
    if info.kind.is_working:
        return None
    what = info.name or info.kind.label
    return f"{day.isoformat()} 是{what}（非工作日），不能排班。"


def _check_lawyer(lawyer: Lawyer | None) -> Lawyer:
    if lawyer is None:
        raise refuse("请选择律师。", "lawyer_id")
    if not lawyer.may_serve:
        raise refuse(
            f"{lawyer.name} 当前为“{lawyer.status_label}”"
            + ("" if lawyer.eligible else "、不具备值班资格")
            + "，不能排班。",
            "lawyer_id",
        )
    return lawyer


def _taken(lawyer_id: int, day: date, half_day: str, but: int | None = None) -> bool:
    # Slots of other agencies count too, so the look-up passes the record rules; only the
    # yes/no answer leaves this function.
    stmt = select(DutySlot.id).where(
        DutySlot.day == day, DutySlot.half_day == half_day, DutySlot.lawyer_id == lawyer_id
    )
    if but is not None:
        stmt = stmt.where(DutySlot.id != but)
    return db.session.execute(stmt.execution_options(skip_record_rules=True)).first() is not None


def _clash(lawyer: Lawyer, day: date, half_day: str) -> str:
    return f"{lawyer.name} 在 {day.isoformat()}{HALF_DAYS[half_day]} 已有值班安排，不能重复排班。"


def _check_place(half_day: str, place_kind: str, place: str) -> None:
    if half_day not in HALF_DAYS:
        raise refuse("请选择上午或下午。", "half_day")
    if place_kind not in PLACE_KINDS:
        raise refuse("请选择值班地点类别。", "place_kind")
    if place_kind not in HALL_PLACES and not place.strip():
        raise refuse("请填写合作单位名称（如县人民法院）。", "place")


@transactional
def add_slot(
    day: date,
    half_day: str,
    lawyer: Lawyer | None,
    place_kind: str = "hall",
    place: str = "",
    note: str = "",
) -> DutySlot:
    """Put a lawyer on duty for a half-day in the acting user's agency."""
    lawyer = _check_lawyer(lawyer)
    _check_place(half_day, place_kind, place)
    problem = _not_a_working_day(day)
    if problem:
        raise refuse(problem, "day")
    if _taken(lawyer.id, day, half_day):
        raise refuse(_clash(lawyer, day, half_day), "lawyer_id")
    slot = DutySlot(
        day=day,
        half_day=half_day,
        lawyer_id=lawyer.id,
        place_kind=place_kind,
        place=place.strip(),
        note=note.strip(),
        agency_id=current_actor().agency_id,
    )
    db.session.add(slot)
    try:
        db.session.flush()
    except IntegrityError as exc:  # two planners at once: the unique constraint decides
        raise refuse(_clash(lawyer, day, half_day), "lawyer_id") from exc
    record_audit(
        "legal_aid.slot.add",
        slot,
        summary=f"排班：{day.isoformat()}{slot.half_day_label} {lawyer.name}（{slot.place_label}）",
        day=day,
        lawyer_id=lawyer.id,
    )
    return slot


def pattern_days(
    start: date, end: date, *, weekdays: str = "", month_day: int | None = None
) -> tuple[list[date], list[date]]:
    """The days a pattern names from ``start`` to ``end``: (working days, skipped days).

    ``weekdays``: digits Monday=0 … Sunday=6; ``month_day``: a day of the month instead. A
    named day that is not a working day (a holiday, a weekend) is skipped, not moved.
    """
    calendar = work_calendar()
    days, skipped = [], []
    day = start
    while day <= end:
        named = day.day == month_day if month_day else str(day.weekday()) in weekdays
        if named:
            (days if calendar.is_workday(day) else skipped).append(day)
        day += timedelta(days=1)
    return days, skipped


@dataclass
class Generated:
    """What a pattern put on the schedule."""

    pattern: DutyPattern
    created: list[DutySlot] = field(default_factory=list)
    holidays: list[date] = field(default_factory=list)
    clashes: list[date] = field(default_factory=list)


@transactional
def add_pattern(
    lawyer: Lawyer | None,
    *,
    start: date,
    end: date,
    weekdays: str = "",
    month_day: int | None = None,
    half_day: str = "am",
    place_kind: str = "hall",
    place: str = "",
) -> Generated:
    """Generate slots from a pattern ("每周一、三 at the court", "每月15日 at the hall").

    Days already taken by the lawyer that half-day are left as they are (``clashes``); days
    that are not working days are skipped (``holidays``).
    """
    lawyer = _check_lawyer(lawyer)
    _check_place(half_day, place_kind, place)
    weekdays = "".join(sorted({d for d in weekdays if d in "0123456"}))
    if not weekdays and not month_day:
        raise refuse("请选择星期几，或填写每月的日期。", "weekdays")
    if month_day is not None and not 1 <= month_day <= 31:
        raise refuse("每月的日期应在 1 至 31 之间。", "month_day")
    if end < start:
        raise refuse("结束日期不能早于开始日期。", "ends_on")
    if (end - start).days >= MAX_PATTERN_DAYS:
        raise refuse("一次最多生成一年的排班。", "ends_on")
    pattern = DutyPattern(
        lawyer_id=lawyer.id,
        weekdays="" if month_day else weekdays,
        month_day=month_day or None,
        half_day=half_day,
        place_kind=place_kind,
        place=place.strip(),
        starts_on=start,
        ends_on=end,
        agency_id=current_actor().agency_id,
    )
    db.session.add(pattern)
    db.session.flush()
    out = Generated(pattern)
    days, out.holidays = pattern_days(start, end, weekdays=pattern.weekdays, month_day=month_day)
    for day in days:
        if _taken(lawyer.id, day, half_day):
            out.clashes.append(day)
            continue
        slot = DutySlot(
            day=day,
            half_day=half_day,
            lawyer_id=lawyer.id,
            place_kind=place_kind,
            place=pattern.place,
            pattern_id=pattern.id,
            agency_id=pattern.agency_id,
        )
        db.session.add(slot)
        out.created.append(slot)
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise refuse("排班与他人同时保存的排班冲突，请重试。", "lawyer_id") from exc
    record_audit(
        "legal_aid.pattern.add",
        pattern,
        summary=f"按规律排班：{lawyer.name} {pattern.rule}{HALF_DAYS[half_day]}，"
        f"{len(out.created)} 个班次，跳过节假日 {len(out.holidays)} 天",
        created=len(out.created),
        holidays=[d.isoformat() for d in out.holidays],
        clashes=[d.isoformat() for d in out.clashes],
    )
    return out


@transactional
def mark_absent(slot: DutySlot, reason: str, version=None) -> None:
    """The lawyer does not come (缺勤/请假): the slot stays with the reason."""
    check_version(slot, version)
    if slot.status == "absent":
        raise refuse("该班次已登记缺勤。", "reason")
    if not reason.strip():
        raise refuse("请填写缺勤原因。", "reason")
    slot.status = "absent"
    slot.note = reason.strip()[:200]
    record_audit(
        "legal_aid.slot.absent",
        slot,
        summary=f"缺勤：{slot.day.isoformat()}{slot.half_day_label} {slot.lawyer.name}（{reason}）",
    )


@transactional
def substitute(slot: DutySlot, lawyer: Lawyer | None, reason: str, version=None) -> None:
    """Another lawyer takes the slot (换班/顶班); the planned lawyer is remembered."""
    check_version(slot, version)
    lawyer = _check_lawyer(lawyer)
    if lawyer.id == slot.lawyer_id:
        raise refuse("请选择另一位律师。", "lawyer_id")
    if _taken(lawyer.id, slot.day, slot.half_day, but=slot.id):
        raise refuse(_clash(lawyer, slot.day, slot.half_day), "lawyer_id")
    before = slot.lawyer
    slot.planned_lawyer_id = slot.planned_lawyer_id or slot.lawyer_id
    slot.lawyer_id = lawyer.id
    slot.status = "scheduled"
    slot.note = reason.strip()[:200]
    db.session.flush()
    db.session.refresh(slot, ["lawyer"])
    record_audit(
        "legal_aid.slot.swap",
        slot,
        summary=f"换班：{slot.day.isoformat()}{slot.half_day_label} {before.name} → {lawyer.name}",
        before=before.id,
        after=lawyer.id,
    )


@transactional
def remove_slot(slot: DutySlot) -> None:
    """Take a slot off the schedule (audited; the row goes, the audit event stays)."""
    record_audit(
        "legal_aid.slot.remove",
        slot,
        summary=f"取消排班：{slot.day.isoformat()}{slot.half_day_label} {slot.lawyer.name}",
        day=slot.day,
        lawyer_id=slot.lawyer_id,
    )
    db.session.delete(slot)
