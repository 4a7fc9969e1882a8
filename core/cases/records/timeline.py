"""Writing the matter's timeline."""

from __future__ import annotations

from typing import Any

from core.accounts.actor import actor_card
from core.cases.models import Matter, TimelineEntry


def new_entry(matter_id: int, kind: str, title: str, body: str = "", **data: Any) -> TimelineEntry:
    """A new entry of matter ``matter_id`` by the acting user (or the system), not yet added."""
    actor = actor_card()
    return TimelineEntry(
        matter_id=matter_id,
        user_id=actor.id if actor else None,
        actor=(actor.display_name if actor else None) or "系统",
        kind=kind,
        title=title,
        body=body,
        data=data,
    )


def add_entry(matter: Matter, kind: str, title: str, body: str = "", **data: Any) -> TimelineEntry:
    """Append a timeline entry for ``matter`` by the acting user (or the system)."""
    from core.extensions import db

    entry = new_entry(matter.id, kind, title, body, **data)
    db.session.add(entry)
    return entry
