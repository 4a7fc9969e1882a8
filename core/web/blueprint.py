"""The ``core`` blueprint; its routes live in the view files imported at the bottom."""

from flask import Blueprint

bp = Blueprint("core", __name__)

from core.accounts import admin_views, views  # noqa: E402,F401
from core.cases import api as cases_api  # noqa: E402,F401
from core.cases import calendar_views, export_views, search_views  # noqa: E402,F401
from core.cases import views as cases_views  # noqa: E402,F401
from core.web import pages  # noqa: E402,F401
