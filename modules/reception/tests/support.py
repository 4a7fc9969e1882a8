"""Helpers for the reception module's tests: install it, add hall staff, act as a user."""

from __future__ import annotations

import importlib
from contextlib import contextmanager

from sqlalchemy import select

from core.accounts.actor import acting_as
from core.accounts.models import Role, User
from core.accounts.passwords import hash_password
from core.extensions import db
from core.registry.installer import install
from tests.cases_support import agency, category, user  # noqa: F401  (the tests use them from here)
from tests.plugin import PASSWORD


class _Lazy:
    """A module imported on first use.

    The registry learns which tables a module owns by importing its models when the first app
    is built (core.registry.discovery); a test module importing them at collection time would
    hide them from it (and from purge), so the tests reach the module through these.
    """

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr: str):
        if attr.startswith(("_", "pytest")):  # pytest probing module attributes at collection
            raise AttributeError(attr)
        return getattr(importlib.import_module(self._name), attr)


svc = _Lazy("modules.reception.services")
models = _Lazy("modules.reception.models")

VALID_ID = "11010519491231002X"
OTHER_ID = "110105194912310038"


def id_number(seq: int) -> str:
    """A valid resident ID number, different for each ``seq``."""
    from core.cases.idcard import check_digit

    first = f"11010519800101{seq:03d}"
    return first + check_digit(first)


def setup_hall() -> None:
    """Install the module and add a reception officer and a lawyer at the bureau."""
    install(["reception"])
    roles = {r.code: r for r in db.session.execute(select(Role)).scalars()}
    xfj = agency("XFJ")
    pw = hash_password(PASSWORD)
    for username, name, role in (
        ("officer", "接访员小李", "reception_officer"),
        ("lawyer", "值班律师老周", "lawyer"),
    ):
        db.session.add(
            User(
                username=username,
                display_name=name,
                password_hash=pw,
                roles=[roles[role]],
                agency_id=xfj.id,
            )
        )
    db.session.commit()


@contextmanager
def as_(username: str):
    with acting_as(user(username)):
        yield
