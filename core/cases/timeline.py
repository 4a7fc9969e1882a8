"""Writing the matter's timeline."""

from __future__ import annotations

from typing import Any

from core.accounts.actor import current_actor
from core.cases.models import Matter, TimelineEntry


def add_entry(matter: Matter, kind: str, title: str, body: str = "", **data: Any) -> TimelineEntry:
    """Append a timeline entry for ``matter`` by the acting user (or the system)."""
    actor = current_actor()
    entry = TimelineEntry(
        matter_id=matter.id,
        user_id=getattr(actor, "id", None),
        actor=getattr(actor, "display_name", None) or "系统",
        kind=kind,
        title=title,
        body=body,
        data=data,
    )
    from core.extensions import db

    db.session.add(entry)
    return entry
