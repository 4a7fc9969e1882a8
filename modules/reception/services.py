"""Rules of the reception hall: routing by subject, arrivals, visits, leapfrog visits, leader days.

Each public function is one transaction: it validates, changes the models, records an audit
event and commits — or raises ``ReceptionError`` having changed nothing. Matters are registered
and stepped only through core (``register_matter``, ``perform``), so the case file's own rules
(five representatives at most, permissions, deadlines, documents) apply unchanged.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from core.api import (
    FINAL_STATES,
    Agency,
    ContentCategory,
    Matter,
    MatterError,
    PartyInput,
    Registration,
    User,
    add_timeline_entry,
    current_actor,
    db,
    find_candidates,
    has_permission,
    id_number_problem,
    matters_of_person,
    perform,
    record_audit,
    register_matter,
    today,
    utcnow,
)

from .models import (
    OUTCOMES,
    ReceptionAppointment,
    ReceptionDuty,
    ReceptionIncident,
    ReceptionSession,
    ReceptionUnit,
    ReceptionVisit,
)

MAX_REPRESENTATIVES = 5  # 条例第20条第3款
#: Tries at the day's next queue number when desks register at the same moment.
QUEUE_RETRIES = 50
BEIJING = timedelta(hours=8)

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
INCIDENT_KINDS = {
    "gathering": "非法聚集、围堵、冲击",
    "dangerous_articles": "携带危险物品",
    "insult": "侮辱、殴打、威胁工作人员",
    "staying": "在接待场所滞留、滋事",
    "abandonment": "将生活不能自理的人弃留在接待场所",
    "instigation": "煽动、串联、胁迫他人或以信访为名借机敛财",
    "other": "其他",
}


class ReceptionError(ValueError):
    """A refused step; ``errors`` maps form fields to Chinese messages."""

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.errors = errors or {}


# --- identity ---------------------------------------------------------------------------------


def _norm(value: str) -> str:
    return (value or "").strip().upper()


# --- hall set-up ------------------------------------------------------------------------------


def seed() -> None:
    """The 义马 seven windows for the first petition bureau (or the first agency), once."""
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


def save_unit(
    unit: ReceptionUnit | None,
    *,
    agency_id: int,
    code: str,
    name: str,
    subjects: list[int],
    general: bool = False,
    active: bool = True,
) -> ReceptionUnit:
    if not code.strip() or not name.strip():
        raise ReceptionError("请填写窗口编号和名称。")
    if unit is None:
        unit = ReceptionUnit(agency_id=agency_id)
        db.session.add(unit)
    unit.code, unit.name = code.strip(), name.strip()
    unit.subjects = sorted(set(subjects))
    unit.general, unit.active = general, active
    db.session.flush()
    record_audit("reception.unit.save", unit, summary=f"接访窗口 {unit.name}")
    db.session.commit()
    return unit


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
    db.session.commit()


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
    chain = category_chain(category_id)
    for depth, cat_id in enumerate(chain):
        del depth
        for unit in hall:
            if cat_id in (unit.subjects or []):
                return unit
    return next((u for u in hall if u.general), None)


# --- desk arrival -----------------------------------------------------------------------------


@dataclass
class Arrival:
    """What the registration desk enters when a visitor arrives."""

    name: str
    id_number: str
    mobile: str = ""
    address: str = ""
    category_id: int | None = None
    summary: str = ""
    unit_id: int | None = None  # the desk's choice; default: the suggested unit
    head_count: int = 1
    representatives: list[dict[str, str]] = field(default_factory=list)


def _check_representatives(reps: list[dict[str, str]], head_count: int) -> dict[str, str]:
    errors: dict[str, str] = {}
    if len(reps) > MAX_REPRESENTATIVES:
        errors["representatives"] = (
            f"多人走访应推选代表，代表人数不超过 {MAX_REPRESENTATIVES} 人（条例第20条第3款），"
            f"当前为 {len(reps)} 人。"
        )
    if head_count < 1 + len(reps) and reps:
        errors["head_count"] = "来访人数不能少于登记的代表人数。"
    for i, rep in enumerate(reps):
        if not (rep.get("name") or "").strip():
            errors[f"representatives-{i}"] = "请填写代表姓名。"
        elif rep.get("id_number") and id_number_problem(rep["id_number"]):
            errors[f"representatives-{i}"] = (
                f"代表 {rep['name']}：{id_number_problem(rep['id_number'])}"
            )
    return errors


def arrive(data: Arrival, agency: Agency | None = None) -> ReceptionVisit:
    """Desk arrival: check the ID, route by subject, give the day's queue number."""
    agency = agency or getattr(current_actor(), "agency", None)
    if agency is None:
        raise ReceptionError("您的账户未设置所属机构。")
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = "请填写来访人姓名。"
    problem = id_number_problem(data.id_number)
    if problem:
        errors["id_number"] = problem
    if data.head_count < 1:
        errors["head_count"] = "来访人数至少为 1。"
    errors |= _check_representatives(data.representatives, data.head_count)
    if data.head_count > MAX_REPRESENTATIVES and not data.representatives:
        errors["representatives"] = "多人走访（超过 5 人）应推选代表（不超过 5 人），请登记代表。"
    suggested = route(data.category_id, agency.id)
    unit = suggested
    if data.unit_id:
        unit = db.session.get(ReceptionUnit, data.unit_id)
        if unit is None or unit.agency_id != agency.id or not unit.active:
            errors["unit_id"] = "请选择本大厅的接访窗口。"
    if unit is None and "unit_id" not in errors:
        errors["unit_id"] = "没有接待此类事项的窗口，请选择接访窗口。"
    if errors:
        raise ReceptionError("到访登记有误，请按提示修改。", errors)
    day = today()
    for attempt in range(QUEUE_RETRIES):
        number = (
            db.session.execute(
                select(func.max(ReceptionVisit.queue_number)).where(
                    ReceptionVisit.agency_id == agency.id, ReceptionVisit.day == day
                )
            ).scalar()
            or 0
        ) + 1
        visit = ReceptionVisit(
            agency_id=agency.id,
            day=day,
            queue_number=number,
            name=data.name.strip(),
            id_number=_norm(data.id_number),
            mobile=data.mobile.strip(),
            address=data.address.strip(),
            category_id=data.category_id,
            summary=data.summary.strip(),
            suggested_unit_id=suggested.id if suggested else None,
            unit_id=unit.id,
            head_count=data.head_count,
            representatives=[
                {k: (r.get(k) or "").strip() for k in ("name", "id_number", "mobile")}
                for r in data.representatives
            ],
            arrived_at=utcnow(),
        )
        db.session.add(visit)
        try:
            db.session.flush()
        except (IntegrityError, OperationalError) as exc:
            # Another desk took the number (PostgreSQL: the unique key; SQLite: "database is
            # locked" once another connection wrote since this transaction read): retry.
            db.session.rollback()
            if isinstance(exc, OperationalError) and "locked" not in str(exc.orig).lower():
                raise
            time.sleep(0.005 * (attempt + 1))
            continue
        record_audit(
            "reception.arrive",
            visit,
            summary=f"到访登记 {day.isoformat()} 第 {number} 号，分流至 {unit.name}",
        )
        db.session.commit()
        return visit
    raise ReceptionError("排队号分配冲突，请重试。")


