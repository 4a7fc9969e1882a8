"""Accounts (top-ups, carry-over), the reports as Excel and PDF, and the audit file.

The PDFs' Chinese text is read back with ``pdftotext``; the Excel opens with openpyxl; every
sum matches the payments to the fen.
"""

from __future__ import annotations

import io
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from core.api import db, today
from modules.stability_fund.tests.fund import (
    get,
    models,
    pay_as,
    run_chain,
    setup_fund,
    submitted,
    svc,
    undertake,
)
from tests.kit import agency, as_, audit_actions, form_token, fresh, register


def _text(pdf: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    # Table cells wrap and headings are spaced out: compare without any whitespace.
    return "".join(out.stdout.decode("utf-8").split())


@pytest.fixture
def books(app):
    """A ¥100,000 account plus a ¥5,000 top-up; two awards paid in three instalments."""
    matter_id = setup_fund(app)
    with app.app_context():
        xfj = agency("XFJ").id
        with as_("finance"):
            svc.top_up(xfj, today().year, 500_000, "县财政追加（县财指〔2026〕8号）", today())
        first = submitted(fresh(matter_id), 300_050)
        second = submitted(register(), 200_000, kind="judicial")
        for app_id in (first, second):
            run_chain(app_id)
            undertake(app_id)
        pay_as(first, "cashier", 100_025, ref="TX-1")
        pay_as(first, "cashier", 200_025, ref="TX-2")
        pay_as(second, "cashier", 123_456, final=True, ref="TX-3")
        db.session.remove()
    return {"first": first, "second": second, "matter_id": matter_id}


def _report():
    from modules.stability_fund.services import reports

    budget = db.session.execute(select(models.FundBudget)).scalar_one()
    return reports, reports.build(budget)


def test_account_figures_and_report_totals_to_the_fen(app, books):
    with app.app_context():
        _reports, r = _report()
        b = r.budget
        assert (b.budget_fen, b.added_fen, b.amount_fen) == (10_000_000, 500_000, 10_500_000)
        # The second award's unpaid rest went back: committed is what is held or was paid.
        assert b.committed_fen == 300_050 + 123_456
        assert r.paid_fen == r.committed_fen == 423_506
        assert sum(p[3] for p in r.payments) == 423_506
        assert b.remaining_fen == 10_500_000 - 423_506
        assert {k: (n, c, p) for k, n, c, p in r.by_kind} == {
            "信访救助": (1, 300_050, 300_050),
            "司法救助": (1, 123_456, 123_456),
        }
        assert [(u, n) for u, n, _c, _p in r.by_unit] == [("县信访局", 2)]


def test_excel_report_opens_and_its_sums_match(app, books):
    with app.app_context():
        reports, r = _report()
        wb = load_workbook(io.BytesIO(reports.excel(r)))
    summary = {row[0]: row[1] for row in wb["汇总"].iter_rows(values_only=True)}
    assert Decimal(str(summary["本期拨付（元）"])) == Decimal("4235.06")
    assert Decimal(str(summary["账户余额（元）"])) == Decimal("100764.94")
    rows = list(wb["拨付明细"].iter_rows(values_only=True))
    amounts = [round(Decimal(str(row[3])) * 100) for row in rows[1:-1]]
    assert amounts == [100_025, 200_025, 123_456]
    assert rows[-1][0] == "合计" and round(Decimal(str(rows[-1][3])) * 100) == sum(amounts)
    kinds = list(wb["按类别"].iter_rows(values_only=True))
    assert round(Decimal(str(kinds[-1][3])) * 100) == 423_506


def test_pdf_report_and_audit_file_read_back(app, books, as_user):
    fin = as_user("finance")
    with app.app_context():
        budget_id = db.session.execute(select(models.FundBudget.id)).scalar_one()
    resp = fin.get(f"/stability-fund/reports?budget_id={budget_id}&format=pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    text = _text(resp.data)
    assert "救助资金报表" in text and "县信访局" in text
    assert "¥4,235.06" in text and "TX-3" in text and "司法救助" in text
    resp = fin.get(f"/stability-fund/reports?budget_id={budget_id}&format=xlsx")
    assert resp.status_code == 200
    assert load_workbook(io.BytesIO(resp.data)).sheetnames == [
        "汇总",
        "按类别",
        "按单位",
        "拨付明细",
    ]

    resp = fin.get(f"/stability-fund/{books['first']}/audit-file.pdf")
    assert resp.status_code == 200
    text = _text(resp.data)
    for expected in (
        "信访救助审计档案",
        "申请单位负责人审核",
        "联席会议办公室审核",
        "联席会议审批",
        "财政核拨",
        "信访局负责人",
        "联席会议审批人",
        "息诉罢访承诺书",
        "收据.png",
        "¥3,000.50",
        "办理经过",
    ):
        assert expected in text, expected
    with app.app_context():
        sha = get(books["first"]).steps[0].seen_sha256
        assert {"stability_fund.report", "stability_fund.audit_file"} <= audit_actions()
    assert sha in text
    # Reports are for finance, approvers and auditors: not for whoever only views.
    assert (
        as_user("unit_head").get(f"/stability-fund/{books['first']}/audit-file.pdf").status_code
        == 403
    )


def test_carry_over_moves_the_balance_to_next_year(app, books):
    year = today().year
    with app.app_context():
        xfj = agency("XFJ").id
        with as_("finance"):
            moved = svc.carry_over(xfj, year)
            with pytest.raises(svc.FundError) as exc:
                svc.carry_over(xfj, year)
        assert str(exc.value) == f"{year} 年度账户没有结余可结转。"
        db.session.expire_all()
        old, new = db.session.execute(
            select(models.FundBudget).order_by(models.FundBudget.year)
        ).scalars()
        assert moved == 10_500_000 - 423_506
        assert (old.remaining_fen, old.carried_out_fen) == (0, moved)
        assert (new.year, new.carried_in_fen, new.budget_fen, new.remaining_fen) == (
            year + 1,
            moved,
            0,
            moved,
        )


def test_report_and_account_pages(app, books, as_user):
    fin = as_user("finance")
    with app.app_context():
        budget_id = db.session.execute(select(models.FundBudget.id)).scalar_one()
        xfj = agency("XFJ").id
    assert fin.get("/stability-fund/reports").status_code == 200
    html = fin.get(f"/stability-fund/reports?budget_id={budget_id}").get_data(as_text=True)
    assert "¥4,235.06" in html and 'id="xlsx-link"' in html
    assert fin.get("/stability-fund/reports?budget_id=x").status_code == 422
    # A top-up through the accounts page needs its source.
    page = fin.get("/stability-fund/budget").get_data(as_text=True)
    data = {
        "csrf_token": form_token(page),
        "which": "topup",
        "agency_id": xfj,
        "year": today().year,
        "amount": "1,000.01",
        "topped_on": today().isoformat(),
    }
    resp = fin.post("/stability-fund/budget", data={**data, "source": ""})
    assert resp.status_code == 422 and "请填写追加资金的来源" in resp.get_data(as_text=True)
    resp = fin.post("/stability-fund/budget", data={**data, "source": "县财政追加二号"})
    assert resp.status_code == 302
    page = fin.get("/stability-fund/budget").get_data(as_text=True)
    assert "县财政追加二号" in page and "¥6,000.01" in page
