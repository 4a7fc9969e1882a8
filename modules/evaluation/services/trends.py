"""Scores over periods (the dashboard's trends and the bulletin's line chart)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from core.api import db

from ..models import EvaluationAdjustment, EvaluationPeriod, EvaluationScore
from .periods import shown_agencies


def trend(period_type: str, *, upto: EvaluationPeriod | None = None, last: int = 6, names: int = 7):
    """Labels of the last computed periods of ``period_type`` and each agency's totals over them.

    Only unit-scope, whole-tree, all-channel periods are compared (like with like). The
    ``names`` best agencies of the latest period are drawn; the reader's record rules apply.
    """
    stmt = select(EvaluationPeriod).where(
        EvaluationPeriod.period_type == period_type,
        EvaluationPeriod.computed_at.is_not(None),
        EvaluationPeriod.scope == "unit",
        EvaluationPeriod.root_agency_id.is_(None),
        EvaluationPeriod.channel.is_(None),
    )
    if upto is not None:
        stmt = stmt.where(EvaluationPeriod.starts_on <= upto.starts_on)
    chosen = list(
        db.session.execute(stmt.order_by(EvaluationPeriod.starts_on.desc()).limit(last)).scalars()
    )[::-1]
    if not chosen:
        return [], {}
    ids = [p.id for p in chosen]
    totals: dict[str, dict[int, float]] = defaultdict(dict)
    extra: dict[tuple[int, int], float] = defaultdict(float)
    for pid, aid, pts in db.session.execute(
        select(
            EvaluationAdjustment.period_id,
            EvaluationAdjustment.agency_id,
            EvaluationAdjustment.points,
        ).where(EvaluationAdjustment.period_id.in_(ids))
    ):
        extra[(pid, aid)] += pts
    shown = shown_agencies()
    for s in db.session.execute(
        select(EvaluationScore).where(EvaluationScore.period_id.in_(ids))
    ).scalars():
        if shown is None or s.agency_id in shown:
            totals[s.agency_name][s.period_id] = round(
                s.base_score + extra[(s.period_id, s.agency_id)], 2
            )
    latest = chosen[-1].id
    best = sorted(totals, key=lambda name: -totals[name].get(latest, -1))[:names]
    return [p.name for p in chosen], {n: [totals[n].get(pid) for pid in ids] for n in best}
