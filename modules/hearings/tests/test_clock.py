"""The hearing pauses the matter's clock through core's lifecycle; nothing before its time.

Start → conclusion takes the stage's pausing and resuming steps (``perform``) in the hearing
action's own transaction: the due date moves by the hearing's days and the explanation names
the dates, with the stage named right (复核 / 复查 / 办理). On both databases.
"""

from __future__ import annotations

from datetime import date as D
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.api import today
from tests.kit import OPINION, as_, audit_actions, database_state, step, timeline_titles

from .hearing_kit import (
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
)


def _held(hid: int, **record):
    h = hearing(hid)
    services.record(
        h,
        h.version,
        services.Record(
            heard="信访人陈述诉求；承办单位说明事实与依据；双方质证辩论。",
            deliberation="听证员合议一致。",
            attended={p.id: True for p in h.participants},
            **record,
        ),
    )


def test_a_rereview_hearing_moves_the_due_date_by_its_days(app):
    setup(app)
    with app.app_context():
        # Fixed past dates so that no weekend or holiday moves the due date: the re-review is
        # asked on 2026-10-25, due 2026-11-24 (a Tuesday).
        mid = matter_at("rereview", received_on=D(2026, 10, 20))
        due_before = clock_of(mid, "reexam").due
        assert due_before == D(2026, 11, 24)
        with as_("officer"):
            h = services.schedule(
                matter(mid), plan(panelist_ids=[panelist("李代表").id, panelist("王教授").id])
            )
            hid = h.id
        # The notice went out at once, as a PDF frozen on the matter, naming time and room.
        (notice,) = docs(mid, "hearing_notice")
        text = pdf_text(notice)
        assert "听证通知书" in text and "第一听证室" in text and "复核阶段" in text

        # Before its start the hearing cannot be opened: refused, nothing changed.
        before = database_state("hearings", ("hearings_hearing", "core_clock"))
        with as_("officer"), pytest.raises(services.HearingError, match="开始前不能登记听证开始"):
            services.start(hearing(hid), hearing(hid).version)
        assert database_state("hearings", ("hearings_hearing", "core_clock")) == before
        assert matter(mid).state == "reexam_requested"

        # Time passes: the hearing was held on Monday 2026-11-02 and concluded on the 4th.
        start_day, end_day = D(2026, 11, 2), D(2026, 11, 4)
        time_passes(hid, (hearing(hid).span_from - start_day).days)
        with as_("officer"):
            services.start(hearing(hid), hearing(hid).version, on=start_day)
        assert matter(mid).state == "suspended"
        assert clock_of(mid, "reexam").state == "paused"
        # The written conclusion is due conclusion_days (20) after the start: a clock.
        conclusion_clock = clock_of(mid, "hearing_conclusion")
        assert (conclusion_clock.due, conclusion_clock.state) == (D(2026, 11, 22), "running")
        with as_("officer"):
            _held(hid)
            services.conclude(
                hearing(hid), hearing(hid).version, "应按协议补发补偿款。", on=end_day
            )
        h = hearing(hid)
        assert (h.status, h.span_from, h.span_until, h.excluded_days) == (
            "concluded",
            start_day,
            end_day,
            3,
        )
        m = matter(mid)
        assert m.state == "reexam_requested"
        reexam = clock_of(mid, "reexam")
        assert reexam.state == "running"
        assert reexam.due == D(2026, 11, 27)
        assert clock_of(mid, "hearing_conclusion").state == "met"
        assert "听证期间 2026-11-02 至 2026-11-04 共 3 日不计入期限" in reexam.explanation
        titles = timeline_titles(mid)
        assert "举行听证（复核期限中止）" in titles and "听证结束（复核期限恢复）" in titles
        (conclusion,) = docs(mid, "hearing_conclusion")
        text = pdf_text(conclusion)
        assert "听证结论书" in text and "应按协议补发补偿款" in text
        assert "听证期间2026-11-02至2026-11-04，共3日，不计入复核期限" in text
        assert "复核期限届满日由2026-11-24顺延至2026-11-27" in text
        assert "复查" not in text
        (rec,) = docs(mid, "hearing_record")
        text = pdf_text(rec)
        assert "听证笔录" in text and "李代表" in text and "已签名" in text
        assert {"matter.suspend_for_hearing", "matter.resume_after_hearing"} <= audit_actions(
            like="matter.%"
        )
        # The conclusion may be published (Art. 36 ¶2).
        with as_("officer"):
            services.publish(hearing(hid), hearing(hid).version)
        assert hearing(hid).published is True
        # The re-review opinion issued afterwards is the one the conclusion grounds.
        step(mid, "leader", "issue_reexam_opinion", **OPINION)
        h = hearing(hid)
        assert (h.opinion.level, h.opinion.hearing_held) == ("reexam", True)
        assert matter(mid).state == "terminated"


