"""Pages of the evaluation module: periods, the ranked table, compute, adjust, publish, scheme."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from core.api import (
    CHANNELS,
    Agency,
    StaleEdit,
    _l,
    apply_errors,
    data_opts,
    db,
    get_visible_or_404,
    has_permission,
    opts,
    require,
)

from . import services
from .blueprint import bp
from .forms import AdjustmentForm, PeriodForm, SchemeForm, VersionForm
from .indicators import SCOPES, definitions
from .models import DEDUCTION_UNITS, EvaluationPeriod
from .services import EvaluationError

INVALID = "表单已过期或无效，请刷新页面后重试。"


def _refused(form, exc: EvaluationError) -> None:
    """Put the service's messages next to their fields (others as a flash), and say why."""
    for message in apply_errors(form, exc.errors).values():
        flash(message, "error")
    flash(str(exc), "error")


def _period_form(form: PeriodForm | None = None) -> PeriodForm:
    form = form or PeriodForm()
    agencies = db.session.execute(select(Agency).order_by(Agency.path)).scalars()
    form.root_agency_id.choices = data_opts(
        [("", _l("全部单位"))]
        + [(str(a.id), _l("%(name)s及下属单位") % {"name": a.name}) for a in agencies]
    )
    form.channel.choices = opts([("", _l("全部渠道")), *CHANNELS.items()])
    return form


def _periods_page(form=None, status: int = 200):
    return (
        render_template(
            "evaluation/periods.html",
            periods=services.periods(),
            form=_period_form(form),
            can_manage=has_permission("evaluation.manage"),
            bulletins=services.bulletins()[:10],
        ),
        status,
    )


@bp.route("/evaluation/")
@require("evaluation.view")
def periods():
    return _periods_page()


@bp.route("/evaluation/new", methods=["POST"])
@require("evaluation.manage")
def new_period():
    form = _period_form()
    if form.validate_on_submit():
        root = form.root_agency_id.data
        try:
            period = services.create_period(
                form.name.data,
                form.starts_on.data,
                form.ends_on.data,
                period_type=form.period_type.data,
                scope=form.scope.data,
                root_agency_id=int(root) if (root or "").isdigit() else None,
                channel=form.channel.data or None,
            )
        except EvaluationError as exc:
            _refused(form, exc)
        else:
            flash(f"已建立考核期“{period.name}”。", "success")
            return redirect(url_for("evaluation.period", period_id=period.id))
    elif form.csrf_token.errors:
        flash(INVALID, "error")
    else:
        flash("考核期信息有误，请按提示修改。", "error")
    return _periods_page(form, 400)


def _render_period(period: EvaluationPeriod, adjustment_form=None, status: int = 200):
    ranking = services.ranking(period)
    form = adjustment_form or AdjustmentForm(version=period.version)
    form.agency_id.choices = opts((str(r.score.agency_id), r.score.agency_name) for r in ranking)
    can_manage = has_permission("evaluation.manage")
    return (
        render_template(
            "evaluation/period.html",
            period=period,
            ranking=ranking,
            items=period.scheme.indicators,
            definitions=definitions(),
            scopes=SCOPES,
            channels=CHANNELS,
            adjustments=services.adjustments(period),
            adjustment_form=form,
            assessments=services.assessments(period) if can_manage else [],
            bulletins=services.bulletins(period),
            can_manage=can_manage and not period.published,
            can_issue=can_manage and period.published,
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


@bp.route("/evaluation/<int:period_id>/publish-bulletin", methods=["POST"])
@require("evaluation.manage")
def publish_bulletin(period_id: int):
    return _act(period_id, services.publish_and_issue, "考核结果已发布并锁定，通报已印发。")


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


# --- the scheme ------------------------------------------------------------------------------

RULE_FIELDS = ("target", "deduction", "deduction_unit", "cap")


def _render_scheme(scheme, form=None, errors=None, status: int = 200):
    form = form or SchemeForm(version=scheme.version, basically_counts=scheme.basically_counts)
    values = {
        ind.id: {
            "weight": str(ind.weight),
            "target": "" if ind.target is None else f"{ind.target:g}",
            "deduction": "" if ind.deduction is None else f"{ind.deduction:g}",
            "deduction_unit": ind.deduction_unit,
            "cap": "" if ind.cap is None else f"{ind.cap:g}",
        }
        for ind in scheme.indicators
    }
    if request.method == "POST":
        values = {
            ind.id: {
                key: request.form.get(f"{key}-{ind.id}", "") for key in ("weight", *RULE_FIELDS)
            }
            for ind in scheme.indicators
        }
    return (
        render_template(
            "evaluation/scheme.html",
            scheme=scheme,
            form=form,
            values=values,
            definitions=definitions(),
            units=DEDUCTION_UNITS,
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
    rules = {
        ind.id: {key: request.form.get(f"{key}-{ind.id}") for key in RULE_FIELDS}
        for ind in scheme.indicators
        if f"target-{ind.id}" in request.form
    }
    try:
        services.update_scheme(
            scheme, form.version.data, weights, form.basically_counts.data, rules
        )
    except EvaluationError as exc:
        flash(str(exc), "error")
        return _render_scheme(scheme, form, exc.errors, 400)
    except StaleEdit as exc:
        flash(str(exc), "error")
        return _render_scheme(services.default_scheme(), status=409)
    flash("考核方案已保存，此后的计算按新方案进行；已发布的结果不变。", "success")
    return redirect(url_for("evaluation.scheme"))
