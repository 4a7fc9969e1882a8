"""Business rules of the relief fund (信访救助).

Each public function that writes is one unit of work (``transactional``): it changes the rows,
writes the matter's timeline and the audit log, and commits with them (or joins the action that
called it) — or raises ``FundError`` / ``StaleEdit``, and the unit of work rolls everything back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from core.api import (
    ActionRefused,
    Matter,
    add_timeline_entry,
    check_version,
    current_actor,
    db,
    record_audit,
    today,
    transactional,
    utcnow,
)

from .models import KINDS, METHODS, FundBudget, ReliefApplication
from .money import yuan

# States in which an application still counts as "the" relief of its matter (一次性救助).
LIVE_STATES = ("draft", "submitted", "approved", "paid")


class FundError(ActionRefused):
    """A refused action; ``errors`` maps form fields to Chinese messages."""


def setting(key: str) -> Any:
    """A module setting: ``STABILITY_FUND_<KEY>`` in the app config overrides the manifest."""
    from .module import manifest

    return current_app.config.get(f"STABILITY_FUND_{key.upper()}", manifest.settings[key])


def seed() -> None:
    """Nothing to seed: budgets are set by finance officers on the budget page."""


def _fail(message: str, field: str | None = None) -> FundError:
    """The refusal to raise (the unit of work rolls back whatever the action wrote)."""
    return FundError(message, {field: message} if field else {})


def _actor_id() -> int | None:
    actor = current_actor()
    return actor.id if actor is not None else None


# --- applications -----------------------------------------------------------------------------


@dataclass
class ApplicationInput:
    kind: str
    requested_fen: int
    reason: str
    hardship: str
    undertaking: bool = False


@transactional
def create(matter: Matter, data: ApplicationInput) -> ReliefApplication:
    """A draft application for ``matter`` (already fetched through the record rules)."""
    if data.kind not in KINDS:
        raise _fail("请选择救助类别。", "kind")
    cap = int(setting("case_cap_yuan") or 0) * 100
    if cap and data.requested_fen > cap:
        raise _fail(f"申请金额超过每案救助上限 {yuan(cap)}。", "amount")
    if not data.reason.strip():
        raise _fail("请填写申请理由。", "reason")
    if not data.hardship.strip():
        raise _fail("请填写信访人生活困难情况。", "hardship")
    # 一次性救助: never a second live application for the same matter.
    existing = db.session.execute(
        select(ReliefApplication.id).where(
            ReliefApplication.matter_id == matter.id, ReliefApplication.state.in_(LIVE_STATES)
        )
    ).first()
    if existing is not None:
        raise _fail("该信访事项已有救助申请（一事一报、一次性救助），不能重复申请。")
    if matter.repeat_of_id is not None and _relieved(matter.repeat_of_id):
        # A repeat petition is the same case: relief is given once (一次性救助).
        raise _fail("该事项为重复信访，原信访事项已获批准救助，不能再次申请。")
    actor = current_actor()
    app = ReliefApplication(
        matter_id=matter.id,
        matter=matter,
        kind=data.kind,
        state="draft",
        requested_fen=data.requested_fen,
        reason=data.reason.strip(),
        hardship=data.hardship.strip(),
        undertaking=data.undertaking,
        prepared_by_id=actor.id if actor else None,
        agency_id=actor.agency_id if actor else matter.agency_id,
    )
    db.session.add(app)
    db.session.flush()
    add_timeline_entry(
        matter, "note", "救助申请", body=f"{app.kind_label} 申请 {yuan(app.requested_fen)}"
    )
    record_audit(
        "stability_fund.create",
        app,
        summary=f"{matter.number}：填写救助申请 {yuan(app.requested_fen)}",
        amount_fen=app.requested_fen,
    )
    return app


def _relieved(matter_id: int) -> bool:
    """Whether relief was approved or paid on ``matter_id``, by any agency (a yes/no only)."""
    return (
        db.session.execute(
            select(ReliefApplication.id)
            .where(
                ReliefApplication.matter_id == matter_id,
                ReliefApplication.state.in_(("approved", "paid")),
            )
            .execution_options(skip_record_rules=True)  # one-time across agencies
        ).first()
        is not None
    )


def _expect(app: ReliefApplication, version: Any, *states: str) -> None:
    check_version(app, version)
    if app.state not in states:
        raise _fail(f"该申请当前状态为“{app.state_label}”，不能进行此操作。")


@transactional
def submit(app: ReliefApplication, version: Any) -> None:
    """Draft → submitted (报审)."""
    _expect(app, version, "draft")
    app.state = "submitted"
    app.submitted_at = utcnow()
    add_timeline_entry(app.matter, "note", "救助申请报审", body=yuan(app.requested_fen))
    record_audit("stability_fund.submit", app, summary=f"{app.matter.number}：救助申请报审")


@transactional
def cancel(app: ReliefApplication, version: Any, note: str = "") -> None:
    """Draft, submitted or approved (not yet paid) → cancelled (撤销).

    An approved application gives its amount back to the budget, and needs a reason.
    """
    _expect(app, version, "draft", "submitted", "approved")
    if app.state == "approved":
        if not note.strip():
            raise _fail("撤销已批准的申请须说明理由。", "note")
        db.session.execute(
            update(FundBudget)
            .where(FundBudget.agency_id == app.agency_id, FundBudget.year == app.year)
            .values(
                committed_fen=FundBudget.committed_fen - (app.approved_fen or 0),
                updated_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        )
    app.state = "cancelled"
    app.decision_note = note.strip()
    add_timeline_entry(app.matter, "note", "撤销救助申请", body=note.strip())
    record_audit("stability_fund.cancel", app, summary=f"{app.matter.number}：撤销救助申请")


def _two_person_rule(app: ReliefApplication) -> None:
    # 管用分离: whoever prepared the application may not decide on it.
    if app.prepared_by_id is not None and app.prepared_by_id == _actor_id():
        raise _fail("不能审批本人填写的救助申请（须由另一人审批）。")


def approve(app: ReliefApplication, version: Any, amount_fen: int, note: str = "") -> None:
    """Submitted → approved, taking ``amount_fen`` from the agency's budget of this year.

    The budget row is changed by one conditional UPDATE (``remaining ≥ amount``): the database
    locks the row, and a second approval running at the same time re-checks the condition after
    the first commits, so together they can never overspend. Refused → nothing is written.
    """
    # The agency is read here, outside the unit of work, so that the budget write is the first
    # statement of an attempt the unit of work makes again (see ``_approve``).
    _approve(app, app.agency_id, version, amount_fen, note)


@transactional
def _approve(
    app: ReliefApplication, agency_id: int, version: Any, amount_fen: int, note: str
) -> None:
    # The budget write comes before anything else the action reads. On PostgreSQL it locks the
    # row (a second approval waits here and then re-checks the condition). On SQLite, a
    # transaction that had read before (the page's own read) fails to take the write lock when
    # another approval holds it or committed meanwhile ("database is locked"); the unit of work
    # rolls back and runs this again in a fresh transaction, whose first statement this is, so
    # it waits for the lock (busy_timeout). The checks below then see the application as it is
    # now (it was expired by that rollback; otherwise its version column catches a change made
    # since it was read), and a refusal rolls the budget write back with everything else.
    year = today().year
    taken = db.session.execute(
        update(FundBudget)
        .where(
            FundBudget.agency_id == agency_id,
            FundBudget.year == year,
            FundBudget.amount_fen - FundBudget.committed_fen >= amount_fen,
        )
        .values(committed_fen=FundBudget.committed_fen + amount_fen, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    _expect(app, version, "submitted")
    _two_person_rule(app)
    if amount_fen > app.requested_fen:
        raise _fail("批准金额不能超过申请金额。", "amount")
    if taken.rowcount != 1:
        budget = _budget(agency_id, year)
        if budget is None:
            raise _fail(f"本单位未设置 {year} 年度救助资金额度。", "amount")
        raise _fail(f"超出年度剩余额度（剩余 {yuan(budget.remaining_fen)}）。", "amount")
    app.state = "approved"
    app.year = year
    app.approved_fen = amount_fen
    app.decided_by_id = _actor_id()
    app.decided_at = utcnow()
    app.decision_note = note.strip()
    add_timeline_entry(
        app.matter, "note", "批准救助", body=f"批准 {yuan(amount_fen)}。{note.strip()}"
    )
    record_audit(
        "stability_fund.approve",
        app,
        summary=f"{app.matter.number}：批准救助 {yuan(amount_fen)}",
        amount_fen=amount_fen,
        year=year,
    )


@transactional
def reject(app: ReliefApplication, version: Any, note: str) -> None:
    """Submitted → rejected, with the reason (不予批准的理由)."""
    _expect(app, version, "submitted")
    _two_person_rule(app)
    if not note.strip():
        raise _fail("请填写不予批准的理由。", "note")
    app.state = "rejected"
    app.decided_by_id = _actor_id()
    app.decided_at = utcnow()
    app.decision_note = note.strip()
    add_timeline_entry(app.matter, "note", "不予批准救助", body=note.strip())
    record_audit(
        "stability_fund.reject", app, summary=f"{app.matter.number}：不予批准救助", reason=note
    )


@dataclass
class PaymentInput:
    paid_fen: int
    paid_on: date
    method: str
    reference: str
    undertaking: bool = False


@transactional
def pay(app: ReliefApplication, version: Any, data: PaymentInput) -> None:
    """Approved → paid (拨付登记). What is approved but not paid goes back to the budget."""
    _expect(app, version, "approved")
    if data.method not in METHODS:
        raise _fail("请选择拨付方式。", "method")
    if not data.reference.strip():
        raise _fail("请填写转账流水号或收据编号。", "reference")
    if data.paid_on > today():
        raise _fail("拨付日期不能晚于今天。", "paid_on")
    assert app.approved_fen is not None
    if data.paid_fen > app.approved_fen:
        raise _fail(f"拨付金额不能超过批准金额 {yuan(app.approved_fen)}。", "amount")
    if not (app.undertaking or data.undertaking):
        # 拉萨市实施细则第7条第3项: no payment without the signed undertaking.
        raise _fail("信访人尚未签署息诉罢访承诺书，不能拨付。", "undertaking")
    unused = app.approved_fen - data.paid_fen
    if unused:
        db.session.execute(
            update(FundBudget)
            .where(FundBudget.agency_id == app.agency_id, FundBudget.year == app.year)
            .values(committed_fen=FundBudget.committed_fen - unused, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    app.state = "paid"
    app.undertaking = True
    app.paid_fen = data.paid_fen
    app.paid_on = data.paid_on
    app.pay_method = data.method
    app.pay_reference = data.reference.strip()
    app.paid_by_id = _actor_id()
    add_timeline_entry(
        app.matter,
        "note",
        "救助金已拨付",
        body=f"{yuan(data.paid_fen)}，{METHODS[data.method]}，{data.paid_on.isoformat()}",
    )
    record_audit(
        "stability_fund.pay",
        app,
        summary=f"{app.matter.number}：拨付救助金 {yuan(data.paid_fen)}",
        amount_fen=data.paid_fen,
        reference=app.pay_reference,
    )


# --- budgets ----------------------------------------------------------------------------------


def _budget(agency_id: int, year: int) -> FundBudget | None:
    return db.session.execute(
        select(FundBudget).where(FundBudget.agency_id == agency_id, FundBudget.year == year)
    ).scalar_one_or_none()


@transactional
def set_budget(agency_id: int, year: int, amount_fen: int, note: str = "") -> FundBudget:
    """Set (or change) an agency's budget for ``year``; never below what is already approved."""
    if not 2000 <= year <= 2100:
        raise _fail("年度不正确。", "year")
    budget = _budget(agency_id, year)
    if budget is None:
        budget = FundBudget(agency_id=agency_id, year=year, amount_fen=0, committed_fen=0)
        db.session.add(budget)
        old = 0
    else:
        old = budget.amount_fen
    # The same conditional write as an approval, so a budget cut racing an approval loses.
    if budget.id is not None:
        changed = db.session.execute(
            update(FundBudget)
            .where(FundBudget.id == budget.id, FundBudget.committed_fen <= amount_fen)
            .values(amount_fen=amount_fen, note=note.strip(), updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if changed.rowcount != 1:
            raise _fail(f"额度不能低于已批准金额 {yuan(budget.committed_fen)}。", "amount")
    else:
        budget.amount_fen = amount_fen
        budget.note = note.strip()
        try:
            db.session.flush()
        except IntegrityError as exc:  # someone created the same year's budget just now
            raise _fail("该单位该年度的额度刚被他人设置，请刷新页面后重试。") from exc
    record_audit(
        "stability_fund.budget",
        budget,
        summary=f"{year} 年度救助资金额度：{yuan(old)} → {yuan(amount_fen)}",
        year=year,
        amount_fen=amount_fen,
    )
    # An existing budget was changed by the conditional UPDATE, which left the object's values
    # behind: they are read again when used.
    db.session.expire(budget)
    return budget


def budgets(year: int | None = None) -> list[FundBudget]:
    """The budgets the user may see (record rules), newest year first."""
    stmt = select(FundBudget).order_by(FundBudget.year.desc(), FundBudget.agency_id)
    if year is not None:
        stmt = stmt.where(FundBudget.year == year)
    return list(db.session.execute(stmt).scalars())


def paid_total(budget: FundBudget) -> int:
    """What has actually been paid out of ``budget``."""
    total = db.session.execute(
        select(func.coalesce(func.sum(ReliefApplication.paid_fen), 0)).where(
            ReliefApplication.agency_id == budget.agency_id,
            ReliefApplication.year == budget.year,
            ReliefApplication.state == "paid",
        )
    ).scalar_one()
    return int(total)
