"""Each refusal and outcome, with the state shown unchanged after a refusal (both databases).

Presiding officer who handled the case, double-booked room and person, a room over capacity,
held before its start, a no-show and its consequence; a late application, its acceptance only
with a reason, and the written refusal.
"""

from __future__ import annotations

from datetime import date as D
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.api import MatterError, Role, db, perform, today
from tests.kit import (
    OPINION,
    add_user,
    agency,
    as_,
    audit_actions,
    database_state,
    register,
    step,
    timeline_titles,
    user,
)

from .hearing_kit import (
    at,
    clock_of,
    docs,
    hearing,
    matter,
    matter_at,
    models,
    panelist,
    pdf_text,
    plan,
    services,
    setup,
    time_passes,
    venue,
)

ROWS = ("hearings_hearing", "hearings_application", "hearings_participant", "core_matter")


def do(call, username: str = "officer"):
    """Run ``call`` as ``username`` (each action with a fresh actor, as each request has)."""
    with as_(username):
        return call()


def refused(call, field: str | None = None, username: str = "officer"):
    """Run ``call`` expecting a HearingError; the database is left as it was.

    (The refused unit of work ends the session: objects are fetched again afterwards.)
    """
    before = database_state("hearings", ROWS)
    with as_(username), pytest.raises(services.HearingError) as exc:
        call()
    assert database_state("hearings", ROWS) == before
    return exc.value if field is None else exc.value.errors[field]


def application(aid: int):
    a = db.session.get(models.Application, aid)
    db.session.refresh(a)
    return a


def test_who_may_preside_and_clashes_of_room_person_and_capacity(app):
    setup(app)
    with app.app_context():
        mid = matter_at("rereview")
        other = matter_at("rereview")
        # The community handler handled and drafted the opinion: never the presiding officer
        # (put on the officers' roster for the test, so that only this rule refuses).
        handler = user("comm_handler")
        role = db.session.execute(select(Role).where(Role.code == "hearing_officer")).scalar_one()
        handler.roles.append(role)
        handler_id = handler.id
        db.session.commit()
        message = refused(
            lambda: services.schedule(matter(mid), plan(presiding_officer_id=handler_id)),
            "presiding_officer_id",
        )
        assert message == "主持人不得由办理或调查该信访事项的人员担任。"

        hid = do(
            lambda: services.schedule(matter(mid), plan(panelist_ids=[panelist("李代表").id]))
        ).id
        first = hearing(hid)
        start, until = first.starts, first.until
        when = services.when(start)

        # Same room, overlapping hour (another officer): refused, the room and time named.
        exc = refused(
            lambda: services.schedule(
                matter(other),
                plan(
                    scheduled_at=start + timedelta(hours=1),
                    presiding_officer_id=user("officer2").id,
                ),
            )
        )
        assert "听证室“第一听证室”此时段已被占用" in str(exc) and when in str(exc)
        # Same officer in another room at the same hour: refused, the person named.
        exc = refused(lambda: services.schedule(matter(other), plan(venue_id=venue("小会议室").id)))
        assert "听证主持人甲此时段已有已安排的听证" in str(exc)
        # Same panel member: refused, the member named.
        exc = refused(
            lambda: services.schedule(
                matter(other),
                plan(
                    venue_id=venue("小会议室").id,
                    presiding_officer_id=user("officer2").id,
                    panelist_ids=[panelist("李代表").id],
                ),
            )
        )
        assert "听证员李代表此时段已有已安排的听证" in str(exc)
        # The small room seats 4: presiding officer, clerk and three members are 5.
        exc = refused(
            lambda: services.schedule(
                matter(other),
                plan(
                    scheduled_at=at(today() + timedelta(days=9)),
                    venue_id=venue("小会议室").id,
                    presiding_officer_id=user("officer2").id,
                    clerk_id=user("hclerk").id,
                    panelist_ids=[panelist(n).id for n in ("李代表", "张律师", "王教授")],
                ),
            )
        )
        assert str(exc) == "听证室“小会议室”只能容纳 4 人，本次听证需 5 人。"
        # Right after the first one ends, the same room and officer are free.
        do(lambda: services.schedule(matter(other), plan(scheduled_at=until)))
        assert {h.status for h in db.session.execute(select(models.Hearing)).scalars()} == {
            "planned"
        }


