"""Who is acting: the logged-in user in a request, or a user set explicitly for a block."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from flask import g, has_app_context, has_request_context
from flask_login import current_user

_acting: ContextVar[Any] = ContextVar("minsheng_acting_user", default=None)
# Set while Flask-Login loads the request's user: the queries that load it (the user, the API
# token) run as the system. Without it, every such query would ask who the user is again,
# recursing until Python's recursion limit.
_resolving: ContextVar[bool] = ContextVar("minsheng_resolving_user", default=False)


def current_actor() -> Any | None:
    """The user whose rights apply now; ``None`` means the system (CLI, scheduled jobs)."""
    user = _acting.get()
    if user is not None:
        return user
    if not has_request_context() or _resolving.get():
        return None
    with resolving_user():
        user = current_user._get_current_object()
    return user if user is not None and user.is_authenticated else None


@contextmanager
def resolving_user() -> Iterator[None]:
    """Run a block that finds out who the request's user is, with no user rights applied."""
    token = _resolving.set(True)
    try:
        yield
    finally:
        _resolving.reset(token)


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
    return permissions_of(user)


def permissions_of(user: Any) -> frozenset[str]:
    """``user.permission_names()``, read once for the life of the loaded user (one request)."""
    cached = getattr(user, "_minsheng_perms", None)
    if cached is None:
        cached = user.permission_names()
        user._minsheng_perms = cached
    return cached


def has_permission(name: str) -> bool:
    """Whether the current actor holds permission ``name``."""
    return name in actor_permissions()


@dataclass(frozen=True)
class ActorCard:
    """What records written for the acting user need of them: ids and names, read once."""

    id: int
    username: str
    display_name: str
    agency_id: int | None


def actor_card() -> ActorCard | None:
    """The acting user's card (``None`` for the system), kept for the request.

    Every commit expires the user object; a service that writes the user's id and name into
    each row (timeline, audit) would otherwise read the user back after each transaction.
    """
    user = current_actor()
    if user is None:
        return None
    from sqlalchemy import inspect

    identity = inspect(user).identity
    key = f"minsheng_actor_card_{identity[0] if identity else id(user)}"
    card = g.get(key) if has_app_context() else None
    if card is None:
        card = ActorCard(user.id, user.username, user.display_name, user.agency_id)
        if has_app_context():
            setattr(g, key, card)
    return card
