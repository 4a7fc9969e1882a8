"""Loading the user of a request: the signed session cookie, or an API bearer token."""

from __future__ import annotations

import hashlib
import secrets

from flask import Request, abort, flash, redirect, request
from flask_babel import gettext
from flask_login.utils import login_url
from sqlalchemy import select

from core.accounts.actor import resolving_user
from core.accounts.models import ApiToken, User
from core.db import utcnow
from core.extensions import db, login_manager

API_PERMISSION = "core.api.use"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """Resolve ``"<id>:<epoch>"``; a changed epoch (roles, deactivation) ends the session."""
    try:
        uid, epoch = (int(x) for x in session_id.split(":"))
    except ValueError:
        return None
    with resolving_user():
        user = db.session.get(User, uid)
    if user is None or not user.active or user.session_epoch != epoch:
        return None
    return user


def bearer_token(request: Request) -> str | None:
    """The bearer token of the request, if any."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header[7:].strip() or None
    return None


@login_manager.request_loader
def load_user_from_token(request: Request) -> User | None:
    """Authenticate an API call by its bearer token (no cookie, so no CSRF exposure)."""
    token = bearer_token(request)
    if not token:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    with resolving_user():
        row = db.session.execute(
            select(ApiToken).where(ApiToken.token_hash == digest, ApiToken.revoked.is_(False))
        ).scalar_one_or_none()
        if row is None or not row.user.active:
            return None
        if API_PERMISSION not in row.user.permission_names():
            return None
    # Saved when the request commits (a read-only call leaves it as it was).
    row.last_used_at = utcnow()
    return row.user


@login_manager.unauthorized_handler
def unauthorized():
    """Not logged in: 401 for API calls (JSON, see core.web.errors), the login page for people."""
    if request.path.startswith("/api/") or bearer_token(request):
        abort(401)
    flash(gettext(login_manager.login_message), "info")
    return redirect(login_url(login_manager.login_view, next_url=request.url))


def issue_token(user: User, name: str) -> str:
    """Create an API token for ``user`` and return it (shown once; only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        ApiToken(user=user, name=name, token_hash=hashlib.sha256(token.encode()).hexdigest())
    )
    return token
