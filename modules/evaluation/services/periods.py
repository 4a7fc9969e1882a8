"""Periods: opening one, computing its figures, adjusting, publishing, reading the ranking.

Every write is one unit of work (``transactional``) and is audited; a refusal
(``EvaluationError``, ``StaleEdit``) rolls it back. A published period is locked: it refuses
recomputation and adjustments, so the score people were told stays the score on file.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select

from core.api import (
    CHANNELS,
    Agency,
    current_actor,
    db,
    record_audit,
    today,
    transactional,
    utcnow,
    visible_agency_ids,
)

from .. import indicators
from ..indicators import SCOPES, Window
from ..models import (
    PERIOD_TYPES,
    EvaluationAdjustment,
    EvaluationPeriod,
    EvaluationScore,
)
from .common import EvaluationError, ensure_open
from .scheme import default_scheme, item_dict
from .scoring import base_score, item_points

MAX_ADJUSTMENT = 100.0


def bounds(period_type: str, day: date) -> tuple[date, date]:
    """The month, quarter or year that contains ``day``."""
    if period_type == "month":
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if period_type == "quarter":
        first = 3 * ((day.month - 1) // 3) + 1
        last = first + 2
        return date(day.year, first, 1), date(
            day.year, last, calendar.monthrange(day.year, last)[1]
        )
    if period_type == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    raise ValueError(period_type)


def default_name(period_type: str, starts_on: date) -> str:
    """2026年6月 / 2026年第2季度 / 2026年度."""
    if period_type == "month":
        return f"{starts_on.year}年{starts_on.month}月"
    if period_type == "quarter":
        return f"{starts_on.year}年第{(starts_on.month - 1) // 3 + 1}季度"
    return f"{starts_on.year}年度"


@transactional
def create_period(
    name: str,
    starts_on: date | None,
    ends_on: date | None,
    *,
    period_type: str = "custom",
    scope: str = "unit",
    root_agency_id: int | None = None,
    channel: str | None = None,
) -> EvaluationPeriod:
    """Open a new 考核期 on the default scheme.

    For a month, quarter or year ``starts_on`` may be any day in it (the bounds follow) and
    the name defaults to the period's; a custom period needs both dates.
    """
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if period_type not in PERIOD_TYPES:
        errors["period_type"] = "请选择考核期类型。"
    if scope not in SCOPES:
        errors["scope"] = "请选择考核对象。"
    if channel and channel not in CHANNELS:
        errors["channel"] = "请选择信访渠道。"
    if root_agency_id is not None and db.session.get(Agency, root_agency_id) is None:
        errors["root_agency_id"] = "请选择考核范围（单位）。"
    if starts_on is None:
        errors["starts_on"] = "请填写开始日期。"
    elif period_type in ("month", "quarter", "year"):
        starts_on, ends_on = bounds(period_type, starts_on)
        name = name or default_name(period_type, starts_on)
    if period_type == "custom" and ends_on is None:
        errors["ends_on"] = "请填写结束日期。"
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "结束日期不能早于开始日期。"
    if not name and "starts_on" not in errors:
        errors["name"] = "请填写考核期名称。"
    elif len(name) > 100:
        errors["name"] = "名称不能超过 100 字。"
    if errors:
        raise EvaluationError("考核期信息有误，请按提示修改。", errors)
    actor = current_actor()
    period = EvaluationPeriod(
        name=name,
        period_type=period_type,
        starts_on=starts_on,
        ends_on=ends_on,
        scope=scope,
        root_agency_id=root_agency_id,
        channel=channel or None,
        scheme_id=default_scheme().id,
        created_by_id=actor.id if actor else None,
    )
    db.session.add(period)
    db.session.flush()
    record_audit(
        "evaluation.period_created",
        period,
        f"建立考核期“{name}”（{starts_on} 至 {ends_on}）",
    )
    return period


def subtree(agency_id: int) -> frozenset[int]:
    """The agency and every agency under it (materialised paths)."""
    root = db.session.get(Agency, agency_id)
    return frozenset(
        db.session.execute(select(Agency.id).where(Agency.path.startswith(root.path))).scalars()
    )


def window(period: EvaluationPeriod, on: date | None = None) -> Window:
    """What a computation of ``period`` reads, judged as of ``on`` (default: as last computed)."""
    ids = subtree(period.root_agency_id) if period.root_agency_id else None
    actor = current_actor()
    if actor is not None:
        # Figures only of agencies the person computing may see (the evaluator: their bureau).
        visible = visible_agency_ids(actor)
        if visible is not None:
            ids = visible if ids is None else ids & visible
    return Window(
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        on=on or period.computed_as_of or today(),
        scope=period.scope,
        agency_ids=ids,
        channel=period.channel,
        basically_counts=period.scheme.basically_counts,
    )


@transactional
def compute(period: EvaluationPeriod, version: int | str | None, *, on: date | None = None):
    """(Re)compute every department's snapshot for ``period``; refused once published.

    One aggregate query over the case file (``indicators.compute``); clocks and rating windows
    are judged as of ``on`` (default today).
    """
    ensure_open(period, version)
    on = on or today()
    figures = indicators.compute(window(period, on))
    items = [item_dict(i) for i in period.scheme.indicators]
    # What installed modules record (relief paid, hearings held): shown with its matters, not
    # scored (weight 0), kept in the snapshot like every other figure.
    in_scheme = {i["code"] for i in items}
    items += [
        {
            "code": ind.code,
            "name": ind.name,
            "weight": 0,
            "target": None,
            "deduction": None,
            "deduction_unit": "point",
            "cap": None,
            "better": ind.better,
            "extra": True,
        }
        for ind in indicators.contributed()
        if ind.code not in in_scheme
    ]
    db.session.execute(delete(EvaluationScore).where(EvaluationScore.period_id == period.id))
    names = dict(
        db.session.execute(select(Agency.id, Agency.name).where(Agency.id.in_(list(figures)))).all()
    )
    now = utcnow()
    for agency_id, fig in figures.items():
        rows = []
        for item in items:
            num, den = fig.pairs.get(item["code"], (0, 0))
            rows.append(
                {
                    **item,
                    "numerator": num,
                    "denominator": den,
                    "rate": round(num / den, 4) if den else None,
                    "points": item_points(item, num, den) if item["weight"] else None,
                }
            )
        db.session.add(
            EvaluationScore(
                period_id=period.id,
                agency_id=agency_id,
                agency_name=names[agency_id],
                matters=fig.matters,
                indicators=rows,
                base_score=base_score(rows),
                computed_at=now,
            )
        )
    period.computed_at = now
    period.computed_as_of = on
    record_audit(
        "evaluation.computed",
        period,
        f"计算考核期“{period.name}”得分：{len(figures)} 个单位",
        as_of=on.isoformat(),
        departments=len(figures),
    )


@transactional
def add_adjustment(
    period: EvaluationPeriod,
    version: int | str | None,
    agency_id: int | None,
    points: float | None,
    reason: str,
) -> EvaluationAdjustment:
    """Record a 加减分 for a department that has a score in the period; reason mandatory."""
    ensure_open(period, version)
    errors: dict[str, str] = {}
    reason = (reason or "").strip()
    scored = {s.agency_id for s in scores(period)}
    if agency_id not in scored:
        errors["agency_id"] = "请选择本考核期已计算得分的责任单位。"
    if points is None or points == 0:
        errors["points"] = "请填写加减分值（加分为正数，减分为负数，不能为 0）。"
    elif abs(points) > MAX_ADJUSTMENT:
        errors["points"] = f"加减分值的绝对值不能超过 {MAX_ADJUSTMENT:g} 分。"
    if not reason:
        errors["reason"] = "加减分必须填写理由。"
    elif len(reason) > 2000:
        errors["reason"] = "理由不能超过 2000 字。"
    if errors:
        raise EvaluationError("加减分信息有误，请按提示修改。", errors)
    actor = current_actor()
    adjustment = EvaluationAdjustment(
        period_id=period.id,
        agency_id=agency_id,
        points=round(float(points), 2),
        reason=reason,
        created_by_id=actor.id if actor else None,
    )
    db.session.add(adjustment)
    # Touch the period so its version moves: a form rendered before this adjustment is stale.
    period.updated_at = utcnow()
    db.session.flush()
    record_audit(
        "evaluation.adjusted",
        adjustment,
        f"考核期“{period.name}”{'加' if points > 0 else '减'}{abs(points):g}分：{reason}",
        period_id=period.id,
        agency_id=agency_id,
        points=adjustment.points,
        reason=reason,
    )
    return adjustment


@transactional
def publish(period: EvaluationPeriod, version: int | str | None) -> None:
    """Publish the period's ranking; it is locked from then on."""
    ensure_open(period, version)
    if period.computed_at is None:
        raise EvaluationError("尚未计算得分，不能发布。请先计算。")
    actor = current_actor()
    period.state = "published"
    period.published_at = utcnow()
    period.published_by_id = actor.id if actor else None
    record_audit("evaluation.published", period, f"发布考核期“{period.name}”考核结果")


