"""Helpers for the legal_aid tests: install the module, add lawyers, post forms with a token."""

from __future__ import annotations

from sqlalchemy import select

from core.accounts.models import Role, User
from core.accounts.passwords import hash_password
from core.extensions import db
from core.registry.installer import install
from tests.cases_support import agency
from tests.plugin import PASSWORD, csrf_token

#: username → (display name, agency code)
LAWYERS = {
    "lawyer": ("值班律师老周", "XFJ"),
    "lawyer2": ("值班律师小钱", "XFJ"),
    "far_lawyer": ("邻县律师老孙", "OTHER"),
}


def setup_legal_aid(app) -> None:
    """Install the module and add lawyers at the bureau and in the neighbouring county."""
    with app.app_context():
        install(["legal_aid"])
        role = db.session.execute(select(Role).where(Role.code == "lawyer")).scalar_one()
        pw = hash_password(PASSWORD)
        for username, (name, code) in LAWYERS.items():
            db.session.add(
                User(
                    username=username,
                    display_name=name,
                    password_hash=pw,
                    roles=[role],
                    agency_id=agency(code).id,
                )
            )
        db.session.commit()


def post_form(client, page: str, url: str, data: dict):
    """Post ``data`` to ``url`` with the CSRF token of the form on ``page``."""
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data})
