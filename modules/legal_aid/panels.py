"""Fragments legal_aid adds to other pages (``Manifest.panels``).

``reception.desk``: today's duty lawyers of the hall, each attachable in one click to a matter
registered at the hall today (or to any matter by its number). ``reception.session``: the
lawyers sitting with the leader at a reception session (stored here by the session's id).
``matter.page``: the matter's lawyers, consultations, opinions and its legal route.
"""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select

from core.api import FINAL_STATES, Matter, _l, current_actor, data_opts, db, has_permission, today

from . import services
from .forms import AttachForm, SessionLawyerForm
from .models import LEGAL_ROUTE_OF

#: How many of today's matters the desk panel offers for a one-click attach.
DESK_MATTERS = 8


def _todays_matters() -> list[Matter]:
    actor = current_actor()
    stmt = (
        select(Matter)
        .where(
            Matter.agency_id == actor.agency_id,
            Matter.received_on == today(),
            Matter.state.not_in(FINAL_STATES),
        )
        .order_by(Matter.id.desc())
        .limit(DESK_MATTERS)
    )
    return list(db.session.execute(stmt).scalars())


def desk(**_context) -> str:
    """Today's duty lawyers at the reception desk, with the one-click attach."""
    may_assign = has_permission("legal_aid.assign")
    return render_template(
        "legal_aid/panels/desk.html",
        duty=services.on_duty(),
        matters=_todays_matters() if may_assign else [],
        may_assign=may_assign,
        form=AttachForm(),
    )


def session(session=None, **_context) -> str | None:
    """The lawyers at a leader's reception session; the desk adds one."""
    if session is None:
        return None
    form = SessionLawyerForm()
    on_duty = {s.lawyer_id for s in services.on_duty(session.day)}
    serving = services.lawyers(serving_only=True)
    # The lawyers on duty that day first: they are in the building.
    serving.sort(key=lambda lawyer: (lawyer.id not in on_duty, lawyer.name))
    form.lawyer_id.choices = data_opts(
        [
            (
                lawyer.id,
                _l("%(name)s（当日值班）") % {"name": lawyer.name}
                if lawyer.id in on_duty
                else lawyer.name,
            )
            for lawyer in serving
        ]
    )
    return render_template(
        "legal_aid/panels/session.html",
        session=session,
        rows=services.session_lawyers(session.id),
        form=form,
        may_assign=has_permission("legal_aid.assign"),
    )


def matter(matter=None, **_context) -> str | None:
    """The matter's lawyers, consultations and opinions, and its route into a legal procedure."""
    if matter is None:
        return None
    consultations = services.consultations_on(matter)
    routed = next((c for c in consultations if c.routed), None)
    return render_template(
        "legal_aid/panels/matter.html",
        matter=matter,
        consultations=consultations,
        routed=routed,
        assignments=services.assignments_on(matter),
        opinions=services.opinions_on(matter),
        legal_routes=LEGAL_ROUTE_OF,
        may_consult=has_permission("legal_aid.consult"),
    )
