"""Pages: the holiday calendar (administrators) and the user's reminders."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from core.cases.clocks import calendar_admin, clocks
from core.cases.clocks.calendar import DayKind
from core.cases.models import CalendarDay, CalendarYear, Reminder
from core.db import utcnow
from core.extensions import db
from core.web.blueprint import bp
from core.web.http import require


@bp.route("/admin/calendar", methods=["GET", "POST"])
@require("core.calendar.manage")
def calendar():
    """One year of the working-day calendar, with overrides and the official-notice import."""
    year = request.args.get("year", clocks.today().year, type=int)
    status = 200
    plan = None
    whole = request.form.get("scope") == "whole"
    if request.method == "POST" and request.form.get("action") == "preview":
        # Nothing is written: the page shows what the import would change, then confirms.
        try:
            plan = calendar_admin.preview_import(year, request.form.get("lines", ""), whole)
        except calendar_admin.CalendarError as exc:
            flash(str(exc), "error")
            status = 422
        db.session.rollback()
    elif request.method == "POST":
        try:
            if request.form.get("action") == "import":
                change = calendar_admin.import_year(
                    year, request.form.get("lines", ""), request.form.get("source", ""), whole
                )
            elif request.form.get("action") == "clear":
                change = calendar_admin.clear_day(date.fromisoformat(request.form["day"]))
            else:
                change = calendar_admin.set_day(
                    date.fromisoformat(request.form.get("day", "")),
                    request.form.get("kind", ""),
                    request.form.get("name", ""),
                )
            flash(
                f"已保存 {change.days} 天的设置；{len(change.moved)} 个期限因此重新计算。",
                "success",
            )
            return redirect(url_for("core.calendar", year=year))
        except (calendar_admin.CalendarError, ValueError) as exc:
            db.session.rollback()
            message = str(exc)
            if not isinstance(exc, calendar_admin.CalendarError):
                message = "日期格式应为 YYYY-MM-DD。"
            flash(message, "error")
            status = 422
    cal = clocks.load_calendar()
    days = [
        cal.info(date.fromordinal(d))
        for d in range(date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal() + 1)
    ]
    special = [
        d
        for d in days
        if d.kind in (DayKind.HOLIDAY, DayKind.MAKEUP_WORKDAY) or d.source == "override"
    ]
    overrides = list(
        db.session.execute(
            select(CalendarDay)
            .where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
            .order_by(CalendarDay.day)
        ).scalars()
    )
    imported = db.session.get(CalendarYear, year)
    provisional = any(d.provisional for d in days)
    return render_template(
        "core/cases/calendar.html",
        year=year,
        special=special,
        overrides=overrides,
        imported=imported,
        provisional=provisional,
        plan=plan,
        form=request.form,
        settings=clocks.settings_table(),
    ), status


@bp.route("/reminders", methods=["GET", "POST"])
@login_required
def reminders():
    """The user's deadline reminders; POST marks them read."""
    if request.method == "POST":
        for r in db.session.execute(
            select(Reminder).where(Reminder.user_id == current_user.id, Reminder.read_at.is_(None))
        ).scalars():
            r.read_at = utcnow()
        db.session.commit()
        return redirect(url_for("core.reminders"))
    items = list(
        db.session.execute(
            select(Reminder)
            .where(Reminder.user_id == current_user.id)
            .order_by(Reminder.read_at.is_not(None), Reminder.id.desc())
            .limit(200)
        ).scalars()
    )
    return render_template("core/cases/reminders.html", items=items)
