"""The registration desk (登记台): arrivals with the day's queue number, the person's history."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from core.api import (
    FINAL_STATES,
    N_,
    Agency,
    current_actor,
    db,
    find_candidates,
    id_number_problem,
    matters_of_person,
    record_audit,
    today,
    transactional,
    utcnow,
)

from ..models import ReceptionAppointment, ReceptionUnit, ReceptionVisit
from .common import MAX_REPRESENTATIVES, ReceptionError, _norm
from .units import route


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
        errors["head_count"] = N_("来访人数不能少于登记的代表人数。")
    for i, rep in enumerate(reps):
        if not (rep.get("name") or "").strip():
            errors[f"representatives-{i}"] = N_("请填写代表姓名。")
        elif rep.get("id_number") and id_number_problem(rep["id_number"]):
            errors[f"representatives-{i}"] = (
                f"代表 {rep['name']}：{id_number_problem(rep['id_number'])}"
            )
    return errors


@transactional
def arrive(data: Arrival, agency: Agency | None = None) -> ReceptionVisit:
    """Desk arrival: check the ID, route by subject, give the day's queue number."""
    agency = agency or getattr(current_actor(), "agency", None)
    if agency is None:
        raise ReceptionError(N_("您的账户未设置所属机构。"))
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = N_("请填写来访人姓名。")
    problem = id_number_problem(data.id_number)
    if problem:
        errors["id_number"] = problem
    if data.head_count < 1:
        errors["head_count"] = N_("来访人数至少为 1。")
    errors |= _check_representatives(data.representatives, data.head_count)
    if data.head_count > MAX_REPRESENTATIVES and not data.representatives:
        errors["representatives"] = N_(
            "多人走访（超过 5 人）应推选代表（不超过 5 人），请登记代表。"
        )
    suggested = route(data.category_id, agency.id)
    unit = suggested
    if data.unit_id:
        unit = db.session.get(ReceptionUnit, data.unit_id)
        if unit is None or unit.agency_id != agency.id or not unit.active:
            errors["unit_id"] = N_("请选择本大厅的接访窗口。")
    if unit is None and "unit_id" not in errors:
        errors["unit_id"] = N_("没有接待此类事项的窗口，请选择接访窗口。")
    if errors:
        raise ReceptionError(N_("到访登记有误，请按提示修改。"), errors)
    day = today()
    _take_queue(agency.id)
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
    db.session.flush()
    record_audit(
        "reception.arrive",
        visit,
        summary=f"到访登记 {day.isoformat()} 第 {number} 号，分流至 {unit.name}",
    )
    return visit


def _take_queue(agency_id: int) -> None:
    """Let the desks of one hall draw the day's queue numbers one after the other.

    PostgreSQL: a lock per hall held until the arrival commits, so the next desk reads the
    number just taken instead of running into the unique key (agency, day, number). SQLite has
    one writer at a time: a desk that read the numbers before another desk committed is refused
    its write and the unit of work runs the arrival again.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            select(func.pg_advisory_xact_lock(func.hashtext("reception_visit"), agency_id))
        )


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
