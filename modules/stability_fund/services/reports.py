"""Reports of an account and period (Excel and PDF) and the audit file of one application.

Every figure is summed in whole fen from the rows; the Excel cells hold yuan with two decimals
(written as ``Decimal``, so no float rounding enters) and a total row, the PDF the same table.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from core.api import Agency, Matter, db, render_pdf, utcnow

from ..models import KINDS, Disbursement, FundBudget, ReliefApplication
from ..money import yuan
from .accounts import paid_total
from .awards import earlier_awards

#: States of an application whose money is (or was) committed from its account.
_DRAWN = ("approved", "paid", "closed")


@dataclass
class Report:
    """The figures of one account for one period (all in fen)."""

    budget: FundBudget
    start: date | None
    end: date | None
    committed_fen: int = 0
    paid_fen: int = 0
    awards: int = 0
    #: (label, count, committed, paid) per relief kind and per unit of the matter.
    by_kind: list[tuple[str, int, int, int]] = field(default_factory=list)
    by_unit: list[tuple[str, int, int, int]] = field(default_factory=list)
    #: (paid_on, matter number, kind label, amount, method label, reference) per payment.
    payments: list[tuple[date, str, str, int, str, str]] = field(default_factory=list)

    @property
    def bounds(self) -> tuple[str, str]:
        """The period's first and last day (the account's year where not given)."""
        start = self.start.isoformat() if self.start else f"{self.budget.year}-01-01"
        end = self.end.isoformat() if self.end else f"{self.budget.year}-12-31"
        return start, end

    @property
    def period(self) -> str:
        return "{} 至 {}".format(*self.bounds)


def _committed(app: ReliefApplication) -> int:
    """What the application holds of its account: approved, or what was paid once finished."""
    return (app.approved_fen or 0) if app.state == "approved" else (app.paid_fen or 0)


def build(budget: FundBudget, start: date | None = None, end: date | None = None) -> Report:
    """The report of ``budget`` between ``start`` and ``end`` (each optional, inclusive).

    Committed: the applications drawn from the account whose chain ended in the period.
    Paid: the payments made in the period. The balance is the account's, as of now.
    """
    report = Report(budget, start, end)
    # The matter's unit is read past the record rules: the rows are those of an account the
    # user may see, and only the unit's name is shown.
    stmt = (
        select(ReliefApplication, Matter.number, Agency.name)
        .join(Matter, ReliefApplication.matter_id == Matter.id)
        .join(Agency, Matter.agency_id == Agency.id)
        .where(
            ReliefApplication.agency_id == budget.agency_id,
            ReliefApplication.year == budget.year,
            ReliefApplication.state.in_(_DRAWN),
        )
        .order_by(ReliefApplication.id)
        .execution_options(skip_record_rules=True)
    )
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    units: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    numbers: dict[int, tuple[str, str]] = {}
    for app, number, unit in db.session.execute(stmt).all():
        numbers[app.id] = (number, KINDS.get(app.kind, app.kind))
        decided = app.decided_at.date() if app.decided_at else None
        in_period = decided is not None and (start is None or decided >= start)
        in_period = in_period and (end is None or decided <= end)
        paid = sum(
            d.amount_fen
            for d in app.disbursements
            if (start is None or d.paid_on >= start) and (end is None or d.paid_on <= end)
        )
        committed = _committed(app) if in_period else 0
        if not (in_period or paid):
            continue
        for bucket in (kinds[KINDS.get(app.kind, app.kind)], units[unit]):
            bucket[0] += 1 if in_period else 0
            bucket[1] += committed
            bucket[2] += paid
        report.awards += 1 if in_period else 0
        report.committed_fen += committed
    report.by_kind = [(k, *v) for k, v in sorted(kinds.items())]
    report.by_unit = [(k, *v) for k, v in sorted(units.items())]
    pays = (
        select(Disbursement)
        .join(ReliefApplication)
        .where(
            ReliefApplication.agency_id == budget.agency_id,
            ReliefApplication.year == budget.year,
        )
    )
    if start is not None:
        pays = pays.where(Disbursement.paid_on >= start)
    if end is not None:
        pays = pays.where(Disbursement.paid_on <= end)
    for d in db.session.execute(pays.order_by(Disbursement.paid_on, Disbursement.id)).scalars():
        number, kind = numbers.get(d.application_id, ("", ""))
        report.payments.append((d.paid_on, number, kind, d.amount_fen, d.method_label, d.reference))
    report.paid_fen = paid_total(budget, start, end)
    return report


def _y(fen: int) -> Decimal:
    return Decimal(fen) / 100


def excel(report: Report) -> bytes:
    """The report as an .xlsx workbook: 汇总, 按类别, 按单位, 拨付明细 (amounts in yuan)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    money = "#,##0.00"
    b = report.budget
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    rows = [
        ("资金账户", f"{b.agency.name} {b.year} 年度"),
        ("期间", report.period),
        ("年度预算（元）", _y(b.budget_fen)),
        ("追加（元）", _y(b.added_fen)),
        ("上年结转（元）", _y(b.carried_in_fen)),
        ("本期批准（元）", _y(report.committed_fen)),
        ("本期拨付（元）", _y(report.paid_fen)),
        ("结转下年（元）", _y(b.carried_out_fen or 0)),
        ("账户余额（元）", _y(b.remaining_fen)),
        ("本期批准件数", report.awards),
    ]
    for row in rows:
        ws.append(row)
        if isinstance(row[1], Decimal):
            ws.cell(ws.max_row, 2).number_format = money
    for title, lines in (("按类别", report.by_kind), ("按单位", report.by_unit)):
        sheet = wb.create_sheet(title)
        sheet.append((title[1:], "件数", "批准（元）", "拨付（元）"))
        for label, count, committed, paid in lines:
            sheet.append((label, count, _y(committed), _y(paid)))
        sheet.append(
            (
                "合计",
                sum(x[1] for x in lines),
                _y(sum(x[2] for x in lines)),
                _y(sum(x[3] for x in lines)),
            )
        )
        for r in range(2, sheet.max_row + 1):
            for c in (3, 4):
                sheet.cell(r, c).number_format = money
    sheet = wb.create_sheet("拨付明细")
    sheet.append(("拨付日期", "信访件编号", "救助类别", "金额（元）", "方式", "流水号或收据编号"))
    for paid_on, number, kind, amount, method, ref in report.payments:
        sheet.append((paid_on, number, kind, _y(amount), method, ref))
    sheet.append(("合计", "", "", _y(sum(p[3] for p in report.payments)), "", ""))
    for r in range(2, sheet.max_row + 1):
        sheet.cell(r, 4).number_format = money
    for s in wb.worksheets:
        for cell in s[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def pdf(report: Report) -> bytes:
    """The report as a PDF (WeasyPrint, CJK font)."""
    return render_pdf(
        "stability_fund/pdf/report.html",
        {"r": report, "b": report.budget, "yuan": yuan, "printed": utcnow()},
    )


def audit_file(app: ReliefApplication) -> bytes:
    """The audit file of one application as one PDF.

    The application, the chain with its signatures, the undertaking, the payments and their
    receipts, and the timeline.
    """
    events: list[tuple[str, str, str]] = [
        (_ts(app.created_at), "填写救助申请", yuan(app.requested_fen))
    ]
    if app.submitted_at:
        events.append((_ts(app.submitted_at), "报审", ""))
    for s in app.steps:
        if s.acted_at:
            who = s.actor.display_name if s.actor else ""
            events.append((_ts(s.acted_at), f"{s.label}：{s.state_label}", who))
    u = app.undertaking_record
    if u is not None:
        events.append((_ts(u.created_at), f"登记{u.kind_label}", u.signed_on.isoformat()))
    for d in app.disbursements:
        events.append((_ts(d.created_at), "拨付", f"{yuan(d.amount_fen)} {d.reference}"))
    if app.closed_at:
        events.append((_ts(app.closed_at), "化解销号", f"监测期至 {app.monitoring_until}"))
    events.sort()
    return render_pdf(
        "stability_fund/pdf/audit_file.html",
        {
            "app": app,
            "matter": app.matter,
            "earlier": earlier_awards(app),
            "events": events,
            "yuan": yuan,
            "printed": utcnow(),
        },
    )


def _ts(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""
