"""Pages of the reception hall. Views parse forms and call services; the rules live there.

Each service is one transaction that commits or rolls back by itself: a view only catches the
refusals (``ReceptionError``, ``StaleEdit``) to tell the user.
"""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from core.api import (
    STATES,
    StaleEdit,
    User,
    db,
    fail,
    get_visible_or_404,
    has_permission,
    id_number_problem,
    render_pdf,
    require,
    today,
)

from . import forms
from . import services as svc
from .blueprint import bp
from .models import OUTCOMES, ReceptionAppointment, ReceptionSession, ReceptionUnit, ReceptionVisit


@bp.context_processor
def _states() -> dict:
    return {"states": STATES}


def _agency_id() -> int:
    agency_id = getattr(current_user, "agency_id", None)
    if agency_id is None:
        fail(403, "您的账户未设置所属机构。")
    return agency_id


def _refused(exc: svc.ReceptionError) -> None:
    """Flash a refusal, in the reader's language where the message is in a catalog."""
    message = gettext(str(exc))
    details = "；".join(gettext(v) for v in exc.errors.values() if v and v != str(exc))
    flash(f"{message}{'：' + details if details else ''}", "error")


# --- desk ------------------------------------------------------------------------------------


@bp.route("/reception/desk", methods=["GET", "POST"])
@require("reception.desk")
def desk():
    """登记台: check the ID, the person's history at once, queue number, route to a unit."""
    agency_id = _agency_id()
    values = request.form if request.method == "POST" else request.args
    status = 200
    errors: dict[str, str] = {}
    if request.method == "POST" and request.form.get("action") == "arrive":
        try:
            visit = svc.arrive(forms.arrival(request.form))
        except svc.ReceptionError as exc:
            _refused(exc)
            errors = {key: gettext(value) if value else value for key, value in exc.errors.items()}
            status = 422
        else:
            flash(
                gettext(
                    "已登记到访：今日第 %(n)s 号，请到 %(unit)s 候谈。",
                    n=visit.queue_number,
                    unit=visit.unit.name,
                ),
                "success",
            )
            return redirect(url_for("reception.visit", visit_id=visit.id))
    id_number = forms.text(values, "id_number", 18)
    hist = None
    problem = None
    if id_number:
        problem = id_number_problem(id_number)
        problem = gettext(problem) if problem else None  # core's messages, in its catalog
        hist = svc.history(
            id_number,
            forms.text(values, "name", 100),
            forms.text(values, "mobile", 20),
            forms.text(values, "summary"),
        )
    category_id = forms.integer(values, "category_id")
    suggested = svc.route(category_id, agency_id) if category_id else None
    return (
        render_template(
            "reception/desk.html",
            values=values,
            errors=errors,
            history=hist,
            id_problem=problem,
            suggested=suggested,
            units=svc.units(agency_id),
            categories=forms.category_choices(),
            queue=svc.board(agency_id),
        ),
        status,
    )


# --- the visit at the unit --------------------------------------------------------------------


@bp.route("/reception/visits/<int:visit_id>")
@require("reception.desk")
def visit(visit_id: int):
    v = get_visible_or_404(ReceptionVisit, visit_id)
    return render_template(
        "reception/visit.html",
        visit=v,
        history=svc.history(v.id_number, v.name, v.mobile, v.summary),
        agencies=forms.agency_choices(),
        incident_kinds=svc.INCIDENT_KINDS,
        default_deadline=today().toordinal() + 30,
        may_visit=has_permission("reception.visit"),
        today=today(),
    )


@bp.route("/reception/visits/<int:visit_id>/<action>", methods=["POST"])
@require("reception.visit")
def visit_action(visit_id: int, action: str):
    v = get_visible_or_404(ReceptionVisit, visit_id)
    f = request.form
    try:
        if action == "call":
            svc.call(v)
        elif action == "answer":
            matter = svc.answer_on_spot(v, forms.text(f, "asked"), forms.text(f, "answered"))
            flash(gettext("已当场答复，事项 %(number)s 办结。", number=matter.number), "success")
        elif action == "register":
            matter = svc.register_for_handling(v, forms.text(f, "asked"))
            flash(gettext("已登记信访事项 %(number)s，请分流。", number=matter.number), "success")
        elif action == "assign":
            deadline = forms.day(f, "deadline")
            if deadline is None:
                raise svc.ReceptionError("请填写办理期限。")
            svc.assign(
                v,
                forms.integer(f, "agency_id") or 0,
                forms.text(f, "standard"),
                deadline,
                forms.text(f, "leader", 100),
            )
            flash(gettext("已交办，交办单已出具。"), "success")
        elif action == "leapfrog":
            number = svc.direct_leapfrog(
                v, forms.integer(f, "competent_agency_id") or 0, forms.text(f, "asked")
            )
            flash(
                gettext("已记录越级访并出具引导逐级走访告知书（%(number)s）。", number=number),
                "success",
            )
        elif action == "incident":
            svc.record_incident(
                v,
                forms.text(f, "kind", 30),
                forms.text(f, "description"),
                forms.text(f, "incident_action"),
                bool(f.get("police")),
            )
            flash(gettext("已记录现场情况。"), "success")
        else:
            fail(404, "未知的操作。")
    except svc.ReceptionError as exc:
        _refused(exc)
    except StaleEdit:
        flash(gettext("该记录已被他人修改，请刷新后重试。"), "error")
    return redirect(url_for("reception.visit", visit_id=visit_id))


