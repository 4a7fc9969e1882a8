"""Business rules of the evaluation module: periods, computation, adjustments, publishing.

Every write is one unit of work (``transactional``) and is audited; a refusal
(``EvaluationError``, ``StaleEdit``) rolls it back. A published period is locked: it refuses
recomputation and adjustments, so the score people were told stays the score on file.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from core.api import (
    ActionRefused,
    Agency,
    Matter,
    check_version,
    current_actor,
    db,
    rating_statuses,
    record_audit,
    today,
    transactional,
    utcnow,
)

from .models import (
    INDICATORS,
    EvaluationAdjustment,
    EvaluationIndicator,
    EvaluationPeriod,
    EvaluationScheme,
    EvaluationScore,
)

DEFAULT_SCHEME = "默认考核方案"
#: The default weights (REGULATION.md §5.3/§5.4 leave them to local choice; they sum to 100).
DEFAULT_WEIGHTS = (
    ("timely_acceptance", 25),
    ("on_time_completion", 35),
    ("satisfaction", 30),
    ("participation", 10),
)
MAX_ADJUSTMENT = 100.0
PUBLISHED = "该考核期已发布，结果已锁定，不能再计算或加减分。"


class EvaluationError(ActionRefused):
    """A refused action; ``errors`` maps form fields to Chinese messages."""


def seed() -> None:
    """Create the default scheme once (the installer calls this on first install only)."""
    if db.session.execute(select(EvaluationScheme.id).limit(1)).first() is not None:
        return
    scheme = EvaluationScheme(name=DEFAULT_SCHEME, basically_counts=True, is_default=True)
    for position, (code, weight) in enumerate(DEFAULT_WEIGHTS):
        scheme.indicators.append(
            EvaluationIndicator(code=code, name=INDICATORS[code], weight=weight, position=position)
        )
    db.session.add(scheme)
    db.session.flush()


def default_scheme() -> EvaluationScheme:
    """The scheme new periods use (seeded on install)."""
    scheme = (
        db.session.execute(
            select(EvaluationScheme).order_by(
                EvaluationScheme.is_default.desc(), EvaluationScheme.id
            )
        )
        .scalars()
        .first()
    )
    if scheme is None:
        # Installed before seeding ran (or the row was removed): recreate rather than fail.
        seed()
        return default_scheme()
    return scheme


@transactional
def update_scheme(
    scheme: EvaluationScheme,
    version: int | str | None,
    weights: dict[int, str | None],
    basically_counts: bool,
) -> None:
    """Change the weights (by indicator id) and the 基本满意 rule; weights must sum to 100."""
    check_version(scheme, version)
    errors: dict[str, str] = {}
    parsed: dict[int, int] = {}
    for ind in scheme.indicators:
        raw = (weights.get(ind.id) or "").strip()
        if not raw.isdigit() or int(raw) > 100:
            errors[f"weight-{ind.id}"] = f"“{ind.name}”的权重须为 0 至 100 的整数。"
        else:
            parsed[ind.id] = int(raw)
    if not errors and sum(parsed.values()) != 100:
        errors["weights"] = f"各指标权重之和须为 100，现为 {sum(parsed.values())}。"
    if errors:
        raise EvaluationError("考核方案有误，请按提示修改。", errors)
    before = {ind.code: ind.weight for ind in scheme.indicators}
    before_rule = scheme.basically_counts
    for ind in scheme.indicators:
        ind.weight = parsed[ind.id]
    scheme.basically_counts = bool(basically_counts)
    scheme.updated_at = utcnow()  # bumps the version even when only a weight changed
    record_audit(
        "evaluation.scheme_changed",
        scheme,
        f"修改考核方案“{scheme.name}”",
        before={"weights": before, "basically_counts": before_rule},
        after={
            "weights": {ind.code: ind.weight for ind in scheme.indicators},
            "basically_counts": scheme.basically_counts,
        },
    )


# --- periods ---------------------------------------------------------------------------------


@transactional
def create_period(name: str, starts_on: date | None, ends_on: date | None) -> EvaluationPeriod:
    """Open a new 考核期 on the default scheme."""
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = "请填写考核期名称。"
    elif len(name) > 100:
        errors["name"] = "名称不能超过 100 字。"
    if starts_on is None:
        errors["starts_on"] = "请填写开始日期。"
    if ends_on is None:
        errors["ends_on"] = "请填写结束日期。"
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "结束日期不能早于开始日期。"
    if errors:
        raise EvaluationError("考核期信息有误，请按提示修改。", errors)
    actor = current_actor()
    period = EvaluationPeriod(
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
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


def _open(period: EvaluationPeriod, version: int | str | None) -> None:
    if period.published:
        raise EvaluationError(PUBLISHED)
    check_version(period, version)


# --- computation -----------------------------------------------------------------------------


@dataclass
class Tally:
    """Numerators, denominators and the matters that counted against, of one department."""

    matters: int = 0
    counts: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    misses: dict[str, list[list]] = field(default_factory=lambda: defaultdict(list))

    def add(self, code: str, matter: Matter, hit: bool) -> None:
        pair = self.counts[code]
        pair[0] += 1 if hit else 0
        pair[1] += 1
        if not hit:
            # Kept in the snapshot so a published score can name its cases (通报).
            self.misses[code].append([matter.id, matter.number])


def _newest(matter: Matter, kind: str):
    """The newest clock of ``kind`` on the matter, ignoring cancelled ones (objection upheld)."""
    found = [c for c in matter.clocks if c.kind == kind and c.state != "cancelled"]
    return found[-1] if found else None


def _judge_clock(clock, on: date, *, count_running: bool) -> bool | None:
    """True on time, False late or overdue; None when it does not count (yet)."""
    if clock is None:
        return None
    if clock.state == "met":
        return True
    if clock.state == "missed":
        return False
    if clock.state in ("running", "paused"):
        if clock.due < on:
            return False  # 超期未受理 / 超期未答复
        return False if count_running else None  # 未答复 counts against 按期办结率
    return None  # lapsed windows and the like are not deadlines of the department


def tally_matter(tally: Tally, matter: Matter, on: date, basically_counts: bool) -> None:
    """Add one matter's contribution to its department's tally (REGULATION.md §5.3)."""
    tally.matters += 1
    acceptance = _newest(matter, "acceptance")
    if acceptance is None and matter.accepted_on is not None:
        # Accepted directly by the organ first approached: its disposition clock is the deadline.
        acceptance = _newest(matter, "disposition")
    hit = _judge_clock(acceptance, on, count_running=False)
    if hit is not None:
        tally.add("timely_acceptance", matter, hit)
    hit = _judge_clock(_newest(matter, "handling"), on, count_running=True)
    if hit is not None:
        tally.add("on_time_completion", matter, hit)
    unit = next(s for s in rating_statuses(matter, on) if s.target == "unit")
    if unit.status in ("rated", "expired"):
        tally.add("participation", matter, unit.status == "rated")
    if unit.status == "rated":
        good = ("satisfied", "basically") if basically_counts else ("satisfied",)
        tally.add("satisfaction", matter, unit.rating.value in good)


def indicator_rows(indicators: list[EvaluationIndicator], tally: Tally) -> tuple[list[dict], float]:
    """Per-indicator rows and the base score out of 100.

    Indicators with a zero denominator have nothing to judge: they are left out and the other
    weights are scaled up to 100, so a department is neither punished nor rewarded for them.
    """
    rows, earned, weights = [], 0.0, 0
    for ind in indicators:
        num, den = tally.counts.get(ind.code, (0, 0))
        rate = num / den if den else None
        points = round(ind.weight * rate, 2) if rate is not None else None
        if rate is not None:
            earned += ind.weight * rate
            weights += ind.weight
        rows.append(
            {
                "code": ind.code,
                "name": ind.name,
                "weight": ind.weight,
                "numerator": num,
                "denominator": den,
                "rate": round(rate, 4) if rate is not None else None,
                "points": points,
                "misses": tally.misses.get(ind.code, []),
            }
        )
    base = round(100.0 * earned / weights, 2) if weights else 0.0
    return rows, base


@transactional
def compute(period: EvaluationPeriod, version: int | str | None, *, on: date | None = None):
    """(Re)compute every department's snapshot for ``period``; refused once published.

    Counted: matters received in the period that have a handling agency (the responsible
    department, 责任单位). Clocks and rating windows are judged as of ``on`` (default today).
    """
    _open(period, version)
    on = on or today()
    scheme = period.scheme
    matters = db.session.execute(
        select(Matter)
        .where(
            Matter.received_on >= period.starts_on,
            Matter.received_on <= period.ends_on,
            Matter.handling_agency_id.is_not(None),
        )
        .options(selectinload(Matter.clocks))
        .order_by(Matter.id)
    ).scalars()
    tallies: dict[int, Tally] = defaultdict(Tally)
    for matter in matters:
        tally_matter(tallies[matter.handling_agency_id], matter, on, scheme.basically_counts)
    db.session.execute(delete(EvaluationScore).where(EvaluationScore.period_id == period.id))
    agencies = {
        a.id: a
        for a in db.session.execute(select(Agency).where(Agency.id.in_(list(tallies)))).scalars()
    }
    now = utcnow()
    for agency_id, tally in tallies.items():
        rows, base = indicator_rows(scheme.indicators, tally)
        db.session.add(
            EvaluationScore(
                period_id=period.id,
                agency_id=agency_id,
                agency_name=agencies[agency_id].name,
                matters=tally.matters,
                indicators=rows,
                base_score=base,
                computed_at=now,
            )
        )
    period.computed_at = now
    period.computed_as_of = on
    record_audit(
        "evaluation.computed",
        period,
        f"计算考核期“{period.name}”得分：{len(tallies)} 个责任单位",
        as_of=on.isoformat(),
        departments=len(tallies),
    )


# --- adjustments and publishing --------------------------------------------------------------


@transactional
def add_adjustment(
    period: EvaluationPeriod,
    version: int | str | None,
    agency_id: int | None,
    points: float | None,
    reason: str,
) -> EvaluationAdjustment:
    """Record a 加减分 for a department that has a score in the period; reason mandatory."""
    _open(period, version)
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
    _open(period, version)
    if period.computed_at is None:
        raise EvaluationError("尚未计算得分，不能发布。请先计算。")
    actor = current_actor()
    period.state = "published"
    period.published_at = utcnow()
    period.published_by_id = actor.id if actor else None
    record_audit("evaluation.published", period, f"发布考核期“{period.name}”考核结果")


# --- reading ---------------------------------------------------------------------------------


def scores(period: EvaluationPeriod) -> list[EvaluationScore]:
    """The period's snapshot rows."""
    return list(
        db.session.execute(
            select(EvaluationScore).where(EvaluationScore.period_id == period.id)
        ).scalars()
    )


