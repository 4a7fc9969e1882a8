"""The undertaking with its scan, the payments in instalments, and relations (回避)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError

from core.api import (
    User,
    add_timeline_entry,
    current_actor,
    db,
    record_audit,
    today,
    transactional,
    utcnow,
)

from ..models import (
    METHODS,
    RELATIONS,
    UNDERTAKING_KINDS,
    Disbursement,
    PersonRelation,
    ReliefApplication,
    Undertaking,
)
from ..money import yuan
from . import accounts
from .applications import expect
from .chain import paying_problem
from .common import Scan, actor_id, fail, store_scan


@transactional
def record_undertaking(
    app: ReliefApplication, version: Any, kind: str, signed_on: date, scan: Scan | None
) -> Undertaking:
    """Record the signed 息诉罢访承诺书/协议书 with its scan (拉萨市实施细则第7条第3项)."""
    expect(app, version, "draft", "submitted", "approved")
    if kind not in UNDERTAKING_KINDS:
        raise fail("请选择承诺书或协议书。", "kind")
    if signed_on > today():
        raise fail("签署日期不能晚于今天。", "signed_on")
    if app.undertaking_record is not None:
        raise fail("该申请已登记息诉罢访承诺书。")
    att = store_scan(app, scan, "scan", "承诺书（协议书）")
    row = Undertaking(
        application_id=app.id,
        kind=kind,
        signed_on=signed_on,
        attachment_id=att.id,
        filename=att.filename,
        sha256=att.sha256,
        recorded_by_id=actor_id(),
    )
    db.session.add(row)
    app.undertaking = True
    app.updated_at = utcnow()
    db.session.flush()
    add_timeline_entry(
        app.matter, "note", "登记息诉罢访承诺", body=f"{row.kind_label}，{signed_on.isoformat()}"
    )
    record_audit(
        "stability_fund.undertaking",
        app,
        summary=f"{app.matter.number}：登记{row.kind_label}",
        sha256=att.sha256,
    )
    return row


@dataclass
class PaymentInput:
    paid_fen: int
    paid_on: date
    method: str
    reference: str
    receipt: Scan | None = None
    #: The last instalment: what is approved and not paid goes back to the account.
    final: bool = False


@transactional
def pay(app: ReliefApplication, version: Any, data: PaymentInput) -> Disbursement:
    """One payment (拨付) with the receipt the petitioner signed.

    Several are allowed within the approved amount. When everything is paid, or ``final``, the
    application is paid and the unpaid rest goes back to the account.
    """
    expect(app, version, "approved")
    problem = paying_problem(app, current_actor())
    if problem:
        raise fail(problem)
    if app.undertaking_record is None:
        raise fail("尚未登记信访人签署的息诉罢访承诺书（扫描件），不能拨付。", "undertaking")
    if data.method not in METHODS:
        raise fail("请选择拨付方式。", "method")
    if not data.reference.strip():
        raise fail("请填写转账流水号或收据编号。", "reference")
    if data.paid_on > today():
        raise fail("拨付日期不能晚于今天。", "paid_on")
    if data.paid_fen > app.unpaid_fen:
        raise fail(f"拨付金额不能超过尚未拨付的批准金额 {yuan(app.unpaid_fen)}。", "amount")
    att = store_scan(app, data.receipt, "receipt", "信访人签收的收据")
    row = Disbursement(
        application_id=app.id,
        amount_fen=data.paid_fen,
        paid_on=data.paid_on,
        method=data.method,
        reference=data.reference.strip(),
        payer_id=actor_id(),
        receipt_attachment_id=att.id,
        receipt_filename=att.filename,
        receipt_sha256=att.sha256,
    )
    db.session.add(row)
    app.paid_fen = (app.paid_fen or 0) + data.paid_fen
    app.paid_on = data.paid_on
    app.pay_method = data.method
    app.pay_reference = row.reference
    app.paid_by_id = row.payer_id
    if app.unpaid_fen == 0 or data.final:
        accounts.release(app.agency_id, app.year, app.unpaid_fen)
        app.state = "paid"
    app.updated_at = utcnow()
    db.session.flush()
    add_timeline_entry(
        app.matter,
        "note",
        "救助金已拨付" if app.state == "paid" else "救助金分期拨付",
        body=f"{yuan(data.paid_fen)}，{METHODS[data.method]}，{data.paid_on.isoformat()}",
    )
    record_audit(
        "stability_fund.pay",
        app,
        summary=f"{app.matter.number}：拨付救助金 {yuan(data.paid_fen)}",
        amount_fen=data.paid_fen,
        reference=row.reference,
    )
    return row


@transactional
def record_relation(app: ReliefApplication, user: User, relation: str) -> PersonRelation:
    """Record that ``user`` is the application's person or a relative (回避 from then on)."""
    if relation not in RELATIONS:
        raise fail("请选择关系。", "relation")
    if app.person_id is None:
        raise fail("该申请没有指明信访人。")
    row = PersonRelation(
        person_id=app.person_id, user_id=user.id, relation=relation, recorded_by_id=actor_id()
    )
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise fail("该工作人员与信访人的关系已登记。", "user_id") from exc
    record_audit(
        "stability_fund.relation",
        app,
        summary=f"{app.matter.number}：登记回避关系（{user.display_name}，{RELATIONS[relation]}）",
        user_id=user.id,
        relation=relation,
    )
    return row
