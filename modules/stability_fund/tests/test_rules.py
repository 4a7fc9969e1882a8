"""Record rules, rights, amount validation and CSRF on the relief-fund pages."""

from __future__ import annotations

import pytest

from core.api import db, today
from modules.stability_fund.money import AmountError, parse_yuan, yuan
from modules.stability_fund.tests.fund import STAFF as FUND_STAFF
from modules.stability_fund.tests.fund import (
    application,
    create_via_form,
    get,
    models,
    setup_fund,
    step,
)
from tests.kit import (
    agency,
    form_token,
    matter_number,
)

#: The fund's staff (the shared test users have none), one in the neighbouring county.
STAFF = {**FUND_STAFF, "other_finance": ("邻县财务", "finance_officer", "OTHER")}


token = form_token


def test_other_county_sees_neither_matter_nor_application(app, as_user):
    matter_id = setup_fund(app, STAFF)
    fin = as_user("finance")
    assert create_via_form(fin, matter_number(app, matter_id)).status_code == 302
    app_id = application(app).id
    other = as_user("other_finance")
    assert other.get(f"/stability-fund/{app_id}").status_code == 404
    assert matter_number(app, matter_id) not in other.get("/stability-fund/?state=all").get_data(
        as_text=True
    )
    assert other.get(f"/stability-fund/new?matter_id={matter_id}").status_code == 404
    # Looked up by number under the record rules: not told whether it exists.
    resp = create_via_form(other, matter_number(app, matter_id))
    assert resp.status_code == 422 and "未找到该信访事项" in resp.get_data(as_text=True)
    assert step(other, app_id, "submit").status_code == 404


def test_rights(app, as_user):
    matter_id = setup_fund(app, STAFF)
    fin = as_user("finance")
    create_via_form(fin, matter_number(app, matter_id))
    app_id = application(app).id
    step(fin, app_id, "submit")
    # The finance officer prepares and pays but does not sign the unit leader's step.
    resp = step(fin, app_id, "sign", opinion="同意")
    assert resp.status_code == 422
    assert "您没有“申请单位负责人审核”的权限" in resp.get_data(as_text=True)
    with app.app_context():
        assert get(app_id).current_step.actor_id is None
    leader = as_user("leader")
    assert leader.get(f"/stability-fund/{app_id}").status_code == 200
    assert leader.get("/stability-fund/new").status_code == 403
    assert as_user("nobody").get("/stability-fund/").status_code == 403
    assert as_user("auditor").get("/stability-fund/budget").status_code == 200


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-100", "金额必须大于零"),
        ("0", "金额必须大于零"),
        ("abc", "金额格式不正确"),
        ("1e5", "金额格式不正确"),
        ("12.345", "最多保留两位小数"),
        ("", "请填写申请金额"),
    ],
)
def test_amount_validation_on_the_form(app, as_user, amount, message):
    matter_id = setup_fund(app, STAFF)
    fin = as_user("finance")
    resp = create_via_form(fin, matter_number(app, matter_id), amount=amount)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and message in html
    assert "Traceback" not in html


def test_parse_and_show_amounts():
    assert parse_yuan("3000") == 300000
    assert parse_yuan("1,234.5") == 123450
    assert parse_yuan("¥0.01") == 1
    for bad in ("-1", "1.001", "x", "1,23", "nan", "inf"):
        with pytest.raises(AmountError):
            parse_yuan(bad)
    assert yuan(123450) == "¥1,234.50" and yuan(5) == "¥0.05"


def test_forms_carry_csrf_and_refuse_posts_without_it(app, as_user):
    matter_id = setup_fund(app, STAFF)
    fin = as_user("finance")
    for url in ("/stability-fund/new", "/stability-fund/budget"):
        assert token(fin.get(url).get_data(as_text=True))
    create_via_form(fin, matter_number(app, matter_id))
    app_id = application(app).id
    assert 'name="csrf_token"' in fin.get(f"/stability-fund/{app_id}").get_data(as_text=True)
    resp = fin.post(f"/stability-fund/{app_id}/submit", data={"version": "1"})
    assert resp.status_code == 400
    assert application(app).state == "draft"


def test_budget_page_sets_budget_and_refuses_below_committed(app, as_user):
    setup_fund(app, STAFF, budget_fen=None)
    fin = as_user("finance")
    with app.app_context():
        xfj = agency("XFJ").id
    html = fin.get("/stability-fund/budget").get_data(as_text=True)
    data = {"csrf_token": token(html), "agency_id": xfj, "year": today().year, "note": "县财政"}
    resp = fin.post("/stability-fund/budget", data={**data, "amount": "50,000"})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    page = fin.get("/stability-fund/budget").get_data(as_text=True)
    assert "¥50,000.00" in page
    resp = fin.post("/stability-fund/budget", data={**data, "amount": "5.555"})
    assert resp.status_code == 422 and "最多保留两位小数" in resp.get_data(as_text=True)
    # Approvers see budgets but do not set them.
    appr = as_user("approver")
    html = appr.get("/stability-fund/budget").get_data(as_text=True)
    assert 'id="budget-form"' not in html
    resp = appr.post(
        "/stability-fund/budget", data={**data, "csrf_token": token(html), "amount": "1"}
    )
    assert resp.status_code == 403
    with app.app_context():
        from sqlalchemy import select

        assert db.session.execute(select(models.FundBudget.amount_fen)).scalar_one() == 5_000_000