def level_of(agency: Agency | None) -> Agency | None:
    """The government level a hall receives for: a petition bureau acts for its parent.

    The county 信访局 receives for the county, so a matter in hand at a town of the county is
    "below" it (越级访 detection in core's repeat detection compares agency paths).
    """
    if agency is not None and agency.level == "bureau" and agency.parent_id:
        return db.session.get(Agency, agency.parent_id) or agency
    return agency


def history(id_number: str, name: str = "", mobile: str = "", text: str = "") -> dict[str, Any]:
    """The person's history at once: matters (open, closed), repeat candidates, visits, bookings.

    Matters come through the record rules (the ones the desk may see); ``candidates`` come from
    core's repeat detection, which looks across agencies but shows only number, state and agency
    of matters the desk may not see, and flags a leapfrog visit.
    """
    number = _norm(id_number)
    actor = current_actor()
    matters = matters_of_person(number, actor)
    candidates = find_candidates(
        id_number=number if not id_number_problem(number) else "",
        name=name,
        mobile=mobile,
        text=text,
        agency=level_of(getattr(actor, "agency", None)),
    )
    visits = (
        list(
            db.session.execute(
                select(ReceptionVisit)
                .where(ReceptionVisit.id_number == number)
                .order_by(ReceptionVisit.id.desc())
                .limit(20)
            ).scalars()
        )
        if number
        else []
    )
    appointments = (
        list(
            db.session.execute(
                select(ReceptionAppointment)
                .where(ReceptionAppointment.id_number == number)
                .order_by(ReceptionAppointment.id.desc())
                .limit(20)
            ).scalars()
        )
        if number
        else []
    )
    return {
        "open": [m for m in matters if m.state not in FINAL_STATES],
        "closed": [m for m in matters if m.state in FINAL_STATES],
        "candidates": candidates,
        "leapfrog": [c for c in candidates if c.leapfrog],
        "visits": visits,
        "appointments": appointments,
    }