def adjustments(period: EvaluationPeriod) -> list[EvaluationAdjustment]:
    """The period's adjustments, oldest first."""
    return list(
        db.session.execute(
            select(EvaluationAdjustment)
            .where(EvaluationAdjustment.period_id == period.id)
            .order_by(EvaluationAdjustment.id)
        ).scalars()
    )


@dataclass(frozen=True)
class Ranked:
    """One line of the ranked table."""

    rank: int
    score: EvaluationScore
    adjustment: float
    total: float


def ranking(period: EvaluationPeriod) -> list[Ranked]:
    """Departments by total (base + adjustments), highest first; equal totals share a rank."""
    extra: dict[int, float] = defaultdict(float)
    for adj in adjustments(period):
        extra[adj.agency_id] += adj.points
    lines = sorted(
        ((round(s.base_score + extra[s.agency_id], 2), s) for s in scores(period)),
        key=lambda pair: (-pair[0], pair[1].agency_name),
    )
    out: list[Ranked] = []
    for position, (total, score) in enumerate(lines, start=1):
        rank = out[-1].rank if out and out[-1].total == total else position
        out.append(Ranked(rank, score, round(extra[score.agency_id], 2), total))
    return out


def periods() -> list[EvaluationPeriod]:
    """All periods, newest first."""
    return list(
        db.session.execute(
            select(EvaluationPeriod).order_by(
                EvaluationPeriod.starts_on.desc(), EvaluationPeriod.id.desc()
            )
        ).scalars()
    )
