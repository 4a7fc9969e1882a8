"""The matter search page (查找信访事项): text, names and addresses with filters, paged by key.

The search runs within the record rules; petitioner names, ID numbers and phones are searched
only for users who may see personal data, and the lead petitioner is shown masked or sealed as
on the work queue. Bad parameters are reported next to the form, never as an error page.
"""

from __future__ import annotations

from typing import Any

from flask import render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from core.accounts.actor import actor_permissions
from core.accounts.models import Agency
from core.accounts.record_rules import visible_agency_ids
from core.cases.lifecycle.table import STATES
from core.cases.models import ContentCategory
from core.cases.models.matter import CHANNELS, FLAGS
from core.cases.search.query import parse_filters
from core.cases.search.results import PAGE_SIZE, Results, parse_paging, results
from core.cases.web import reading
from core.cases.web.access import can_view_cases
from core.extensions import db
from core.web.blueprint import bp
from core.web.http import fail

#: Parameters that only page through the results; the export and the first page drop them.
PAGING_PARAMS = ("after", "limit")


def agency_choices(user: Any) -> list[Agency]:
    """The agencies ``user`` may see records of, in tree order (all of them when unrestricted)."""
    stmt = select(Agency).where(Agency.active.is_(True)).order_by(Agency.path)
    ids = visible_agency_ids(user)
    if ids is not None:
        stmt = stmt.where(Agency.id.in_(sorted(ids)))
    return list(db.session.execute(stmt).scalars())


def category_choices() -> list[ContentCategory]:
    """The active 内容分类 of levels 1 to 3, in code order (a parent before its children)."""
    stmt = (
        select(ContentCategory)
        .where(ContentCategory.active.is_(True), ContentCategory.level.between(1, 3))
        .order_by(ContentCategory.code)
    )
    return list(db.session.execute(stmt).scalars())


def _filter_args() -> dict[str, list[str]]:
    """The request's filters (every value of repeated ones), without the paging parameters."""
    return {k: v for k, v in request.args.to_dict(flat=False).items() if k not in PAGING_PARAMS}


@bp.route("/cases/search")
@login_required
def matter_search():
    """查找: matters by words of their text, petitioners and addresses, with filters."""
    if not can_view_cases(actor_permissions()):
        fail(403, "您没有查看信访事项的权限。")
    user = current_user._get_current_object()
    filters, errors = parse_filters(request.args)
    after, _limit, paging_errors = parse_paging(request.args)
    errors.update(paging_errors)
    found = Results([], None) if errors else results(filters, after=after, limit=PAGE_SIZE)
    args = _filter_args()
    return render_template(
        "core/cases/search.html",
        errors=errors,
        results=found,
        after=after,
        states=STATES,
        channels=CHANNELS,
        flags=FLAGS,
        categories=category_choices(),
        agencies=agency_choices(user),
        chosen_flags=request.args.getlist("flag"),
        next_url=url_for("core.matter_search", **args, after=found.next_after)
        if found.next_after
        else None,
        first_url=url_for("core.matter_search", **args),
        export_url=url_for("core.export_page", **args),
        lead_name=lambda m: reading.lead_name(m, user),
        state_label=reading.state_label,
        short=reading.short,
    )
