"""Fund accounts (资金账户) per agency and year: budget, top-ups, carry-over, the balance.

The balance (``amount − committed − carried_out``) only changes through conditional UPDATEs
(``… WHERE balance >= x``): the database locks the row and checks the condition again after a
concurrent writer commits, so approvals, carry-overs and budget cuts racing each other can never
take an account below zero.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from core.api import db, record_audit, today, transactional, utcnow

from ..models import Disbursement, FundBudget, ReliefApplication, TopUp
from ..money import yuan
from .common import actor_id, fail

_BALANCE = FundBudget.amount_fen - FundBudget.committed_fen - FundBudget.carried_out_fen


def account(agency_id: int, year: int) -> FundBudget | None:
    """The account of ``agency_id`` for ``year`` (through the record rules)."""
    return db.session.execute(
        select(FundBudget).where(FundBudget.agency_id == agency_id, FundBudget.year == year)
    ).scalar_one_or_none()


def take(agency_id: int, year: int, amount_fen: int) -> bool:
    """Commit ``amount_fen`` from the account if its balance allows: one conditional UPDATE."""
    taken = db.session.execute(
        update(FundBudget)
        .where(
            FundBudget.agency_id == agency_id,
            FundBudget.year == year,
            amount_fen <= _BALANCE,
        )
        .values(committed_fen=FundBudget.committed_fen + amount_fen, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return taken.rowcount == 1


def release(agency_id: int, year: int, amount_fen: int) -> None:
    """Give ``amount_fen`` of a commitment back to the account (cancelled or not paid out)."""
    if amount_fen:
        db.session.execute(
            update(FundBudget)
            .where(FundBudget.agency_id == agency_id, FundBudget.year == year)
            .values(committed_fen=FundBudget.committed_fen - amount_fen, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )


def _get_or_create(agency_id: int, year: int) -> FundBudget:
    budget = account(agency_id, year)
    if budget is None:
        budget = FundBudget(
            agency_id=agency_id, year=year, amount_fen=0, committed_fen=0, carried_out_fen=0
        )
        db.session.add(budget)
        try:
            db.session.flush()
        except IntegrityError as exc:  # someone created the same year's account just now
            raise fail("该单位该年度的资金账户刚被他人设立，请刷新页面后重试。") from exc
    return budget


@transactional
def set_budget(agency_id: int, year: int, amount_fen: int, note: str = "") -> FundBudget:
    """Set (or change) the year's own budget of an agency; top-ups and carry-in stay on top.

    Never below what is committed or carried on: the same conditional write as an approval, so
    a budget cut racing an approval loses.
    """
    if not 2000 <= year <= 2100:
        raise fail("年度不正确。", "year")
    budget = _get_or_create(agency_id, year)
    old = budget.budget_fen
    total = amount_fen + (budget.amount_fen - old)
    changed = db.session.execute(
        update(FundBudget)
        .where(
            FundBudget.id == budget.id,
            FundBudget.committed_fen + FundBudget.carried_out_fen <= total,
        )
        .values(amount_fen=total, note=note.strip(), updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        raise fail(f"额度不能低于已批准和已结转的金额 {yuan(budget.committed_fen)}。", "amount")
    record_audit(
        "stability_fund.budget",
        budget,
        summary=f"{year} 年度救助资金预算：{yuan(old)} → {yuan(amount_fen)}",
        year=year,
        amount_fen=amount_fen,
    )
    # The conditional UPDATE left the object's values behind: they are read again when used.
    db.session.expire(budget)
    return budget


@transactional
def top_up(agency_id: int, year: int, amount_fen: int, source: str, on: date) -> TopUp:
    """Add money to an account with its source (追加资金：来源、文号)."""
    if not source.strip():
        raise fail("请填写追加资金的来源（如批准文号）。", "source")
    if on > today():
        raise fail("日期不能晚于今天。", "topped_on")
    budget = _get_or_create(agency_id, year)
    db.session.execute(
        update(FundBudget)
        .where(FundBudget.id == budget.id)
        .values(amount_fen=FundBudget.amount_fen + amount_fen, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    row = TopUp(
        budget_id=budget.id,
        kind="topup",
        amount_fen=amount_fen,
        source=source.strip(),
        topped_on=on,
        by_id=actor_id(),
    )
    db.session.add(row)
    db.session.flush()
    record_audit(
        "stability_fund.topup",
        budget,
        summary=f"{year} 年度救助资金追加 {yuan(amount_fen)}（{source.strip()}）",
        amount_fen=amount_fen,
        source=source.strip(),
    )
    db.session.expire(budget)
    return row


@transactional
def carry_over(agency_id: int, year: int) -> int:
    """Carry the balance of ``year`` on to ``year + 1`` (结转); returns the amount carried.

    The old account keeps what it carried out (``carried_out_fen``), the new one gets a
    ``carry_in`` top-up: the two books agree to the fen.
    """
    budget = account(agency_id, year)
    if budget is None:
        raise fail(f"本单位没有 {year} 年度资金账户。")
    amount = budget.remaining_fen
    if amount <= 0:
        raise fail(f"{year} 年度账户没有结余可结转。")
    moved = db.session.execute(
        update(FundBudget)
        .where(FundBudget.id == budget.id, amount <= _BALANCE)
        .values(carried_out_fen=FundBudget.carried_out_fen + amount, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        raise fail("账户余额刚被他人改变，请刷新页面后重试。")
    nxt = _get_or_create(agency_id, year + 1)
    db.session.execute(
        update(FundBudget)
        .where(FundBudget.id == nxt.id)
        .values(amount_fen=FundBudget.amount_fen + amount, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.add(
        TopUp(
            budget_id=nxt.id,
            kind="carry_in",
            amount_fen=amount,
            source=f"{year} 年度结余结转",
            topped_on=today(),
            by_id=actor_id(),
        )
    )
    db.session.flush()
    record_audit(
        "stability_fund.carry_over",
        budget,
        summary=f"{year} 年度结余 {yuan(amount)} 结转至 {year + 1} 年度",
        amount_fen=amount,
    )
    db.session.expire(budget)
    db.session.expire(nxt)
    return amount


def budgets(year: int | None = None) -> list[FundBudget]:
    """The accounts the user may see (record rules), newest year first."""
    stmt = select(FundBudget).order_by(FundBudget.year.desc(), FundBudget.agency_id)
    if year is not None:
        stmt = stmt.where(FundBudget.year == year)
    return list(db.session.execute(stmt).scalars())


def paid_total(budget: FundBudget, start: date | None = None, end: date | None = None) -> int:
    """What has been paid out of ``budget`` (optionally between ``start`` and ``end``)."""
    stmt = (
        select(func.coalesce(func.sum(Disbursement.amount_fen), 0))
        .join(ReliefApplication, Disbursement.application_id == ReliefApplication.id)
        .where(
            ReliefApplication.agency_id == budget.agency_id,
            ReliefApplication.year == budget.year,
        )
    )
    if start is not None:
        stmt = stmt.where(Disbursement.paid_on >= start)
    if end is not None:
        stmt = stmt.where(Disbursement.paid_on <= end)
    return int(db.session.execute(stmt).scalar_one())
