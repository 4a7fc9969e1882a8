"""Commissioned opinions (委托法律论证) and agency mandates (代理委托).

The petition department commissions a lawyer's legal analysis of a major or difficult matter
with a deadline, a clock of the matter (core's reminders and overdue lists follow it); the
lawyer's opinion is issued as a numbered PDF document on the matter
(``issue_document``, declared in the module's ``Lifecycle``) in the same transaction.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core.api import (
    Matter,
    add_timeline_entry,
    check_version,
    current_actor,
    db,
    issue_document,
    record_audit,
    start_clock,
    stop_clock,
    today,
    transactional,
)

from ..models import Lawyer, Mandate, Opinion
from .attach import conflict_message
from .common import current_lawyer, refuse
from .consultations import MAX_MINUTES


def opinions_on(matter: Matter) -> list[Opinion]:
    """Commissioned opinions on ``matter`` the acting user may see."""
    stmt = select(Opinion).where(Opinion.matter_id == matter.id).order_by(Opinion.id)
    return list(db.session.execute(stmt).scalars())


def my_opinions() -> list[Opinion]:
    """Opinions commissioned from the acting lawyer, open ones first."""
    lawyer = current_lawyer()
    if lawyer is None:
        return []
    stmt = select(Opinion).where(Opinion.lawyer_id == lawyer.id)
    return list(db.session.execute(stmt.order_by(Opinion.status, Opinion.deadline)).scalars())


@transactional
def commission(matter: Matter, lawyer: Lawyer | None, question: str, deadline: date | None):
    """Commission a lawyer's legal analysis of ``matter`` by ``deadline``."""
    if lawyer is None:
        raise refuse("请选择律师。", "lawyer_id")
    if not lawyer.may_serve:
        raise refuse(f"{lawyer.name} 当前为“{lawyer.status_label}”，不能委托。", "lawyer_id")
    problem = conflict_message(lawyer, matter)
    if problem:
        raise refuse(problem, "lawyer_id")
    if not question.strip():
        raise refuse("请填写委托论证的问题。", "question")
    if deadline is None or deadline <= today():
        raise refuse("请填写晚于今天的论证期限。", "deadline")
    actor = current_actor()
    opinion = Opinion(
        matter_id=matter.id,
        lawyer_id=lawyer.id,
        question=question.strip(),
        commissioned_on=today(),
        deadline=deadline,
        commissioned_by_id=actor.id,
        agency_id=actor.agency_id,
    )
    opinion.clock = start_clock(
        matter, "legal_opinion", today(), responsible_agency_id=actor.agency_id, due=deadline
    )
    db.session.add(opinion)
    db.session.flush()
    add_timeline_entry(
        matter,
        "legal_aid",
        f"委托律师{lawyer.name}法律论证（期限 {deadline.isoformat()}）",
        opinion.question,
        legal_aid_opinion=opinion.id,
    )
    record_audit(
        "legal_aid.opinion.commission",
        opinion,
        summary=f"{matter.number}：委托律师 {lawyer.name} 法律论证",
        lawyer_id=lawyer.id,
    )
    return opinion


@transactional
def deliver(opinion: Opinion, text: str, minutes: int | None, version=None):
    """The lawyer delivers the opinion: issued as a PDF document on the matter."""
    check_version(opinion, version)
    lawyer = current_lawyer()
    if lawyer is None or lawyer.id != opinion.lawyer_id:
        raise refuse("只有受委托的律师可以出具论证意见。")
    if opinion.status == "delivered":
        raise refuse("论证意见已出具。")
    if not text.strip():
        raise refuse("请填写论证意见。", "text")
    if minutes is None or not 1 <= minutes <= MAX_MINUTES * 10:
        raise refuse("请填写用时（分钟）。", "minutes")
    opinion.text = text.strip()
    opinion.minutes = minutes
    opinion.status = "delivered"
    opinion.delivered_on = today()
    stop_clock(opinion.matter, "legal_opinion", today(), clock=opinion.clock)
    doc = issue_document(
        opinion.matter, "legal_opinion", today(), current_actor(), {"opinion": opinion}
    )
    opinion.document_id = doc.id
    record_audit(
        "legal_aid.opinion.deliver",
        opinion,
        summary=f"{opinion.matter.number}：律师 {lawyer.name} 出具法律论证意见（{doc.number}）",
        document_id=doc.id,
        late=opinion.delivered_on > opinion.deadline,
    )
    return doc


def mandates_on(matter: Matter) -> list[Mandate]:
    """Agency mandates on ``matter`` the acting user may see."""
    stmt = select(Mandate).where(Mandate.matter_id == matter.id).order_by(Mandate.id)
    return list(db.session.execute(stmt).scalars())


@transactional
def add_mandate(
    matter: Matter, lawyer: Lawyer | None, principal: str, scope: str, signed_on: date | None
) -> Mandate:
    """The petitioner appoints the lawyer as agent (代理申诉/诉讼), recorded on the matter."""
    if lawyer is None:
        raise refuse("请选择律师。", "lawyer_id")
    problem = conflict_message(lawyer, matter)
    if problem:
        raise refuse(problem, "lawyer_id")
    if not principal.strip():
        raise refuse("请填写委托人姓名。", "principal")
    if not scope.strip():
        raise refuse("请填写代理事项和权限。", "scope")
    if signed_on is None or signed_on > today():
        raise refuse("请填写不晚于今天的委托日期。", "signed_on")
    mandate = Mandate(
        matter_id=matter.id,
        lawyer_id=lawyer.id,
        principal=principal.strip(),
        scope=scope.strip(),
        signed_on=signed_on,
        agency_id=current_actor().agency_id,
    )
    db.session.add(mandate)
    db.session.flush()
    add_timeline_entry(
        matter,
        "legal_aid",
        f"信访人委托律师{lawyer.name}代理",
        mandate.scope,
        legal_aid_mandate=mandate.id,
    )
    record_audit(
        "legal_aid.mandate.add",
        mandate,
        summary=f"{matter.number}：委托律师 {lawyer.name} 代理",
        lawyer_id=lawyer.id,
    )
    return mandate