# --- at the unit ------------------------------------------------------------------------------


def call(visit: ReceptionVisit) -> None:
    """叫号: the unit calls the visitor in."""
    if visit.state != "waiting":
        raise ReceptionError("该来访人已不在候谈队列中。")
    visit.state = "called"
    visit.called_at = utcnow()
    visit.received_by_id = getattr(current_actor(), "id", None)
    record_audit("reception.call", visit, summary=f"叫号 第 {visit.queue_number} 号")
    db.session.commit()


def _ensure_at_unit(visit: ReceptionVisit) -> None:
    if visit.state not in ("waiting", "called"):
        raise ReceptionError(f"该接谈已结束（{visit.state_label}）。")
    if not visit.called_at:
        visit.called_at = utcnow()
        visit.received_by_id = getattr(current_actor(), "id", None)


def _registration(visit: ReceptionVisit, asked: str, **kw: Any) -> Registration:
    parties = [
        PartyInput(
            name=visit.name,
            id_number=visit.id_number,
            mobile=visit.mobile,
            address=visit.address,
            is_lead=True,
        )
    ]
    for rep in visit.representatives or []:
        if _norm(rep.get("id_number", "")) == visit.id_number and visit.id_number:
            parties[0].is_representative = True
            continue
        parties.append(
            PartyInput(
                name=rep["name"],
                id_number=rep.get("id_number", ""),
                mobile=rep.get("mobile", ""),
                is_representative=True,
            )
        )
    return Registration(
        channel="visit",
        summary=(asked or visit.summary).strip(),
        received_on=visit.day,
        parties=parties,
        category_id=visit.category_id,
        head_count=max(visit.head_count, len(parties)),
        people_involved=max(visit.head_count, len(parties)),
        demands=kw.pop("demands", []),
        **kw,
    )


def _register(visit: ReceptionVisit, asked: str, **kw: Any) -> Matter:
    if not (asked or visit.summary).strip():
        raise ReceptionError("请填写接谈记录（来访人反映的问题）。", {"asked": "此项为必填项。"})
    visit_id = visit.id
    try:
        matter = register_matter(_registration(visit, asked, **kw), visit.agency)
    except MatterError as exc:
        raise ReceptionError(str(exc), exc.errors) from None
    visit = db.session.get(ReceptionVisit, visit_id)
    return matter


