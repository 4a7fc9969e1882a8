"""The approval chain as data (审批链), its electronic signatures and segregation of duties.

``CHAIN`` is the definition: ordered steps, each with the permission (so the role) that may sign
it. When an application is submitted its steps are copied into ``ApprovalStep`` rows; the
special tier (特别审批) is included only when the amount asked is above the per-case cap. The
amount-setting steps may lower the amount; the last step commits it from the fund account.

Segregation of duties (管用分离, 回避): whoever prepared an application signs none of its steps;
nobody signs two steps of one application; nobody pays what they signed; nobody signs or pays for
a person recorded as themselves or a relative (``PersonRelation``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.api import (
    N_,
    add_timeline_entry,
    check_version,
    current_actor,
    db,
    has_permission,
    record_audit,
    today,
    transactional,
    utcnow,
)

from ..models import ApprovalStep, Award, PersonRelation, ReliefApplication
from ..money import yuan
from . import accounts
from .awards import earlier_awards
from .common import cap_fen, fail


@dataclass(frozen=True)
class StepDef:
    code: str
    label: str
    permission: str
    #: The step sets the amount agreed (≤ the amount before it).
    sets_amount: bool = False
    #: Only when the amount asked is above the per-case cap.
    above_cap: bool = False


CHAIN: tuple[StepDef, ...] = (
    StepDef("unit_leader", N_("申请单位负责人审核"), "stability_fund.sign_unit"),
    StepDef("office_check", N_("联席会议办公室审核"), "stability_fund.check"),
    StepDef("meeting", N_("联席会议审批"), "stability_fund.approve", sets_amount=True),
    StepDef(
        "special",
        N_("超上限特别审批（联席会议召集人）"),
        "stability_fund.approve_special",
        sets_amount=True,
        above_cap=True,
    ),
    StepDef("finance", N_("财政核拨"), "stability_fund.allocate"),
)
_SETS_AMOUNT = {d.code for d in CHAIN if d.sets_amount}


def build_chain(app: ReliefApplication) -> None:
    """Copy ``CHAIN`` into the application's step rows (the special tier if above the cap)."""
    cap = cap_fen(app.kind)
    app.special = bool(cap) and app.requested_fen > cap
    seq = 0
    for d in CHAIN:
        if d.above_cap and not app.special:
            continue
        seq += 1
        db.session.add(
            ApprovalStep(
                application_id=app.id,
                seq=seq,
                code=d.code,
                label=d.label,
                permission=d.permission,
                state="pending",
                opinion="",
                seen="",
                seen_sha256="",
            )
        )
    db.session.flush()
    db.session.expire(app, ["steps"])


def agreed_fen(app: ReliefApplication) -> int:
    """The amount agreed so far: the last amount a signed step set, else the amount asked."""
    amount = app.requested_fen
    for s in app.steps:
        if s.state == "approved" and s.amount_fen is not None:
            amount = s.amount_fen
    return amount


def seen_of(app: ReliefApplication) -> tuple[str, str]:
    """What the signer sees of ``app``, as canonical JSON, and its SHA-256.

    The signature's "what they saw": the application, the earlier signatures, the person's
    earlier awards.
    """
    content: dict[str, Any] = {
        "application": app.id,
        "matter": app.matter.number,
        "person": app.person_id,
        "kind": app.kind,
        "ground": app.ground,
        "requested_fen": app.requested_fen,
        "agreed_fen": agreed_fen(app),
        "reason": app.reason,
        "hardship": app.hardship,
        "case_summary": app.case_summary,
        "special": app.special,
        "steps": [
            {
                "seq": s.seq,
                "code": s.code,
                "state": s.state,
                "actor": s.actor_id,
                "amount_fen": s.amount_fen,
                "opinion": s.opinion,
                "sha256": s.seen_sha256,
            }
            for s in app.steps
            if s.state != "pending"
        ],
        "earlier_awards": [
            {"matter": a.matter_number, "amount_fen": a.amount_fen, "on": a.awarded_on.isoformat()}
            for a in earlier_awards(app)
        ],
    }
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


