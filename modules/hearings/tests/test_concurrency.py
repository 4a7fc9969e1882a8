"""Two desks booking the same room for the same hour at once: one hearing, one refusal naming
the room (both backends)."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from core.api import acting_as, db
from tests.kit import user

from .hearing_kit import matter, matter_at, models, plan, services, setup


def test_double_booking_at_the_same_moment(app):
    setup(app)
    with app.app_context():
        mids = [matter_at("rereview"), matter_at("rereview")]
        db.session.remove()
    outcomes: list[str] = []
    failures: list[BaseException] = []
    start = threading.Barrier(2)

    def desk(mid: int, officer: str) -> None:
        try:
            with app.app_context(), acting_as(user(officer)):
                m = matter(mid)
                s = plan(presiding_officer_id=user(officer).id)
                start.wait(timeout=30)
                try:
                    services.schedule(m, s)
                    outcomes.append("scheduled")
                except services.HearingError as exc:
                    outcomes.append(str(exc))
                db.session.remove()
        except BaseException as exc:  # reported below, not lost in the thread
            failures.append(exc)

    threads = [
        threading.Thread(target=desk, args=(mid, name))
        for mid, name in zip(mids, ("officer", "officer2"), strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not failures, failures
    assert len(outcomes) == 2 and outcomes.count("scheduled") == 1
    refusal = next(o for o in outcomes if o != "scheduled")
    assert "听证室“第一听证室”此时段已被占用" in refusal
    with app.app_context():
        assert (
            db.session.execute(select(func.count()).select_from(models.Hearing)).scalar_one() == 1
        )