@bp.route("/reception/visits/<int:visit_id>/slip.pdf")
@require("reception.desk")
def visit_slip(visit_id: int):
    v = get_visible_or_404(ReceptionVisit, visit_id)
    pdf = render_pdf("reception/pdf/visit_slip.html", {"visit": v, "title": "来访登记回执"})
    return Response(pdf, mimetype="application/pdf")


@bp.route("/reception/visits/<int:visit_id>/notice.pdf")
@require("reception.desk")
def leapfrog_notice(visit_id: int):
    v = get_visible_or_404(ReceptionVisit, visit_id)
    if not v.leapfrog:
        fail(404, "该来访未作越级访引导。")
    pdf = render_pdf(
        "reception/pdf/leapfrog_notice.html", {"visit": v, "title": "引导逐级走访告知书"}
    )
    return Response(pdf, mimetype="application/pdf")


# --- hall set-up, board and statistics -----------------------------------------------------------


@bp.route("/reception/units", methods=["GET", "POST"])
@require("reception.hall")
def units():
    agency_id = _agency_id()
    stale = None
    if request.method == "POST":
        f = request.form
        unit = None
        if forms.integer(f, "unit_id"):
            unit = get_visible_or_404(ReceptionUnit, forms.integer(f, "unit_id"))
        typed = {
            "code": forms.text(f, "code", 30),
            "name": forms.text(f, "name", 100),
            "subjects": forms.ids(f, "subjects"),
            "general": bool(f.get("general")),
            "active": unit is None or bool(f.get("active")),
        }
        try:
            if f.get("action") == "duty" and unit is not None:
                svc.set_duty(unit, forms.ids(f, "user_ids"))
                flash(gettext("已更新 %(unit)s 今日值班人员。", unit=unit.name), "success")
            else:
                svc.save_unit(
                    unit,
                    agency_id=unit.agency_id if unit else agency_id,
                    version=f.get("version"),
                    **typed,
                )
                flash(gettext("已保存接访窗口。"), "success")
        except svc.ReceptionError as exc:
            _refused(exc)
        except StaleEdit:
            # Someone saved this unit since the form was rendered: show the unit as it now is
            # and the form again with what this user typed, so nothing typed is lost.
            stale = {"unit_id": unit.id if unit else None, **typed}
        if stale is None:
            return redirect(url_for("reception.units"))
    staff = db.session.execute(
        select(User).where(User.agency_id == agency_id, User.active.is_(True)).order_by(User.id)
    ).scalars()
    html = render_template(
        "reception/units.html",
        units=svc.units(agency_id, active_only=False),
        categories=forms.category_choices(2),
        names=dict(forms.category_choices(3)),
        staff=list(staff),
        on_duty=svc.on_duty,
        stale=stale,
    )
    return (html, 409) if stale else html


@bp.route("/reception/board")
@require("reception.board")
def board():
    agency_id = _agency_id()
    day = forms.day(request.args, "day") or today()
    return render_template(
        "reception/board.html",
        rows=svc.board(agency_id, day),
        stats=svc.daily_stats(agency_id, day),
        day=day,
        live=day == today(),
    )


# --- leader reception days ----------------------------------------------------------------------


def _session(session_id: int) -> ReceptionSession:
    s = get_visible_or_404(ReceptionSession, session_id)
    if not s.published and not has_permission("reception.sessions.manage"):
        fail(404, "该接访日尚未公布。")
    return s