def relation_of(app: ReliefApplication, user_id: int | None) -> PersonRelation | None:
    """The recorded relation between the acting user and the application's person, if any."""
    if user_id is None or app.person_id is None:
        return None
    return db.session.execute(
        select(PersonRelation).where(
            PersonRelation.person_id == app.person_id, PersonRelation.user_id == user_id
        )
    ).scalar_one_or_none()


def signing_problem(app: ReliefApplication, step: ApprovalStep, user: Any) -> str | None:
    """Why ``user`` may not sign ``step`` of ``app`` (``None``: they may); for pages too."""
    if user is None or not has_permission(step.permission):
        return f"您没有“{step.label}”的权限。"
    if app.prepared_by_id == user.id:
        return "不能审批本人填写的救助申请（须由另一人审批）。"
    for other in app.steps:
        if other.id != step.id and other.actor_id == user.id:
            return f"同一人不能在同一申请的两个审批环节签署（您已在“{other.label}”环节签署）。"
    rel = relation_of(app, user.id)
    if rel is not None:
        return f"您与信访人的关系为“{rel.relation_label}”，应当回避，不能办理该申请。"
    return None


def paying_problem(app: ReliefApplication, user: Any) -> str | None:
    """Why ``user`` may not pay ``app`` (管用分离: not who signed any of its steps)."""
    if user is None or not has_permission("stability_fund.pay"):
        return "您没有登记拨付的权限。"
    signed = next((s for s in app.steps if s.actor_id == user.id), None)
    if signed is not None:
        return f"不能拨付本人审批过的救助申请（您已在“{signed.label}”环节签署）。"
    rel = relation_of(app, user.id)
    if rel is not None:
        return f"您与信访人的关系为“{rel.relation_label}”，应当回避，不能办理该申请。"
    return None


def sign(
    app: ReliefApplication,
    version: Any,
    opinion: str,
    amount_fen: int | None = None,
    seen_sha256: str | None = None,
) -> ApprovalStep:
    """Sign the application's current step (同意): opinion, time, who, and what they saw.

    ``seen_sha256`` is the digest the signer's page showed; when given and the application has
    changed since (another signature, an earlier award), the signature is refused. The last
    step commits the agreed amount from the agency's account of this year.
    """
    # Read here, outside the unit of work, so that on the last step the account write is the
    # first statement of an attempt the unit of work makes again (SQLite: it then waits for the
    # write lock instead of failing "database is locked"); the checks inside see the rows anew.
    step = app.current_step
    last = step is not None and step is app.steps[-1]
    agreed = agreed_fen(app) if last else 0
    return _sign(app, app.agency_id, last, agreed, version, opinion, amount_fen, seen_sha256)