def answer_on_spot(visit: ReceptionVisit, asked: str, answered: str) -> Matter:
    """当场答复: the matter is registered and closed with the written answer (core step)."""
    _ensure_at_unit(visit)
    if not answered.strip():
        raise ReceptionError("请填写答复意见。", {"answered": "此项为必填项。"})
    visit_id = visit.id
    matter = _register(visit, asked)
    try:
        perform(matter, "answer_on_spot", {"answer": answered.strip()}, version=matter.version)
    except MatterError as exc:
        # The matter stays registered for triage; the visit record says so.
        _finish(db.session.get(ReceptionVisit, visit_id), "registered", asked, "", matter)
        raise ReceptionError(f"事项已登记为 {matter.number}，但不能当场答复：{exc}") from None
    _finish(db.session.get(ReceptionVisit, visit_id), "answered", asked, answered, matter)
    return matter


def register_for_handling(visit: ReceptionVisit, asked: str, **kw: Any) -> Matter:
    """Not answerable on the spot: register the matter; triage follows in the case file."""
    _ensure_at_unit(visit)
    visit_id = visit.id
    matter = _register(visit, asked, **kw)
    _finish(db.session.get(ReceptionVisit, visit_id), "registered", asked, "", matter)
    return matter


def _finish(visit: ReceptionVisit, state: str, asked: str, answered: str, matter=None) -> None:
    visit.state = state
    visit.asked = (asked or visit.summary).strip()
    visit.answered = answered.strip()
    visit.finished_at = utcnow()
    if not visit.called_at:
        visit.called_at = visit.finished_at
    if matter is not None:
        visit.matter_id = matter.id
    record_audit(
        f"reception.visit.{state}",
        visit,
        summary=f"接谈 第 {visit.queue_number} 号：{visit.state_label}"
        + (f"（{matter.number}）" if matter is not None else ""),
    )
    db.session.commit()


def assign(visit: ReceptionVisit, agency_id: int, standard: str, deadline: date, leader: str = ""):
    """交办 the visit's matter with a slip (core ``assign``); returns the issued document."""
    if visit.matter is None:
        raise ReceptionError("该接谈尚未登记信访事项。")
    matter = visit.matter
    try:
        return perform(
            matter,
            "assign",
            {"agency_id": agency_id, "standard": standard, "deadline": deadline, "leader": leader},
            version=matter.version,
        )
    except MatterError as exc:
        raise ReceptionError(str(exc), exc.errors) from None


def record_incident(
    visit: ReceptionVisit, kind: str, description: str, action: str = "", police: bool = False
) -> ReceptionIncident:
    """Incident log (条例第26条): disorder at the visit and what staff did about it."""
    if kind not in INCIDENT_KINDS:
        raise ReceptionError("请选择情形。", {"kind": "请选择情形。"})
    if not description.strip():
        raise ReceptionError("请描述经过。", {"description": "此项为必填项。"})
    incident = ReceptionIncident(
        visit_id=visit.id,
        agency_id=visit.agency_id,
        kind=kind,
        description=description.strip(),
        action=action.strip(),
        police_called=police,
        recorded_by_id=getattr(current_actor(), "id", None),
    )
    db.session.add(incident)
    db.session.flush()
    record_audit("reception.incident", incident, summary=f"接访现场情况：{INCIDENT_KINDS[kind]}")
    db.session.commit()
    return incident


