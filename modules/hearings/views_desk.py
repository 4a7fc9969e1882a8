"""Desk pages: a petitioner's application and its decision, rooms and roster, week calendars."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from core.api import (
    N_,
    Matter,
    StaleEdit,
    current_actor,
    get_visible_or_404,
    has_permission,
    require,
    today,
)

from . import services
from .blueprint import bp
from .forms import AcceptForm, ApplyForm, PanelistForm, RefuseForm, VenueForm
from .models import Application
from .services import HearingError
from .views import refused


@bp.route("/hearings/apply", methods=["GET", "POST"])
@require("hearings.manage")
def apply_form():
    """Record a petitioner's application for a hearing (a late one is recorded as late)."""
    form = ApplyForm()
    if request.method == "GET":
        form.matter.data = request.args.get("matter", "")
        form.applied_on.data = today()
    if form.validate_on_submit():
        matter = services.find_matter(form.matter.data)
        if matter is None:
            form.matter.errors = [*form.matter.errors, "未找到该信访事项，或您无权查看。"]
        else:
            try:
                app = services.apply(
                    matter,
                    told_on=form.told_on.data,
                    applied_on=form.applied_on.data,
                    reason=form.reason.data,
                    grounds=form.grounds.data,
                )
            except HearingError as exc:
                refused(form, exc)
            else:
                flash(
                    gettext("已登记听证申请（逾期申请）。")
                    if app.late
                    else gettext("已登记听证申请。"),
                    "success",
                )
                return redirect(url_for("hearings.application", application_id=app.id))
    code = 422 if request.method == "POST" else 200
    return render_template(
        "hearings/apply.html", form=form, window=services.setting("application_window_days")
    ), code


def _application(application_id: int) -> Application:
    app = get_visible_or_404(Application, application_id)
    get_visible_or_404(Matter, app.matter_id)
    return app


def _application_page(app: Application, code: int = 200, **forms):
    made = {
        "accept_form": AcceptForm(formdata=None, version=app.version),
        "refuse_form": RefuseForm(formdata=None, version=app.version),
        **forms,
    }
    return render_template(
        "hearings/application.html",
        a=app,
        matter=app.matter,
        window_end=services.window_end(app.told_on) if app.told_on else None,
        decision_due=services.decision_due(app),
        may_manage=has_permission("hearings.manage"),
        **made,
    ), code


@bp.route("/hearings/applications/<int:application_id>")
@require("hearings.view")
def application(application_id: int):
    """An application and, while pending, the forms to accept or refuse it."""
    return _application_page(_application(application_id))


def _decide(app: Application, form, key: str, action, done: str):
    if not form.validate_on_submit():
        return _application_page(app, 422, **{key: form})
    try:
        action()
    except StaleEdit as exc:
        flash(str(exc), "error")
        return _application_page(app, 409)
    except HearingError as exc:
        refused(form, exc)
        return _application_page(app, 422, **{key: form})
    flash(gettext(done), "success")
    return redirect(url_for("hearings.application", application_id=app.id))


@bp.route("/hearings/applications/<int:application_id>/accept", methods=["POST"])
@require("hearings.manage")
def accept(application_id: int):
    """Accept the application; the hearing is then scheduled from the matter."""
    app = _application(application_id)
    form = AcceptForm()
    return _decide(
        app,
        form,
        "accept_form",
        lambda: services.accept(app, form.version.data, form.late_reason.data or ""),
        N_("已受理听证申请，请安排听证。"),
    )


@bp.route("/hearings/applications/<int:application_id>/refuse", methods=["POST"])
@require("hearings.manage")
def refuse(application_id: int):
    """Refuse it: the 不予受理听证通知书 is issued."""
    app = _application(application_id)
    form = RefuseForm()
    return _decide(
        app,
        form,
        "refuse_form",
        lambda: services.refuse(app, form.version.data, form.refusal_reason.data),
        N_("已决定不予受理，并已出具不予受理听证通知书。"),
    )


@bp.route("/hearings/venues", methods=["GET", "POST"])
@require("hearings.view")
def venues():
    """Hearing rooms and the panel roster; with ``hearings.admin`` the forms to add to them."""
    venue_form, panelist_form = VenueForm(prefix="v"), PanelistForm(prefix="p")
    code = 200
    if request.method == "POST":
        if not has_permission("hearings.admin"):
            abort(403)
        agency_id = current_actor().agency_id
        try:
            if request.form.get("what") == "venue" and venue_form.validate_on_submit():
                services.save_venue(
                    None,
                    None,
                    name=venue_form.name.data,
                    capacity=venue_form.capacity.data,
                    address=venue_form.address.data or "",
                    agency_id=agency_id,
                )
                flash(gettext("已添加听证室。"), "success")
                return redirect(url_for("hearings.venues"))
            if request.form.get("what") == "panelist" and panelist_form.validate_on_submit():
                services.save_panelist(
                    panelist_form.name.data,
                    panelist_form.kind.data,
                    panelist_form.organisation.data or "",
                    agency_id=agency_id,
                )
                flash(gettext("已加入听证员库。"), "success")
                return redirect(url_for("hearings.venues"))
        except HearingError as exc:
            refused(venue_form if request.form.get("what") == "venue" else panelist_form, exc)
        code = 422
    return render_template(
        "hearings/venues.html",
        venues=services.venues(active_only=False),
        panelists=services.panelists(),
        officers=services.officers(),
        venue_form=venue_form,
        panelist_form=panelist_form,
        may_admin=has_permission("hearings.admin"),
    ), code


@bp.route("/hearings/calendar")
@require("hearings.view")
def calendar():
    """A week of hearings of one room (``venue``) or one person (``officer``)."""
    try:
        first = date.fromisoformat(request.args.get("week", ""))
    except ValueError:
        first = today()
    first = services.monday(first)
    venue_id = request.args.get("venue", type=int)
    officer_id = request.args.get("officer", type=int)
    rooms, people = services.venues(), services.officers()
    if not venue_id and not officer_id and rooms:
        venue_id = rooms[0].id
    return render_template(
        "hearings/calendar.html",
        days=services.week(first, venue_id=venue_id, officer_id=officer_id),
        first=first,
        prev=first - timedelta(days=7),
        next=first + timedelta(days=7),
        rooms=rooms,
        people=people,
        venue_id=venue_id,
        officer_id=officer_id,
    )
