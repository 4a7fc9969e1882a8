from flask import Blueprint

bp = Blueprint("legal_aid", __name__, template_folder="templates")

from . import views  # noqa: E402,F401
