"""The relief fund end to end: draft → submitted → approved → paid, and what is refused."""

from __future__ import annotations

from sqlalchemy import select

from core.api import db
from modules.stability_fund.tests.fund import application, create_via_form, models, setup_fund, step
from tests.kit import (
    AuditEvent,
    audit_actions,
    matter_number,
    register,
    timeline_titles,
)

#: The fund's staff (the shared test users have none).
STAFF = {
    "finance": ("财务小刘", "finance_officer", "XFJ"),
    "approver": ("审批人老陈", "fund_approver", "XFJ"),
    "both": ("兼任财务审批", ("finance_officer", "fund_approver"), "XFJ"),
}


FUND_EVENTS = AuditEvent.action.like("stability_fund.%")


def _draft(app, as_user, **data):
    matter_id = setup_fund(
        app, STAFF, **({} if "budget_fen" not in data else {"budget_fen": data.pop("budget_fen")})
    )
    fin = as_user("finance")
    resp = create_via_form(fin, matter_number(app, matter_id), **data)
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    return matter_id, fin, application(app).id


def _budget(app):
    with app.app_context():
        b = db.session.execute(select(models.FundBudget)).scalar_one()
        return b.amount_fen, b.committed_fen


def test_full_flow_draft_submitted_approved_paid(app, as_user):
    matter_id, fin, app_id = _draft(app, as_user)
    a = application(app)
    assert a.state == "draft" and a.requested_fen == 300050
    assert step(fin, app_id, "submit").status_code == 302
    assert application(app).state == "submitted"

    approver = as_user("approver")
    page = approver.get(f"/stability-fund/{app_id}").get_data(as_text=True)
    assert "¥3,000.50" in page and 'id="approve-form"' in page
    resp = step(approver, app_id, "approve", amount="3000", note="同意救助")
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    a = application(app)
    assert a.state == "approved" and a.approved_fen == 300000
    assert _budget(app) == (10_000_000, 300000)

    resp = step(
        fin,
        app_id,
        "pay",
        amount="2500.00",
        paid_on=a.created_at.date().isoformat(),
        method="transfer",
        reference="TX20261126001",
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    a = application(app)
    assert a.state == "paid" and a.paid_fen == 250000 and a.pay_reference == "TX20261126001"
    # What was approved but not paid goes back to the budget.
    assert _budget(app) == (10_000_000, 250000)
    budget_page = fin.get("/stability-fund/budget").get_data(as_text=True)
    assert "¥100,000.00" in budget_page and "¥97,500.00" in budget_page

    with app.app_context():
        actions = audit_actions(like="stability_fund.%")
        assert {"stability_fund.create", "stability_fund.submit"} <= actions
        assert {"stability_fund.approve", "stability_fund.pay"} <= actions
        titles = set(timeline_titles(matter_id))
        assert {"救助申请", "批准救助", "救助金已拨付"} <= titles
    listing = fin.get("/stability-fund/?state=paid").get_data(as_text=True)
    assert matter_number(app, matter_id) in listing


def test_reject_needs_a_reason_and_is_recorded(app, as_user):
    _matter_id, fin, app_id = _draft(app, as_user)
    step(fin, app_id, "submit")
    approver = as_user("approver")
    resp = step(approver, app_id, "reject", note="")
    assert resp.status_code == 422 and "请填写不予批准的理由" in resp.get_data(as_text=True)
    assert step(approver, app_id, "reject", note="不符合救助条件").status_code == 302
    a = application(app)
    assert a.state == "rejected" and a.decision_note == "不符合救助条件"


def test_approver_cannot_approve_own_application(app, as_user):
    matter_id = setup_fund(app, STAFF)
    both = as_user("both")
    assert create_via_form(both, matter_number(app, matter_id)).status_code == 302
    app_id = application(app).id
    step(both, app_id, "submit")
    page = both.get(f"/stability-fund/{app_id}").get_data(as_text=True)
    assert "须由另一名审批人审批" in page
    resp = step(both, app_id, "approve", amount="3000")
    assert resp.status_code == 422
    assert "不能审批本人填写的救助申请" in resp.get_data(as_text=True)
    assert application(app).state == "submitted"
    assert _budget(app)[1] == 0
    assert step(both, app_id, "reject", note="x").status_code == 422


def test_over_budget_refused_and_nothing_written(app, as_user):
    _matter_id, fin, app_id = _draft(app, as_user, budget_fen=200000)
    step(fin, app_id, "submit")
    before = application(app)
    with app.app_context():
        audits = db.session.execute(select(AuditEvent.id).where(FUND_EVENTS)).all()
    resp = step(as_user("approver"), app_id, "approve", amount="3000.50")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "超出年度剩余额度" in html and "¥2,000.00" in html
    after = application(app)
    assert after.state == "submitted" and after.version == before.version
    assert _budget(app) == (200000, 0)
    with app.app_context():
        assert db.session.execute(select(AuditEvent.id).where(FUND_EVENTS)).all() == audits
    # Within the remaining budget it goes through.
    assert step(as_user("approver"), app_id, "approve", amount="2000").status_code == 302


def test_no_budget_for_the_year_refused(app, as_user):
    _matter_id, fin, app_id = _draft(app, as_user, budget_fen=None)
    step(fin, app_id, "submit")
    resp = step(as_user("approver"), app_id, "approve", amount="100")
    assert resp.status_code == 422 and "未设置" in resp.get_data(as_text=True)


def test_stale_edit_refused(app, as_user):
    _matter_id, fin, app_id = _draft(app, as_user)
    old = application(app).version
    assert step(fin, app_id, "submit").status_code == 302
    resp = step(as_user("approver"), app_id, "approve", amount="3000", version=str(old))
    assert resp.status_code == 409 and "已被他人修改" in resp.get_data(as_text=True)
    assert application(app).state == "submitted" and _budget(app)[1] == 0


def test_payment_rules(app, as_user):
    _matter_id, fin, app_id = _draft(app, as_user, undertaking="")
    step(fin, app_id, "submit")
    step(as_user("approver"), app_id, "approve", amount="3000")
    day = application(app).created_at.date().isoformat()
    base = {"paid_on": day, "method": "cash", "reference": "收据0001"}
    resp = step(fin, app_id, "pay", amount="3000", **{**base, "paid_on": "昨天"})
    assert resp.status_code == 422 and "Traceback" not in resp.get_data(as_text=True)
    resp = step(fin, app_id, "pay", amount="3000", **{**base, "method": "cheque"})
    assert resp.status_code == 422
    resp = step(fin, app_id, "pay", amount="3000.01", **base)
    assert resp.status_code == 422 and "不能超过批准金额" in resp.get_data(as_text=True)
    resp = step(fin, app_id, "pay", amount="3000", **base)
    assert resp.status_code == 422 and "息诉罢访承诺书" in resp.get_data(as_text=True)
    assert application(app).state == "approved"
    assert step(fin, app_id, "pay", amount="3000", undertaking="y", **base).status_code == 302
    a = application(app)
    assert a.state == "paid" and a.undertaking and a.pay_method == "cash"


def test_one_live_application_per_matter(app, as_user):
    matter_id, fin, _app_id = _draft(app, as_user)
    resp = create_via_form(fin, matter_number(app, matter_id))
    assert resp.status_code == 422 and "不能重复申请" in resp.get_data(as_text=True)


def test_cancelling_an_approved_application_gives_the_budget_back(app, as_user):
    matter_id, fin, app_id = _draft(app, as_user)
    step(fin, app_id, "submit")
    step(as_user("approver"), app_id, "approve", amount="3000")
    assert _budget(app)[1] == 300000
    resp = step(fin, app_id, "cancel", note="")
    assert resp.status_code == 422 and "须说明理由" in resp.get_data(as_text=True)
    assert step(fin, app_id, "cancel", note="信访人已撤回申请").status_code == 302
    assert application(app).state == "cancelled" and _budget(app)[1] == 0
    # The matter may then have a new application.
    assert create_via_form(fin, matter_number(app, matter_id)).status_code == 302


def test_repeat_petition_of_a_relieved_matter_gets_no_second_relief(app, as_user):
    matter_id, fin, app_id = _draft(app, as_user)
    step(fin, app_id, "submit")
    step(as_user("approver"), app_id, "approve", amount="3000")
    with app.app_context():
        repeat = register(repeat_of_id=matter_id, summary="再次反映补偿款问题，要求救助。")
        number = repeat.number
    resp = create_via_form(fin, number)
    assert resp.status_code == 422 and "原信访事项已获批准救助" in resp.get_data(as_text=True)