def test_a_review_hearing_pauses_the_review_clock_and_says_so(app):
    setup(app)
    with app.app_context():
        # Review asked 2026-10-23: due 2026-11-22, a Sunday, so 2026-11-23. A two-day hearing
        # takes the period to 2026-11-24 (the roll-over applies once, to the lengthened end).
        mid = matter_at("review", received_on=D(2026, 10, 20))
        assert clock_of(mid, "review").due == D(2026, 11, 23)
        with as_("officer"):
            hid = services.schedule(matter(mid), plan(panelist_ids=[panelist("张律师").id])).id
        assert hearing(hid).stage == "review"
        time_passes(hid, (hearing(hid).span_from - D(2026, 11, 2)).days)
        with as_("officer"):
            services.start(hearing(hid), hearing(hid).version, on=D(2026, 11, 2))
        assert matter(mid).state == "review_hearing"
        with as_("officer"):
            _held(hid)
            services.conclude(
                hearing(hid), hearing(hid).version, "维持原处理意见。", on=D(2026, 11, 3)
            )
        review = clock_of(mid, "review")
        assert (review.due, matter(mid).state) == (D(2026, 11, 24), "review_requested")
        assert "听证期间 2026-11-02 至 2026-11-03 共 2 日不计入期限" in review.explanation
        text = pdf_text(docs(mid, "hearing_conclusion")[0])
        assert "复查阶段" in text and "不计入复查期限" in text and "复核" not in text


def test_a_handling_hearing_leaves_the_clock_unless_the_setting_says(app):
    setup(app)
    with app.app_context():
        mid = matter_at("handling")
        due_before = clock_of(mid, "handling").due
        with as_("officer"):
            hid = services.schedule(matter(mid), plan(panelist_ids=[panelist("张律师").id])).id
        time_passes(hid, 9)
        with as_("officer"):
            services.start(hearing(hid), hearing(hid).version)
            assert matter(mid).state == "in_handling"
            _held(hid)
            services.conclude(hearing(hid), hearing(hid).version, "建议予以支持。")
        assert clock_of(mid, "handling").due == due_before
        text = pdf_text(docs(mid, "hearing_conclusion")[0])
        assert "办理期限不因听证中止" in text


def test_notice_fewer_days_ahead_than_the_setting_or_past_the_holding_period_is_refused(app):
    setup(app)
    with app.app_context():
        mid = matter_at("rereview")
        before = database_state("hearings", ("hearings_application",))
        with as_("officer"), pytest.raises(services.HearingError) as refused:
            services.schedule(matter(mid), plan(days_ahead=6))
        earliest = (today() + timedelta(days=7)).isoformat()
        assert refused.value.errors["scheduled_at"] == (
            f"听证通知须至少提前 7 日送达当事人，最早可安排在 {earliest}。"
        )
        assert database_state("hearings", ("hearings_application",)) == before
        assert docs(mid, "hearing_notice") == []
        # Nor later than the holding period after the decision to hold it (own motion: today).
        with as_("officer"), pytest.raises(services.HearingError) as refused:
            services.schedule(matter(mid), plan(days_ahead=31))
        last = (today() + timedelta(days=30)).isoformat()
        assert refused.value.errors["scheduled_at"] == (
            f"听证应自决定举行之日起 30 日内举行，最迟安排在 {last}。"
        )
        assert database_state("hearings", ("hearings_application",)) == before
        # The province's rule may be shorter: the setting decides.
        app.config["HEARINGS_NOTICE_DAYS"] = 5
        with as_("officer"):
            services.schedule(matter(mid), plan(days_ahead=6))
        n = db_count(models.Hearing)
        assert n == 1


def db_count(model) -> int:
    from core.api import db

    return db.session.execute(select(func.count()).select_from(model)).scalar_one()
