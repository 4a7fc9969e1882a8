"""Template helpers: navigation from installed modules, masking filter, formatting."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, has_request_context, request, url_for
from flask_login import current_user
from markupsafe import Markup

from core.accounts.actor import actor_permissions, has_permission
from core.accounts.masking import personal_value

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def local_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Format a stored (UTC) time in Beijing time."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return value.astimezone(LOCAL_TZ).strftime(fmt)


def may_view_cases() -> bool:
    """Whether the acting user works on the case file (links to case pages are shown)."""
    from core.cases.web.access import can_view_cases

    return can_view_cases(actor_permissions())


def install(app: Flask) -> None:
    """Register context processors, filters and globals on ``app``."""
    registry = app.extensions["minsheng.registry"]

    @app.context_processor
    def navigation():
        # Outside a request (a job, the CLI) current_user is None, not an anonymous user.
        if not has_request_context() or not current_user.is_authenticated:
            return {"menu_groups": []}
        return {"menu_groups": registry.menu(actor_permissions())}

    def page_url(page: int) -> str:
        args = dict(request.args)
        args["page"] = str(page)
        return url_for(request.endpoint or "core.home", **(request.view_args or {}), **args)

    def after_url(after: object) -> str:
        """URL of the current list at the keyset page after ``after`` (``None``: the first page)."""
        args = {k: v for k, v in request.args.items() if k not in ("page", "after")}
        if after is not None:
            args["after"] = str(after)
        return url_for(request.endpoint or "core.home", **(request.view_args or {}), **args)

    def panels(slot: str, **context: object) -> Markup:
        """The fragments installed modules add to ``slot`` (``Manifest.panels``), joined."""
        from core.registry.manifest import resolve

        if not has_request_context() or not current_user.is_authenticated:
            return Markup("")
        parts = []
        for panel in registry.panels(slot, actor_permissions()):
            html = resolve(panel.render)(**context)
            if html:
                # A module's fragment is rendered from its own (autoescaped) template.
                parts.append(Markup(html))  # noqa: S704 - rendered by an autoescaping template
        return Markup("\n").join(parts)

    app.jinja_env.filters["personal"] = personal_value
    app.jinja_env.globals["panels"] = panels
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.globals["has_permission"] = has_permission
    app.jinja_env.globals["may_view_cases"] = may_view_cases
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["after_url"] = after_url
