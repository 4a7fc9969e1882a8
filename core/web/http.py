"""HTTP helpers for views: refusing with a reason, bounded numbers, pagination, permissions.

Numbers from outside are bounded here, once for every route: ``<int:…>`` in a URL
(``BoundedIntConverter``, registered as the app's ``int`` converter) and
``request.args.get(name, type=int)`` (``BoundedRequest``). Every id column is a PostgreSQL
``integer``: a bigger number used to reach the database and fail there (a 500).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Request, abort, g, has_app_context
from flask_login import current_user, login_required
from sqlalchemy import Select, func, inspect, select
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, ValidationError

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


#: The largest number an id or a numeric parameter may be: PostgreSQL's ``integer``.
INT_MAX = 2**31 - 1
#: The 404's reason when a URL's number is past ``INT_MAX`` (``core.web.errors`` shows it).
OUT_OF_RANGE = "编号超出范围，没有这条记录。"


class BoundedIntConverter(IntegerConverter):
    """The app's ``int`` URL converter: numbers past ``INT_MAX`` match no route (a 404).

    The 404 says why (``OUT_OF_RANGE``): the converter notes it on ``g`` for the error page.
    A number too long for Python's ``int()`` (over 4300 digits) is refused by its length first.
    """

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        super().__init__(map, fixed_digits, min, INT_MAX if max is None else max, signed)

    def to_python(self, value: str) -> Any:  # noqa: D102
        if len(value.lstrip("-")) > len(str(INT_MAX)) or abs(int(value)) > INT_MAX:
            if has_app_context():
                g.minsheng_out_of_range = True
            raise ValidationError()
        return super().to_python(value)


def parse_int(raw: Any, low: int = 1, high: int = INT_MAX) -> int | None:
    """``raw`` as an integer within ``[low, high]``, else ``None`` (text, out of range, bool)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw).strip()
        digits = text.removeprefix("-")
        if not digits.isascii() or not digits.isdigit() or len(digits) > len(str(INT_MAX)):
            return None
        value = int(text)
    return value if low <= value <= high else None


class BoundedParameters(ImmutableMultiDict):
    """Query and form parameters whose ``get(name, type=int)`` refuses what is no ``integer``.

    Werkzeug's ``get`` returns the default for text that is not a number and any size of number
    for digits: a page number of 30 digits reached the database. Here text or a number past
    ``INT_MAX`` is a 400 naming the parameter; an empty value still gives the default.
    """

    def get(self, key, default=None, type=None):  # noqa: D102
        if type is not int:
            return super().get(key, default, type)
        try:
            raw = self[key]
        except KeyError:
            return default
        if not raw.strip():
            return default
        value = parse_int(raw, -INT_MAX - 1, INT_MAX)
        if value is None:
            fail(400, f"参数“{key[:40]}”应为不超过 {INT_MAX} 的整数。")
        return value


class BoundedRequest(Request):
    """The app's request class: its ``args`` and ``form`` are ``BoundedParameters``."""

    parameter_storage_class = BoundedParameters


def install_bounds(app: Flask) -> None:
    """Bound the numbers of every route of ``app``; call before registering blueprints."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.request_class = BoundedRequest


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
