"""The work queue (工作台): what is waiting for the user, built on queries the record rules scope.

Tabs:

- ``mine``      我的: open matters I handle or follow (督办跟踪人);
- ``due_soon``  即将到期: running deadlines of my agencies due within three days;
- ``overdue``   已超期: running deadlines past due on matters I can see;
- ``review``    待我审核: opinions to approve (``core.cases.approve``), completion reports to
  check (``core.cases.supervise``), new matters and objections to triage
  (``core.cases.triage``), for my agencies;
- ``all``       全部: every matter I can see, newest first, searchable by number or summary.

Every query selects ``Matter`` or joins it, so the record rules apply (they are added to each
ORM select by ``core.accounts.record_rules``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, false, func, or_, select
from sqlalchemy.orm import joinedload, load_only, selectinload

from core.accounts.models import Agency
from core.cases.clocks.clocks import CLOCK_KINDS, due_soon_cutoff, today
from core.cases.lifecycle.table import OPEN_STATES
from core.cases.models import Clock, Matter, MatterParty, Person
from core.cases.web.access import own_agency_ids
from core.extensions import db
from core.web.http import Page, page_without_count

TABS: dict[str, str] = {
    "mine": "我的",
    "due_soon": "即将到期",
    "overdue": "已超期",
    "review": "待我审核",
    "all": "全部",
}
WINDOW_KINDS = tuple(k for k, spec in CLOCK_KINDS.items() if spec.window)
#: The 全部 tab counts at most this many rows ("10000+" pages): counting every matter a
#: bureau-wide user can see costs a scan of the whole table on each page view.
ALL_COUNT_CAP = 10_000
#: Without a ``tab``, the queue opens the first of these that holds a row (else ``mine``).
DEFAULT_TAB_ORDER = ("mine", "review", "due_soon", "overdue")
#: The other tabs' badges count at most this many rows (one more means "999+"): a bureau-wide
#: user's 已超期 at a million matters is tens of thousands of clocks, counted on every view.
TAB_COUNT_CAP = 999


#: What a queue row shows of a matter, and what deciding whether its accuser is sealed reads.
LIST_COLUMNS = (
    Matter.number,
    Matter.received_on,
    Matter.summary,
    Matter.state,
    Matter.flags,
    Matter.handling_agency_id,
    Matter.accuser_sealed,
    Matter.complained_agency_id,
)


@dataclass
class QueueItem:
    """A row of the queue: the matter and, on deadline tabs, the clock that put it there."""

    matter: Matter
    clock: Clock | None = None


def _mine(user) -> Select:
    return (
        select(Matter)
        .where(
            or_(Matter.handler_id == user.id, Matter.follower_id == user.id),
            Matter.state.in_(OPEN_STATES),
        )
        .order_by(Matter.received_on.desc(), Matter.id.desc())
    )


def _due_soon(user, on: date) -> Select:
    return (
        select(Clock)
        .join(Matter, Clock.matter_id == Matter.id)
        .where(
            Clock.state == "running",
            Clock.due >= on,
            Clock.due <= due_soon_cutoff(on),
            Clock.responsible_agency_id.in_(own_agency_ids(user)),
        )
        .order_by(Clock.due, Clock.id)
    )


def _overdue(user, on: date) -> Select:
    # A window that ran out is not a missed duty (the daily job closes it), so only duties.
    return (
        select(Clock)
        .join(Matter, Clock.matter_id == Matter.id)
        .where(Clock.state == "running", Clock.due < on, Clock.kind.not_in(WINDOW_KINDS))
        .order_by(Clock.due, Clock.id)
    )


def _review(user, permissions: frozenset[str]) -> Select:
    mine = own_agency_ids(user)
    conditions = []
    if "core.cases.approve" in permissions:
        conditions.append(
            and_(Matter.state == "opinion_pending", Matter.handling_agency_id.in_(mine))
        )
    if "core.cases.supervise" in permissions:
        conditions.append(and_(Matter.state == "completion_review", Matter.agency_id.in_(mine)))
    if "core.cases.triage" in permissions:
        conditions.append(
            and_(Matter.state.in_(("registered", "objected")), Matter.agency_id.in_(mine))
        )
    # Oldest waiting first: it has waited longest.
    return (
        select(Matter)
        .where(or_(*conditions) if conditions else false())
        .order_by(Matter.updated_at, Matter.id)
    )


def _all(q: str = "") -> Select:
    stmt = select(Matter).order_by(Matter.id.desc())
    q = (q or "").strip()
    if q:
        stmt = stmt.where(
            or_(
                Matter.number.contains(q, autoescape=True),
                Matter.summary.contains(q, autoescape=True),
            )
        )
    return stmt


def tab_query(
    tab: str, user, permissions: frozenset[str], *, on: date | None = None, q: str = ""
) -> Select:
    """The statement behind ``tab`` (``Matter`` rows, or ``Clock`` rows for deadline tabs)."""
    on = on or today()
    if tab == "mine":
        return _mine(user)
    if tab == "due_soon":
        return _due_soon(user, on)
    if tab == "overdue":
        return _overdue(user, on)
    if tab == "review":
        return _review(user, permissions)
    if tab == "all":
        return _all(q)
    raise KeyError(tab)


def _count(stmt: Select, cap: int | None = None) -> int:
    """Rows of ``stmt``; with ``cap``, stop counting after ``cap + 1`` rows."""
    stmt = stmt.order_by(None) if cap is None else stmt.order_by(None).limit(cap + 1)
    return db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()


def counts(
    user, permissions: frozenset[str], *, on: date | None = None, cap: int | None = TAB_COUNT_CAP
) -> dict[str, int]:
    """How many rows each tab holds (``all`` is not counted: it is a search).

    Counting stops at ``cap + 1``: a value above ``cap`` means "more than ``cap``".
    """
    return {
        tab: _count(tab_query(tab, user, permissions, on=on), cap=cap)
        for tab in TABS
        if tab != "all"
    }


def has_rows(stmt: Select) -> bool:
    """Whether ``stmt`` yields a row: one row fetched, unordered, so the scan stops early."""
    return db.session.execute(stmt.order_by(None).limit(1)).first() is not None


def default_tab(user, permissions: frozenset[str], *, on: date | None = None) -> str:
    """The tab to open when none is asked for: the first of ``DEFAULT_TAB_ORDER`` holding a row.

    Existence checks, not counts: the page must not pay for the badges (they load afterwards).
    """
    on = on or today()
    for tab in DEFAULT_TAB_ORDER:
        if has_rows(tab_query(tab, user, permissions, on=on)):
            return tab
    return "mine"


def tab_page(
    tab: str,
    user,
    permissions: frozenset[str],
    *,
    page: int = 1,
    per_page: int = 30,
    on: date | None = None,
    q: str = "",
    count: bool = True,
    after: int | None = None,
    rows_only: bool = False,
) -> Page:
    """One page of ``tab`` as ``QueueItem`` rows.

    With ``count`` the page knows its total (the API gives it); on the 全部 tab ``total`` stops
    at ``ALL_COUNT_CAP + 1`` (the page says "more than"). Without ``count`` (the work-queue
    page) nothing is counted: the page knows only whether another follows, and the 全部 tab is
    paged by key: ``after`` is the id of the last matter of the previous page (``next_after``
    of that page), newest first. ``rows_only``: load only what a queue row shows
    (``LIST_COLUMNS``; the work-queue page), not whole matters (the API describes each one).
    """
    stmt = tab_query(tab, user, permissions, on=on, q=q)
    entity = stmt.column_descriptions[0]["entity"]
    # Each row shows the lead petitioner and the handling agency: load them per page, not per
    # row (lazy loads from the template would cost a query each).
    # Joined into the page's own query: each query costs a round trip and the ORM's overhead,
    # and a matter has one or two parties.
    matter_options = (
        joinedload(Matter.parties).joinedload(MatterParty.person),
        joinedload(Matter.handling_agency),
    )
    if rows_only:
        # Only the columns a row shows (and the sealing rule reads): a matter has ~45, several
        # of them JSON, and building them dominated the page.
        matter_options = (
            load_only(*LIST_COLUMNS),
            joinedload(Matter.parties).joinedload(MatterParty.person).load_only(Person.name),
            joinedload(Matter.handling_agency).load_only(Agency.name),
        )
    if entity is Clock:
        stmt = stmt.options(selectinload(Clock.matter).options(*matter_options))
    else:
        stmt = stmt.options(*matter_options)
    if count:
        page = max(1, page)
        cap = ALL_COUNT_CAP if tab == "all" else None
        total = _count(stmt, cap=cap)
        capped = cap is not None and total > cap
        rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page))
        result = Page(
            list(rows.scalars().unique()), page, per_page, cap if capped else total, capped
        )
    elif tab == "all":
        result = page_without_count(stmt, page, per_page, keyset=Matter.id, after=after)
    else:
        result = page_without_count(stmt, page, per_page)
    result.items = [
        QueueItem(r.matter, r) if entity is Clock else QueueItem(r) for r in result.items
    ]
    return result
