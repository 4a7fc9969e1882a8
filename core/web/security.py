"""Request hooks: CSRF, uninstalled-module gate, personal-data audit, security headers."""

from __future__ import annotations

from flask import Flask, abort, current_app, request
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user

from core.accounts.masking import flush_personal_views
from core.accounts.session import bearer_token
from core.extensions import csrf
from core.web.http import fail

#: The longest request target (path and query) the app answers; past it, 414 in the style of
#: the route (JSON on the API). gunicorn must let such lines through to the app
#: (``--limit-request-line 8190`` in scripts/run); past 8190 gunicorn answers on its own.
MAX_URL = 4096


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
    def refuse_long_urls():
        target = request.environ.get("RAW_URI") or request.full_path
        if len(target) > MAX_URL:
            fail(414, f"请求地址过长（超过 {MAX_URL} 个字符），请缩短查询条件。")

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
        if request.path.startswith("/api/") and not current_user.is_authenticated:
            # Nobody is logged in: there is no credential a forged request could use, and the
            # API answers its documented JSON 401 (a CSRF 400 first would mislead the caller).
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
