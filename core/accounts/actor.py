"""Who is acting: the logged-in user in a request, or a user set explicitly for a block."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from flask import has_request_context
from flask_login import current_user

_acting: ContextVar[Any] = ContextVar("minsheng_acting_user", default=None)


def current_actor() -> Any | None:
    """The user whose rights apply now; ``None`` means the system (CLI, scheduled jobs)."""
    user = _acting.get()
    if user is not None:
        return user
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Run a block with ``user``'s rights (record rules and masking), e.g. in a job or test."""
    token = _acting.set(user)
    try:
        yield
    finally:
        _acting.reset(token)


def actor_permissions() -> frozenset[str]:
    """Permissions of the current actor (empty for anonymous; the system has none either)."""
    user = current_actor()
    if user is None:
        return frozenset()
    cached = getattr(user, "_minsheng_perms", None)
    if cached is None:
        cached = user.permission_names()
        user._minsheng_perms = cached
    return cached


def has_permission(name: str) -> bool:
    """Whether the current actor holds permission ``name``."""
    return name in actor_permissions()
