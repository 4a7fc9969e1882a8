"""Request hooks: CSRF, uninstalled-module gate, personal-data audit, security headers."""

from __future__ import annotations

from flask import Flask, abort, current_app, request
from flask.sessions import SecureCookieSessionInterface

from core.accounts.masking import flush_personal_views
from core.accounts.session import bearer_token
from core.extensions import csrf


def cookieless_api_call() -> bool:
    """Whether the request is an API call: a bearer token and no session cookie."""
    cookie = current_app.config["SESSION_COOKIE_NAME"]
    return bool(bearer_token(request)) and cookie not in request.cookies


class SessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions that are never handed to a cookieless API call.

    Any HTML page (an error page too) puts a CSRF token in the session. Sent back to an API
    client that keeps cookies, that cookie would make its next calls need CSRF tokens, and
    Flask-Login's strong session protection would then ignore its bearer token (401).
    """

    def save_session(self, app, session, response) -> None:  # noqa: D102
        if cookieless_api_call():
            return
        super().save_session(app, session, response)


def install(app: Flask) -> None:
    """Attach the hooks to ``app``."""
    registry = app.extensions["minsheng.registry"]
    app.session_interface = SessionInterface()

    @app.before_request
    def gate_uninstalled_modules():
        # Routes of modules whose code is present but not installed do not exist for users.
        # The top-level blueprint decides, so a module's nested blueprints are gated too.
        bp = request.blueprints[-1] if request.blueprints else None
        if (
            bp
            and bp != "core"
            and bp in registry.manifests
            and bp not in registry.installed_names()
        ):
            abort(404)

    @app.before_request
    def check_csrf():
        # Cookie sessions need a CSRF token on every unsafe request; bearer-token API calls
        # carry no cookie, so a forged cross-site request cannot use them.
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return
        if cookieless_api_call():
            return
        csrf.protect()

    @app.after_request
    def headers(response):
        flush_personal_views()
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        # Everything is served locally: an intranet has no internet.
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'",
        )
        return response