def direct_leapfrog(visit: ReceptionVisit, competent_agency_id: int, asked: str = "") -> str:
    """越级访: record it, direct the visitor to the competent level; returns the notice number.

    Not accepted here (条例第19条第3款, 第20条第1款; 依法逐级走访); no matter is registered.
    """
    _ensure_at_unit(visit)
    competent = db.session.get(Agency, competent_agency_id) if competent_agency_id else None
    if competent is None or not competent.active or competent.id == visit.agency_id:
        raise ReceptionError("请选择有权处理的下级机关。", {"competent_agency_id": "请选择机关。"})
    day = visit.day
    count = db.session.execute(
        select(func.count())
        .select_from(ReceptionVisit)
        .where(
            ReceptionVisit.agency_id == visit.agency_id,
            ReceptionVisit.leapfrog.is_(True),
            ReceptionVisit.day >= date(day.year, 1, 1),
        )
    ).scalar_one()
    visit.leapfrog = True
    visit.competent_agency_id = competent.id
    visit.notice_number = f"引导〔{day.year}〕{count + 1}号"
    # The matter in hand below learns of the visit (its handler may need to reach the person).
    below = history(visit.id_number, visit.name, visit.mobile, asked or visit.summary)["leapfrog"]
    for candidate in below[:1]:
        matter = db.session.get(Matter, candidate.matter_id)
        if matter is not None:
            add_timeline_entry(
                matter,
                "note",
                "越级走访",
                body=f"信访人于 {day.isoformat()} 到 {visit.agency.name} 越级走访，"
                f"已引导到 {competent.name} 依法逐级走访（{visit.notice_number}）。",
            )
    _finish(visit, "directed", asked, f"引导到 {competent.name} 依法逐级走访", None)
    return visit.notice_number


# --- hall board and statistics -----------------------------------------------------------------


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


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


# --- leader reception days ---------------------------------------------------------------------


def beijing_to_utc(day: date, hhmm: str) -> datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - BEIJING


def schedule(
    *,
    agency_id: int,
    leader_name: str,
    post: str,
    portfolio: list[int],
    day: date,
    start_time: str,
    end_time: str,
    place: str,
    capacity: int,
    leader_id: int | None = None,
    cutoff: datetime | None = None,
) -> ReceptionSession:
    """Schedule a leader reception day; appointments close at 17:00 the day before by default."""
    errors: dict[str, str] = {}
    if not leader_name.strip():
        errors["leader_name"] = "请填写接访领导。"
    if not post.strip():
        errors["post"] = "请填写领导职务。"
    if not portfolio:
        errors["portfolio"] = "请选择分管范围。"
    if not place.strip():
        errors["place"] = "请填写接访地点。"
    if capacity < 1:
        errors["capacity"] = "接待人数至少为 1。"
    if not re.match(r"^\d\d:\d\d$", start_time or "") or not re.match(
        r"^\d\d:\d\d$", end_time or ""
    ):
        errors["start_time"] = "时间格式为 HH:MM。"
    elif end_time <= start_time:
        errors["end_time"] = "结束时间应晚于开始时间。"
    if day < today():
        errors["day"] = "接访日期不能早于今天。"
    if errors:
        raise ReceptionError("接访安排有误，请按提示修改。", errors)
    session = ReceptionSession(
        agency_id=agency_id,
        leader_id=leader_id,
        leader_name=leader_name.strip(),
        post=post.strip(),
        portfolio=sorted(set(portfolio)),
        day=day,
        start_time=start_time,
        end_time=end_time,
        place=place.strip(),
        capacity=capacity,
        cutoff=cutoff or beijing_to_utc(day - timedelta(days=1), "17:00"),
    )
    db.session.add(session)
    db.session.flush()
    record_audit(
        "reception.session.schedule",
        session,
        summary=f"领导接访日 {day.isoformat()} {session.leader_name}",
    )
    db.session.commit()
    return session


def publish(session: ReceptionSession) -> None:
    session.published = True
    record_audit("reception.session.publish", session, summary=f"公布领导接访日 {session.day}")
    db.session.commit()


def attach_lawyer(session: ReceptionSession, lawyer_id: int | None) -> None:
    """律师参与接访: the lawyer on duty at the session."""
    lawyer = db.session.get(User, lawyer_id) if lawyer_id else None
    if lawyer_id and (lawyer is None or not any(r.code == "lawyer" for r in lawyer.roles)):
        raise ReceptionError("请选择具有律师角色的用户。")
    session.lawyer_id = lawyer.id if lawyer else None
    record_audit(
        "reception.session.lawyer",
        session,
        summary=f"值班律师：{lawyer.display_name if lawyer else '无'}",
    )
    db.session.commit()


