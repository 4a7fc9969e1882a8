"""Self-assessment (自评) by a department and review (复核) by the evaluator."""

from __future__ import annotations

from sqlalchemy import select

from core.api import (
    check_version,
    current_actor,
    db,
    record_audit,
    transactional,
    utcnow,
)

from ..models import EvaluationAssessment, EvaluationPeriod
from .common import EvaluationError
from .drill import REFUSED, NotYours, may_read


def assessment(period: EvaluationPeriod, agency_id: int) -> EvaluationAssessment | None:
    """The department's self-assessment in the period, if submitted."""
    return db.session.execute(
        select(EvaluationAssessment).where(
            EvaluationAssessment.period_id == period.id,
            EvaluationAssessment.agency_id == agency_id,
        )
    ).scalar_one_or_none()


def assessments(period: EvaluationPeriod) -> list[EvaluationAssessment]:
    """Every self-assessment of the period (the evaluator's review list)."""
    return list(
        db.session.execute(
            select(EvaluationAssessment)
            .where(EvaluationAssessment.period_id == period.id)
            .order_by(EvaluationAssessment.id)
        ).scalars()
    )


@transactional
def submit(
    period: EvaluationPeriod, agency_id: int, score: float | None, note: str, version=None
) -> EvaluationAssessment:
    """The department submits (or, after a return, resubmits) its self-assessed score."""
    if not may_read(agency_id):
        raise NotYours(REFUSED)
    if period.published:
        raise EvaluationError("该考核期已发布，不能再提交自评。")
    errors: dict[str, str] = {}
    note = (note or "").strip()
    if score is None or not (0 <= score <= 100):
        errors["self_score"] = "自评分须为 0 至 100 之间的数。"
    if not note:
        errors["self_note"] = "请写明自评说明（完成情况、扣分原因）。"
    elif len(note) > 4000:
        errors["self_note"] = "自评说明不能超过 4000 字。"
    found = assessment(period, agency_id)
    if found is not None:
        check_version(found, version)
        if found.state != "returned":
            errors["self_score"] = "自评已提交，待考核员复核；被退回后才能修改。"
    if errors:
        raise EvaluationError("自评信息有误，请按提示修改。", errors)
    actor = current_actor()
    if found is None:
        found = EvaluationAssessment(period_id=period.id, agency_id=agency_id, self_score=0)
        db.session.add(found)
    found.self_score = round(float(score), 2)
    found.self_note = note
    found.state = "submitted"
    found.submitted_by_id = actor.id if actor else None
    db.session.flush()
    record_audit(
        "evaluation.self_assessed",
        found,
        f"考核期“{period.name}”自评 {found.self_score:g} 分",
        period_id=period.id,
        agency_id=agency_id,
        score=found.self_score,
    )
    return found


@transactional
def review(found: EvaluationAssessment, version, accept: bool, note: str) -> None:
    """The evaluator accepts the self-assessment or returns it with a note (required)."""
    check_version(found, version)
    note = (note or "").strip()
    if found.state != "submitted":
        raise EvaluationError("该自评不在待复核状态。")
    if not accept and not note:
        raise EvaluationError("退回自评须写明理由。", {"review_note": "退回自评须写明理由。"})
    actor = current_actor()
    found.state = "accepted" if accept else "returned"
    found.review_note = note
    found.reviewed_by_id = actor.id if actor else None
    found.reviewed_at = utcnow()
    record_audit(
        "evaluation.reviewed",
        found,
        f"复核自评：{'通过' if accept else '退回'}{('，' + note) if note else ''}",
        accepted=accept,
    )
