"""Request hooks: CSRF, uninstalled-module gate, personal-data audit, security headers."""

from __future__ import annotations

from flask import Flask, abort, request

from core.accounts.masking import flush_personal_views
from core.accounts.session import bearer_token
from core.extensions import csrf


def install(app: Flask) -> None:
    """Attach the hooks to ``app``."""
    registry = app.extensions["minsheng.registry"]

    @app.before_request
    def gate_uninstalled_modules():
        # Routes of modules whose code is present but not installed do not exist for users.
        bp = request.blueprint
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
        if bearer_token(request) and "minsheng_session" not in request.cookies:
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