def booked(session: ReceptionSession) -> int:
    return sum(1 for a in session.appointments if a.state in ("booked", "checked_in", "seen"))


def two_months_before(day: date) -> date:
    month = day.month - 2
    year = day.year + ((month <= 0 and -1) or 0)
    month = month + 12 if month <= 0 else month
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def exclusions(
    session: ReceptionSession, id_number: str, category_id: int | None, text: str
) -> list[str]:
    """The §7 exclusions that apply, each as a Chinese reason.

    Outside the portfolio; petitioned in the last two months and still in hand; the same
    matter terminated (by repeat detection: same ID number and similar content).
    """
    reasons = []
    if not covers(session.portfolio, category_id):
        reasons.append("所反映问题不属于该领导分管范围，当日不予接待。")
    since = two_months_before(session.day)
    for c in find_candidates(id_number=id_number, text=text):
        received = date.fromisoformat(c.received_on)
        if c.state not in FINAL_STATES and received >= since and "身份证号码相同" in c.reasons:
            reasons.append(
                f"近两个月内已信访（{c.number}，{c.received_on} 收到），事项正在办理中"
                f"（{c.state_label}），请等待办理结果。"
            )
            break
    for c in find_candidates(id_number=id_number, text=text):
        if c.state == "terminated" and any(r.startswith("内容相似度") for r in c.reasons):
            reasons.append(f"同一事项已终结（{c.number}），不再受理（条例第36条第3款）。")
            break
    return reasons


@dataclass
class Booking:
    """An appointment request: ID, materials, subject."""

    name: str
    id_number: str
    summary: str
    category_id: int | None
    mobile: str = ""
    materials: str = ""


def book(
    session: ReceptionSession, data: Booking, now: datetime | None = None
) -> ReceptionAppointment:
    """预约 a leader reception day, checked against the §7 exclusions.

    A refusal is recorded with its reasons (state ``refused``) so the desk can tell the
    visitor in writing.
    """
    now = _aware(now or utcnow())
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = "请填写姓名。"
    problem = id_number_problem(data.id_number)
    if problem:
        errors["id_number"] = problem
    if not data.summary.strip():
        errors["summary"] = "请填写反映的问题。"
    if not data.category_id:
        errors["category_id"] = "请选择问题分类。"
    if errors:
        raise ReceptionError("预约信息有误，请按提示修改。", errors)
    if not session.published:
        raise ReceptionError("该领导接访日尚未公布，不能预约。")
    if now > _aware(session.cutoff):
        raise ReceptionError("预约已截止。")
    number = _norm(data.id_number)
    if any(a.id_number == number and a.state != "refused" for a in session.appointments):
        raise ReceptionError("该身份证号码已预约本场接访。")
    reasons = exclusions(session, number, data.category_id, data.summary)
    if not reasons and booked(session) >= session.capacity:
        raise ReceptionError("本场接访预约已满，请预约其他场次。")
    appt = ReceptionAppointment(
        session_id=session.id,
        agency_id=session.agency_id,
        name=data.name.strip(),
        id_number=number,
        mobile=data.mobile.strip(),
        category_id=data.category_id,
        summary=data.summary.strip(),
        materials=data.materials.strip(),
        state="refused" if reasons else "booked",
        refusal="\n".join(reasons),
    )
    db.session.add(appt)
    db.session.flush()
    record_audit(
        "reception.appointment." + appt.state,
        appt,
        summary=f"领导接访预约 {session.day}：{appt.state_label}",
    )
    db.session.commit()
    return appt


