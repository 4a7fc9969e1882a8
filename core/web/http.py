"""HTTP helpers for views: refusing with a reason, pagination, permission checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import Select, func, select
from werkzeug.exceptions import HTTPException

from core.accounts.actor import has_permission
from core.extensions import db

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
    """One page of results with what the pagination macro needs."""

    items: list[Any]
    page: int
    per_page: int
    total: int
    #: ``total`` is a lower bound: counting stopped there (shown as "10000+").
    capped: bool = False

    @property
    def pages(self) -> int:  # noqa: D102
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:  # noqa: D102
        return self.page > 1

    @property
    def has_next(self) -> bool:  # noqa: D102
        return self.page < self.pages


def paginate(stmt: Select, page: int = 1, per_page: int = 50) -> Page:
    """Run ``stmt`` for one page (record rules apply as on every query)."""
    page = max(1, page)
    total = db.session.execute(
        select(func.count()).select_from(stmt.order_by(None).subquery())
    ).scalar_one()
    items = list(db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).scalars())
    return Page(items, page, per_page, total)
