"""The approval chain as data, its signatures, the special tier, and segregation of duties.

Each refusal leaves the database as it was (``database_state``).
"""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from core.api import db
from modules.stability_fund.tests.fund import (
    get,
    models,
    pay_as,
    run_chain,
    setup_fund,
    sign_as,
    submitted,
    svc,
    undertake,
)
from tests.kit import as_, database_state, fresh, register, user

ROWS = ("stability_fund_step", "stability_fund_application", "stability_fund_budget")


@pytest.fixture
def fund(app):
    matter_id = setup_fund(app)
    with app.app_context():
        yield fresh(matter_id)


def _refused(app_id: int, who: str, message: str, action) -> None:
    before = database_state("stability_fund", ROWS)
    with as_(who), pytest.raises(svc.FundError) as exc:
        action(get(app_id))
    assert str(exc.value) == message
    assert database_state("stability_fund", ROWS) == before


def test_chain_steps_signatures_and_commitment(fund):
    app_id = submitted(fund, 300_050)
    a = get(app_id)
    assert [s.code for s in a.steps] == ["unit_leader", "office_check", "meeting", "finance"]
    assert a.special is False and a.current_step.code == "unit_leader"
    sign_as(app_id, "unit_head", opinion="情况属实")
    sign_as(app_id, "office", opinion="符合条件")
    sign_as(app_id, "approver", 300_000, opinion="同意救助三千元")
    assert get(app_id).state == "submitted"
    sign_as(app_id, "allocator", opinion="已核拨")
    a = get(app_id)
    assert a.state == "approved" and a.approved_fen == 300_000
    signers = [(s.code, s.actor.username, s.state) for s in a.steps]
    assert signers == [
        ("unit_leader", "unit_head", "approved"),
        ("office_check", "office", "approved"),
        ("meeting", "approver", "approved"),
        ("finance", "allocator", "approved"),
    ]
    for s in a.steps:
        # The signature is the digest of exactly what the signer saw.
        assert s.acted_at is not None
        assert s.seen_sha256 == hashlib.sha256(s.seen.encode("utf-8")).hexdigest()
    assert '"agreed_fen":300000' in a.steps[3].seen and '"requested_fen":300050' in a.steps[3].seen
    assert db.session.execute(select(models.FundBudget.committed_fen)).scalar_one() == 300_000
    award = db.session.execute(select(models.Award)).scalar_one()
    assert (award.matter_id, award.amount_fen) == (fund.id, 300_000)


def test_over_the_cap_only_through_the_special_tier(fund):
    app_id = submitted(fund, 6_000_000)  # ¥60,000 > ¥50,000 per case
    assert [s.code for s in get(app_id).steps] == [
        "unit_leader",
        "office_check",
        "meeting",
        "special",
        "finance",
    ]
    run_chain(app_id, until="special")
    # A fund approver without the special tier's right cannot sign it.
    _refused(
        app_id,
        "approver2",
        "您没有“超上限特别审批（联席会议召集人）”的权限。",
        lambda a: svc.sign(a, a.version, "同意"),
    )
    sign_as(app_id, "convenor", opinion="特殊困难，同意超限额救助")
    sign_as(app_id, "allocator")
    a = get(app_id)
    assert a.state == "approved" and a.approved_fen == 6_000_000


def test_over_the_cap_refused_when_the_special_tier_says_no(fund):
    app_id = submitted(fund, 6_000_000)
    run_chain(app_id, until="special")
    with as_("convenor"):
        a = get(app_id)
        svc.refuse(a, a.version, "超出上限，不予特别审批")
    a = get(app_id)
    assert a.state == "rejected" and a.approved_fen is None
    assert db.session.execute(select(models.FundBudget.committed_fen)).scalar_one() == 0
    assert db.session.execute(select(models.Award)).first() is None


def test_one_person_cannot_act_at_two_steps(fund):
    app_id = submitted(fund)
    sign_as(app_id, "unit_head")
    sign_as(app_id, "office")
    # "office" is a fund approver too, so holds the meeting step's right: still refused.
    _refused(
        app_id,
        "office",
        "同一人不能在同一申请的两个审批环节签署（您已在“联席会议办公室审核”环节签署）。",
        lambda a: svc.sign(a, a.version, "同意"),
    )


def test_whoever_prepared_signs_no_step(fund):
    app_id = submitted(fund)
    run_chain(app_id, until="finance")
    # "finance" prepared it and holds the finance step's right.
    _refused(
        app_id,
        "finance",
        "不能审批本人填写的救助申请（须由另一人审批）。",
        lambda a: svc.sign(a, a.version, "同意"),
    )


def test_nobody_pays_what_they_approved(fund):
    app_id = submitted(fund)
    run_chain(app_id)
    undertake(app_id)
    _refused(
        app_id,
        "allocator",
        "不能拨付本人审批过的救助申请（您已在“财政核拨”环节签署）。",
        lambda a: svc.pay(
            a,
            a.version,
            svc.PaymentInput(100, a.created_at.date(), "transfer", "TX", None),
        ),
    )
    pay_as(app_id, "cashier", 300_050)
    assert get(app_id).state == "paid"


def test_a_recorded_relative_or_the_person_themselves_neither_signs_nor_pays(fund):
    app_id = submitted(fund)
    sign_as(app_id, "unit_head")
    with as_("finance"):
        svc.record_relation(get(app_id), user("office"), "spouse")
        svc.record_relation(get(app_id), user("cashier"), "self")
    _refused(
        app_id,
        "office",
        "您与信访人的关系为“配偶”，应当回避，不能办理该申请。",
        lambda a: svc.sign(a, a.version, "同意"),
    )
    sign_as(app_id, "approver2")  # another approver checks it instead
    run_chain(app_id)
    undertake(app_id, "allocator2")
    _refused(
        app_id,
        "cashier",
        "您与信访人的关系为“本人”，应当回避，不能办理该申请。",
        lambda a: svc.pay(
            a, a.version, svc.PaymentInput(100, a.created_at.date(), "transfer", "TX", None)
        ),
    )


def test_a_signature_on_a_page_that_changed_since_is_refused(fund):
    app_id = submitted(fund)
    with as_("unit_head"):
        _, digest = svc.seen_of(get(app_id))
    sign_as(app_id, "unit_head")
    # The office's page was rendered before the first signature: what it saw is gone.
    _refused(
        app_id,
        "office",
        "申请内容在您查看后已有变化，请刷新页面核对后再签署。",
        lambda a: svc.sign(a, a.version, "同意", seen_sha256=digest),
    )


def test_every_approver_sees_the_persons_earlier_awards(fund, as_user):
    first = submitted(fund, 120_000)
    run_chain(first)
    # The same petitioner (same ID number) on another matter.
    other = register(summary="另一事项：要求解决生活困难。")
    second = submitted(other, 80_000)
    for who in ("unit_head", "office", "approver", "allocator"):
        with as_(who):
            seen, _digest = svc.seen_of(get(second))
        assert f'"earlier_awards":[{{"amount_fen":120000,"matter":"{fund.number}"' in seen
        sign_as(second, who)
    page = as_user("approver2").get(f"/stability-fund/{second}").get_data(as_text=True)
    section = page[page.index('id="earlier-awards"') :]
    assert fund.number in section and "¥1,200.00" in section
