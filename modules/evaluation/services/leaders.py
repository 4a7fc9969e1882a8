"""Leader cases (领导包案): the leader named on a matter's 交办单, with the share resolved.

Core records a leader on a matter only as the name on its assignment slip
(``AssignmentSlip.leader``, 交办单的领导); that is what is read here. §5.4's example target is
60% resolved per leader a year (``TARGET``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case, func, select

from core.api import STATES, AssignmentSlip, Matter, db

from ..indicators import facts, in_period, resolved
from ..models import EvaluationPeriod
from .periods import window

TARGET = 0.6


@dataclass
class LeaderCases:
    """One leader's cases in the period."""

    leader: str
    total: int
    resolved: int
    cases: list[tuple[int, str, str]] = field(default_factory=list)  # id, number, state label

    @property
    def rate(self) -> float:
        return self.resolved / self.total if self.total else 0.0

    @property
    def met(self) -> bool:
        return self.rate >= TARGET


def leader_cases(period: EvaluationPeriod) -> list[LeaderCases]:
    """Leaders with cases received in the period, most cases first."""
    w = window(period)
    f = facts(w)
    slips = (
        select(AssignmentSlip.matter_id, AssignmentSlip.leader)
        .where(AssignmentSlip.leader.is_not(None), AssignmentSlip.leader != "")
        .group_by(AssignmentSlip.matter_id, AssignmentSlip.leader)
        .subquery("slips")
    )
    rows = db.session.execute(
        select(
            slips.c.leader,
            func.count(),
            func.sum(case((resolved(f), 1), else_=0)),
        )
        .select_from(f.join(slips, slips.c.matter_id == f.c.id))
        .where(in_period(f))
        .group_by(slips.c.leader)
        .order_by(func.count().desc(), slips.c.leader)
    ).all()
    out = []
    for leader, total, done in rows:
        ids = select(slips.c.matter_id).where(slips.c.leader == leader)
        ids = ids.where(slips.c.matter_id.in_(select(f.c.id).where(in_period(f))))
        cases = [
            (m.id, m.number, STATES.get(m.state, m.state))
            for m in db.session.execute(
                select(Matter).where(Matter.id.in_(ids)).order_by(Matter.id).limit(50)
            ).scalars()
        ]
        out.append(LeaderCases(leader, int(total), int(done or 0), cases))
    return out
