"""Users for module tests: the shared test users and the extra staff a module's tests add."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

from sqlalchemy import select

from core.accounts.models import Role, User
from core.accounts.passwords import hash_password
from core.extensions import db
from tests.cases_support import agency, as_, user
from tests.plugin import PASSWORD, USERS

__all__ = ["PASSWORD", "USERS", "add_user", "add_users", "agency", "as_", "user"]

#: username → (display name, role code or codes, agency code), as ``tests.plugin.USERS``.
Staff = Mapping[str, tuple[str, str | Iterable[str], str]]


@cache
def _password_hash() -> str:
    # argon2 is slow on purpose: hash the shared test password once per test process.
    return hash_password(PASSWORD)


def add_user(
    username: str, display_name: str, roles: str | Iterable[str] = (), agency_code: str = "XFJ"
) -> User:
    """A user with ``roles`` (codes) in the agency ``agency_code``, password ``PASSWORD``.

    Inside an app context; commits. For the roles a module brings, install it first.
    """
    codes = [roles] if isinstance(roles, str) else list(roles)
    found = {
        r.code: r for r in db.session.execute(select(Role).where(Role.code.in_(codes))).scalars()
    }
    missing = [c for c in codes if c not in found]
    assert not missing, f"no role {missing} (is the module that brings it installed?)"
    new = User(
        username=username,
        display_name=display_name,
        password_hash=_password_hash(),
        roles=[found[c] for c in codes],
        agency_id=agency(agency_code).id,
    )
    db.session.add(new)
    db.session.commit()
    return new


def add_users(staff: Staff) -> None:
    """``add_user`` for each entry of ``staff`` (inside an app context)."""
    for username, (display_name, roles, agency_code) in staff.items():
        add_user(username, display_name, roles, agency_code)
