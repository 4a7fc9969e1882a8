"""Core's pages and API: importing this module attaches every view to ``core.web.blueprint.bp``."""

from core.accounts import admin_views, views  # noqa: F401
from core.cases.web import api as cases_api  # noqa: F401
from core.cases.web import calendar_views, export_views, queue_views, search_views  # noqa: F401
from core.cases.web import views as cases_views  # noqa: F401
from core.web import pages  # noqa: F401
from core.web.blueprint import bp

__all__ = ["bp"]
