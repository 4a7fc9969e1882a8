"""A department's page in a period, the drill-down lists, self-assessment and its review."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from core.api import (
    STATES,
    StaleEdit,
    db,
    fail,
    get_visible_or_404,
    has_permission,
    require,
)

from . import services
from .blueprint import bp
from .forms import AssessmentForm, ReviewForm
from .indicators import definitions
from .models import EvaluationAssessment, EvaluationPeriod
from .services import EvaluationError, NotYours

INVALID = "表单已过期或无效，请刷新页面后重试。"


def _mine(agency_id: int) -> None:
    if not services.may_read(agency_id):
        fail(403, services.REFUSED)


def _department(period: EvaluationPeriod, agency_id: int, form=None, status: int = 200):
    _mine(agency_id)
    line = next((r for r in services.ranking(period) if r.score.agency_id == agency_id), None)
    if line is None:
        fail(404, "该单位在本考核期没有得分（尚未计算，或期内没有事项）。")
    found = services.assessment(period, agency_id)
    form = form or AssessmentForm(version=found.version if found else None)
    return (
        render_template(
            "evaluation/department.html",
            period=period,
            line=line,
            definitions=definitions(),
            assessment=found,
            form=form,
            can_assess=has_permission("evaluation.self_assess")
            and not period.published
            and (found is None or found.state == "returned"),
        ),
        status,
    )


@bp.route("/evaluation/<int:period_id>/agency/<int:agency_id>")
@require("evaluation.view")
def department(period_id: int, agency_id: int):
    return _department(get_visible_or_404(EvaluationPeriod, period_id), agency_id)


def _drill(period_id: int, agency_id: int, code: str | None, part: str):
    period = get_visible_or_404(EvaluationPeriod, period_id)
    _mine(agency_id)
    try:
        found = services.drill(
            period, agency_id, code, part, request.args.get("page", 1, type=int) or 1
        )
    except NotYours as exc:
        fail(403, str(exc))
    except EvaluationError as exc:
        fail(404, str(exc))
    return render_template(
        "evaluation/drill.html",
        period=period,
        drill=found,
        indicator=definitions().get(code) if code else None,
        parts=services.PARTS,
        states=STATES,
    )


@bp.route("/evaluation/<int:period_id>/agency/<int:agency_id>/matters")
@require("evaluation.view")
def drill_matters(period_id: int, agency_id: int):
    return _drill(period_id, agency_id, None, "matters")


@bp.route("/evaluation/<int:period_id>/agency/<int:agency_id>/<code>/<part>")
@require("evaluation.view")
def drill(period_id: int, agency_id: int, code: str, part: str):
    if code not in definitions() or part not in ("numerator", "denominator"):
        fail(404, "没有这项指标。")
    return _drill(period_id, agency_id, code, part)


@bp.route("/evaluation/<int:period_id>/agency/<int:agency_id>/assess", methods=["POST"])
@require("evaluation.self_assess")
def assess(period_id: int, agency_id: int):
    period = get_visible_or_404(EvaluationPeriod, period_id)
    _mine(agency_id)
    form = AssessmentForm()
    if not form.validate_on_submit():
        flash(INVALID if form.csrf_token.errors else "自评信息有误，请按提示修改。", "error")
        return _department(period, agency_id, form, 400)
    score = float(form.self_score.data) if form.self_score.data is not None else None
    try:
        services.submit(period, agency_id, score, form.self_note.data, form.version.data)
    except EvaluationError as exc:
        for message in exc.errors.values():
            flash(message, "error")
        flash(str(exc), "error")
        return _department(period, agency_id, form, 400 if exc.errors else 409)
    except StaleEdit as exc:
        flash(str(exc), "error")
        return _department(period, agency_id, status=409)
    flash("自评已提交，待考核员复核。", "success")
    return redirect(url_for("evaluation.department", period_id=period_id, agency_id=agency_id))


@bp.route("/evaluation/assessment/<int:assessment_id>/review", methods=["POST"])
@require("evaluation.manage")
def review(assessment_id: int):
    found = db.session.get(EvaluationAssessment, assessment_id) or fail(404, "没有这份自评。")
    form = ReviewForm()
    target = url_for("evaluation.period", period_id=found.period_id)
    if not form.validate_on_submit():
        flash(INVALID, "error")
        return redirect(target)
    try:
        services.review(
            found, form.version.data, form.decision.data == "accept", form.review_note.data
        )
    except (EvaluationError, StaleEdit) as exc:
        flash(str(exc), "error")
        return redirect(target)
    flash("已复核自评。", "success")
    return redirect(target)
