"""Reports per account and period (Excel, PDF) and the audit file of one application."""

from __future__ import annotations

from flask import Response, render_template, request

from core.api import _l, data_opts, get_visible_or_404, require

from .. import services
from ..blueprint import bp
from ..forms import ReportForm
from ..models import FundBudget
from ..services import reports as rep
from .common import application

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    from urllib.parse import quote

    resp = Response(data, mimetype=mimetype)
    resp.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return resp


@bp.route("/stability-fund/reports")
@require("stability_fund.report")
def reports():
    """Choose an account and a period; see the figures; download them as Excel or PDF."""
    form = ReportForm(request.args)
    accounts = services.budgets()
    form.budget_id.choices = data_opts(
        (b.id, _l("%(agency)s %(year)s 年度") % {"agency": b.agency.name, "year": b.year})
        for b in accounts
    )
    report = None
    code = 200
    if request.args.get("budget_id"):
        if form.validate():
            budget = get_visible_or_404(FundBudget, form.budget_id.data)
            report = rep.build(budget, form.start.data, form.end.data)
            fmt = request.args.get("format")
            name = f"救助资金报表-{budget.agency.name}-{budget.year}"
            if fmt in ("xlsx", "pdf"):
                services.audit_view(
                    "stability_fund.report",
                    budget,
                    f"导出救助资金报表（{report.period}）",
                    format=fmt,
                )
            if fmt == "xlsx":
                return _download(rep.excel(report), XLSX, name + ".xlsx")
            if fmt == "pdf":
                return _download(rep.pdf(report), "application/pdf", name + ".pdf")
        else:
            code = 422
    return render_template("stability_fund/reports.html", form=form, report=report), code


@bp.route("/stability-fund/<int:app_id>/audit-file.pdf")
@require("stability_fund.report")
def audit_file(app_id: int):
    """The audit file of one application as one PDF.

    The application, the chain, the undertaking, the receipts and the timeline.
    """
    app = application(app_id)
    services.audit_view("stability_fund.audit_file", app, f"{app.matter.number}：打印审计档案")
    name = f"救助审计档案-{app.matter.number}.pdf"
    return _download(rep.audit_file(app), "application/pdf", name)