@transactional
def _sign(
    app: ReliefApplication,
    agency_id: int,
    last: bool,
    agreed: int,
    version: Any,
    opinion: str,
    amount_fen: int | None,
    seen_sha256: str | None,
) -> ApprovalStep:
    year = today().year
    taken = accounts.take(agency_id, year, agreed) if last else False
    step = _current(app, version)
    actor = current_actor()
    problem = signing_problem(app, step, actor)
    if problem:
        raise fail(problem)
    if last != (step is app.steps[-1]) or (last and agreed != agreed_fen(app)):
        raise fail("该申请刚被他人办理，请刷新页面后重试。")
    text, digest = seen_of(app)
    if seen_sha256 is not None and seen_sha256 != digest:
        raise fail("申请内容在您查看后已有变化，请刷新页面核对后再签署。")
    before = agreed_fen(app)
    if step.code in _SETS_AMOUNT:
        amount = before if amount_fen is None else amount_fen
        if amount > before:
            raise fail(f"同意金额不能超过 {yuan(before)}。", "amount")
        cap = cap_fen(app.kind)
        if cap and amount > cap and not _special_ahead_or_done(app, step):
            raise fail(f"金额超过每案救助上限 {yuan(cap)}，须经特别审批。", "amount")
        step.amount_fen = amount
    if last:
        cap = cap_fen(app.kind)
        if (
            cap
            and agreed > cap
            and not any(s.code == "special" and s.state == "approved" for s in app.steps)
        ):
            raise fail(f"金额超过每案救助上限 {yuan(cap)}，须经特别审批。", "amount")
        if not taken:
            budget = accounts.account(agency_id, year)
            if budget is None:
                raise fail(f"本单位未设立 {year} 年度救助资金账户。", "amount")
            raise fail(f"超出年度剩余额度（剩余 {yuan(budget.remaining_fen)}）。", "amount")
    step.state = "approved"
    step.actor_id = actor.id
    step.acted_at = utcnow()
    step.opinion = opinion.strip()
    step.seen = text
    step.seen_sha256 = digest
    app.updated_at = utcnow()  # the version moves on: a second signer on the same page is stale
    summary = f"{app.matter.number}：{step.label} 同意"
    if step.amount_fen is not None:
        summary += f" {yuan(step.amount_fen)}"
    if last:
        _award(app, agreed, year)
    add_timeline_entry(app.matter, "note", f"救助审批：{step.label}", body=opinion.strip())
    record_audit(
        "stability_fund.sign",
        app,
        summary=summary,
        step=step.code,
        amount_fen=step.amount_fen,
        seen_sha256=digest,
    )
    return step


def _special_ahead_or_done(app: ReliefApplication, step: ApprovalStep) -> bool:
    return step.code == "special" or any(
        s.code == "special" and s.seq > step.seq for s in app.steps
    )


def _award(app: ReliefApplication, amount: int, year: int) -> None:
    """The chain is complete: the application is approved and the award recorded, once ever."""
    app.state = "approved"
    app.year = year
    app.approved_fen = amount
    app.decided_by_id = current_actor().id
    app.decided_at = utcnow()
    if app.person_id is not None:
        db.session.add(
            Award(
                person_id=app.person_id,
                matter_id=app.matter_id,
                application_id=app.id,
                amount_fen=amount,
                awarded_on=today(),
            )
        )
        try:
            db.session.flush()
        except IntegrityError as exc:
            raise fail("该信访人在本事项上已获救助（一次性救助），不能再次批准。") from exc
    add_timeline_entry(app.matter, "note", "批准救助", body=f"批准 {yuan(amount)}")
    record_audit(
        "stability_fund.approve",
        app,
        summary=f"{app.matter.number}：批准救助 {yuan(amount)}",
        amount_fen=amount,
        year=year,
    )


def _current(app: ReliefApplication, version: Any) -> ApprovalStep:
    check_version(app, version)
    step = app.current_step
    if step is None:
        raise fail(f"该申请当前状态为“{app.state_label}”，不在审批中。")
    return step


@transactional
def refuse(app: ReliefApplication, version: Any, opinion: str) -> ApprovalStep:
    """Sign the current step as not agreed (不同意), with the reason: the application ends."""
    step = _current(app, version)
    problem = signing_problem(app, step, current_actor())
    if problem:
        raise fail(problem)
    if not opinion.strip():
        raise fail("请填写不同意的理由。", "opinion")
    text, digest = seen_of(app)
    step.state = "rejected"
    step.actor_id = current_actor().id
    step.acted_at = utcnow()
    step.opinion = opinion.strip()
    step.seen = text
    step.seen_sha256 = digest
    app.state = "rejected"
    app.decided_by_id = step.actor_id
    app.decided_at = step.acted_at
    app.decision_note = opinion.strip()
    add_timeline_entry(app.matter, "note", f"救助审批：{step.label} 不同意", body=opinion.strip())
    record_audit(
        "stability_fund.reject",
        app,
        summary=f"{app.matter.number}：{step.label} 不同意",
        step=step.code,
        reason=opinion.strip(),
    )
    return step
