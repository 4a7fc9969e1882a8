"""Bulletins (通报): the scores table, charts, named overdue and sent-back cases, as a kept PDF.

A bulletin is issued for a published period only (the figures it names are locked) and is kept
as rendered: the PDF bytes in ``evaluation_bulletin``, never re-rendered. The monthly and
year-end job (``scheduled``) opens the previous month's or year's period when none exists,
computes, publishes and issues it; a period an evaluator opened themselves is theirs to publish.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import has_request_context, url_for
from sqlalchemy import and_, select

from core.api import (
    STATES,
    AssignmentSlip,
    Matter,
    current_actor,
    db,
    record_audit,
    render_pdf,
    today,
    transactional,
)

from .. import charts, indicators
from ..models import BULLETIN_KINDS, EvaluationBulletin, EvaluationPeriod
from .common import EvaluationError
from .periods import bounds, compute, create_period, default_name, ranking, window
from .trends import trend

NAMED_LIMIT = 200  # cases named in one bulletin (the rest are counted, reachable by drill-down)


def _link(endpoint: str, **values) -> str | None:
    """An absolute link to a page (only when issued from a request: a job knows no host)."""
    if not has_request_context():
        return None
    return url_for(endpoint, _external=True, **values)


def named_cases(period: EvaluationPeriod) -> dict[str, list[dict]]:
    """Overdue cases (按期办结 counted against: late or overdue) and sent-back ones (退回重办)."""
    w = window(period)
    overdue: list[dict] = []
    for line in ranking(period):
        agency_id = line.score.agency_id
        hits = indicators.matching(w, agency_id, "on_time_completion", "denominator")
        good = indicators.matching(w, agency_id, "on_time_completion", "numerator")
        rows = db.session.execute(
            select(Matter.id, Matter.number, Matter.state)
            .where(Matter.id.in_(hits), Matter.id.not_in(good))
            .order_by(Matter.received_on, Matter.id)
            .limit(NAMED_LIMIT)
        ).all()
        overdue += [
            {"agency": line.score.agency_name, "number": n, "state": STATES.get(s, s),
             "link": _link("core.matter_view", matter_id=i)}
            for i, n, s in rows
        ]  # fmt: skip
    agencies = {line.score.agency_id: line.score.agency_name for line in ranking(period)}
    slips = db.session.execute(
        select(Matter.id, Matter.number, AssignmentSlip.responsible_agency_id,
               AssignmentSlip.sent_back_count)
        .join(AssignmentSlip, AssignmentSlip.matter_id == Matter.id)
        .where(
            and_(Matter.received_on >= period.starts_on, Matter.received_on <= period.ends_on),
            AssignmentSlip.sent_back_count > 0,
            AssignmentSlip.responsible_agency_id.in_(list(agencies)),
        )
        .order_by(Matter.received_on, Matter.id)
        .limit(NAMED_LIMIT)
    ).all()  # fmt: skip
    sent_back = [
        {"agency": agencies[a], "number": n, "times": t,
         "link": _link("core.matter_view", matter_id=i)}
        for i, n, a, t in slips
    ]  # fmt: skip
    return {"overdue": overdue[:NAMED_LIMIT], "sent_back": sent_back}


def bulletin_context(period: EvaluationPeriod) -> dict:
    """What the bulletin PDF (and the dashboard's charts) show for ``period``."""
    lines = ranking(period)
    bars = charts.bar_chart([(r.score.agency_name, r.total) for r in lines], title="各单位考核总分")
    labels, series = trend(period.period_type, upto=period, names=5)
    line = charts.line_chart(labels, series, title="总分走势") if labels else None
    links = {
        r.score.agency_id: {
            row["code"]: {
                part: _link("evaluation.drill", period_id=period.id,
                            agency_id=r.score.agency_id, code=row["code"], part=part)
                for part in ("numerator", "denominator")
            }
            for row in r.score.indicators
        }
        for r in lines
    }  # fmt: skip
    return {
        "period": period,
        "ranking": lines,
        "items": [i for i in period.scheme.indicators if i.weight],
        "bar_chart": bars,
        "line_chart": line,
        "named": named_cases(period),
        "links": links,
        "issued_on": today(),
    }


@transactional
def issue(period: EvaluationPeriod, kind: str = "manual") -> EvaluationBulletin:
    """Render and keep the bulletin of a published period."""
    if not period.published:
        raise EvaluationError("考核期发布后才能印发通报。")
    if kind not in BULLETIN_KINDS:
        raise EvaluationError("通报类型无效。")
    title = f"关于{period.name}信访工作考核情况的通报"
    pdf = render_pdf("evaluation/pdf/bulletin.html", {**bulletin_context(period), "title": title})
    actor = current_actor()
    bulletin = EvaluationBulletin(
        period_id=period.id,
        kind=kind,
        title=title,
        pdf=pdf,
        issued_by_id=actor.id if actor else None,
    )
    db.session.add(bulletin)
    db.session.flush()
    record_audit("evaluation.bulletin_issued", bulletin, f"印发{title}", period_id=period.id)
    return bulletin


def bulletins(period: EvaluationPeriod | None = None) -> list[EvaluationBulletin]:
    """Bulletins issued (of one period, or all), newest first; the PDF bytes are not loaded."""
    from sqlalchemy.orm import defer

    stmt = select(EvaluationBulletin).options(defer(EvaluationBulletin.pdf))
    if period is not None:
        stmt = stmt.where(EvaluationBulletin.period_id == period.id)
    return list(db.session.execute(stmt.order_by(EvaluationBulletin.id.desc())).scalars())


def _scheduled(period_type: str, kind: str, day: date) -> EvaluationBulletin | None:
    starts_on, ends_on = bounds(period_type, day)
    period = db.session.execute(
        select(EvaluationPeriod).where(
            EvaluationPeriod.period_type == period_type,
            EvaluationPeriod.starts_on == starts_on,
            EvaluationPeriod.scope == "unit",
            EvaluationPeriod.root_agency_id.is_(None),
            EvaluationPeriod.channel.is_(None),
        )
    ).scalars().first()  # fmt: skip
    if period is not None and (not period.published or bulletins(period)):
        return None  # an evaluator's draft, or already issued: nothing to do (idempotent)
    if period is None:
        period = create_period(default_name(period_type, starts_on), starts_on, ends_on,
                               period_type=period_type)  # fmt: skip
        compute(period, period.version)
        from .periods import publish

        publish(period, period.version)
    return issue(period, kind)


def scheduled() -> None:
    """The job: the previous month's bulletin; in January also the previous year's (年终)."""
    first = today().replace(day=1)
    _scheduled("month", "monthly", first - timedelta(days=1))
    if first.month == 1:
        _scheduled("year", "year_end", first - timedelta(days=1))


@transactional
def publish_and_issue(period: EvaluationPeriod, version) -> EvaluationBulletin:
    """Publish the period and issue its bulletin: one action, one transaction."""
    from .periods import publish

    publish(period, version)
    return issue(period)
