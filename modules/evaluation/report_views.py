"""The bulletin (通报) PDFs and the dashboard (scores, trends, rankings, leader cases)."""

from __future__ import annotations

from flask import Response, render_template, request

from core.api import db, fail, get_visible_or_404, require

from . import charts, services
from .blueprint import bp
from .models import PERIOD_TYPES, EvaluationBulletin, EvaluationPeriod


@bp.route("/evaluation/bulletin/<int:bulletin_id>.pdf")
@require("evaluation.view")
def bulletin(bulletin_id: int):
    found = db.session.get(EvaluationBulletin, bulletin_id) or fail(404, "没有这份通报。")
    return Response(
        found.pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f"inline; filename=bulletin-{found.id}.pdf"},
    )


@bp.route("/evaluation/<int:period_id>/charts")
@require("evaluation.view")
def period_charts(period_id: int):
    """The period's bar chart alone (the same SVG the bulletin prints)."""
    period = get_visible_or_404(EvaluationPeriod, period_id)
    lines = services.ranking(period)
    svg = charts.bar_chart([(r.score.agency_name, r.total) for r in lines], title="各单位考核总分")
    return Response(str(svg), mimetype="image/svg+xml")


@bp.route("/evaluation/dashboard")
@require("evaluation.view")
def dashboard():
    period_type = request.args.get("type", "month")
    if period_type not in PERIOD_TYPES:
        period_type = "month"
    labels, series = services.trend(period_type)
    latest = next(
        (
            p
            for p in services.periods()
            if p.period_type == period_type and p.computed_at is not None
        ),
        None,
    )
    ranking = services.ranking(latest) if latest else []
    return render_template(
        "evaluation/dashboard.html",
        period_type=period_type,
        types=PERIOD_TYPES,
        latest=latest,
        ranking=ranking,
        bar_chart=charts.bar_chart(
            [(r.score.agency_name, r.total) for r in ranking], title="各单位考核总分"
        )
        if ranking
        else None,
        line_chart=charts.line_chart(labels, series, title="总分走势") if labels else None,
        leaders=services.leader_cases(latest) if latest else [],
    )
