"""Export pages: a filtered matter list as CSV (streamed, with progress) or Excel."""

from __future__ import annotations

from flask import Response, render_template, request, stream_with_context
from flask_login import current_user, login_required

from core import audit
from core.accounts.actor import actor_permissions
from core.cases.search.query import Filters, parse_filters, search_statement
from core.cases.search.results import explain
from core.cases.web import export
from core.cases.web.access import can_view_cases
from core.extensions import db
from core.web.blueprint import bp
from core.web.http import fail


def _filters() -> Filters:
    """The filters of the search page (``search.query.parse_filters``); 400 on a bad one."""
    filters, errors = parse_filters(request.args)
    if errors:
        fail(400, explain(errors))
    return filters


def _statement():
    # Same gate as the case pages: record rules pick the rows, this decides whether the user
    # works on cases at all.
    if not can_view_cases(actor_permissions()):
        fail(403, "您没有查看信访事项的权限。")
    return search_statement(_filters(), limit=None)


@bp.route("/cases/export")
@login_required
def export_page():
    """Choose filters and download; large CSV exports show their progress."""
    return render_template("core/cases/export.html", total=export.count(_statement()))


def _audited(fmt: str, label: str):
    """The export's statement and row count, after writing the export to the audit log."""
    stmt = _statement()
    total = export.count(stmt)
    audit.record(
        "matter.export",
        summary=f"导出信访事项 {label}（{total} 条）",
        format=fmt,
        filters=dict(request.args),
    )
    db.session.commit()
    return stmt, total


@bp.route("/cases/export.csv")
@login_required
def export_csv():
    """The filtered list as CSV, streamed; ``X-Total-Count`` lets the page show progress."""
    stmt, total = _audited("csv", "CSV")
    user_id = current_user.id
    return Response(
        stream_with_context(export.as_user(user_id, lambda: export.csv_chunks(stmt))),
        mimetype="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": "attachment; filename=matters.csv",
            "X-Total-Count": str(total),
            "Cache-Control": "no-store",
        },
    )


@bp.route("/cases/export.xlsx")
@login_required
def export_xlsx():
    """The filtered list as an Excel workbook."""
    stmt, _total = _audited("xlsx", "Excel")
    fh = export.xlsx_file(stmt)

    def chunks():
        with fh:
            while block := fh.read(64 * 1024):
                yield block

    return Response(
        chunks(),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": "attachment; filename=matters.xlsx",
            "Cache-Control": "no-store",
        },
    )
