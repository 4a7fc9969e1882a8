"""Pages of the evaluation module: periods, the ranked table, compute, adjust, publish."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from core.api import StaleEdit, apply_errors, get_visible_or_404, has_permission, opts, require

from . import services
from .blueprint import bp
from .forms import AdjustmentForm, PeriodForm, SchemeForm, VersionForm
from .models import MISS_LABELS, EvaluationPeriod
from .services import EvaluationError

INVALID = "表单已过期或无效，请刷新页面后重试。"


def _refused(form, exc: EvaluationError) -> None:
    """Put the service's messages next to their fields (others as a flash), and say why."""
    for message in apply_errors(form, exc.errors).values():
        flash(message, "error")
    flash(str(exc), "error")


@bp.route("/evaluation/")
@require("evaluation.view")
def periods():
    return render_template(
        "evaluation/periods.html",
        periods=services.periods(),
        form=PeriodForm(),
        can_manage=has_permission("evaluation.manage"),
    )


@bp.route("/evaluation/new", methods=["POST"])
@require("evaluation.manage")
def new_period():
    form = PeriodForm()
    if form.validate_on_submit():
        try:
            period = services.create_period(form.name.data, form.starts_on.data, form.ends_on.data)
        except EvaluationError as exc:
            _refused(form, exc)
        else:
            flash(f"已建立考核期“{period.name}”。", "success")
            return redirect(url_for("evaluation.period", period_id=period.id))
    elif form.csrf_token.errors:
        flash(INVALID, "error")
    else:
        flash("考核期信息有误，请按提示修改。", "error")
    return (
        render_template(
            "evaluation/periods.html",
            periods=services.periods(),
            form=form,
            can_manage=True,
        ),
        400,
    )


def _render_period(period: EvaluationPeriod, adjustment_form=None, status: int = 200):
    ranking = services.ranking(period)
    form = adjustment_form or AdjustmentForm(version=period.version)
    form.agency_id.choices = opts((str(r.score.agency_id), r.score.agency_name) for r in ranking)
    indicators = period.scheme.indicators
    return (
        render_template(
            "evaluation/period.html",
            period=period,
            ranking=ranking,
            indicators=indicators,
            miss_labels=MISS_LABELS,
            adjustments=services.adjustments(period),
            adjustment_form=form,
            can_manage=has_permission("evaluation.manage") and not period.published,
        ),
        status,
    )


@bp.route("/evaluation/<int:period_id>")
@require("evaluation.view")
def period(period_id: int):
    return _render_period(get_visible_or_404(EvaluationPeriod, period_id))


def _act(period_id: int, action, done: str):
    """Run a compute/publish button; refusals come back as a message on the period page."""
    period = get_visible_or_404(EvaluationPeriod, period_id)
    form = VersionForm()
    if not form.validate_on_submit():
        flash(INVALID, "error")
        return _render_period(period, status=400)
    try:
        action(period, form.version.data)
    except (EvaluationError, StaleEdit) as exc:
        flash(str(exc), "error")
        return _render_period(get_visible_or_404(EvaluationPeriod, period_id), status=409)
    flash(done, "success")
    return redirect(url_for("evaluation.period", period_id=period_id))


@bp.route("/evaluation/<int:period_id>/compute", methods=["POST"])
@require("evaluation.manage")
def compute(period_id: int):
    return _act(period_id, services.compute, "已计算考核得分。")


@bp.route("/evaluation/<int:period_id>/publish", methods=["POST"])
@require("evaluation.manage")
def publish(period_id: int):
    return _act(period_id, services.publish, "考核结果已发布并锁定。")


@bp.route("/evaluation/<int:period_id>/adjust", methods=["POST"])
@require("evaluation.manage")
def adjust(period_id: int):
    period = get_visible_or_404(EvaluationPeriod, period_id)
    form = AdjustmentForm()
    if not form.validate_on_submit():
        flash(INVALID if form.csrf_token.errors else "加减分信息有误，请按提示修改。", "error")
        return _render_period(period, form, 400)
    points = float(form.points.data) if form.points.data is not None else None
    agency_id = int(form.agency_id.data) if (form.agency_id.data or "").isdigit() else None
    try:
        services.add_adjustment(period, form.version.data, agency_id, points, form.reason.data)
    except EvaluationError as exc:
        _refused(form, exc)
        status = 400 if exc.errors else 409
        return _render_period(get_visible_or_404(EvaluationPeriod, period_id), form, status)
    except StaleEdit as exc:
        flash(str(exc), "error")
        return _render_period(get_visible_or_404(EvaluationPeriod, period_id), status=409)
    flash("已记录加减分。", "success")
    return redirect(url_for("evaluation.period", period_id=period_id))


def _render_scheme(scheme, form=None, errors=None, status: int = 200):
    form = form or SchemeForm(version=scheme.version, basically_counts=scheme.basically_counts)
    weights = {ind.id: str(ind.weight) for ind in scheme.indicators}
    if request.method == "POST":
        weights = {ind.id: request.form.get(f"weight-{ind.id}", "") for ind in scheme.indicators}
    return (
        render_template(
            "evaluation/scheme.html",
            scheme=scheme,
            form=form,
            weights=weights,
            errors=errors or {},
            can_manage=has_permission("evaluation.manage"),
        ),
        status,
    )


@bp.route("/evaluation/scheme")
@require("evaluation.view")
def scheme():
    return _render_scheme(services.default_scheme())


@bp.route("/evaluation/scheme", methods=["POST"])
@require("evaluation.manage")
def edit_scheme():
    scheme = services.default_scheme()
    form = SchemeForm()
    if not form.validate_on_submit():
        flash(INVALID, "error")
        return _render_scheme(scheme, form, status=400)
    weights = {ind.id: request.form.get(f"weight-{ind.id}") for ind in scheme.indicators}
    try:
        services.update_scheme(scheme, form.version.data, weights, form.basically_counts.data)
    except EvaluationError as exc:
        flash(str(exc), "error")
        return _render_scheme(scheme, form, exc.errors, 400)
    except StaleEdit as exc:
        flash(str(exc), "error")
        return _render_scheme(services.default_scheme(), status=409)
    flash("考核方案已保存，此后的计算按新方案进行；已发布的结果不变。", "success")
    return redirect(url_for("evaluation.scheme"))