def test_nothing_is_held_before_its_start_and_a_no_show_waives_the_hearing(app):
    setup(app)
    with app.app_context():
        mid = matter_at("rereview")
        hid = do(
            lambda: services.schedule(matter(mid), plan(panelist_ids=[panelist("王教授").id]))
        ).id
        do(
            lambda: services.add_participant(
                hearing(hid), hearing(hid).version, "petitioner", "王大明"
            )
        )
        for call in (
            lambda: services.start(hearing(hid), hearing(hid).version),
            lambda: services.no_show(hearing(hid), hearing(hid).version, ""),
        ):
            assert "开始前不能" in str(refused(call))
        # Recording or concluding a hearing not opened is refused as well.
        record = services.Record(heard="笔录", attended={})
        assert "不能再做此操作" in str(
            refused(lambda: services.record(hearing(hid), hearing(hid).version, record))
        )
        assert "不能再做此操作" in str(
            refused(lambda: services.conclude(hearing(hid), hearing(hid).version, "结论"))
        )
        time_passes(hid, 9)
        do(lambda: services.start(hearing(hid), hearing(hid).version))
        assert matter(mid).state == "suspended"
        # The petitioner is absent: the record is refused, pointing at the no-show.
        h = hearing(hid)
        absent = services.Record(
            heard="笔录", attended={p.id: p.role != "petitioner" for p in h.participants}
        )
        message = refused(lambda: services.record(hearing(hid), h.version, absent), "heard")
        assert "未到场" in message
        do(
            lambda: services.no_show(
                hearing(hid), hearing(hid).version, "信访人经通知无正当理由未到场"
            )
        )
        h = hearing(hid)
        assert (h.status, h.application.status) == ("no_show", "waived")
        assert matter(mid).state == "reexam_requested"
        assert clock_of(mid, "reexam").state == "running"
        # No conclusion is owed any more: its clock is cancelled, neither met nor missed.
        assert clock_of(mid, "hearing_conclusion").state == "cancelled"
        assert "信访人未到场（视为放弃听证）" in timeline_titles(mid)
        assert "hearings.no_show" in audit_actions(like="hearings.%")


def test_a_late_application_is_recorded_as_late_and_refused_in_writing(app):
    setup(app)
    with app.app_context():
        mid = matter_at("review")
        aid = do(
            lambda: services.apply(
                matter(mid),
                told_on=today() - timedelta(days=10),
                applied_on=today() - timedelta(days=2),
                reason="complex",
                grounds="认为复查机关认定事实不清，申请听证。",
            )
        ).id
        a = application(aid)
        assert (a.late, a.status) == (True, "pending")
        assert "收到听证申请（逾期）" in timeline_titles(mid)
        # The decision is due decision_days (15) after the application: a clock of the matter.
        decision = clock_of(mid, "hearing_decision")
        assert (decision.due, decision.state) == (today() + timedelta(days=13), "running")
        # Accepting it needs the reason it came late; refused without, nothing changed.
        message = refused(lambda: services.accept(application(aid), a.version, ""), "late_reason")
        assert message.startswith("该申请已逾期，视为放弃听证")
        do(
            lambda: services.refuse(
                application(aid), a.version, "逾期申请，且无不可抗力等正当理由。"
            )
        )
        assert application(aid).status == "refused"
        assert clock_of(mid, "hearing_decision").state == "met"
        (doc,) = docs(mid, "hearing_refusal")
        text = pdf_text(doc)
        assert "不予受理听证通知书" in text and "逾期申请，且无不可抗力等正当理由" in text
        assert "视为放弃听证" in text and "复查阶段" in text


def test_an_application_in_time_is_accepted_and_scheduled_from(app):
    setup(app)
    with app.app_context():
        mid = matter_at("rereview")
        aid = do(
            lambda: services.apply(
                matter(mid),
                told_on=today() - timedelta(days=3),
                applied_on=today(),
                reason="major",
                grounds="申请听证",
            )
        ).id
        assert application(aid).late is False
        # A second application while one is open is refused.
        refused(
            lambda: services.apply(
                matter(mid), told_on=None, applied_on=today(), reason="major", grounds="再次"
            ),
            "matter",
        )
        do(lambda: services.accept(application(aid), application(aid).version))
        hid = do(
            lambda: services.schedule(matter(mid), plan(), services.open_application(matter(mid)))
        ).id
        h = hearing(hid)
        assert (h.application_id, h.application.status, h.application.origin) == (
            aid,
            "scheduled",
            "petitioner",
        )
        assert "受理听证申请" in timeline_titles(mid)


