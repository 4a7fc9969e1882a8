"""The money side of an application: undertaking, payments, 销号, relations (回避)."""

from __future__ import annotations

from flask import request

from core.api import User, db, fail, require

from .. import services
from ..blueprint import bp
from ..forms import PaymentForm, RelationForm, UndertakingForm, VersionForm
from .applications import run_step


def _scan(name: str) -> services.Scan | None:
    upload = request.files.get(name)
    if upload is None or not upload.filename:
        return None
    return services.Scan(upload.filename, upload.read(), upload.mimetype or "")


@bp.route("/stability-fund/<int:app_id>/undertaking", methods=["POST"])
@require("stability_fund.pay")
def undertaking(app_id: int):
    def act(app, form):
        services.record_undertaking(
            app, form.version.data, form.kind.data, form.signed_on.data, _scan("scan")
        )
        return "已登记息诉罢访承诺书。"

    return run_step(app_id, UndertakingForm, "undertaking_form", act)


@bp.route("/stability-fund/<int:app_id>/pay", methods=["POST"])
@require("stability_fund.pay")
def pay(app_id: int):
    def act(app, form):
        data = services.PaymentInput(
            paid_fen=form.amount.fen or 0,
            paid_on=form.paid_on.data,
            method=form.method.data,
            reference=form.reference.data or "",
            receipt=_scan("receipt"),
            final=form.final.data,
        )
        services.pay(app, form.version.data, data)
        return "已登记拨付。"

    return run_step(app_id, PaymentForm, "payment_form", act)


@bp.route("/stability-fund/<int:app_id>/close", methods=["POST"])
@require("stability_fund.close")
def close(app_id: int):
    def act(app, form):
        services.close(app, form.version.data, form.matter_version.data, form.note.data or "")
        return "事项已化解销号。"

    return run_step(app_id, VersionForm, "version_form", act)


@bp.route("/stability-fund/<int:app_id>/relation", methods=["POST"])
@require("stability_fund.prepare")
def relation(app_id: int):
    def act(app, form):
        user = db.session.get(User, form.user_id.data)
        if user is None:
            fail(404, "没有该工作人员。")
        services.record_relation(app, user, form.relation.data)
        return "已登记回避关系。"

    return run_step(app_id, RelationForm, "relation_form", act)
