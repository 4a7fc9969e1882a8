"""A higher-level letter's deadline is the matter's governing clock (REGULATION.md §1.9 row 14)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from core.api import Clock, db
from tests.kit import install_module, reply_chain

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