def test_own_motion_hearing_and_no_opinion_before_the_conclusion(app):
    setup(app)
    with app.app_context():
        mid = matter_at("rereview")
        hid = do(lambda: services.schedule(matter(mid), plan())).id
        assert (hearing(hid).application.origin, hearing(hid).application.status) == (
            "own_motion",
            "scheduled",
        )
        with (
            as_("leader"),
            pytest.raises(MatterError, match="听证尚未作出结论，不能出具复核意见书"),
        ):
            m = matter(mid)
            perform(m, "issue_reexam_opinion", dict(OPINION), version=m.version)
        assert matter(mid).state == "reexam_requested"


def test_recusal_granted_takes_the_member_off_refused_keeps_them(app):
    setup(app)
    with app.app_context():
        mid = matter_at("rereview")
        members = [panelist("李代表").id, panelist("张律师").id]
        hid = do(lambda: services.schedule(matter(mid), plan(panelist_ids=members))).id
        first, second = (p.id for p in hearing(hid).participants)
        message = refused(
            lambda: services.recusal(hearing(hid), hearing(hid).version, first, "", True),
            "recusal_reason",
        )
        assert message == "请填写申请回避的理由。"
        do(
            lambda: services.recusal(
                hearing(hid), hearing(hid).version, first, "系信访人的近亲属", True
            )
        )
        do(lambda: services.recusal(hearing(hid), hearing(hid).version, second, "无依据", False))
        assert [p.name for p in hearing(hid).participants] == ["张律师"]
        titles = timeline_titles(mid)
        assert "回避申请（准予回避）" in titles and "回避申请（不予准许）" in titles


def test_a_repeat_petition_is_not_terminated_without_a_hearing_where_mandatory(app):
    setup(app, HEARINGS_MANDATORY_FOR_REPEAT=True)
    with app.app_context():
        original = matter_at("rereview")
        repeat = register(repeat_of_id=original).id
        # The repeat petition goes the same way up to the re-review.
        step(repeat, "supervisor", "forward", agency_id=agency("COMM").id)
        step(repeat, "comm_handler", "accept")
        step(repeat, "comm_handler", "draft_opinion", **OPINION)
        step(repeat, "leader", "approve_opinion")
        step(repeat, "comm_handler", "record_delivery", method="in_person")
        step(repeat, "leader", "request_review")
        step(repeat, "leader", "issue_review_opinion", **OPINION)
        step(repeat, "leader", "request_reexam")
        with (
            as_("leader"),
            pytest.raises(MatterError, match="重复信访，按规定复核终结前须举行听证"),
        ):
            r = matter(repeat)
            perform(r, "issue_reexam_opinion", dict(OPINION), version=r.version)
        assert matter(repeat).state == "reexam_requested"
        # The original (not a repeat) is terminated without one.
        step(original, "leader", "issue_reexam_opinion", **OPINION)
        assert matter(original).state == "terminated"


def test_core_refusing_the_pause_leaves_the_hearing_unopened(app):
    """One transaction: an officer outside the re-review organ opens the hearing; core refuses
    its pausing step, and the hearing is not opened either."""
    setup(app)
    with app.app_context():
        add_user("xfj_officer", "信访局听证员", "hearing_officer", "XFJ")
        mid = matter_at("rereview")
        room = do(
            lambda: services.save_venue(
                None, None, name="信访局听证室", capacity=10, agency_id=agency("XFJ").id
            ),
            "supervisor",
        ).id
        s = plan(venue_id=room)
        hid = do(lambda: services.schedule(matter(mid), s), "xfj_officer").id
        time_passes(hid, 9)
        exc = refused(
            lambda: services.start(hearing(hid), hearing(hid).version), username="xfj_officer"
        )
        assert str(exc) == "只有复核机关（城关县）或其上级机关的人员可以办理此步骤。"
        assert (hearing(hid).status, hearing(hid).started_on) == ("planned", None)
        assert matter(mid).state == "reexam_requested"
        assert "听证开始" not in timeline_titles(mid)


