from flask import Blueprint

bp = Blueprint("hearings", __name__, template_folder="templates")

from . import api, views, views_assess, views_desk  # noqa: E402,F401
from .services import links  # noqa: E402

links.connect()