@bp.route("/reception/sessions", methods=["GET", "POST"])
@require("reception.sessions.view")
def sessions():
    if request.method == "POST":
        if not has_permission("reception.sessions.manage"):
            fail(403, "您没有安排领导接访日的权限。")
        f = request.form
        day = forms.day(f, "day")
        try:
            if day is None:
                raise svc.ReceptionError("请填写接访日期。")
            leader_id = forms.integer(f, "leader_id")
            leader = db.session.get(User, leader_id) if leader_id else None
            s = svc.schedule(
                agency_id=_agency_id(),
                leader_id=leader.id if leader else None,
                leader_name=forms.text(f, "leader_name", 50)
                or (leader.display_name if leader else ""),
                post=forms.text(f, "post", 100),
                portfolio=forms.ids(f, "portfolio"),
                day=day,
                start_time=forms.text(f, "start_time", 5),
                end_time=forms.text(f, "end_time", 5),
                place=forms.text(f, "place", 200),
                capacity=forms.integer(f, "capacity", 0) or 0,
            )
        except svc.ReceptionError as exc:
            _refused(exc)
            return redirect(url_for("reception.sessions"))
        flash(gettext("已安排领导接访日（尚未公布）。"), "success")
        return redirect(url_for("reception.session", session_id=s.id))
    stmt = select(ReceptionSession).order_by(ReceptionSession.day.desc(), ReceptionSession.id)
    if not has_permission("reception.sessions.manage"):
        stmt = stmt.where(ReceptionSession.published.is_(True))
    leaders = db.session.execute(select(User).where(User.active.is_(True)).order_by(User.id))
    return render_template(
        "reception/sessions.html",
        sessions=list(db.session.execute(stmt).scalars()),
        may_manage=has_permission("reception.sessions.manage"),
        portfolio_choices=forms.category_choices(2),
        names=dict(forms.category_choices(3)),
        users=[u for u in leaders.scalars() if any(r.code == "leader" for r in u.roles)],
    )


@bp.route("/reception/sessions/<int:session_id>")
@require("reception.sessions.view")
def session(session_id: int):
    s = _session(session_id)
    lawyers = db.session.execute(select(User).where(User.active.is_(True)).order_by(User.id))
    return render_template(
        "reception/session.html",
        s=s,
        names=dict(forms.category_choices(3)),
        categories=forms.category_choices(),
        agencies=forms.agency_choices(),
        lawyers=[u for u in lawyers.scalars() if any(r.code == "lawyer" for r in u.roles)],
        outcomes=OUTCOMES,
        booked=svc.booked(s),
        may_manage=has_permission("reception.sessions.manage"),
        may_book=has_permission("reception.appointments"),
        may_outcome=has_permission("reception.sessions.outcome"),
        today=today(),
    )


@bp.route("/reception/sessions/<int:session_id>/schedule.pdf")
@require("reception.sessions.view")
def session_pdf(session_id: int):
    s = _session(session_id)
    names = dict(forms.category_choices(3))
    pdf = render_pdf(
        "reception/pdf/schedule.html",
        {"s": s, "names": names, "title": "领导接访日安排", "agency": s.agency},
    )
    return Response(pdf, mimetype="application/pdf")


@bp.route("/reception/sessions/<int:session_id>/<action>", methods=["POST"])
@require("reception.sessions.view")
def session_action(session_id: int, action: str):
    s = _session(session_id)
    f = request.form
    try:
        if action == "publish" and has_permission("reception.sessions.manage"):
            svc.publish(s)
            flash(gettext("已公布。"), "success")
        elif action == "lawyer" and has_permission("reception.sessions.manage"):
            svc.attach_lawyer(s, forms.integer(f, "lawyer_id"))
            flash(gettext("已安排值班律师。"), "success")
        elif action == "book" and has_permission("reception.appointments"):
            appt = svc.book(s, forms.booking(f))
            if appt.state == "refused":
                flash(gettext("不予预约：%(reason)s", reason=appt.refusal), "error")
            else:
                flash(
                    gettext(
                        "已预约 %(day)s %(leader)s 接访。",
                        day=s.day.isoformat(),
                        leader=s.leader_name,
                    ),
                    "success",
                )
        else:
            fail(403, "您没有此项操作的权限。")
    except svc.ReceptionError as exc:
        _refused(exc)
    return redirect(url_for("reception.session", session_id=s.id))


@bp.route("/reception/appointments/<int:appointment_id>/<action>", methods=["POST"])
@require("reception.sessions.view")
def appointment_action(appointment_id: int, action: str):
    a = get_visible_or_404(ReceptionAppointment, appointment_id)
    f = request.form
    try:
        if action == "check_in" and has_permission("reception.appointments"):
            svc.check_in(a)
            flash(gettext("%(name)s 已签到。", name=a.name), "success")
        elif action == "outcome" and has_permission("reception.sessions.outcome"):
            matter = svc.session_outcome(
                a,
                forms.text(f, "outcome", 20),
                text=forms.text(f, "text"),
                agency_id=forms.integer(f, "agency_id"),
                deadline=forms.day(f, "deadline"),
                standard=forms.text(f, "standard"),
            )
            flash(
                gettext(
                    "已录入接访结果（%(outcome)s），事项 %(number)s。",
                    outcome=gettext(OUTCOMES[a.outcome]),
                    number=matter.number,
                ),
                "success",
            )
        else:
            fail(403, "您没有此项操作的权限。")
    except svc.ReceptionError as exc:
        _refused(exc)
    except StaleEdit:
        flash(gettext("该记录已被他人修改，请刷新后重试。"), "error")
    return redirect(url_for("reception.session", session_id=a.session_id))
