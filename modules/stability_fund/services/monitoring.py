"""After 销号: a new petition of a relieved person on the same issue reopens it as a repeat.

REGULATION.md §4 keeps 销号 reversible: "a new petition reopens it as a repeat". The earlier
matter's record stays as it was (its relief was paid, its 销号 was right when made); what
reopens is the issue: the new matter is registered as a repeat of the struck-off one
(``repeat_of``, not a first petition — §1.10: repeats are counted apart), its handlers and the
fund's approvers see the award, and a second relief on it is refused (一次性救助). Formally
taking the earlier matter back into handling is the fund staff's step ``stability_fund_reopen``.

Core sends ``matter_registered`` inside the registration's unit of work. The new matter is on
the same issue when the registering clerk marked it a repeat of the struck-off matter, or when
core's repeat detection (``find_candidates``: same person, similar text) names that matter for
one of its petitioners. Then both timelines say so — within or after the monitoring window,
with the award — and the new matter is linked to the earlier one if the clerk had not linked
it to any. A petition of the same person on another issue is left as it is.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import or_, select, update

from core.api import (
    Matter,
    MatterParty,
    Person,
    add_timeline_entry,
    db,
    find_candidates,
    signals,
    today,
)

from ..models import ReliefApplication
from ..money import yuan

#: The reason core's repeat detection gives for a candidate whose text is like the new one's.
_SIMILAR = "内容相似度"


def _similar(matter: Matter, people: list[Person]) -> set[int]:
    """Earlier matters core's repeat detection finds for ``people`` with a similar text."""
    text = " ".join([matter.summary or "", *(matter.demands or [])])
    found: set[int] = set()
    for p in people:
        for c in find_candidates(
            id_number=p.id_number or "",
            name=p.name,
            mobile=p.mobile or "",
            text=text,
            exclude_id=matter.id,
        ):
            if any(r.startswith(_SIMILAR) for r in c.reasons):
                found.add(c.matter_id)
    return found


def _link(matter: Matter, earlier: Matter) -> None:
    """Record the new matter as a repeat of ``earlier``, in its row and in the object.

    The registration hands the object back as written, without reading the row again.
    """
    db.session.execute(
        update(Matter)
        .where(Matter.id == matter.id)
        .values(repeat_of_id=earlier.id, first_petition=False)
        .execution_options(synchronize_session=False)
    )
    matter.repeat_of_id = earlier.id
    matter.first_petition = False


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
    if not rows:
        return
    similar: set[int] = set()
    if matter.repeat_of_id is None:
        persons = list(db.session.execute(select(Person).where(Person.id.in_(people))).scalars())
        similar = _similar(matter, persons)
    for app, earlier in rows:
        if matter.repeat_of_id != earlier.id and earlier.id not in similar:
            continue  # another issue of the same person
        if matter.repeat_of_id is None:
            _link(matter, earlier)
        within = app.monitoring_until is not None and today() <= app.monitoring_until
        window = f"监测期至 {app.monitoring_until.isoformat()}" if app.monitoring_until else ""
        when = "销号监测期内再次信访" if within else "销号后再次信访"
        add_timeline_entry(
            matter,
            "note",
            when,
            body=(
                f"重复信访：信访人在原事项 {earlier.number} 已获救助 {yuan(app.paid_fen)}"
                f"并已销号（{window}）。"
            ),
        )
        add_timeline_entry(
            earlier, "note", when, body=f"新信访事项 {matter.number} 为本事项的重复信访。"
        )


def connect() -> None:
    """Listen for registrations (once per process; weak=False keeps the receiver alive)."""
    signals.matter_registered.connect(_on_registered, weak=False)
