"""The roster pages: lawyers, their standing and history, their conflicts."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext
from sqlalchemy import select

from core.api import (
    Agency,
    StaleEdit,
    _l,
    data_opts,
    db,
    fail,
    has_permission,
    require,
)

from .. import services
from ..blueprint import bp
from ..forms import ConflictForm, DeleteForm, LawyerForm, StatusForm
from ..models import Conflict, Lawyer
from ..services import LawyerInput, LegalAidError
from .common import STALE, refused


def _lawyer(lawyer_id: int) -> Lawyer:
    lawyer = db.session.get(Lawyer, lawyer_id)
    if lawyer is None:
        fail(404, "名册中没有该律师。")
    return lawyer


def _input(form: LawyerForm) -> LawyerInput:
    return LawyerInput(
        name=form.name.data or "",
        firm=form.firm.data or "",
        licence_no=form.licence_no.data or "",
        specialties=form.specialties.data or "",
        languages=form.languages.data or "",
        nominated_by=form.nominated_by.data or "",
        eligible=bool(form.eligible.data),
        username=form.username.data or "",
        note=form.note.data or "",
    )


def _conflict_form() -> ConflictForm:
    form = ConflictForm()
    agencies = db.session.execute(
        select(Agency).where(Agency.active.is_(True)).order_by(Agency.path)
    ).scalars()
    form.agency_id.choices = data_opts(
        [(0, _l("（当事人，不是机关）")), *((a.id, a.name) for a in agencies)]
    )
    return form


@bp.route("/legal-aid/roster")
@require("legal_aid.view")
def roster():
    """The roster (律师名册): lawyers in service first, with the form to add one."""
    form = LawyerForm() if has_permission("legal_aid.roster") else None
    return render_template("legal_aid/roster.html", lawyers=services.lawyers(), form=form)


@bp.route("/legal-aid/roster", methods=["POST"])
@require("legal_aid.roster")
def add_lawyer():
    """Add a lawyer nominated by the bar association."""
    form = LawyerForm()
    if form.validate():
        try:
            lawyer = services.save_lawyer(None, _input(form))
        except LegalAidError as exc:
            refused(form, exc)
        else:
            flash(gettext("已将 %(name)s 登记入名册。", name=lawyer.name), "success")
            return redirect(url_for("legal_aid.lawyer", lawyer_id=lawyer.id))
    return render_template("legal_aid/roster.html", lawyers=services.lawyers(), form=form), 422


def _render_lawyer(lawyer: Lawyer, status: int = 200, **forms):
    editable = has_permission("legal_aid.roster")
    if editable:
        if "form" not in forms:
            form = LawyerForm(obj=lawyer, formdata=None)
            form.username.data = lawyer.user.username if lawyer.user else ""
            form.version.data = str(lawyer.version)
            forms["form"] = form
        forms.setdefault("status_form", StatusForm(formdata=None, version=lawyer.version))
        forms.setdefault("conflict_form", _conflict_form())
    return render_template(
        "legal_aid/lawyer.html",
        lawyer=lawyer,
        editable=editable,
        remove_form=DeleteForm(),
        **forms,
    ), status


@bp.route("/legal-aid/roster/<int:lawyer_id>")
@require("legal_aid.view")
def lawyer(lawyer_id: int):
    """A lawyer: particulars, standing with its history, declared conflicts."""
    return _render_lawyer(_lawyer(lawyer_id))


@bp.route("/legal-aid/roster/<int:lawyer_id>/edit", methods=["POST"])
@require("legal_aid.roster")
def edit_lawyer(lawyer_id: int):
    """Save the lawyer's particulars (refused when someone saved in between)."""
    lawyer = _lawyer(lawyer_id)
    form = LawyerForm()
    if not form.validate():
        return _render_lawyer(lawyer, 422, form=form)
    try:
        services.save_lawyer(lawyer, _input(form), form.version.data)
    except LegalAidError as exc:
        refused(form, exc)
        return _render_lawyer(lawyer, 422, form=form)
    except StaleEdit:
        flash(gettext(STALE), "error")
        return _render_lawyer(_lawyer(lawyer_id), 409)
    flash(gettext("已保存。"), "success")
    return redirect(url_for("legal_aid.lawyer", lawyer_id=lawyer_id))


@bp.route("/legal-aid/roster/<int:lawyer_id>/status", methods=["POST"])
@require("legal_aid.roster")
def lawyer_status(lawyer_id: int):
    """Suspend, reinstate or retire the lawyer."""
    lawyer = _lawyer(lawyer_id)
    form = StatusForm()
    if not form.validate():
        return _render_lawyer(lawyer, 422, status_form=form)
    try:
        services.change_status(lawyer, form.status.data, form.reason.data or "", form.version.data)
    except LegalAidError as exc:
        refused(form, exc)
        return _render_lawyer(lawyer, 422, status_form=form)
    except StaleEdit:
        flash(gettext(STALE), "error")
        return _render_lawyer(_lawyer(lawyer_id), 409)
    flash(gettext("已变更状态。"), "success")
    return redirect(url_for("legal_aid.lawyer", lawyer_id=lawyer_id))


@bp.route("/legal-aid/roster/<int:lawyer_id>/conflicts", methods=["POST"])
@require("legal_aid.roster")
def add_conflict(lawyer_id: int):
    """Declare an organ or party the lawyer acts or acted for."""
    lawyer = _lawyer(lawyer_id)
    form = _conflict_form()
    if not form.validate():
        return _render_lawyer(lawyer, 422, conflict_form=form)
    try:
        services.add_conflict(
            lawyer,
            relation=form.relation.data or "",
            agency_id=form.agency_id.data or None,
            party=form.party.data or "",
            since=form.since.data,
            until=form.until.data,
        )
    except LegalAidError as exc:
        refused(form, exc)
        return _render_lawyer(lawyer, 422, conflict_form=form)
    flash(gettext("已登记利益冲突。"), "success")
    return redirect(url_for("legal_aid.lawyer", lawyer_id=lawyer_id))


@bp.route("/legal-aid/conflicts/<int:conflict_id>/remove", methods=["POST"])
@require("legal_aid.roster")
def remove_conflict(conflict_id: int):
    """Withdraw a conflict declared by mistake."""
    conflict = db.session.get(Conflict, conflict_id)
    if conflict is None:
        fail(404, "没有该利益冲突登记。")
    if not DeleteForm().validate():
        fail(400, "表单已过期，请刷新页面后重试。")
    lawyer_id = conflict.lawyer_id
    services.remove_conflict(conflict)
    flash(gettext("已撤回该利益冲突登记。"), "success")
    return redirect(url_for("legal_aid.lawyer", lawyer_id=lawyer_id))
