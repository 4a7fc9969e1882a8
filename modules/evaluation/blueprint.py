from flask import Blueprint

bp = Blueprint("evaluation", __name__, template_folder="templates")

from . import drill_views, report_views, views  # noqa: E402,F401
