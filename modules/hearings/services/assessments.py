"""Hearing-assessment of a major decision (听证评估): plan → hearing and rating → decision.

A department plans a major decision; before it is taken, a hearing weighs its risk to social
stability (义马: 重大决策听证评估; 沈河: 信访稳定评估). The assessment report (评估报告) is
rendered as a PDF and frozen on the assessment with its number when the rating is given.
"""

from __future__ import annotations

from datetime import date

from core.api import (
    check_version,
    current_actor,
    db,
    record_audit,
    render_pdf,
    today,
    transactional,
)

from ..models import RISKS, Assessment
from .common import HearingError


@transactional
def plan(title: str, department: str, plan_text: str, *, agency_id: int) -> Assessment:
    """Register a decision a department plans, to be heard and assessed."""
    errors = {}
    if not (title or "").strip():
        errors["title"] = "请填写拟决策事项。"
    if not (department or "").strip():
        errors["department"] = "请填写决策部门。"
    if not (plan_text or "").strip():
        errors["plan"] = "请填写决策方案要点。"
    if errors:
        raise HearingError("请修正标出的内容。", errors)
    a = Assessment(
        title=title.strip(),
        department=department.strip(),
        plan=plan_text.strip(),
        status="planned",
        agency_id=agency_id,
    )
    db.session.add(a)
    db.session.flush()
    record_audit("hearings.assessment_planned", a, summary=f"听证评估：{a.title}")
    return a


@transactional
def assess(
    a: Assessment, version, *, heard_on: date, summary: str, risk: str, recommendation: str
) -> None:
    """The hearing held on the plan, its risk rating and recommendation; the report's PDF."""
    check_version(a, version)
    if a.status != "planned":
        raise HearingError(f"该评估{a.status_label}，不能再评估。")
    errors = {}
    if heard_on is None or heard_on > today():
        errors["heard_on"] = "请填写已举行听证的日期（不晚于今天）。"
    if not (summary or "").strip():
        errors["hearing_summary"] = "请填写听证情况。"
    if risk not in RISKS:
        errors["risk"] = "请选择风险等级。"
    if not (recommendation or "").strip():
        errors["recommendation"] = "请填写评估建议。"
    if errors:
        raise HearingError("请修正标出的内容。", errors)
    a.heard_on, a.hearing_summary = heard_on, summary.strip()
    a.risk, a.recommendation = risk, recommendation.strip()
    a.status = "assessed"
    a.report_number = f"听评〔{heard_on.year}〕{a.id}号"
    a.report_pdf = render_pdf(
        "hearings/pdf/assessment.html",
        {"a": a, "title": "重大决策听证评估报告", "on": today(), "actor": current_actor()},
    )
    record_audit("hearings.assessed", a, summary=f"听证评估：{a.title}（{a.risk_label}）")


@transactional
def decide(a: Assessment, version, decision_taken: str) -> None:
    """Record the decision the department took after the assessment."""
    check_version(a, version)
    if a.status != "assessed":
        raise HearingError("须先完成听证评估，再登记决策结果。")
    if not (decision_taken or "").strip():
        raise HearingError("请填写作出的决策。", {"decision_taken": "请填写作出的决策。"})
    a.decision_taken, a.decided_on, a.status = decision_taken.strip(), today(), "decided"
    record_audit("hearings.assessment_decided", a, summary=f"听证评估：{a.title}（已决策）")
