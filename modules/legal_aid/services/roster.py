"""The roster (律师名册): lawyers, their standing with its history, their conflicts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.api import (
    Agency,
    User,
    check_version,
    current_actor,
    db,
    record_audit,
    today,
    transactional,
)

from ..models import STATUSES, Conflict, Lawyer, LawyerStatus
from .common import LAWYER_ROLE, refuse


@dataclass
class LawyerInput:
    """What the roster's form says about a lawyer."""

    name: str
    firm: str = ""
    licence_no: str = ""
    specialties: str = ""
    languages: str = ""
    nominated_by: str = ""
    eligible: bool = True
    username: str = ""
    note: str = ""


def lawyers(*, serving_only: bool = False) -> list[Lawyer]:
    """The roster, by name; ``serving_only``: active and eligible lawyers."""
    stmt = select(Lawyer).order_by(Lawyer.status, Lawyer.name, Lawyer.id)
    if serving_only:
        stmt = stmt.where(Lawyer.status == "active", Lawyer.eligible.is_(True))
    return list(db.session.execute(stmt).scalars())


def _account(username: str) -> User | None:
    username = username.strip()
    if not username:
        return None
    user = db.session.execute(select(User).where(User.username == username)).scalar()
    if user is None:
        raise refuse(f"没有用户名为“{username}”的账户。", "username")
    if not any(r.code == LAWYER_ROLE for r in user.roles):
        raise refuse(f"账户“{username}”没有律师角色，请先在用户管理中授予。", "username")
    return user


@transactional
def save_lawyer(lawyer: Lawyer | None, data: LawyerInput, version=None) -> Lawyer:
    """Add a lawyer to the roster, or edit one (refused when the form is older than the row)."""
    if not data.name.strip():
        raise refuse("请填写律师姓名。", "name")
    user = _account(data.username)
    new = lawyer is None
    if new:
        lawyer = Lawyer(status="active")
        db.session.add(lawyer)
    else:
        check_version(lawyer, version)
    lawyer.name = data.name.strip()
    lawyer.firm = data.firm.strip()
    lawyer.licence_no = data.licence_no.strip() or None
    lawyer.specialties = data.specialties.strip()
    lawyer.languages = data.languages.strip()
    lawyer.nominated_by = data.nominated_by.strip()
    lawyer.eligible = bool(data.eligible)
    lawyer.note = data.note.strip()
    lawyer.user_id = user.id if user else None
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise refuse("该执业证号或账户已登记在名册中。", "licence_no") from exc
    if new:
        db.session.add(
            LawyerStatus(lawyer_id=lawyer.id, status="active", since=today(), reason="入库")
        )
    record_audit(
        "legal_aid.lawyer.add" if new else "legal_aid.lawyer.update",
        lawyer,
        summary=f"{'律师入库' if new else '修改律师信息'}：{lawyer.name}",
        licence_no=lawyer.licence_no,
        user_id=lawyer.user_id,
    )
    return lawyer


@transactional
def change_status(lawyer: Lawyer, status: str, reason: str, version=None, on: date | None = None):
    """Suspend, reinstate or retire a lawyer; every change is kept in the history."""
    check_version(lawyer, version)
    if status not in STATUSES:
        raise refuse("请选择状态。", "status")
    if status == lawyer.status:
        raise refuse(f"该律师已是“{STATUSES[status]}”状态。", "status")
    if lawyer.status == "retired":
        raise refuse("已退出名册的律师不能恢复，请重新入库。", "status")
    if not reason.strip():
        raise refuse("请填写变更原因。", "reason")
    before = lawyer.status
    lawyer.status = status
    actor = current_actor()
    db.session.add(
        LawyerStatus(
            lawyer_id=lawyer.id,
            status=status,
            since=on or today(),
            reason=reason.strip(),
            by_id=actor.id if actor else None,
        )
    )
    record_audit(
        "legal_aid.lawyer.status",
        lawyer,
        summary=f"{lawyer.name}：{STATUSES[before]} → {STATUSES[status]}",
        before=before,
        after=status,
        reason=reason.strip(),
    )


@transactional
def add_conflict(
    lawyer: Lawyer,
    *,
    relation: str,
    agency_id: int | None = None,
    party: str = "",
    since: date | None = None,
    until: date | None = None,
) -> Conflict:
    """Declare a side the lawyer acts or acted for: an organ (``agency_id``) or a party."""
    agency = db.session.get(Agency, agency_id) if agency_id else None
    if agency is None and not party.strip():
        raise refuse("请选择机关或填写当事人名称。", "party")
    if not relation.strip():
        raise refuse("请填写代理或顾问关系（如常年法律顾问、诉讼代理人）。", "relation")
    conflict = Conflict(
        lawyer_id=lawyer.id,
        agency_id=agency.id if agency else None,
        party=party.strip(),
        relation=relation.strip(),
        since=since,
        until=until,
    )
    db.session.add(conflict)
    db.session.flush()
    record_audit(
        "legal_aid.conflict.add",
        lawyer,
        summary=f"{lawyer.name} 利益冲突申报：{conflict.side}（{conflict.relation}）",
        conflict_id=conflict.id,
    )
    return conflict


@transactional
def remove_conflict(conflict: Conflict) -> None:
    """Withdraw a declaration entered by mistake (audited)."""
    record_audit(
        "legal_aid.conflict.remove",
        conflict.lawyer,
        summary=f"撤回利益冲突申报：{conflict.side}",
        conflict_id=conflict.id,
    )
    db.session.delete(conflict)