# --- reading ---------------------------------------------------------------------------------


def shown_agencies() -> frozenset[int] | None:
    """Agencies whose figures the current user may read (None: all).

    A bureau-wide reader (the evaluator, a leader) sees every department; a department head or
    handler sees their own agency and its subtree: the same record rules as the case file.
    """
    actor = current_actor()
    return None if actor is None else visible_agency_ids(actor)


def scores(period: EvaluationPeriod) -> list[EvaluationScore]:
    """The period's snapshot rows the current user may read."""
    stmt = select(EvaluationScore).where(EvaluationScore.period_id == period.id)
    shown = shown_agencies()
    if shown is not None:
        stmt = stmt.where(EvaluationScore.agency_id.in_(sorted(shown)))
    return list(db.session.execute(stmt).scalars())


def adjustments(period: EvaluationPeriod) -> list[EvaluationAdjustment]:
    """The period's adjustments the current user may read, oldest first."""
    stmt = (
        select(EvaluationAdjustment)
        .where(EvaluationAdjustment.period_id == period.id)
        .order_by(EvaluationAdjustment.id)
    )
    shown = shown_agencies()
    if shown is not None:
        stmt = stmt.where(EvaluationAdjustment.agency_id.in_(sorted(shown)))
    return list(db.session.execute(stmt).scalars())


