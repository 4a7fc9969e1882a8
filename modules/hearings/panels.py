"""The hearings panel on core's matter page (slot ``matter.page``)."""

from __future__ import annotations

from flask import render_template

from core.api import has_permission

from . import services


def matter_panel(matter=None, **_context) -> str | None:
    """The matter's hearings and applications, with 申请听证 / 安排听证 where allowed."""
    if matter is None:
        return None
    hearings, applications = services.of_matter(matter)
    may_manage = has_permission("hearings.manage")
    stage = services.stage_of(matter)
    busy = any(h.open for h in hearings) or any(
        a.status in ("pending", "accepted") for a in applications
    )
    if not hearings and not applications and not (may_manage and stage):
        return None
    return render_template(
        "hearings/_matter_panel.html",
        matter=matter,
        hearings=hearings,
        applications=applications,
        may_apply=may_manage and stage is not None and not busy,
        may_schedule=may_manage
        and stage is not None
        and not any(h.open for h in hearings)
        and not any(a.status == "pending" for a in applications),
        accepted=next((a for a in applications if a.status == "accepted"), None),
        stage=stage,
    )
