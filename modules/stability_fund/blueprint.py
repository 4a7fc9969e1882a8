from flask import Blueprint

bp = Blueprint("stability_fund", __name__, template_folder="templates")

from . import views  # noqa: E402,F401
from .services import monitoring  # noqa: E402

monitoring.connect()
