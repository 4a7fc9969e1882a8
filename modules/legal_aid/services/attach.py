"""Lawyers attached to matters (指派) and to leaders' reception sessions, and conflicts.

A lawyer who acts or acted for the respondent organ or for the other side of a matter (利益
冲突, 条例第28条第3款 by analogy) is refused for it, and the refusal names the conflict.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.api import (
    Matter,
    add_timeline_entry,
    current_actor,
    db,
    record_audit,
    today,
    transactional,
)

from ..models import Assignment, Conflict, DutySlot, Lawyer, SessionLawyer
from .common import refuse


def conflicts_with(lawyer: Lawyer, matter: Matter) -> list[Conflict]:
    """The lawyer's declared conflicts that touch ``matter``'s respondent organ or other side."""
    found = []
    organs = {matter.complained_agency_id, matter.handling_agency_id} - {None}
    other_side = (matter.complained_party or "").strip()
    for c in lawyer.conflicts:
        organ = c.agency_id is not None and c.agency_id in organs
        side = bool(c.party and other_side) and (c.party in other_side or other_side in c.party)
        if organ or side:
            found.append(c)
    return found


def conflict_message(lawyer: Lawyer, matter: Matter) -> str | None:
    """The refusal naming the conflict, or ``None`` when the lawyer may take the matter."""
    found = conflicts_with(lawyer, matter)
    if not found:
        return None
    names = "；".join(
        f"{c.relation}：{c.side}" + (f"（{c.period}）" if c.period else "") for c in found
    )
    return f"律师{lawyer.name}与本事项存在利益冲突（{names}），不能指派。"


def assignments_on(matter: Matter) -> list[Assignment]:
    """The lawyers attached to ``matter`` (visible to the acting user), oldest first."""
    stmt = select(Assignment).where(Assignment.matter_id == matter.id).order_by(Assignment.id)
    return list(db.session.execute(stmt).scalars())


@transactional
def assign(matter: Matter, lawyer: Lawyer | None, slot: DutySlot | None = None) -> Assignment:
    """Attach a lawyer to a matter (the desk's one click attaches today's duty lawyer)."""
    if lawyer is None:
        raise refuse("请选择律师。", "lawyer_id")
    if not lawyer.may_serve:
        raise refuse(f"{lawyer.name} 当前为“{lawyer.status_label}”，不能指派。", "lawyer_id")
    problem = conflict_message(lawyer, matter)
    if problem:
        raise refuse(problem, "lawyer_id")
    exists = db.session.execute(
        select(Assignment.id)
        .where(Assignment.matter_id == matter.id, Assignment.lawyer_id == lawyer.id)
        .execution_options(skip_record_rules=True)
    ).first()
    if exists:
        raise refuse(f"律师{lawyer.name}已在接待该事项。", "lawyer_id")
    actor = current_actor()
    row = Assignment(
        matter_id=matter.id,
        lawyer_id=lawyer.id,
        slot_id=slot.id if slot else None,
        assigned_on=today(),
        assigned_by_id=actor.id,
        agency_id=slot.agency_id if slot else actor.agency_id,
    )
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise refuse(f"律师{lawyer.name}已在接待该事项。", "lawyer_id") from exc
    add_timeline_entry(
        matter,
        "legal_aid",
        f"指派值班律师：{lawyer.name}",
        lawyer.firm,
        legal_aid_assignment=row.id,
    )
    record_audit(
        "legal_aid.assign",
        matter,
        summary=f"{matter.number}：指派律师 {lawyer.name}",
        lawyer_id=lawyer.id,
    )
    return row


def session_lawyers(session_id: int) -> list[SessionLawyer]:
    """Lawyers sitting with the leader at reception session ``session_id``."""
    stmt = select(SessionLawyer).where(SessionLawyer.session_id == session_id)
    return list(db.session.execute(stmt.order_by(SessionLawyer.id)).scalars())


@transactional
def attach_to_session(session_id: int, lawyer: Lawyer | None) -> SessionLawyer:
    """A lawyer sits with the leader at a reception session (律师参与领导接访)."""
    if lawyer is None:
        raise refuse("请选择律师。", "lawyer_id")
    if not lawyer.may_serve:
        raise refuse(f"{lawyer.name} 当前为“{lawyer.status_label}”，不能安排。", "lawyer_id")
    exists = db.session.execute(
        select(SessionLawyer.id)
        .where(SessionLawyer.session_id == session_id, SessionLawyer.lawyer_id == lawyer.id)
        .execution_options(skip_record_rules=True)
    ).first()
    if exists:
        raise refuse(f"律师{lawyer.name}已安排参加本次接访。", "lawyer_id")
    actor = current_actor()
    row = SessionLawyer(
        session_id=session_id,
        lawyer_id=lawyer.id,
        attached_by_id=actor.id,
        agency_id=actor.agency_id,
    )
    db.session.add(row)
    db.session.flush()
    record_audit(
        "legal_aid.session.attach",
        row,
        summary=f"领导接访（场次 {session_id}）安排律师 {lawyer.name}",
        session_id=session_id,
        lawyer_id=lawyer.id,
    )
    return row
