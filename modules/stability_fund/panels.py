"""The fund's panel on core's matter page (slot ``matter.page``).

It shows the relief applications of the matter, with a link to each, and every award its
petitioners got on any matter: a new petition after 销号 (a repeat) shows the earlier award at
once, to whoever opens it.
"""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select

from core.api import Matter, db, has_permission

from .models import ReliefApplication
from .money import yuan
from .services import awards_of


def matter_panel(matter: Matter) -> str | None:
    """The panel's HTML, or ``None`` when there is nothing to show and nothing to do."""
    apps = list(
        db.session.execute(
            select(ReliefApplication)
            .where(ReliefApplication.matter_id == matter.id)
            .order_by(ReliefApplication.id)
        ).scalars()
    )
    awards = []
    seen = set()
    for party in matter.parties:
        for a in awards_of(party.person):
            if a.application_id not in seen:
                seen.add(a.application_id)
                awards.append(a)
    earlier = [a for a in awards if a.matter_id != matter.id]
    may_apply = has_permission("stability_fund.prepare")
    if not (apps or awards or may_apply):
        return None
    return render_template(
        "stability_fund/_panel.html",
        matter=matter,
        apps=apps,
        earlier=earlier,
        repeat_award=[a for a in awards if a.matter_id == matter.repeat_of_id],
        may_apply=may_apply,
        yuan=yuan,
    )
