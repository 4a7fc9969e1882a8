"""The visit at the unit (接谈): call, answer on the spot, register, assign, incidents, leapfrog.

Matters are registered and stepped only through core (``register_matter``, ``perform``), so the
case file's own rules (five representatives at most, permissions, deadlines, documents) apply
unchanged; the matter and the visit record are written in one transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from core.api import (
    N_,
    Agency,
    Matter,
    MatterError,
    PartyInput,
    Registration,
    add_timeline_entry,
    current_actor,
    db,
    perform,
    record_audit,
    register_matter,
    transactional,
    utcnow,
)

from ..models import ReceptionIncident, ReceptionVisit
from .common import ReceptionError, _norm
from .desk import history

INCIDENT_KINDS = {
    "gathering": "非法聚集、围堵、冲击",
    "dangerous_articles": "携带危险物品",
    "insult": "侮辱、殴打、威胁工作人员",
    "staying": "在接待场所滞留、滋事",
    "abandonment": "将生活不能自理的人弃留在接待场所",
    "instigation": "煽动、串联、胁迫他人或以信访为名借机敛财",
    "other": "其他",
}


@transactional
def call(visit: ReceptionVisit) -> None:
    """叫号: the unit calls the visitor in."""
    if visit.state != "waiting":
        raise ReceptionError(N_("该来访人已不在候谈队列中。"))
    visit.state = "called"
    visit.called_at = utcnow()
    visit.received_by_id = getattr(current_actor(), "id", None)
    record_audit("reception.call", visit, summary=f"叫号 第 {visit.queue_number} 号")


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
        raise ReceptionError(
            N_("请填写接谈记录（来访人反映的问题）。"), {"asked": N_("此项为必填项。")}
        )
    try:
        return register_matter(_registration(visit, asked, **kw), visit.agency)
    except MatterError as exc:
        raise ReceptionError(str(exc), exc.errors) from None


@transactional
def answer_on_spot(visit: ReceptionVisit, asked: str, answered: str) -> Matter:
    """当场答复: register the matter, close it with the written answer, record the visit.

    If core refuses the answer (e.g. the desk may not triage) — ``perform`` refuses before it
    writes anything — the matter stays registered for triage and the visit record says so:
    both are committed, then the refusal is raised (``keep``).
    """
    _ensure_at_unit(visit)
    if not answered.strip():
        raise ReceptionError(N_("请填写答复意见。"), {"answered": N_("此项为必填项。")})
    matter = _register(visit, asked)
    try:
        perform(matter, "answer_on_spot", {"answer": answered.strip()}, version=matter.version)
    except MatterError as exc:
        _finish(visit, "registered", asked, "", matter)
        raise ReceptionError(
            f"事项已登记为 {matter.number}，但不能当场答复：{exc}", keep=True
        ) from None
    _finish(visit, "answered", asked, answered, matter)
    return matter


@transactional
def register_for_handling(visit: ReceptionVisit, asked: str, **kw: Any) -> Matter:
    """Not answerable on the spot: register the matter; triage follows in the case file."""
    _ensure_at_unit(visit)
    matter = _register(visit, asked, **kw)
    _finish(visit, "registered", asked, "", matter)
    return matter


def _finish(visit: ReceptionVisit, state: str, asked: str, answered: str, matter=None) -> None:
    """The visit record (接谈记录): how the visit ended, with its matter."""
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


@transactional
def assign(visit: ReceptionVisit, agency_id: int, standard: str, deadline: date, leader: str = ""):
    """交办 the visit's matter with a slip (core ``assign``); returns the issued document."""
    if visit.matter is None:
        raise ReceptionError(N_("该接谈尚未登记信访事项。"))
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


@transactional
def record_incident(
    visit: ReceptionVisit, kind: str, description: str, action: str = "", police: bool = False
) -> ReceptionIncident:
    """Incident log (条例第26条): disorder at the visit and what staff did about it."""
    if kind not in INCIDENT_KINDS:
        raise ReceptionError(N_("请选择情形。"), {"kind": N_("请选择情形。")})
    if not description.strip():
        raise ReceptionError(N_("请描述经过。"), {"description": N_("此项为必填项。")})
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
    return incident


@transactional
def direct_leapfrog(visit: ReceptionVisit, competent_agency_id: int, asked: str = "") -> str:
    """越级访: record it, direct the visitor to the competent level; returns the notice number.

    Not accepted here (条例第19条第3款, 第20条第1款; 依法逐级走访); no matter is registered.
    """
    _ensure_at_unit(visit)
    competent = db.session.get(Agency, competent_agency_id) if competent_agency_id else None
    if competent is None or not competent.active or competent.id == visit.agency_id:
        raise ReceptionError(
            N_("请选择有权处理的下级机关。"), {"competent_agency_id": N_("请选择机关。")}
        )
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
