"""The relief fund end to end on its pages: draft → chain → undertaking → instalments → 销号,
and what is refused on the way (each refusal leaves the database as it was)."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.api import db, perform, today
from modules.stability_fund.tests.fund import (
    STAFF,
    add_budget,
    application,
    create_via_form,
    get,
    models,
    pay_as,
    run_chain,
    setup_fund,
    step,
    submitted,
    svc,
    undertake,
)
from tests.kit import (
    PDF_BYTES,
    PNG_BYTES,
    TimelineEntry,
    as_,
    attachment_names,
    audit_actions,
    database_state,
    fresh,
    install_module,
    matter_in,
    matter_number,
    register,
    timeline_titles,
)

ROWS = (
    "stability_fund_application",
    "stability_fund_budget",
    "stability_fund_disbursement",
    "stability_fund_undertaking",
)
_SEEN = re.compile(r'name="seen" value="([0-9a-f]{64})"')


def _committed(app) -> int:
    with app.app_context():
        return db.session.execute(select(models.FundBudget.committed_fen)).scalar_one()


def _sign_on_page(client, app_id: int, **data):
    html = client.get(f"/stability-fund/{app_id}").get_data(as_text=True)
    return step(client, app_id, "sign", seen=_SEEN.search(html).group(1), **data)


@pytest.fixture
def handled(app):
    """The module with its staff and a ¥100,000 account; a matter of XFJ in handling."""
    install_module(app, "stability_fund", users=STAFF)
    with app.app_context():
        add_budget(10_000_000)
        return matter_in("in_handling").id


def test_through_the_chain_to_payment_and_closure(app, as_user, handled):
    fin = as_user("finance")
    resp = create_via_form(
        fin, matter_number(app, handled), evidence=(io.BytesIO(PNG_BYTES), "低保证明.png")
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    app_id = application(app).id
    assert step(fin, app_id, "submit").status_code == 302
    for who, data in (
        ("unit_head", {"opinion": "情况属实"}),
        ("office", {"opinion": "符合条件"}),
        ("approver", {"opinion": "同意", "amount": "3000.50"}),
        ("allocator", {"opinion": "已核拨"}),
    ):
        resp = _sign_on_page(as_user(who), app_id, **data)
        assert resp.status_code == 302, (who, resp.get_data(as_text=True)[:2000])
    assert application(app).state == "approved" and _committed(app) == 300_050

    cashier = as_user("cashier")
    day = today().isoformat()
    scan = {"kind": "promise", "signed_on": day, "scan": (io.BytesIO(PDF_BYTES), "承诺书.pdf")}
    assert step(cashier, app_id, "undertaking", **scan).status_code == 302
    base = {"paid_on": day, "method": "transfer"}
    resp = step(
        cashier,
        app_id,
        "pay",
        amount="1000.25",
        reference="TX-1",
        receipt=(io.BytesIO(PNG_BYTES), "收据1.png"),
        **base,
    )
    assert resp.status_code == 302
    assert application(app).state == "approved"  # one instalment of two
    resp = step(
        cashier,
        app_id,
        "pay",
        amount="2000.25",
        reference="TX-2",
        receipt=(io.BytesIO(PNG_BYTES), "收据2.png"),
        **base,
    )
    assert resp.status_code == 302
    a = application(app)
    assert (a.state, a.paid_fen) == ("paid", 300_050)

    with app.app_context():
        version = fresh(handled).version
    resp = step(fin, app_id, "close", matter_version=str(version), note="")
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    a = application(app)
    assert a.state == "closed" and a.monitoring_until is not None
    with app.app_context():
        assert fresh(handled).state == "resolved"
        assert {"救助申请", "批准救助", "救助金已拨付", "救助化解销号"} <= set(
            timeline_titles(handled)
        )
        assert {
            "stability_fund.create",
            "stability_fund.sign",
            "stability_fund.approve",
            "stability_fund.undertaking",
            "stability_fund.pay",
            "stability_fund.close",
            "matter.stability_fund_close",
        } <= audit_actions()
    page = fin.get(f"/stability-fund/{app_id}").get_data(as_text=True)
    assert "承诺书.pdf" in page and "收据2.png" in page and "¥3,000.50" in page
    assert "低保证明.png" in page[page.index('id="evidence"') :]
    with app.app_context():
        # Every scan is a core attachment of the matter.
        assert {"低保证明.png", "承诺书.pdf", "收据1.png", "收据2.png"} <= set(
            attachment_names(handled)
        )


def test_payment_refused_without_the_undertaking_scan(app, handled):
    with app.app_context():
        app_id = submitted(fresh(handled))
        run_chain(app_id)
        before = database_state("stability_fund", ROWS)
        with pytest.raises(svc.FundError) as exc:
            pay_as(app_id, "cashier", 100)
        assert str(exc.value) == "尚未登记信访人签署的息诉罢访承诺书（扫描件），不能拨付。"
        # An undertaking without its scan is not an undertaking.
        with as_("cashier"), pytest.raises(svc.FundError) as exc:
            a = get(app_id)
            svc.record_undertaking(a, a.version, "promise", today(), None)
        assert str(exc.value) == "请上传承诺书（协议书）扫描件。"
        assert database_state("stability_fund", ROWS) == before


def test_instalments_within_the_approved_amount_and_the_rest_back(app, handled):
    with app.app_context():
        app_id = submitted(fresh(handled), 300_000)
        run_chain(app_id)
        undertake(app_id)
        pay_as(app_id, "cashier", 100_001)
        before = database_state("stability_fund", ROWS)
        with pytest.raises(svc.FundError) as exc:
            pay_as(app_id, "cashier", 200_000)
        assert str(exc.value) == "拨付金额不能超过尚未拨付的批准金额 ¥1,999.99。"
        assert database_state("stability_fund", ROWS) == before
        pay_as(app_id, "cashier", 99_999, final=True)
        a = get(app_id)
        assert (a.state, a.paid_fen, [d.amount_fen for d in a.disbursements]) == (
            "paid",
            200_000,
            [100_001, 99_999],
        )
    # What was approved and not paid went back to the account.
    assert _committed(app) == 200_000


def test_closure_only_when_paid_with_undertaking(app, handled):
    with app.app_context():
        app_id = submitted(fresh(handled))
        run_chain(app_id)
        # Core's step on the matter page is guarded too.
        with as_("finance"), pytest.raises(Exception) as exc:
            m = fresh(handled)
            perform(m, "stability_fund_close", {"text": "x"}, version=m.version)
        assert str(exc.value) == "救助金拨付和息诉罢访承诺书均登记后才能销号。"
        assert fresh(handled).state == "in_handling"


def test_last_step_over_the_balance_refused_and_nothing_written(app):
    matter_id = setup_fund(app, budget_fen=200_000)
    with app.app_context():
        app_id = submitted(fresh(matter_id), 300_050)
        run_chain(app_id, until="finance")
        before = database_state("stability_fund", (*ROWS, "stability_fund_step"))
        with as_("allocator"), pytest.raises(svc.FundError) as exc:
            a = get(app_id)
            svc.sign(a, a.version, "核拨")
        assert str(exc.value) == "超出年度剩余额度（剩余 ¥2,000.00）。"
        assert database_state("stability_fund", (*ROWS, "stability_fund_step")) == before


def test_stale_page_refused(app, as_user):
    matter_id = setup_fund(app)
    with app.app_context():
        app_id = submitted(fresh(matter_id))
    old = application(app).version
    with app.app_context():
        run_chain(app_id, until="office_check")
    resp = step(as_user("office"), app_id, "sign", opinion="同意", version=str(old))
    assert resp.status_code == 409 and "已被他人修改" in resp.get_data(as_text=True)
    with app.app_context():
        assert get(app_id).current_step.code == "office_check"


def test_one_award_per_person_and_matter_and_a_repeat_after_closure(app, as_user, handled):
    with app.app_context():
        app_id = submitted(fresh(handled))
        run_chain(app_id)
        undertake(app_id)
        pay_as(app_id, "cashier", 300_050)
        with as_("finance"):
            a = get(app_id)
            svc.close(a, a.version, fresh(handled).version)
        # A second application by the same person on the same matter: refused.
        before = database_state("stability_fund", ROWS)
        with as_("finance"), pytest.raises(svc.FundError) as exc:
            svc.create(fresh(handled), svc.ApplicationInput("petition", 100, "再次申请", "困难"))
        assert str(exc.value) == (
            "该信访人在本事项上已有救助申请（一事一报、一次性救助），不能重复申请。"
        )
        assert database_state("stability_fund", ROWS) == before
        # The same person on another issue: not a repeat of the struck-off matter.
        other = register(summary="反映邻居深夜施工噪音扰民。", demands=["制止夜间施工"])
        assert (fresh(other.id).repeat_of_id, fresh(other.id).first_petition) == (None, True)
        assert "销号监测期内再次信访" not in timeline_titles(other.id)
        # The same person on the same issue, not marked by the clerk: core's repeat detection
        # finds the struck-off matter and the new one is registered as its repeat.
        repeat = register(summary="再次反映小区拆迁补偿款未按协议支付，要求补发。")
        repeat_id, repeat_number = repeat.id, repeat.number
        assert (fresh(repeat_id).repeat_of_id, fresh(repeat_id).first_petition) == (handled, False)
        # Within the monitoring window: both timelines say so at registration, with the award.
        assert "销号监测期内再次信访" in timeline_titles(repeat_id)
        assert "销号监测期内再次信访" in timeline_titles(handled)
        note = db.session.execute(
            select(TimelineEntry.body).where(
                TimelineEntry.matter_id == repeat_id, TimelineEntry.title == "销号监测期内再次信访"
            )
        ).scalar_one()
        assert note == (
            f"重复信访：信访人在原事项 {fresh(handled).number} 已获救助 ¥3,000.50并已销号"
            f"（监测期至 {get(app_id).monitoring_until.isoformat()}）。"
        )
        # After the window (moved into the past here) the same issue is still a repeat.
        get(app_id).monitoring_until = today() - timedelta(days=1)
        db.session.commit()
        late = register(summary="小区拆迁补偿款仍未按协议支付，要求补发。")
        assert fresh(late.id).repeat_of_id == handled
        assert "销号后再次信访" in timeline_titles(late.id)
        # 销号 is reversible: the resolved matter is reopened for handling.
        with as_("finance"):
            m = fresh(handled)
            perform(m, "stability_fund_reopen", {"text": "销号后再次信访"}, version=m.version)
        assert fresh(handled).state == "in_handling"
    page = as_user("supervisor").get(f"/cases/{repeat_id}").get_data(as_text=True)
    warning = page[page.index('id="repeat-award"') :]
    warning = warning[: warning.index("</p>")]
    assert (
        f"原事项 {matter_number(app, handled)} 已于 {today().isoformat()} 获救助 ¥3,000.50"
        in warning
    )
    resp = create_via_form(as_user("finance"), repeat_number)
    assert resp.status_code == 422
    assert "信访人在原信访事项上已获救助" in resp.get_data(as_text=True)


def test_cancelling_an_approved_application_gives_the_money_back(app, as_user):
    matter_id = setup_fund(app)
    with app.app_context():
        app_id = submitted(fresh(matter_id))
        run_chain(app_id)
    assert _committed(app) == 300_050
    fin = as_user("finance")
    resp = step(fin, app_id, "cancel", note="")
    assert resp.status_code == 422 and "须说明理由" in resp.get_data(as_text=True)
    assert step(fin, app_id, "cancel", note="信访人已撤回申请").status_code == 302
    assert application(app).state == "cancelled" and _committed(app) == 0
    with app.app_context():
        assert db.session.execute(select(models.Award)).first() is None
    # The person may then apply again on the matter.
    assert create_via_form(fin, matter_number(app, matter_id)).status_code == 302