def test_a_postponement_needs_its_reason_and_a_new_notice(app):
    setup(app)
    with app.app_context():
        mid = matter_at("rereview")
        hid = do(lambda: services.schedule(matter(mid), plan())).id
        later = plan(days_ahead=12)
        message = refused(
            lambda: services.reschedule(hearing(hid), hearing(hid).version, later),
            "change_reason",
        )
        assert message.startswith("延期举行听证须说明理由")
        do(
            lambda: services.reschedule(
                hearing(hid), hearing(hid).version, plan(days_ahead=12), "需要补充鉴定"
            )
        )
        assert "延期举行听证" in timeline_titles(mid)
        assert len(docs(mid, "hearing_notice")) == 2


def test_the_window_in_working_days_where_the_setting_says(app):
    setup(app)
    with app.app_context():
        told = D(2026, 11, 6)  # a Friday: 7 days end on 11-13, 7 working days on 11-17
        assert services.window_end(told) == D(2026, 11, 13)
        app.config["HEARINGS_APPLICATION_WINDOW_UNIT"] = "working"
        assert services.window_end(told) == D(2026, 11, 17)
        mid = matter_at("review", received_on=D(2026, 10, 20))
        aid = do(
            lambda: services.apply(
                matter(mid),
                told_on=told,
                applied_on=D(2026, 11, 16),
                reason="major",
                grounds="申请听证",
            )
        ).id
        assert application(aid).late is False


def test_a_suspension_needs_its_reason_and_keeps_the_clock_paused_until_resumed(app):
    setup(app)
    with app.app_context():
        mid = matter_at("rereview")
        hid = do(lambda: services.schedule(matter(mid), plan())).id
        time_passes(hid, 9)
        do(lambda: services.start(hearing(hid), hearing(hid).version))
        message = refused(
            lambda: services.suspend(hearing(hid), hearing(hid).version, " "), "suspend_reason"
        )
        assert message.startswith("中止听证须说明理由")
        do(lambda: services.suspend(hearing(hid), hearing(hid).version, "需要重新鉴定房屋面积"))
        h = hearing(hid)
        assert (h.status, h.suspend_reason) == ("suspended", "需要重新鉴定房屋面积")
        # Still the hearing's time: the matter stays paused, no record while suspended.
        assert (matter(mid).state, clock_of(mid, "reexam").state) == ("suspended", "paused")
        record = services.Record(heard="笔录", attended={})
        assert "不能再做此操作" in str(
            refused(lambda: services.record(hearing(hid), hearing(hid).version, record))
        )
        do(lambda: services.resume(hearing(hid), hearing(hid).version))
        assert hearing(hid).status == "in_session"
        assert {"听证中止", "恢复听证"} <= set(timeline_titles(mid))
        assert {"hearings.suspend", "hearings.resume"} <= audit_actions(like="hearings.%")


def test_a_closed_hearing_needs_its_reason_and_an_agent_the_power_of_attorney(app):
    setup(app)
    with app.app_context():
        mid = matter_at("rereview")
        message = refused(
            lambda: services.schedule(matter(mid), plan(public=False)), "closed_reason"
        )
        assert message == "不公开听证须说明理由（涉及国家秘密或个人隐私）。"
        hid = do(
            lambda: services.schedule(matter(mid), plan(public=False, closed_reason="涉及个人隐私"))
        ).id
        assert (hearing(hid).public, hearing(hid).closed_reason) == (False, "涉及个人隐私")
        message = refused(
            lambda: services.add_participant(hearing(hid), hearing(hid).version, "agent", "李律师"),
            "power_of_attorney",
        )
        assert message == "委托代理人须事先提交授权委托书。"
        for role, name, poa in (("agent", "李律师", True), ("witness", "赵邻居", False)):
            do(
                lambda role=role, name=name, poa=poa: services.add_participant(
                    hearing(hid), hearing(hid).version, role, name, power_of_attorney=poa
                )
            )
        assert [(p.role, p.power_of_attorney) for p in hearing(hid).participants] == [
            ("agent", True),
            ("witness", False),
        ]
