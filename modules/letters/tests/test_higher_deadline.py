"""A higher-level letter's deadline is the matter's governing clock (REGULATION.md §1.9 row 14)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from core.api import Clock, db
from tests.kit import Reminder, install_module, reply_chain, run_jobs, timeline_titles

from .test_desk import CLERK, _intake, _letter


def _clock(matter_id: int, kind: str) -> Clock:
    return db.session.execute(
        select(Clock).where(Clock.matter_id == matter_id, Clock.kind == kind)
    ).scalar_one()


def test_higher_deadline_is_the_matters_clock_and_prefills_the_assignment(app, as_user):
    install_module(app, "letters", users=CLERK)
    c = as_user("letters")
    deadline = date.today() + timedelta(days=20)
    resp = _intake(
        c,
        external_number="市信交〔2026〕301号",
        external_source="市信访局",
        external_deadline=deadline.isoformat(),
    )
    assert resp.status_code == 302
    matter_id, _letter_row = _letter(app, external_number="市信交〔2026〕301号")
    with app.app_context():
        clock = _clock(matter_id, "higher_deadline")
        assert (clock.due, clock.state) == (deadline, "running")
        assert clock.label == "上级交办期限（市信访局 市信交〔2026〕301号）"
        assert clock.explanation.startswith(f"上级机关来文规定的办理期限：{deadline.isoformat()}")
    page = as_user("supervisor").get(f"/cases/{matter_id}").get_data(as_text=True)
    assert "上级交办期限（市信访局 市信交〔2026〕301号）" in page
    # The assignment slip's deadline field offers the higher level's date.
    field = re.search(r'<input[^>]*name="assign-deadline"[^>]*>', page).group(0)
    assert f'value="{deadline.isoformat()}"' in field
    with app.app_context():
        reply_chain(matter_id, clerk="letters")
        assert _clock(matter_id, "higher_deadline").state == "met"


def test_a_letter_due_soon_is_reminded_once_by_core_not_again_by_letters(app, as_user):
    """Core's daily job reminds of the higher level's deadline; the letters module adds none."""
    install_module(app, "letters", users=CLERK)
    c = as_user("letters")
    soon = date.today() + timedelta(days=2)
    resp = _intake(
        c,
        external_number="市信交〔2026〕302号",
        external_source="市信访局",
        external_deadline=soon.isoformat(),
    )
    assert resp.status_code == 302
    matter_id, _letter_row = _letter(app, external_number="市信交〔2026〕302号")
    with app.app_context():
        before = timeline_titles(matter_id)

    # Every job of the day, as the scheduler runs them, twice (a repeated run adds nothing).
    for _ in range(2):
        ran = run_jobs(app)
        assert "core.case_clocks" in ran

    with app.app_context():
        reminders = list(
            db.session.execute(select(Reminder).where(Reminder.matter_id == matter_id)).scalars()
        )
        assert reminders, "core reminds of the higher level's deadline"
        # One reminder per recipient, of the higher level's clock, and nothing else.
        per_user = [r.user_id for r in reminders]
        assert len(per_user) == len(set(per_user))
        assert {(r.kind, r.clock_id) for r in reminders} == {
            ("due_soon", _clock(matter_id, "higher_deadline").id)
        }
        assert all("上级交办期限（市信访局 市信交〔2026〕302号）" in r.message for r in reminders)
        # No second 催办 of the same deadline on the timeline from the letters module.
        assert timeline_titles(matter_id) == before
