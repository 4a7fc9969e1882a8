"""Record rules (记录规则): which agencies' records the acting user may see.

Applied in one place — a ``do_orm_execute`` hook on every ORM SELECT, including relationship
loads — so lists, pages, exports and the API cannot forget them. A model opts in by inheriting
``AgencyScoped``. The rule: a user sees records of their own agency, of agencies granted to them,
and of all their sub-agencies; ``core.records.bureau`` widens that to the whole tree their agency
belongs to, ``core.records.all`` to everything. The system (no acting user: CLI, jobs) is not
restricted. Pass ``execution_options(skip_record_rules=True)`` only where a service must look
across agencies on purpose (for example duplicate detection), and never return those rows raw.
"""

from __future__ import annotations

from contextvars import ContextVar

from flask import g, has_app_context
from sqlalchemy import ForeignKey, event, false, inspect, or_, select
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    with_loader_criteria,
)

from core.accounts.actor import actor_permissions, current_actor, permissions_of
from core.accounts.models import Agency

ALL = "core.records.all"
BUREAU = "core.records.bureau"


class AgencyScoped:
    """Mixin for records owned by an agency: ``agency_id`` decides who may see them."""

    @declared_attr
    def agency_id(cls) -> Mapped[int]:  # noqa: D102
        return mapped_column(ForeignKey("core_agency.id"), index=True)

    @classmethod
    def scope_criterion(cls, ids):
        """SQL condition: the row belongs to one of the agencies ``ids``.

        Override for records that several agencies share (a matter is visible to the agencies
        it was forwarded or assigned to as well).
        """
        return cls.agency_id.in_(ids)


def scoped_models() -> list[type]:
    """Every mapped class that inherits ``AgencyScoped``."""
    from core.db import Base

    return [m.class_ for m in Base.registry.mappers if issubclass(m.class_, AgencyScoped)]


def visible_agency_ids(user) -> frozenset[int] | None:
    """Agency ids ``user`` may see, or ``None`` when unrestricted."""
    # The request's answer first: the user's roles are expired after every commit, and reading
    # them again on each later query of the request cost more than the queries themselves.
    # The identity key, not ``user.id``: reading an attribute of an expired user reloads it.
    identity = inspect(user).identity
    cache_key = f"minsheng_visible_{identity[0] if identity else user.id}"
    if has_app_context() and cache_key in g:
        return g.get(cache_key)
    perms = permissions_of(user)
    if ALL in perms:
        return None
    from core.extensions import db

    # Materialised paths: an agency and everything under it share the agency's path prefix.
    prefixes = {a.path for a in [user.agency, *user.extra_agencies] if a is not None}
    if BUREAU in perms and user.agency is not None:
        # The bureau is the top of the user's own tree: the first id of the path.
        top = user.agency.path.strip("/").split("/")[0]
        prefixes.add(f"/{top}/")
    if not prefixes:
        ids: frozenset[int] = frozenset()
    else:
        stmt = select(Agency.id).where(or_(*[Agency.path.startswith(p) for p in sorted(prefixes)]))
        ids = frozenset(
            db.session.execute(stmt.execution_options(skip_record_rules=True)).scalars()
        )
    ids |= _granted_by_modules(user)
    if has_app_context():
        setattr(g, cache_key, ids)
    return ids


def _granted_by_modules(user) -> frozenset[int]:
    """Agencies installed modules let ``user`` see as well (``Manifest.record_grants``)."""
    from flask import current_app

    registry = current_app.extensions.get("minsheng.registry") if has_app_context() else None
    if registry is None:
        return frozenset()
    token = _computing.set(True)  # the modules' look-ups are not themselves restricted
    try:
        return frozenset(registry.record_grants(user))
    finally:
        _computing.reset(token)


def criteria_for(user):
    """The SQL criterion limiting ``AgencyScoped`` rows for ``user`` (or ``None``)."""
    ids = visible_agency_ids(user)
    if ids is None:
        return None
    return sorted(ids)


# Computing the rule loads the user's roles and agencies, which are ORM selects themselves.
_computing: ContextVar[bool] = ContextVar("minsheng_record_rules_computing", default=False)


@event.listens_for(Session, "do_orm_execute")
def _apply_record_rules(state: ORMExecuteState) -> None:
    if not state.is_select or state.execution_options.get("skip_record_rules") or _computing.get():
        return
    user = current_actor()
    if user is None:
        return
    token = _computing.set(True)
    try:
        if ALL in actor_permissions():
            return
        ids = criteria_for(user)
    finally:
        _computing.reset(token)
    if ids is None:
        return
    options = _options(ids)
    # Loader criteria travel with the objects they loaded into those objects' lazy loads and
    # refreshes; adding them again there would stack one more copy on every reload (a user
    # refreshed after each commit grew a statement with thousands of criteria).
    present = getattr(state.statement, "_with_options", ())
    if options and any(option is options[0] for option in present):
        return
    state.statement = state.statement.options(*options)


#: Loader criteria by (scoped models, visible agency ids): the same objects for every request
#: of users who see the same agencies, so a statement that already carries them is recognised.
_OPTIONS: dict[tuple, list] = {}


def _options(ids: list[int]) -> list:
    """The loader criteria for ``ids`` (built once per process for each set of agencies)."""
    models = scoped_models()
    key = (tuple(models), tuple(ids))
    cached = _OPTIONS.get(key)
    if cached is not None:
        return cached
    # One plain criterion per scoped model (rather than one lambda on the mixin) so models
    # can override ``scope_criterion`` and the SQL is exactly what they declare.
    options = [
        with_loader_criteria(
            model, model.scope_criterion(ids) if ids else false(), include_aliases=True
        )
        for model in models
    ]
    if len(_OPTIONS) > 1000:  # distinct scopes are few; never let the cache grow unbounded
        _OPTIONS.clear()
    _OPTIONS[key] = options
    return options
