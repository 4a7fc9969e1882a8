"""Demo data of the evaluation module (``flask demo load``): periods with figures.

The month of the newest demo matter (and the year) are opened and computed as the demo user
``evaluator``, so the ranking, the drill-down lists, the scheme and the dashboard show the demo
case file's figures. Idempotent: nothing is added when a period already exists.
"""

from __future__ import annotations

from sqlalchemy import func, select

from core.api import Matter, User, acting_as, db, today

from .models import EvaluationPeriod


def load() -> None:
    """Open and compute this month's and this year's periods as the demo evaluator."""
    from . import services

    evaluator = db.session.execute(
        select(User).where(User.username == "evaluator")
    ).scalar_one_or_none()
    if evaluator is None or db.session.execute(select(EvaluationPeriod.id).limit(1)).first():
        return
    newest = db.session.execute(select(func.max(Matter.received_on))).scalar_one() or today()
    with acting_as(evaluator):
        for period_type in ("month", "year"):
            period = services.create_period("", newest, None, period_type=period_type)
            services.compute(period, period.version)
    db.session.commit()
