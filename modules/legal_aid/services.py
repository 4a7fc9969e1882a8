"""The rules of the lawyers' desk; views only parse forms and call these.

Every write is one unit of work (``transactional``) with its audit event (and, for a
consultation on a matter, its timeline entry), so the case file never shows half of a change:
a refusal (``LegalAidError``, ``StaleEdit``) rolls all of it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, or_, select
from sqlalchemy.exc import IntegrityError

from core.api import (
    ActionRefused,
    Matter,
    User,
    add_timeline_entry,
    check_version,
    current_actor,
    db,
    find_visible_matter,
    record_audit,
    today,
    transactional,
)

from .models import KINDS, ROUTES, Consultation, Duty

LAWYER_ROLE = "lawyer"


class LegalAidError(ActionRefused):
    """A refused request; ``errors`` maps form fields to Chinese messages."""


def seed() -> None:
    """Nothing to seed: the ``lawyer`` role comes with core."""


def is_lawyer(user: User | None) -> bool:
    """Whether ``user`` holds the lawyer role."""
    return user is not None and any(r.code == LAWYER_ROLE for r in user.roles)


def lawyers() -> list[User]:
    """Active users with the lawyer role, for the roster's choice."""
    users = db.session.execute(select(User).where(User.active.is_(True)).order_by(User.id))
    return [u for u in users.scalars() if is_lawyer(u)]


# --- duty roster -----------------------------------------------------------------------------


def roster(start: date, end: date) -> list[Duty]:
    """Duties from ``start`` to ``end`` (inclusive) the acting user may see."""
    stmt = select(Duty).where(Duty.day >= start, Duty.day <= end)
    return list(db.session.execute(stmt.order_by(Duty.day, Duty.id)).scalars())


@transactional
def add_duty(day: date, lawyer_id: int, place: str, note: str = "") -> Duty:
    """Put a lawyer on duty for a day, in the acting user's agency; one booking per lawyer a day."""
    actor = current_actor()
    lawyer = db.session.get(User, lawyer_id) if lawyer_id else None
    if not is_lawyer(lawyer):
        raise LegalAidError("请选择具有律师角色的用户。", {"lawyer_id": "请选择律师。"})
    place = (place or "").strip()
    if not place:
        raise LegalAidError("请填写值班地点。", {"place": "请填写值班地点。"})
    # Bookings of other agencies count too, so the rule looks past the record rules; only
    # the yes/no answer leaves this function.
    taken = db.session.execute(
        select(Duty.id)
        .where(Duty.day == day, Duty.lawyer_id == lawyer.id)
        .execution_options(skip_record_rules=True)
    ).first()
    message = f"{lawyer.display_name} 在 {day.isoformat()} 已有值班安排，不能重复排班。"
    if taken:
        raise LegalAidError(message, {"lawyer_id": message})
    duty = Duty(
        day=day,
        lawyer_id=lawyer.id,
        place=place,
        note=note.strip() or None,
        agency_id=actor.agency_id,
    )
    db.session.add(duty)
    try:
        db.session.flush()
    except IntegrityError as exc:  # two schedulers at once: the unique constraint decides
        # (the unit of work rolls the action back)
        raise LegalAidError(message, {"lawyer_id": message}) from exc
    record_audit(
        "legal_aid.duty.add",
        duty,
        summary=f"排班：{day.isoformat()} {lawyer.display_name}（{place}）",
        day=day,
        lawyer_id=lawyer.id,
        place=place,
    )
    return duty


@transactional
def remove_duty(duty: Duty) -> None:
    """Take a duty off the roster (audited; the row goes, the audit event stays)."""
    record_audit(
        "legal_aid.duty.remove",
        duty,
        summary=f"取消排班：{duty.day.isoformat()} {duty.lawyer.display_name}",
        day=duty.day,
        lawyer_id=duty.lawyer_id,
    )
    db.session.delete(duty)


# --- consultations ---------------------------------------------------------------------------


@dataclass
class ConsultationInput:
    """What the lawyer enters about a consultation."""

    question: str
    advice: str = ""
    route: str = ""
    matter_number: str = ""
    visitor_name: str = ""
    visitor_phone: str = ""
    consulted_on: date | None = None
    kind: str = "consultation"


