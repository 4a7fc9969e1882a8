import csv
import io

from flask import Response, jsonify, render_template

from core.api import get_visible_or_404, present, require

from .blueprint import bp
from .models import Note
from .services import list_notes

FIELDS = ("id", "title", "person", "phone", "id_number", "agency_id")


@bp.route("/notebook/")
@require("notebook.view")
def index():
    return render_template("notebook/index.html", notes=list_notes())


@bp.route("/notebook/<int:note_id>")
@require("notebook.view")
def detail(note_id: int):
    return render_template("notebook/detail.html", note=get_visible_or_404(Note, note_id))


@bp.route("/notebook/export.csv")
@require("notebook.view")
def export():
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=FIELDS)
    writer.writeheader()
    for note in list_notes():
        writer.writerow(present(note, FIELDS))
    return Response(buf.getvalue(), mimetype="text/csv")


@bp.route("/api/v1/notebook/notes")
@require("notebook.view")
def api_list():
    return jsonify(items=[present(n, FIELDS) for n in list_notes()])


@bp.route("/api/v1/notebook/notes/<int:note_id>")
@require("notebook.view")
def api_detail(note_id: int):
    return jsonify(present(get_visible_or_404(Note, note_id), FIELDS))


@bp.route("/notebook/touch", methods=["POST"])
@require("notebook.edit")
def touch():
    return jsonify(ok=True)
