"""Calendar administration, recomputation of due dates, reminders and lapsed windows."""

from datetime import date, timedelta

from sqlalchemy import select

from core.audit import AuditEvent
from core.cases.clocks import calendar_admin, clocks, jobs
from core.cases.models import Clock, Matter, Reminder, TimelineEntry
from core.extensions import db
from tests.cases_support import agency, register, step, user
from tests.plugin import csrf_token


def _clock(matter_id: int, kind: str) -> Clock:
    return db.session.execute(
        select(Clock).where(Clock.matter_id == matter_id, Clock.kind == kind)
    ).scalar_one()


def test_calendar_change_recomputes_open_clocks_and_is_audited(app):
    with app.app_context():
        # A 60-day handling period accepted on 2026-11-20 ends in 2027, a provisional year.
        m = register(received_on=date(2026, 11, 19))
        step(m.id, "supervisor", "forward", on=date(2026, 11, 19), agency_id=agency("CJJ").id)
        step(m.id, "handler", "accept", on=date(2026, 11, 20))
        handling = _clock(m.id, "handling")
        assert handling.due == date(2027, 1, 19)
        assert handling.provisional
        assert "暂定" in handling.explanation
        # The State Council makes 2027-01-19 a holiday (hypothetical): the due date rolls on.
        change = calendar_admin.import_year(
            2027, "2027-01-01,节假日,元旦\n2027-01-19,节假日,测试假日\n", "测试通知"
        )
        handling = _clock(m.id, "handling")
        assert handling.due == date(2027, 1, 20)
        assert not handling.provisional
        assert any(mid == m.id and label == "办理期限" for mid, label, _, _ in change.moved)
        entries = (
            db.session.execute(select(TimelineEntry.title).where(TimelineEntry.matter_id == m.id))
            .scalars()
            .all()
        )
        assert any("重新计算" in t and "2027-01-20" in t for t in entries)
        event = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "calendar.change")
        ).scalar_one()
        assert event.detail["moved"][0]["after"] == "2027-01-20"
        # Removing the override brings the original date back.
        calendar_admin.clear_day(date(2027, 1, 19))
        assert _clock(m.id, "handling").due == date(2027, 1, 19)


def test_import_refuses_bad_lines_and_changes_nothing(app):
    with app.app_context():
        for text in (
            "2027-13-01,节假日,x",
            "2026-05-01,节假日,wrong year",
            "2027-02-01,假期,x",
            "",
        ):
            try:
                calendar_admin.import_year(2027, text, "x")
            except calendar_admin.CalendarError as exc:
                assert "行" in str(exc) or "没有" in str(exc)
            else:
                raise AssertionError(f"accepted {text!r}")
        db.session.rollback()
        assert clocks.load_calendar().info(date(2027, 2, 1)).provisional


def test_reminders_three_days_before_and_once_when_overdue(app):
    with app.app_context():
        received = clocks.today() - timedelta(days=13)
        m = register(received_on=received)
        disposition = _clock(m.id, "disposition")
        # 15 days from 13 days ago: due in 2 days (or a little later after a holiday roll-over).
        assert disposition.due >= clocks.today()
        on = disposition.due - timedelta(days=2)
        counts = jobs.remind(on)
        assert counts["due_soon"] >= 1
        clerk_and_supervisor = {user("clerk").id, user("supervisor").id}
        got = db.session.execute(select(Reminder).where(Reminder.matter_id == m.id)).scalars().all()
        assert {r.user_id for r in got} <= clerk_and_supervisor | {user("admin").id}
        assert user("supervisor").id in {r.user_id for r in got}
        # Running again the same day does nothing more (idempotent).
        assert jobs.remind(on) == {"due_soon": 0, "overdue": 0}
        late = disposition.due + timedelta(days=1)
        assert jobs.remind(late)["overdue"] >= 1
        assert jobs.remind(late)["overdue"] == 0
        # Triage after the deadline: the clock stays recorded as missed.
        step(m.id, "supervisor", "forward", agency_id=agency("CJJ").id)
        disposition = _clock(m.id, "disposition")
        if clocks.today() > disposition.due:
            assert disposition.state == "missed"


def test_lapsed_review_window_terminates_the_matter(app):
    with app.app_context():
        start = date(2026, 6, 1)
        m = register(received_on=start)
        step(m.id, "supervisor", "forward", on=start, agency_id=agency("CJJ").id)
        step(m.id, "handler", "accept", on=date(2026, 6, 2))
        step(
            m.id,
            "handler",
            "draft_opinion",
            on=date(2026, 6, 10),
            facts="经查",
            basis="依据",
            demands=[{"demand": "补发", "outcome": "not_support"}],
        )
        step(m.id, "cjj_leader", "approve_opinion", on=date(2026, 6, 11))
        step(
            m.id,
            "handler",
            "record_delivery",
            on=date(2026, 6, 12),
            method="post",
            delivered_on=date(2026, 6, 12),
        )
        window = _clock(m.id, "review_window")
        assert jobs.close_lapsed_windows(window.due) == 0
        assert jobs.close_lapsed_windows(window.due + timedelta(days=1)) == 1
        matter = db.session.get(Matter, m.id)
        assert matter.state == "terminated"
        assert "复查申请期届满" in matter.termination_reason
        assert _clock(m.id, "review_window").state == "lapsed"


def test_calendar_page_sets_a_day_with_csrf(app, as_user):
    admin = as_user("admin")
    page = admin.get("/admin/calendar?year=2027")
    assert page.status_code == 200
    assert "暂定" in page.get_data(as_text=True)
    token = csrf_token(admin, "/admin/calendar?year=2027")
    resp = admin.post(
        "/admin/calendar?year=2027",
        data={"csrf_token": token, "day": "2027-02-06", "kind": "makeup", "name": "春节调休"},
    )
    assert resp.status_code == 302
    assert "春节调休" in admin.get("/admin/calendar?year=2027").get_data(as_text=True)
    bad = admin.post(
        "/admin/calendar?year=2027",
        data={"csrf_token": token, "day": "not-a-date", "kind": "holiday"},
    )
    assert bad.status_code == 422
    assert as_user("clerk").get("/admin/calendar").status_code == 403


def test_registration_notices_a_calendar_changed_by_another_worker(app):
    # A registration computes its clock with the calendar this process last loaded and confirms
    # in the writing statement that the calendar tables did not change since; when another
    # worker changed them, it registers again with the new calendar (and no number is lost).
    from sqlalchemy import func, insert

    from core.cases.models import CalendarDay

    with app.app_context():
        first = register(received_on=date(2026, 7, 6))
        assert _clock(first.id, "disposition").due == date(2026, 7, 21)
        # Another worker makes 2026-07-21 a holiday (written here without this process's
        # calendar functions, so its copy of the calendar is now stale).
        db.session.execute(
            insert(CalendarDay).values(day=date(2026, 7, 21), kind="HOLIDAY", name="测试假日")
        )
        db.session.commit()
        second = register(received_on=date(2026, 7, 6))
        assert _clock(second.id, "disposition").due == date(2026, 7, 22)
        assert second.number[-6:] == "000002"
        count = select(func.count()).select_from(Matter)
        assert db.session.execute(count).scalar_one() == 2
