"""The monitoring window after 销号: a new petition by a relieved person is noticed at once.

Core sends ``matter_registered`` inside the registration's unit of work. When a petitioner of
the new matter (same person row or same ID number) had relief on a matter that was then struck
off (销号), both matters' timelines say so: the new one names the earlier matter and whether the
petition came within the monitoring window, the earlier one names the new matter, so whoever
handles either sees it and may reopen the earlier one (``stability_fund_reopen``). The award
itself shows in the fund's panel on the matter page to those who may see the fund.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import or_, select

from core.api import Matter, MatterParty, Person, add_timeline_entry, db, signals, today

from ..models import ReliefApplication


def _on_registered(sender, matter=None, **_) -> None:
    if matter is None:
        return
    registry = current_app.extensions.get("minsheng.registry")
    if registry is None or "stability_fund" not in registry.installed_names():
        return
    people = select(MatterParty.person_id).where(MatterParty.matter_id == matter.id)
    numbers = (
        select(Person.id_number)
        .where(Person.id.in_(people), Person.id_number.is_not(None))
        .scalar_subquery()
    )
    same_person = select(Person.id).where(or_(Person.id.in_(people), Person.id_number.in_(numbers)))
    # Past the record rules: a closed relief anywhere counts (only numbers and dates are told).
    rows = db.session.execute(
        select(ReliefApplication, Matter)
        .join(Matter, ReliefApplication.matter_id == Matter.id)
        .where(
            ReliefApplication.state == "closed",
            ReliefApplication.person_id.in_(same_person),
            ReliefApplication.matter_id != matter.id,
        )
        .order_by(ReliefApplication.id)
        .execution_options(skip_record_rules=True)
    ).all()
    for app, earlier in rows:
        within = app.monitoring_until is not None and today() <= app.monitoring_until
        window = f"监测期至 {app.monitoring_until.isoformat()}" if app.monitoring_until else ""
        when = "销号监测期内再次信访" if within else "销号后再次信访"
        add_timeline_entry(
            matter,
            "note",
            when,
            body=f"信访人在事项 {earlier.number} 已获救助并销号（{window}）。",
        )
        add_timeline_entry(earlier, "note", when, body=f"新信访事项 {matter.number}。")


def connect() -> None:
    """Listen for registrations (once per process; weak=False keeps the receiver alive)."""
    signals.matter_registered.connect(_on_registered, weak=False)
