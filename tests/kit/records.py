"""Reading back what a module test caused: audit events, timeline, files, rows, the schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from core.audit import AuditEvent
from core.cases.models import Attachment, Document, TimelineEntry
from core.cases.models.slip import AssignmentSlip
from core.db import Base
from core.extensions import db
from tests.lifecycle_support import documents, titles

__all__ = [
    "AssignmentSlip",
    "Attachment",
    "AuditEvent",
    "Document",
    "TimelineEntry",
    "attachment_names",
    "audit_actions",
    "audit_events",
    "detached",
    "documents",
    "migration_diff",
    "timeline_titles",
]

#: Titles of a matter's timeline entries, oldest first (inside an app context).
timeline_titles = titles


def audit_events(action: str | None = None, *, like: str | None = None) -> list[AuditEvent]:
    """Audit events, oldest first: all, those with ``action``, or whose action is ``like`` a
    SQL pattern (``"hearings.%"``). Inside an app context."""
    stmt = select(AuditEvent).order_by(AuditEvent.id)
    if action is not None:
        stmt = stmt.where(AuditEvent.action == action)
    if like is not None:
        stmt = stmt.where(AuditEvent.action.like(like))
    return list(db.session.execute(stmt).scalars())


def audit_actions(like: str | None = None) -> set[str]:
    """The set of audit actions recorded (those ``like`` a SQL pattern). Inside an app context."""
    return {e.action for e in audit_events(like=like)}


def attachment_names(matter_id: int | None = None) -> list[str]:
    """Sorted file names of the matter's attachments (of all, without ``matter_id``)."""
    stmt = select(Attachment.filename)
    if matter_id is not None:
        stmt = stmt.where(Attachment.matter_id == matter_id)
    return sorted(db.session.execute(stmt).scalars())


def detached(app, model, row_id: int | None = None, **where):
    """The one row of ``model`` (with ``row_id``, or matching ``where``), detached from the
    session so a test can read it after the app context ends (pushes its own)."""
    with app.app_context():
        stmt = select(model).filter_by(**where)
        if row_id is not None:
            stmt = stmt.where(model.id == row_id)
        obj = db.session.execute(stmt).scalar_one()
        db.session.expunge(obj)
        return obj


def migration_diff(app, name: str) -> list:
    """What Alembic's autogenerate finds between module ``name``'s tables (``<name>_*``) in the
    database and its models: ``[]`` when its migrations build exactly what the models say."""
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return [d for d in compare_metadata(context, Base.metadata) if f"{name}_" in repr(d)]
