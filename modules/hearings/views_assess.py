"""Hearing-assessment of major decisions (听证评估): list, plan, assess with report, decision."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from core.api import N_, StaleEdit, current_actor, get_visible_or_404, has_permission, require

from . import services
from .blueprint import bp
from .forms import AssessForm, AssessmentForm, DecideForm
from .models import Assessment
from .services import HearingError
from .views import refused


@bp.route("/hearings/assessments", methods=["GET", "POST"])
@require("hearings.view")
def assessments():
    """Major decisions to be heard and assessed; a new one with ``hearings.manage``."""
    from sqlalchemy import select

    from core.api import db

    form = AssessmentForm()
    code = 200
    if request.method == "POST":
        if not has_permission("hearings.manage"):
            abort(403)
        if form.validate_on_submit():
            try:
                a = services.plan(
                    form.title.data,
                    form.department.data,
                    form.plan.data,
                    agency_id=current_actor().agency_id,
                )
            except HearingError as exc:
                refused(form, exc)
            else:
                flash(gettext("已登记拟决策事项。"), "success")
                return redirect(url_for("hearings.assessment", assessment_id=a.id))
        code = 422
    rows = db.session.execute(select(Assessment).order_by(Assessment.id.desc()).limit(200))
    return render_template(
        "hearings/assessments.html",
        rows=list(rows.scalars()),
        form=form,
        may_manage=has_permission("hearings.manage"),
    ), code


def _page(a: Assessment, code: int = 200, **forms):
    made = {
        "assess_form": AssessForm(formdata=None, version=a.version),
        "decide_form": DecideForm(formdata=None, version=a.version),
        **forms,
    }
    return render_template(
        "hearings/assessment.html", a=a, may_manage=has_permission("hearings.manage"), **made
    ), code


@bp.route("/hearings/assessments/<int:assessment_id>")
@require("hearings.view")
def assessment(assessment_id: int):
    """One assessment: the plan, the hearing and rating, the decision taken."""
    return _page(get_visible_or_404(Assessment, assessment_id))


def _act(a: Assessment, form, key: str, action, done: str):
    if not form.validate_on_submit():
        return _page(a, 422, **{key: form})
    try:
        action()
    except StaleEdit as exc:
        flash(str(exc), "error")
        return _page(a, 409)
    except HearingError as exc:
        refused(form, exc)
        return _page(a, 422, **{key: form})
    flash(gettext(done), "success")
    return redirect(url_for("hearings.assessment", assessment_id=a.id))


@bp.route("/hearings/assessments/<int:assessment_id>/assess", methods=["POST"])
@require("hearings.manage")
def assess(assessment_id: int):
    """The hearing on the plan, its risk rating and recommendation; the report is issued."""
    a = get_visible_or_404(Assessment, assessment_id)
    form = AssessForm()
    return _act(
        a,
        form,
        "assess_form",
        lambda: services.assess(
            a,
            form.version.data,
            heard_on=form.heard_on.data,
            summary=form.hearing_summary.data,
            risk=form.risk.data,
            recommendation=form.recommendation.data,
        ),
        N_("已完成听证评估，并已出具评估报告。"),
    )


@bp.route("/hearings/assessments/<int:assessment_id>/decide", methods=["POST"])
@require("hearings.manage")
def decide(assessment_id: int):
    """The decision the department took afterwards."""
    a = get_visible_or_404(Assessment, assessment_id)
    form = DecideForm()
    return _act(
        a,
        form,
        "decide_form",
        lambda: services.decide(a, form.version.data, form.decision_taken.data),
        N_("已登记决策结果。"),
    )


@bp.route("/hearings/assessments/<int:assessment_id>/report.pdf")
@require("hearings.view")
def report(assessment_id: int):
    """The frozen assessment report (评估报告)."""
    a = get_visible_or_404(Assessment, assessment_id)
    if not a.report_pdf:
        abort(404)
    return Response(
        a.report_pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": "inline", "X-Content-Type-Options": "nosniff"},
    )
