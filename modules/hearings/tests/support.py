"""Helpers for the hearings tests: install the module, add hearing officers, post forms."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from core.registry.installer import install
from tests.plugin import PASSWORD, TOKEN_RE, csrf_token

VERSION_RE = re.compile(r'name="version" type="hidden" value="(\d+)"')


def install_hearings(app) -> None:
    with app.app_context():
        install(["hearings"])


def add_officer(app, username: str = "officer", agency_code: str = "XFJ") -> int:
    """A user with the seeded role ``hearing_officer`` (the shared fixtures have none)."""
    from core.accounts.models import Role, User
    from core.accounts.passwords import hash_password
    from core.extensions import db
    from tests.cases_support import agency

    with app.app_context():
        role = db.session.execute(select(Role).where(Role.code == "hearing_officer")).scalar_one()
        user = User(
            username=username,
            display_name=f"听证主持人{username}",
            password_hash=hash_password(PASSWORD),
            roles=[role],
            agency_id=agency(agency_code).id,
        )
        db.session.add(user)
        db.session.commit()
        return user.id


def new_matter(app) -> tuple[int, str]:
    """A matter of XFJ registered by the clerk: (id, number)."""
    from tests.cases_support import register

    with app.app_context():
        m = register(received_on=date.today() - timedelta(days=1))
        return m.id, m.number


def schedule(c, matter: str, officer_id: int, **data):
    payload = {
        "csrf_token": csrf_token(c, "/hearings/new"),
        "matter": matter,
        "reason": "complex",
        "stage": "rereview",
        "scheduled_at": (date.today() + timedelta(days=7)).isoformat() + "T09:30",
        "venue": "县信访局三楼听证室",
        "presiding_officer_id": str(officer_id),
        "public": "y",
        **data,
    }
    return c.post("/hearings/new", data=payload)


def post(c, hearing_id: int, action: str, **data):
    """Post a form of the hearing page with its CSRF token and the version the page shows."""
    html = c.get(f"/hearings/{hearing_id}").get_data(as_text=True)
    token = TOKEN_RE.search(html)
    payload = {"csrf_token": token.group(1) or token.group(2), **data}
    version = VERSION_RE.search(html)
    if "version" not in data and version:
        payload["version"] = version.group(1)
    return c.post(f"/hearings/{hearing_id}/{action}", data=payload)
