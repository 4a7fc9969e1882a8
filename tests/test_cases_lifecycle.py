"""The matter lifecycle (信访工作条例 2022, REGULATION.md §1.5–§1.10, §9) walked step by step.

Dates are real 2026 dates so that public holidays, make-up working days and the 民法典 roll-over
rule are exercised on the real calendar (国庆 2026-10-01..07 with make-up days 09-20 and 10-10;
春节 2026-02-15..23 with make-up days 02-14 and 02-28; 端午 06-19..21).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from core.accounts.services import StaleEdit
from core.cases.clocks import clocks
from core.cases.lifecycle.registration import MatterError, PartyInput
from core.cases.lifecycle.steps import perform
from core.cases.models import (
    AssignmentSlip,
    Clock,
    Delivery,
    Document,
    Matter,
    MatterParty,
    Opinion,
    Person,
    TimelineEntry,
)
from core.extensions import db
from core.registry.installer import install
from tests.cases_support import VALID_ID, agency, as_, register, step, user
from tests.lifecycle_support import (
    OPINION,
    add_user,
    clock,
    documents,
    fresh,
    titles,
    to_handling,
)

D = date  # short dates read better in the long walks below


def test_full_path_from_registration_to_three_level_termination(app):
    """处理 → 复查 → 复核 → 终结, with 拟办/阅批/督办/延期/退回修改 on the way."""
    # The hearing during re-review is the hearings module's step (its manifest declares it).
    with app.app_context():
        install(["hearings"])
    with app.app_context():
        add_user("comm_handler", "社区承办人", "case_handler", "COMM")
        m = register(received_on=D(2026, 6, 1))
        mid = m.id
        assert m.state == "registered"
        assert clock(mid, "disposition").due == D(2026, 6, 16)  # 15 days (条例第22条)

        # 拟办 by the desk, 阅批 by the county leader: timeline entries, no state change.
        step(mid, "clerk", "propose", on=D(2026, 6, 1), text="拟转东街社区办理")
        step(mid, "leader", "instruct", on=D(2026, 6, 1), text="请社区依法妥善处理")
        assert fresh(mid).state == "registered"

        # 转送 to the community (two levels below the county, so both review levels exist).
        step(mid, "supervisor", "forward", on=D(2026, 6, 2), agency_id=agency("COMM").id)
        m = fresh(mid)
        assert (m.state, m.triage_route, m.handling_agency_id) == (
            "forwarded",
            "forward",
            agency("COMM").id,
        )
        assert clock(mid, "disposition").state == "met"
        assert clock(mid, "acceptance").due == D(2026, 6, 17)
        assert clock(mid, "objection").state == "running"

        doc = step(mid, "comm_handler", "accept", on=D(2026, 6, 3))
        assert doc.kind == "acceptance_notice"
        m = fresh(mid)
        assert (m.state, m.accepted_on, m.handler_id) == (
            "in_handling",
            D(2026, 6, 3),
            user("comm_handler").id,
        )
        assert clock(mid, "acceptance").state == "met"
        assert clock(mid, "objection").state == "met"
        handling = clock(mid, "handling")
        # 60 days from acceptance (条例第34条) is Sunday 2026-08-02: it ends on Monday.
        assert handling.due == D(2026, 8, 3)

        # 督办 with a follower.
        step(
            mid,
            "supervisor",
            "supervise",
            on=D(2026, 6, 4),
            follower_id=user("supervisor").id,
            text="请于月底前报告进展",
        )
        m = fresh(mid)
        assert m.supervised and m.follower_id == user("supervisor").id
        step(mid, "comm_handler", "investigate", on=D(2026, 6, 5), text="走访征收办核实")

        # Extension: once, at most 30 days, with a notice; a second one is refused.
        doc = step(mid, "leader", "extend", on=D(2026, 6, 10), days=30, reason="需要补充鉴定")
        assert doc.kind == "extension_notice"
        handling = clock(mid, "handling")
        assert (handling.due, handling.extension_days) == (D(2026, 9, 1), 30)
        assert fresh(mid).extended_days == 30
        with pytest.raises(MatterError, match="已延期一次"):
            step(mid, "leader", "extend", on=D(2026, 6, 11), days=5, reason="再延")
        assert clock(mid, "handling").due == D(2026, 9, 1)

        # The draft goes to the leader, who sends it back; the second draft is approved.
        step(mid, "comm_handler", "draft_opinion", on=D(2026, 6, 15), **OPINION)
        assert fresh(mid).state == "opinion_pending"
        step(mid, "leader", "reject_draft", on=D(2026, 6, 16), reason="依据引用不全")
        assert fresh(mid).state == "in_handling"
        step(
            mid,
            "comm_handler",
            "draft_opinion",
            on=D(2026, 6, 17),
            **{**OPINION, "basis": "《国有土地上房屋征收与补偿条例》第二十五条、第二十七条"},
        )
        doc = step(mid, "leader", "approve_opinion", on=D(2026, 6, 18))
        assert doc.kind == "handling_opinion"
        m = fresh(mid)
        assert (m.state, m.outcome) == ("opinion_issued", "support")
        assert clock(mid, "handling").state == "met"
        opinions = db.session.execute(
            select(Opinion).where(Opinion.matter_id == mid).order_by(Opinion.id)
        ).scalars()
        assert [o.approved_by_id is not None for o in opinions] == [False, True]

        # Delivery starts the 30-day review window (条例第35条) on the delivery date.
        step(mid, "comm_handler", "record_delivery", on=D(2026, 6, 22), method="in_person")
        m = fresh(mid)
        assert (m.state, m.reply_received_on) == ("review_window", D(2026, 6, 22))
        window = clock(mid, "review_window")
        assert (window.start, window.due) == (D(2026, 6, 22), D(2026, 7, 22))

        # Day 31 is refused, day 30 accepted; the review goes one level up (社区 → 镇).
        with pytest.raises(MatterError, match="30 日复查申请期"):
            step(mid, "leader", "request_review", on=D(2026, 7, 23))
        assert fresh(mid).state == "review_window"
        step(mid, "leader", "request_review", on=D(2026, 7, 22))
        m = fresh(mid)
        assert (m.state, m.review_agency_id) == ("review_requested", agency("TOWN").id)
        assert clock(mid, "review_window").state == "met"
        assert clock(mid, "review").due == D(2026, 8, 21)

        doc = step(
            mid,
            "leader",
            "issue_review_opinion",
            on=D(2026, 8, 10),
            **{**OPINION, "demands": [{"demand": "补发拆迁补偿款", "outcome": "explain"}]},
        )
        assert doc.kind == "review_opinion"
        m = fresh(mid)
        assert (m.state, m.outcome) == ("reexam_window", "explain")
        assert clock(mid, "review").state == "met"
        assert clock(mid, "reexam_window").due == D(2026, 9, 9)
        # Sent by post, received on 08-12: the re-review window runs from receipt (条例第36条).
        with pytest.raises(MatterError, match="早于复查意见书出具日期"):
            step(
                mid,
                "leader",
                "record_review_delivery",
                on=D(2026, 8, 12),
                method="post",
                delivered_on=D(2026, 8, 9),
            )
        step(
            mid,
            "leader",
            "record_review_delivery",
            on=D(2026, 8, 12),
            method="post",
            delivered_on=D(2026, 8, 12),
        )
        assert fresh(mid).state == "reexam_window"
        window = clock(mid, "reexam_window")
        assert (window.start, window.due, window.state) == (
            D(2026, 8, 12),
            D(2026, 9, 11),
            "running",
        )
        assert (
            db.session.execute(
                select(func.count())
                .select_from(Clock)
                .where(
                    Clock.matter_id == mid,
                    Clock.kind == "reexam_window",
                    Clock.state == "cancelled",
                )
            ).scalar_one()
            == 1
        )

        # Day 31 after receipt is refused, day 30 accepted; re-review one level up again (镇 → 县).
        with pytest.raises(MatterError, match="30 日复核申请期"):
            step(mid, "leader", "request_reexam", on=D(2026, 9, 12))
        step(mid, "leader", "request_reexam", on=D(2026, 9, 11))
        m = fresh(mid)
        assert (m.state, m.reexam_agency_id) == ("reexam_requested", agency("ROOT").id)
        # Day 30 is Sunday 2026-10-11: the period ends on Monday (民法典第203条).
        assert clock(mid, "reexam").due == D(2026, 10, 12)

        # A hearing from 09-14 to 09-18 (5 days) does not count (条例第36条第2款).
        step(mid, "leader", "suspend_for_hearing", on=D(2026, 9, 14))
        assert fresh(mid).state == "suspended"
        assert clock(mid, "reexam").state == "paused"
        with pytest.raises(MatterError, match="不能执行"):
            step(mid, "leader", "issue_reexam_opinion", on=D(2026, 9, 15), **OPINION)
        with pytest.raises(MatterError, match="早于听证开始日期"):
            step(mid, "leader", "resume_after_hearing", on=D(2026, 9, 13))
        step(mid, "leader", "resume_after_hearing", on=D(2026, 9, 18))
        reexam = clock(mid, "reexam")
        assert reexam.state == "running"
        assert reexam.due == D(2026, 10, 16)  # day 30 + 5 hearing days, a Friday
        assert "听证期间 2026-09-14 至 2026-09-18 共 5 日不计入期限" in reexam.explanation

        doc = step(
            mid,
            "leader",
            "issue_reexam_opinion",
            on=D(2026, 9, 28),
            hearing_held=True,
            **{**OPINION, "demands": [{"demand": "补发拆迁补偿款", "outcome": "not_support"}]},
        )
        assert doc.kind == "reexam_opinion"
        m = fresh(mid)
        assert m.state == "terminated"
        assert m.termination_reason and "复核" in m.termination_reason
        assert m.closed_at is not None
        assert clock(mid, "reexam").state == "met"
        assert not [c for c in m.clocks if c.open]
        # Nothing more happens on a terminated matter.
        with pytest.raises(MatterError, match="不能执行"):
            step(mid, "leader", "request_reexam", on=D(2026, 9, 29))

        assert [d.kind for d in documents(mid)] == [
            "acceptance_notice",
            "extension_notice",
            "handling_opinion",
            "review_opinion",
            "reexam_opinion",
        ]
        log = titles(mid)
        for expected in (
            "登记（走访）",
            "拟办意见",
            "领导阅批",
            "转送",
            "受理并书面告知",
            "督办（指定跟踪人）",
            "调查笔记",
            "延期办理（经负责人批准）",
            "退回修改处理意见",
            "批准并出具处理意见书",
            "登记送达",
            "登记复查申请",
            "登记复查意见书送达",
            "登记复核申请",
            "举行听证（复核期限中止）",
            "听证结束（复核期限恢复）",
            "出具复核意见书（终结）",
        ):
            assert expected in log, expected
        assert log.count("拟写处理意见") == 2
        assert sum(t.startswith("出具") and "〔2026〕" in t for t in log) == 5
        body = db.session.execute(
            select(TimelineEntry.body).where(
                TimelineEntry.matter_id == mid, TimelineEntry.title == "领导阅批"
            )
        ).scalar_one()
        assert body == "请社区依法妥善处理"

        # The same facts and reasons again: 不再受理 (条例第36条第3款).
        repeat = register(received_on=D(2026, 10, 12), repeat_of_id=mid)
        assert not repeat.first_petition
        doc = step(repeat.id, "supervisor", "refuse_repeat", on=D(2026, 10, 12))
        assert doc.kind == "no_further_notice"
        repeat = fresh(repeat.id)
        assert repeat.state == "not_accepted" and repeat.closed_at is not None


def test_refuse_repeat_needs_a_terminated_original(app):
    with app.app_context():
        original = register(received_on=D(2026, 6, 1))
        repeat = register(received_on=D(2026, 6, 2), repeat_of_id=original.id)
        with pytest.raises(MatterError, match="已终结"):
            step(repeat.id, "supervisor", "refuse_repeat", on=D(2026, 6, 2))
        plain = register(received_on=D(2026, 6, 2))
        with pytest.raises(MatterError, match="已终结"):
            step(plain.id, "supervisor", "refuse_repeat", on=D(2026, 6, 2))
        assert fresh(repeat.id).state == "registered"
        assert documents(repeat.id) == []


def test_assignment_objection_across_national_day_then_send_back_and_redo(app):
    """交办 → 异议 (5 working days over 国庆) → 不同意异议 → 办理 → 退回重办 → 办结."""
    with app.app_context():
        m = register(received_on=D(2026, 9, 29))
        mid = m.id
        doc = step(
            mid,
            "supervisor",
            "assign",
            on=D(2026, 9, 30),
            agency_id=agency("CJJ").id,
            standard="查清补偿款支付情况，依法答复",
            deadline=D(2026, 11, 20),
            leader="张副县长",
        )
        assert doc.kind == "assignment_slip"
        slip = db.session.execute(
            select(AssignmentSlip).where(AssignmentSlip.matter_id == mid)
        ).scalar_one()
        assert slip.number == doc.number and slip.deadline == D(2026, 11, 20)
        assert clock(mid, "assignment").due == D(2026, 11, 20)
        # 10-08, 10-09, 10-10 (make-up Saturday), 10-12, 10-13: the 5th working day.
        objection = clock(mid, "objection")
        assert objection.due == D(2026, 10, 13)
        assert "调休上班日" in objection.explanation and "国庆节" in objection.explanation

        with pytest.raises(MatterError, match="5 个工作日"):
            step(mid, "handler", "object", on=D(2026, 10, 14), reason="不属本局职权")
        assert fresh(mid).state == "assigned"
        step(mid, "handler", "object", on=D(2026, 10, 13), reason="属镇政府职权")
        assert fresh(mid).state == "objected"
        assert clock(mid, "objection").state == "met"
        # Only the petition department decides on the objection.
        with pytest.raises(MatterError, match="没有"):
            step(mid, "handler", "reject_objection", on=D(2026, 10, 14), reason="x")
        step(mid, "supervisor", "reject_objection", on=D(2026, 10, 14), reason="属住建职责")
        assert fresh(mid).state == "assigned"
        # One objection only: the window is closed.
        with pytest.raises(MatterError, match="异议期"):
            step(mid, "handler", "object", on=D(2026, 10, 14), reason="再次异议")

        step(mid, "handler", "accept", on=D(2026, 10, 15))
        assert clock(mid, "acceptance").state == "met"  # 09-30 + 15 days = 10-15
        step(mid, "handler", "draft_opinion", on=D(2026, 10, 20), **OPINION)
        step(mid, "cjj_leader", "approve_opinion", on=D(2026, 10, 21))
        step(mid, "handler", "record_delivery", on=D(2026, 10, 22), method="post")
        m = fresh(mid)
        # An assignment comes back to the bureau with its completion report first.
        assert m.state == "completion_review"
        assert clock(mid, "review_window") is None

        step(mid, "supervisor", "send_back", on=D(2026, 10, 23), reason="补偿金额未核实")
        m = fresh(mid)
        assert m.state == "in_handling"
        slip = db.session.execute(
            select(AssignmentSlip).where(AssignmentSlip.matter_id == mid)
        ).scalar_one()
        db.session.refresh(slip)
        assert slip.sent_back_count == 1
        assert clock(mid, "assignment").state == "running"
        assert clock(mid, "handling").state == "running"

        step(mid, "handler", "draft_opinion", on=D(2026, 10, 26), **OPINION)
        step(mid, "cjj_leader", "approve_opinion", on=D(2026, 10, 27))
        step(mid, "handler", "record_delivery", on=D(2026, 10, 28), method="in_person")
        assert fresh(mid).state == "completion_review"
        step(mid, "leader", "instruct", on=D(2026, 10, 29), text="同意办结")
        step(mid, "supervisor", "approve_completion", on=D(2026, 10, 29))
        m = fresh(mid)
        assert m.state == "review_window"
        assert clock(mid, "assignment").state == "met"
        # The review window runs from the delivery of the redone opinion.
        window = clock(mid, "review_window")
        assert (window.start, window.due) == (D(2026, 10, 28), D(2026, 11, 27))
        deliveries = db.session.execute(
            select(func.count()).select_from(Delivery).where(Delivery.matter_id == mid)
        ).scalar_one()
        assert deliveries == 2
        log = titles(mid)
        for expected in ("交办", "提出异议（不属本机关职权）", "不同意异议", "退回重办"):
            assert expected in log
        assert log.count("批准并出具处理意见书") == 2


def test_objection_accepted_across_spring_festival_goes_back_to_triage(app):
    with app.app_context():
        m = register(received_on=D(2026, 2, 10))
        mid = m.id
        step(mid, "supervisor", "forward", on=D(2026, 2, 12), agency_id=agency("CJJ").id)
        # 02-13, 02-14 (make-up Saturday), [春节 02-15..23], 02-24, 02-25, 02-26.
        assert clock(mid, "objection").due == D(2026, 2, 26)
        with pytest.raises(MatterError, match="5 个工作日"):
            step(mid, "handler", "object", on=D(2026, 2, 27), reason="不属本局")
        step(mid, "handler", "object", on=D(2026, 2, 26), reason="属镇政府职权")
        step(mid, "supervisor", "accept_objection", on=D(2026, 2, 27))
        m = fresh(mid)
        assert (m.state, m.handling_agency_id, m.triage_route) == ("registered", None, None)
        assert clock(mid, "acceptance").state == "cancelled"
        # The bureau forwards it again, to the town; the objecting unit is out of it.
        step(mid, "supervisor", "forward", on=D(2026, 2, 27), agency_id=agency("TOWN").id)
        with pytest.raises(MatterError, match="承办"):
            step(mid, "handler", "accept", on=D(2026, 3, 2))
        step(mid, "town_handler", "accept", on=D(2026, 3, 2))
        m = fresh(mid)
        assert (m.state, m.handling_agency_id) == ("in_handling", agency("TOWN").id)
        assert clock(mid, "handling").due == D(2026, 5, 1) + timedelta(days=5)  # 劳动节 roll-over
        assert "顺延" in clock(mid, "handling").explanation
        assert "同意异议，退回重新分流" in titles(mid)


def test_triage_outcomes_that_end_the_matter(app):
    with app.app_context():
        on = D(2026, 7, 6)
        legal = register(received_on=on)
        with pytest.raises(MatterError, match="途径"):
            step(legal.id, "supervisor", "route_legal", on=on, route="whatever")
        doc = step(legal.id, "supervisor", "route_legal", on=on, route="litigation")
        assert doc.kind == "non_acceptance_notice"
        legal = fresh(legal.id)
        assert (legal.state, legal.legal_route) == ("referred_legal", "litigation")
        assert legal.closed_at is not None
        assert clock(legal.id, "disposition").state == "met"

        discipline = register(received_on=on, purpose="accusation", handling_type="accusation")
        assert discipline.accuser_sealed
        assert step(discipline.id, "supervisor", "refer_discipline", on=on) is None
        assert fresh(discipline.id).state == "referred_discipline"

        refused = register(received_on=on)
        with pytest.raises(MatterError, match="理由"):
            step(refused.id, "supervisor", "not_accept", on=on, ground="no-such-ground")
        doc = step(refused.id, "supervisor", "not_accept", on=on, ground="out_of_remit")
        assert doc.kind == "non_acceptance_notice"
        assert fresh(refused.id).state == "not_accepted"

        spot = register(received_on=on)
        with pytest.raises(MatterError, match="必填"):
            step(spot.id, "supervisor", "answer_on_spot", on=on)
        step(spot.id, "supervisor", "answer_on_spot", on=on, answer="已当场解释补偿政策")
        spot = fresh(spot.id)
        assert (spot.state, spot.outcome) == ("answered", "answered")
        assert documents(spot.id) == []
        body = db.session.execute(
            select(TimelineEntry.body).where(
                TimelineEntry.matter_id == spot.id, TimelineEntry.title == "当场答复"
            )
        ).scalar_one()
        assert body == "已当场解释补偿政策"

        # Final states accept no further step.
        for matter in (legal, discipline, refused, spot):
            with pytest.raises(MatterError, match="不能执行"):
                step(matter.id, "supervisor", "forward", on=on, agency_id=agency("CJJ").id)
            assert not [c for c in fresh(matter.id).clocks if c.open]


def test_guards_on_triage_and_handling(app):
    with app.app_context():
        on = D(2026, 7, 6)
        m = register(received_on=on)
        mid = m.id
        with pytest.raises(MatterError, match="没有"):
            step(mid, "nobody", "forward", on=on, agency_id=agency("CJJ").id)
        with pytest.raises(MatterError, match="没有"):
            step(mid, "clerk", "forward", on=on, agency_id=agency("CJJ").id)
        with pytest.raises(MatterError, match="本机关自己"):
            step(mid, "supervisor", "forward", on=on, agency_id=agency("XFJ").id)
        with pytest.raises(MatterError, match="有权处理的机关"):
            step(mid, "supervisor", "forward", on=on, agency_id=999999)
        with pytest.raises(MatterError, match="办理期限"):
            step(
                mid,
                "supervisor",
                "assign",
                on=on,
                agency_id=agency("CJJ").id,
                standard="依法处理",
                deadline=on,
            )
        with pytest.raises(MatterError, match="早于"):
            step(mid, "supervisor", "forward", on=D(2026, 7, 3), agency_id=agency("CJJ").id)
        with pytest.raises(MatterError, match="晚于今天"):
            step(
                mid,
                "supervisor",
                "forward",
                on=clocks.today() + timedelta(days=1),
                agency_id=agency("CJJ").id,
            )
        assert fresh(mid).state == "registered"
        assert titles(mid) == ["登记（走访）"]

        to_handling(mid, D(2026, 7, 7))
        with pytest.raises(MatterError, match="1 至 30"):
            step(mid, "cjj_leader", "extend", on=D(2026, 7, 8), days=31, reason="复杂")
        with pytest.raises(MatterError, match="没有"):
            step(mid, "handler", "extend", on=D(2026, 7, 8), days=10, reason="复杂")
        with pytest.raises(MatterError, match="予以支持"):
            step(
                mid,
                "handler",
                "draft_opinion",
                on=D(2026, 7, 8),
                facts="经查",
                basis="依据",
                demands=[{"demand": "补发", "outcome": "maybe"}],
            )
        with pytest.raises(MatterError, match="依据"):
            step(mid, "handler", "draft_opinion", on=D(2026, 7, 8), **{**OPINION, "basis": " "})
        with pytest.raises(MatterError, match="跟踪人"):
            step(mid, "supervisor", "supervise", on=D(2026, 7, 8), follower_id=999999, text="x")
        # An extension once the handling period has run out cannot hide the missed deadline.
        late = clock(mid, "handling").due + timedelta(days=1)
        with pytest.raises(MatterError, match="已超过办理期限"):
            step(mid, "cjj_leader", "extend", on=late, days=10, reason="复杂")
        step(mid, "handler", "draft_opinion", on=D(2026, 7, 8), **OPINION)
        step(mid, "cjj_leader", "approve_opinion", on=D(2026, 7, 9))
        with pytest.raises(MatterError, match="送达方式"):
            step(mid, "handler", "record_delivery", on=D(2026, 7, 10), method="pigeon")
        with pytest.raises(MatterError, match="送达日期"):
            step(
                mid,
                "handler",
                "record_delivery",
                on=D(2026, 7, 10),
                method="post",
                delivered_on=D(2026, 7, 1),
            )
        assert fresh(mid).state == "opinion_issued"


def test_registration_validates_representatives_and_id_numbers(app):
    with app.app_context():
        on = D(2026, 7, 6)
        reps = [
            PartyInput(name=f"代表{i}", is_representative=True, is_lead=i == 0) for i in range(6)
        ]
        with pytest.raises(MatterError) as refused:
            register(received_on=on, parties=reps, head_count=30)
        assert "代表人数不超过 5 人" in refused.value.errors["parties"]
        assert "当前为 6 人" in refused.value.errors["parties"]

        m = register(received_on=on, parties=reps[:5], head_count=30)
        assert m.head_count == 30 and m.has_flag("collective")
        parties = (
            db.session.execute(select(MatterParty).where(MatterParty.matter_id == m.id))
            .scalars()
            .all()
        )
        assert sum(p.is_representative for p in parties) == 5
        assert [p.is_lead for p in parties] == [True, False, False, False, False]

        bad = VALID_ID[:-1] + ("1" if VALID_ID[-1] != "1" else "2")
        with pytest.raises(MatterError) as refused:
            register(received_on=on, parties=[PartyInput(name="李四", id_number=bad)])
        assert "校验位" in refused.value.errors["parties-0-id_number"]
        with pytest.raises(MatterError) as refused:
            register(received_on=on, parties=[PartyInput(name="李四", id_number="12345")])
        assert "18 位" in refused.value.errors["parties-0-id_number"]
        with pytest.raises(MatterError) as refused:
            register(received_on=clocks.today() + timedelta(days=1))
        assert "received_on" in refused.value.errors
        # A lower-case x is the same person as the upper-case X already on file.
        again = register(
            received_on=on, parties=[PartyInput(name="王大明", id_number=VALID_ID.lower())]
        )
        assert again.lead.person.id_number == VALID_ID
        count = db.session.execute(
            select(func.count()).select_from(Person).where(Person.id_number == VALID_ID)
        ).scalar_one()
        assert count == 1
        # Nothing half-written by the refused registrations.
        assert db.session.execute(select(func.count()).select_from(Matter)).scalar_one() == 2


def test_two_people_saving_at_once_the_second_is_told_to_reload(app):
    """Both opened the page at the same version; the second save is refused, nothing lost."""
    with app.app_context():
        m = register(received_on=D(2026, 7, 6))
        mid = m.id
        to_handling(mid, D(2026, 7, 7))
        version = fresh(mid).version
        mark = db.session.execute(select(func.max(TimelineEntry.id))).scalar_one()

    with app.app_context(), as_("cjj_leader"):
        matter = db.session.get(Matter, mid)
        doc = perform(
            matter,
            "extend",
            {"days": 20, "reason": "需补充材料"},
            version=version,
            on=D(2026, 7, 8),
        )
        number = doc.number

    with app.app_context(), as_("cjj_leader"):
        matter = db.session.get(Matter, mid)  # loaded now, but the form was at ``version``
        with pytest.raises(StaleEdit, match="刷新"):
            perform(
                matter,
                "extend",
                {"days": 30, "reason": "另一人"},
                version=version,
                on=D(2026, 7, 8),
            )

    with app.app_context():
        m = fresh(mid)
        assert m.version > version
        assert m.extended_days == 20
        assert clock(mid, "handling").extension_days == 20
        new = (
            db.session.execute(
                select(TimelineEntry.title)
                .where(TimelineEntry.id > mark)
                .order_by(TimelineEntry.id)
            )
            .scalars()
            .all()
        )
        assert new == ["延期办理（经负责人批准）", f"出具延期办理告知书（{number}）"]
        assert [d.number for d in documents(mid)][-1] == number


def test_a_concurrent_save_from_a_stale_copy_writes_nothing(app):
    """Two sessions hold the matter at the same version; the slower one is refused whole."""
    with app.app_context():
        m = register(received_on=D(2026, 7, 6))
        mid = m.id
        to_handling(mid, D(2026, 7, 7))
        step(mid, "handler", "draft_opinion", on=D(2026, 7, 8), **OPINION)
        version = fresh(mid).version
        docs_before = len(documents(mid))
        entries_before = len(titles(mid))

    with app.app_context(), as_("cjj_leader"):
        slow = db.session.get(Matter, mid)  # loaded, not yet saved
        assert slow.version == version
        with app.app_context(), as_("cjj_leader"):
            fast = db.session.get(Matter, mid)
            perform(
                fast, "reject_draft", {"reason": "请补充事实"}, version=version, on=D(2026, 7, 9)
            )
        # The slow one passes the version check with its stale copy, then its UPDATE finds no
        # row at that version: the whole step, document included, is rolled back.
        with pytest.raises(StaleEdit):
            perform(slow, "approve_opinion", {}, version=version, on=D(2026, 7, 9))

    with app.app_context():
        m = fresh(mid)
        assert m.state == "in_handling"  # the first person's change is there
        assert len(documents(mid)) == docs_before
        log = titles(mid)
        assert len(log) == entries_before + 1 and log[-1] == "退回修改处理意见"
        assert (
            db.session.execute(
                select(func.count()).select_from(Document).where(Document.matter_id == mid)
            ).scalar_one()
            == docs_before
        )
        opinion = db.session.execute(select(Opinion).where(Opinion.matter_id == mid)).scalar_one()
        assert opinion.approved_by_id is None


def test_clocks_explain_themselves_and_a_missed_clock_stays_missed(app):
    with app.app_context():
        m = register(received_on=D(2026, 8, 3))
        mid = m.id
        disposition = clock(mid, "disposition")
        assert disposition.due == D(2026, 8, 18)  # 15 days, counted from the next day
        assert "民法典第201条" in disposition.explanation
        assert "2026-08-18" in disposition.explanation
        # Forwarded on 09-20 (a make-up Sunday): the 15-day disposition period was missed.
        step(mid, "supervisor", "forward", on=D(2026, 9, 20), agency_id=agency("CJJ").id)
        disposition = clock(mid, "disposition")
        assert (disposition.state, disposition.stopped_on) == ("missed", D(2026, 9, 20))

        # 09-20 + 15 days = 10-05, inside 国庆: the period rolls over to 10-08, and says so.
        acceptance = clock(mid, "acceptance")
        assert acceptance.due == D(2026, 10, 8)
        assert "顺延至 2026-10-08" in acceptance.explanation
        assert "国庆节" in acceptance.explanation

        # Later steps and a calendar recomputation leave the missed clock alone.
        step(mid, "handler", "accept", on=D(2026, 9, 21))
        clocks.recompute_open("测试：日历变更")
        db.session.commit()
        disposition = clock(mid, "disposition")
        assert (disposition.state, disposition.due) == ("missed", D(2026, 8, 18))

        # The handling opinion approved a day after the 60 days: missed, for good.
        handling = clock(mid, "handling")
        assert handling.due == D(2026, 11, 20)
        late = handling.due + timedelta(days=1)
        step(mid, "handler", "draft_opinion", on=late, **OPINION)
        step(mid, "cjj_leader", "approve_opinion", on=late)
        handling = clock(mid, "handling")
        assert (handling.state, handling.stopped_on) == ("missed", late)
        clocks.recompute_open("测试：再次变更")
        db.session.commit()
        assert clock(mid, "handling").state == "missed"


def test_handling_period_ending_in_2027_is_provisional(app):
    with app.app_context():
        m = register(received_on=D(2026, 11, 10))
        to_handling(m.id, D(2026, 11, 12))
        handling = clock(m.id, "handling")
        assert handling.due == D(2027, 1, 11)
        assert handling.provisional is True
        assert "2027" in handling.explanation and "暂定" in handling.explanation
        # The earlier clocks lie wholly in 2026 and are firm.
        assert clock(m.id, "acceptance").provisional is False
        # An extension across the provisional year works too.
        step(m.id, "cjj_leader", "extend", on=D(2026, 11, 20), days=30, reason="需鉴定")
        handling = clock(m.id, "handling")
        # 90 days end on 2027-02-10, a rule-based 春节 day: rolled over, still provisional.
        assert handling.due == D(2027, 2, 11)
        assert handling.provisional is True
        assert "顺延至 2027-02-11" in handling.explanation


def test_clock_rows_are_not_touched_by_refused_steps(app):
    with app.app_context():
        m = register(received_on=D(2026, 7, 6))
        before = db.session.execute(
            select(func.count()).select_from(Clock).where(Clock.matter_id == m.id)
        ).scalar_one()
        with pytest.raises(MatterError):
            step(m.id, "supervisor", "assign", on=D(2026, 7, 6), agency_id=agency("CJJ").id)
        after = db.session.execute(
            select(func.count()).select_from(Clock).where(Clock.matter_id == m.id)
        ).scalar_one()
        assert before == after == 1


def test_a_differently_typed_name_does_not_rename_the_person(app):
    from core.cases.lifecycle.registration import PartyInput
    from core.cases.models import Person, TimelineEntry
    from tests.cases_support import VALID_ID, register

    with app.app_context():
        first = register(received_on=D(2026, 3, 2))
        second = register(
            received_on=D(2026, 3, 3),
            parties=[PartyInput(name="王大名", id_number=VALID_ID, mobile="13900000001")],
        )
        person = db.session.execute(select(Person).where(Person.id_number == VALID_ID)).scalar_one()
        assert person.name == "王大明"
        assert person.mobile == "13900000001"
        notes = (
            db.session.execute(
                select(TimelineEntry.body).where(
                    TimelineEntry.matter_id == second.id, TimelineEntry.kind == "note"
                )
            )
            .scalars()
            .all()
        )
        assert any("王大名" in n and "王大明" in n for n in notes)
        assert not db.session.execute(
            select(TimelineEntry.id).where(
                TimelineEntry.matter_id == first.id, TimelineEntry.kind == "note"
            )
        ).first()


def test_registration_writes_everything_a_matter_needs(app):
    # register_matter writes its rows with Core statements (no ORM events): the person's pinyin
    # key, the version bump of a person whose contact details change, the index row and the
    # audit event must all be there as if the unit of work had written them.
    from core.audit import AuditEvent
    from core.cases.lifecycle.registration import PartyInput
    from core.cases.models import Person
    from core.cases.models.search_index import MatterIndex
    from tests.cases_support import VALID_ID, register

    with app.app_context():
        first = register(received_on=D(2026, 3, 2))
        person = db.session.execute(select(Person).where(Person.id_number == VALID_ID)).scalar_one()
        assert person.name_pinyin == "wang da ming" and person.version == 1
        second = register(
            received_on=D(2026, 3, 3),
            parties=[PartyInput(name="王大明", id_number=VALID_ID, mobile="13900000002")],
        )
        db.session.refresh(person)
        assert person.mobile == "13900000002" and person.version == 2
        assert second.state == "registered" and second.version == 1 and second.parties
        assert second.lead.person.id == person.id and second.clocks[0].kind == "disposition"
        index = db.session.get(MatterIndex, second.id)
        assert "13900000002" in index.identity and "zstateregistered" in index.content
        events = db.session.execute(
            select(AuditEvent.object_id).where(AuditEvent.action == "matter.register")
        ).scalars()
        assert set(events) == {str(first.id), str(second.id)}


def test_registration_writes_a_matter_and_its_rows_together(app, backend, monkeypatch):
    # Two petitioners (one with a name that does not match their ID number's record, which
    # adds an identity note): every row points at the new matter. On PostgreSQL the matter and
    # the rows depending on it are one statement (data-modifying CTEs); on SQLite one per table.
    from sqlalchemy import event

    from core.audit import AuditEvent
    from core.cases.models.search_index import MatterIndex

    with app.app_context():
        register(received_on=D(2026, 3, 2))  # 王大明 holds VALID_ID from now on
        written: list[str] = []

        # What reaches the driver: the registration writes through the driver's own cursors.
        def trace(dbapi_connection, record, proxy):
            dbapi_connection.set_trace_callback(written.append)

        def untrace(dbapi_connection, record):
            dbapi_connection.set_trace_callback(None)

        if backend == "sqlite":
            hooks = [("checkout", trace), ("checkin", untrace)]
        else:
            import psycopg

            hooks = []
            execute = psycopg.Cursor.execute

            def note(cursor, query, *args, **kwargs):
                written.append(query if isinstance(query, str) else str(query))
                return execute(cursor, query, *args, **kwargs)

            monkeypatch.setattr(psycopg.Cursor, "execute", note)
        for name, hook in hooks:
            event.listen(db.engine, name, hook)
        try:
            matter = register(
                received_on=D(2026, 3, 3),
                parties=[
                    PartyInput(name="王大名", id_number=VALID_ID),
                    PartyInput(name="李小红", mobile="13700000000", is_lead=True),
                ],
                head_count=2,
            )
        finally:
            for name, hook in hooks:
                event.remove(db.engine, name, hook)
            monkeypatch.undo()
        matter_id = matter.id

        def rows(model, column=None):
            column = column if column is not None else model.matter_id
            value = str(matter_id) if column is AuditEvent.object_id else matter_id
            return db.session.execute(select(model).where(column == value)).scalars().all()

        parties = rows(MatterParty)
        assert len(parties) == 2
        # in the order they were entered (PostgreSQL's CTEs would not keep it by themselves)
        assert [p.is_lead for p in sorted(parties, key=lambda p: p.id)] == [False, True]
        assert [c.kind for c in rows(Clock)] == ["disposition"]
        entries = sorted((e.kind, e.title) for e in rows(TimelineEntry))
        assert entries == [("note", "信访人身份待核对"), ("transition", "登记（走访）")]
        assert "李小 小红 13700000000" in db.session.get(MatterIndex, matter_id).identity
        [event_row] = [
            e for e in rows(AuditEvent, AuditEvent.object_id) if e.object_type == "Matter"
        ]
        assert event_row.action == "matter.register"
        assert matter.number in event_row.summary
        # Values read back as their types: written as JSON (PostgreSQL) or by the driver (SQLite).
        db.session.expire_all()
        stored = db.session.get(Matter, matter_id)
        assert stored.received_on == D(2026, 3, 3) and stored.demands == ["补发拆迁补偿款"]
        assert stored.first_petition is True and stored.external_numbers == {}
        assert stored.created_at is not None and stored.flags == []
        [clock] = rows(Clock)
        assert clock.paused == [] and clock.start == D(2026, 3, 3) and clock.due > clock.start
        assert all(e.data == {} and e.at is not None for e in rows(TimelineEntry))
        # (Leaving out the test's own loading of the acting clerk.)
        written = [s for s in written if not s.startswith("SELECT core_user.")]
        matter_rows = [s for s in written if "core_matter " in s or "core_matter(" in s]
        if backend == "postgresql":
            # Two statements in all: the number, the known person and an id for the new one
            # (李小红); then the matter with her person row and every row pointing at it.
            assert len(written) == 2 and len(matter_rows) == 1
            assert "core_sequence" in written[0] and "core_person" in written[0]
            tables = ("core_person", "core_matter_party", "core_audit_event")
            assert all(t in matter_rows[0] for t in tables)
        else:
            # The driver's trace shows each row (and trigger step); the tables in turn:
            # the person, the matter, then each table pointing at it.
            inserts = [s.split()[2] for s in written if s.lstrip().upper().startswith("INSERT")]
            assert list(dict.fromkeys(inserts)) == [
                "core_person",
                "core_matter",
                "core_matter_party",
                "core_clock",
                "core_timeline_entry",
                "core_matter_index",
                "core_audit_event",
            ]
        people = {p.person_id: p.person for p in parties}
        assert sorted(p.name for p in people.values()) == ["李小红", "王大明"]
        new = next(p for p in people.values() if p.name == "李小红")
        assert new.mobile == "13700000000" and new.name_pinyin == "li xiao hong"
        assert new.version == 1 and new.id_number is None


def test_parties_with_one_id_number_are_one_person(app, backend):
    # Two parties typed with the same ID number (one of them a new person): one person row,
    # both parties point at it; a petitioner without an ID number is always a new person.
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Person))
        matter = register(
            received_on=D(2026, 3, 3),
            parties=[
                PartyInput(name="赵六", id_number=VALID_ID, mobile="13900000000"),
                PartyInput(name="赵六", id_number=VALID_ID.lower()),
                PartyInput(name="钱七"),
            ],
            head_count=3,
        )
        parties = (
            db.session.execute(
                select(MatterParty)
                .where(MatterParty.matter_id == matter.id)
                .order_by(MatterParty.id)
            )
            .scalars()
            .all()
        )
        assert len(parties) == 3 and parties[0].person_id == parties[1].person_id
        assert parties[2].person_id != parties[0].person_id
        assert db.session.scalar(select(func.count()).select_from(Person)) == before + 2
        assert parties[0].person.mobile == "13900000000"
        # Registered again: found by the number, not a third person.
        again = register(
            received_on=D(2026, 3, 4),
            parties=[PartyInput(name="赵六", id_number=VALID_ID, mobile="13900000001")],
        )
        [party] = (
            db.session.execute(select(MatterParty).where(MatterParty.matter_id == again.id))
            .scalars()
            .all()
        )
        assert party.person_id == parties[0].person_id
        assert party.person.mobile == "13900000001" and party.person.version == 2


def test_a_taken_query_code_is_drawn_again(app, monkeypatch):
    # The query code is not looked up before the insert: its unique index refuses a duplicate,
    # and the registration runs again (its number given back and drawn again: no gap).
    from core.cases.lifecycle import registration as services

    with app.app_context():
        first = register(received_on=D(2026, 3, 2))
        codes = iter([first.query_code, "ABCDEFGH23"])
        monkeypatch.setattr(services, "new_query_code", lambda: next(codes))
        second = register(received_on=D(2026, 3, 2))
        assert second.query_code == "ABCDEFGH23"
        assert second.number[-6:] == "000002"
        assert db.session.execute(select(func.count()).select_from(Matter)).scalar_one() == 2
        logged = db.session.execute(
            select(func.count()).where(
                TimelineEntry.matter_id == second.id, TimelineEntry.kind == "transition"
            )
        ).scalar_one()
        assert logged == 1
