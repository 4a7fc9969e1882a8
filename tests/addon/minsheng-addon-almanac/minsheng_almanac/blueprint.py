from flask import Blueprint, render_template
from sqlalchemy import select

from core.api import db, require

from .models import AlmanacEntry

bp = Blueprint("almanac", __name__, template_folder="templates")


@bp.route("/almanac/")
@require("almanac.view")
def index():
    entries = db.session.execute(select(AlmanacEntry).order_by(AlmanacEntry.day)).scalars()
    return render_template("almanac/index.html", entries=list(entries))
