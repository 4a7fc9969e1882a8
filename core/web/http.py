"""HTTP helpers for views: refusing with a reason, pagination, permission checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import Select, func, inspect, select
from werkzeug.exceptions import HTTPException

from core.accounts.actor import has_permission
from core.extensions import db

T = TypeVar("T")

F = TypeVar("F", bound=Callable[..., Any])


def fail(code: int, message: str) -> None:
    """Stop the request with ``code`` and a message shown to the user (Chinese, no internals)."""
    exc = HTTPException(description=message)
    exc.code = code
    exc.minsheng_message = True  # type: ignore[attr-defined]
    raise exc


def require(permission: str) -> Callable[[F], F]:
    """View decorator: logged in and holding ``permission`` (403 otherwise)."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated or not has_permission(permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


@dataclass
class Page:
    """One page of results with what the pagination macro needs.

    Counted pages know ``total`` (``paginate``). Uncounted pages (``page_without_count``) have
    ``total`` ``None`` and learn from one extra row whether another page follows (``more``);
    they are addressed by ``page`` (an offset) or, with keyset pagination, by ``after``: the
    key of the last row of the previous page (``next_after`` is the key for the next link).
    """

    items: list[Any]
    page: int
    per_page: int
    #: Rows in all pages; ``None`` when not counted.
    total: int | None
    #: ``total`` is a lower bound: counting stopped there (shown as "10000+").
    capped: bool = False
    #: Uncounted pages: another row follows this page.
    more: bool = False
    #: Keyset pages: the key this page starts after (``None`` on the first page) …
    after: Any = None
    #: … and the key the next page starts after (``None`` on the last page, or by offset).
    next_after: Any = None

    @property
    def pages(self) -> int:  # noqa: D102
        if self.total is None:  # as far as we know: this one, and the next if there is one
            return self.page + (1 if self.more else 0)
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:  # noqa: D102
        return self.page > 1

    @property
    def has_next(self) -> bool:  # noqa: D102
        if self.total is None:
            return self.more
        return self.page < self.pages


def paginate(stmt: Select, page: int = 1, per_page: int = 50) -> Page:
    """Run ``stmt`` for one page (record rules apply as on every query)."""
    page = max(1, page)
    total = db.session.execute(
        select(func.count()).select_from(stmt.order_by(None).subquery())
    ).scalar_one()
    items = list(db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).scalars())
    return Page(items, page, per_page, total)


def page_without_count(
    stmt: Select,
    page: int = 1,
    per_page: int = 50,
    *,
    keyset: Any = None,
    after: Any = None,
) -> Page:
    """One page of ``stmt`` without counting its rows (a count scans a large table each view).

    ``per_page + 1`` rows are fetched to know whether another page follows.

    With ``keyset`` (a unique column ``stmt`` is ordered by, descending, such as ``Model.id``)
    the page starts after the key ``after`` instead of at an offset, so deep pages cost no more
    than the first; ``page`` is then ignored (and reported as 1), and the page reports
    ``next_after`` for its next link.
    """
    page = max(1, page)
    if keyset is not None and after is not None:
        stmt = stmt.where(keyset < after)
        page = 1
    else:  # by offset (with ``keyset``, an old link: its next link is by key again)
        stmt = stmt.offset((page - 1) * per_page)
    # unique(): ``stmt`` may eager-load collections with joins (one row per child).
    items = list(db.session.execute(stmt.limit(per_page + 1)).scalars().unique())
    more = len(items) > per_page
    del items[per_page:]
    # A first page that is also the last one knows its total for free.
    total = len(items) if page == 1 and after is None and not more else None
    next_after = getattr(items[-1], keyset.key) if keyset is not None and more else None
    return Page(items, page, per_page, total, more=more, after=after, next_after=next_after)


def get_visible_or_404(model: type[T], ident: Any) -> T:
    """Fetch ``model`` by primary key through a query, so record rules apply; 404 if hidden.

    (``Session.get`` may answer from the identity map without a query, skipping the rules.)
    """
    pk = inspect(model).primary_key[0]
    obj = db.session.execute(select(model).where(pk == ident)).scalar_one_or_none()
    if obj is None:
        abort(404)
    return obj
