"""The work queue page (工作台) and the counts of its tabs."""

from __future__ import annotations

from flask import jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from core.accounts.actor import actor_permissions
from core.cases.clocks.clocks import today
from core.cases.web import queue as work_queue
from core.cases.web import reading
from core.cases.web.access import can_view_cases
from core.cases.web.views import require_case_view
from core.web.blueprint import bp


@bp.route("/cases/queue")
@login_required
def queue():
    """工作台: my matters, deadlines due soon and overdue, and what waits for my review.

    Nothing is counted here: the tab badges come from ``queue_counts`` (fetched by queue.js),
    and pages know only whether another follows. The 全部 tab pages by key (``after``).
    """
    perms = actor_permissions()
    if not can_view_cases(perms):
        return render_template("core/cases/queue.html", allowed=False), 200
    user = current_user._get_current_object()
    on = today()
    tab = request.args.get("tab", "")
    if tab not in work_queue.TABS:
        tab = work_queue.default_tab(user, perms, on=on)
    q = request.args.get("q", "").strip()
    if tab == "all" and q:
        # Words are looked up in the search index (a LIKE over every summary reads the whole
        # table at a million matters); the search page also offers the filters.
        return redirect(url_for("core.matter_search", q=q))
    page = work_queue.tab_page(
        tab,
        user,
        perms,
        page=request.args.get("page", 1, type=int),
        on=on,
        q=q,
        count=False,
        after=request.args.get("after", type=int) if tab == "all" else None,
        rows_only=True,
    )
    return render_template(
        "core/cases/queue.html",
        allowed=True,
        tabs=work_queue.TABS,
        tab=tab,
        count_cap=work_queue.TAB_COUNT_CAP,
        page=page,
        q=q,
        on=on,
        lead_name=lambda m: reading.lead_name(m, user),
        state_label=reading.state_label,
        short=reading.short,
    )


@bp.route("/cases/queue/counts")
@login_required
def queue_counts():
    """JSON: rows in each tab but 全部, ``{"mine": n, …}``, for the badges of the queue page.

    Counting stops at ``TAB_COUNT_CAP + 1``: a number above the cap means "more than the cap".
    """
    perms = require_case_view()
    user = current_user._get_current_object()
    resp = jsonify(work_queue.counts(user, perms, on=today(), cap=work_queue.TAB_COUNT_CAP))
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