def _check(data: ConsultationInput, matter: Matter | None) -> None:
    errors = {}
    if data.matter_number.strip() and matter is None:
        errors["matter_number"] = "未找到该信访事项，或您无权查看。"
    if matter is None and not data.visitor_name.strip():
        errors["visitor_name"] = "未关联信访事项时，请填写来访人姓名。"
    if not data.question.strip():
        errors["question"] = "请填写咨询的问题。"
    if data.kind not in KINDS:
        errors["kind"] = "请选择类别。"
    if data.kind == "analysis" and matter is None:
        errors["matter_number"] = "法律论证须关联信访事项。"
    if data.route and data.route not in ROUTES:
        errors["route"] = "请选择建议的途径。"
    if errors:
        raise LegalAidError("填写的信息有误，请按提示修改。", errors)


def _route_entry(c: Consultation, matter: Matter) -> None:
    """诉访分离: the suggested route lands on the matter's timeline for every handler to see."""
    add_timeline_entry(
        matter,
        "note",
        f"律师建议：{ROUTES[c.route]}",
        c.advice or "",
        legal_aid_consultation=c.id,
        route=c.route,
    )


@transactional
def create_consultation(data: ConsultationInput) -> Consultation:
    """Record a consultation by the acting lawyer; a suggested route goes on the matter."""
    actor = current_actor()
    matter = find_visible_matter(data.matter_number)
    _check(data, matter)
    c = Consultation(
        consulted_on=data.consulted_on or today(),
        kind=data.kind,
        lawyer_id=actor.id,
        matter_id=matter.id if matter else None,
        visitor_name=data.visitor_name.strip() or None,
        visitor_phone=data.visitor_phone.strip() or None,
        question=data.question.strip(),
        advice=data.advice.strip(),
        route=data.route or None,
        agency_id=actor.agency_id,
    )
    db.session.add(c)
    db.session.flush()
    if matter is not None and c.route:
        _route_entry(c, matter)
    record_audit(
        "legal_aid.consultation.create",
        c,
        summary=f"记录{KINDS[c.kind]}" + (f"（事项 {matter.number}）" if matter else ""),
        matter_id=c.matter_id,
        kind=c.kind,
        route=c.route,
    )
    return c


@transactional
def update_consultation(c: Consultation, version: str | int | None, data: ConsultationInput):
    """Edit the question, advice and route; refused when the form is older than the record."""
    check_version(c, version)
    # The link to a matter and the visitor's particulars are kept as recorded: the edit form
    # never shows them, so a masked value can never be saved back over the real one.
    data.visitor_name = c.visitor_name or ""
    _check(data, c.matter)
    before = {"kind": c.kind, "question": c.question, "advice": c.advice, "route": c.route}
    c.kind = data.kind
    c.question = data.question.strip()
    c.advice = data.advice.strip()
    c.route = data.route or None
    changed = sorted(k for k, v in before.items() if getattr(c, k) != v)
    if c.matter is not None and c.route and before["route"] != c.route:
        _route_entry(c, c.matter)
    record_audit("legal_aid.consultation.update", c, summary="修改法律咨询记录", changed=changed)


@transactional
def save_opinion(c: Consultation, version: str | int | None, text: str) -> None:
    """The lawyer's written opinion (律师意见), kept on the record and noted on the matter."""
    check_version(c, version)
    text = (text or "").strip()
    if not text:
        raise LegalAidError("请填写律师意见。", {"opinion": "请填写律师意见。"})
    c.opinion = text
    if c.matter is not None:
        add_timeline_entry(c.matter, "note", "律师出具书面意见", text, legal_aid_consultation=c.id)
    record_audit("legal_aid.consultation.opinion", c, summary="出具律师意见")


def consultations_query(*, mine: bool) -> Select:
    """Consultations the acting user may see, newest first; ``mine``: recorded by them.

    A consultation on a matter is listed only to those who may see the matter as well: its
    question and advice speak about the matter. The subquery on ``Matter`` carries the record
    rules like every other query.
    """
    stmt = select(Consultation).where(
        or_(Consultation.matter_id.is_(None), Consultation.matter_id.in_(select(Matter.id)))
    )
    if mine:
        stmt = stmt.where(Consultation.lawyer_id == current_actor().id)
    return stmt.order_by(Consultation.consulted_on.desc(), Consultation.id.desc())


def consultations_on(matter: Matter) -> list[Consultation]:
    """The consultations on ``matter`` the acting user may see, oldest first."""
    stmt = select(Consultation).where(Consultation.matter_id == matter.id)
    return list(db.session.execute(stmt.order_by(Consultation.id)).scalars())