def check_in(appt: ReceptionAppointment) -> None:
    if appt.state != "booked":
        raise ReceptionError(f"该预约当前为“{appt.state_label}”，不能签到。")
    if appt.session.day != today():
        raise ReceptionError("只能在接访当日签到。")
    appt.state = "checked_in"
    appt.checked_in_at = utcnow()
    record_audit("reception.appointment.check_in", appt, summary="领导接访签到")
    db.session.commit()


def session_outcome(
    appt: ReceptionAppointment,
    outcome: str,
    *,
    text: str,
    agency_id: int | None = None,
    deadline: date | None = None,
    standard: str = "",
) -> Matter:
    """The outcome of a checked-in appointment; the matter is registered in the case file.

    ``answered``: 当场答复 (core ``answer_on_spot`` with ``text`` as the written answer);
    ``assigned``: the leader's instructions (``text``) assign it to ``agency_id`` with a deadline
    (core ``assign``, slip issued, leader named on it); ``owned``: 领导包案 — the leader takes
    charge (timeline entry, target date ``deadline``).
    """
    if appt.state != "checked_in":
        raise ReceptionError("请先签到。")
    if outcome not in OUTCOMES:
        raise ReceptionError("请选择接访结果。", {"outcome": "请选择。"})
    if not text.strip():
        raise ReceptionError("请填写答复意见或领导批示。", {"text": "此项为必填项。"})
    if outcome in ("assigned", "owned") and (not deadline or deadline <= today()):
        raise ReceptionError("请填写晚于今天的办理期限。", {"deadline": "请填写晚于今天的期限。"})
    if outcome == "assigned" and not agency_id:
        raise ReceptionError("请选择责任单位。", {"agency_id": "请选择责任单位。"})
    if outcome in ("answered", "assigned") and not has_permission("core.cases.triage"):
        # Checked first so that no matter is registered for a step that would be refused.
        raise ReceptionError(
            "录入当场答复或交办需要分流权限（core.cases.triage），请由接访员录入领导的答复或批示。"
        )
    session = appt.session
    appt_id = appt.id
    reg = Registration(
        channel="visit",
        summary=appt.summary,
        received_on=today(),
        parties=[PartyInput(name=appt.name, id_number=appt.id_number, mobile=appt.mobile)],
        category_id=appt.category_id,
    )
    try:
        if appt.matter is not None:
            # A step refused earlier (e.g. a stale page): the matter is already registered.
            matter = appt.matter
        else:
            matter = register_matter(reg, session.agency)
            appt = db.session.get(ReceptionAppointment, appt_id)
            appt.matter_id = matter.id
            add_timeline_entry(
                matter,
                "note",
                "领导接访",
                body=f"{session.post}{session.leader_name}于 {session.day.isoformat()} 接访"
                + (f"，值班律师 {session.lawyer.display_name} 参与" if session.lawyer else ""),
            )
            db.session.commit()
        if outcome == "answered":
            perform(matter, "answer_on_spot", {"answer": text.strip()}, version=matter.version)
        elif outcome == "assigned":
            perform(
                matter,
                "assign",
                {
                    "agency_id": agency_id,
                    "standard": standard.strip() or text.strip(),
                    "deadline": deadline,
                    "leader": f"{session.post}{session.leader_name}",
                    "text": text.strip(),
                },
                version=matter.version,
            )
        else:
            add_timeline_entry(
                matter,
                "note",
                "领导包案",
                body=f"{session.post}{session.leader_name}包案，"
                f"目标办结日期 {deadline.isoformat()}：{text.strip()}",
            )
            db.session.commit()
    except MatterError as exc:
        raise ReceptionError(str(exc), exc.errors) from None
    appt = db.session.get(ReceptionAppointment, appt_id)
    appt.state = "seen"
    appt.outcome = outcome
    appt.instructions = text.strip()
    appt.deadline = deadline
    appt.matter_id = matter.id
    record_audit(
        "reception.appointment.outcome",
        appt,
        summary=f"领导接访结果：{OUTCOMES[outcome]}（{matter.number}）",
    )
    db.session.commit()
    return matter