@dataclass(frozen=True)
class Ranked:
    """One line of the ranked table."""

    rank: int
    score: EvaluationScore
    adjustment: float
    total: float


def ranking(period: EvaluationPeriod) -> list[Ranked]:
    """Departments by total (base + adjustments), highest first; equal totals share a rank.

    Ranks are over every department of the period, also when the reader sees only their own.
    """
    every = list(
        db.session.execute(
            select(EvaluationScore).where(EvaluationScore.period_id == period.id)
        ).scalars()
    )
    extra: dict[int, float] = defaultdict(float)
    for agency_id, points in db.session.execute(
        select(EvaluationAdjustment.agency_id, EvaluationAdjustment.points).where(
            EvaluationAdjustment.period_id == period.id
        )
    ):
        extra[agency_id] += points
    lines = sorted(
        ((round(s.base_score + extra[s.agency_id], 2), s) for s in every),
        key=lambda pair: (-pair[0], pair[1].agency_name),
    )
    out: list[Ranked] = []
    for position, (total, score) in enumerate(lines, start=1):
        rank = out[-1].rank if out and out[-1].total == total else position
        out.append(Ranked(rank, score, round(extra[score.agency_id], 2), total))
    shown = shown_agencies()
    return [r for r in out if shown is None or r.score.agency_id in shown]


def periods() -> list[EvaluationPeriod]:
    """All periods, newest first."""
    return list(
        db.session.execute(
            select(EvaluationPeriod).order_by(
                EvaluationPeriod.starts_on.desc(), EvaluationPeriod.id.desc()
            )
        ).scalars()
    )
