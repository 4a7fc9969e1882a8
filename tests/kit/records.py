"""Reading back what a module test caused: audit events, timeline, files, rows, the schema."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import current_app
from sqlalchemy import func, inspect, select

from core.audit import AuditEvent
from core.cases.models import Attachment, Document, Reminder, TimelineEntry
from core.cases.models.slip import AssignmentSlip
from core.db import Base
from core.extensions import db
from tests.lifecycle_support import documents, titles

__all__ = [
    "AssignmentSlip",
    "Attachment",
    "AuditEvent",
    "Document",
    "Reminder",
    "TimelineEntry",
    "attachment_names",
    "audit_actions",
    "audit_events",
    "count_commits",
    "database_state",
    "detached",
    "documents",
    "migration_diff",
    "stored_files",
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


def stored_files() -> list[str]:
    """Every file under the attachments folder, relative to it (inside an app context)."""
    root = Path(current_app.config["MINSHENG_VAR_DIR"]) / "attachments"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def database_state(module: str, rows_of: tuple[str, ...] = ()) -> dict:
    """What a rolled-back action must leave as it was: the row count of every table of core and
    of ``module``, every row of ``core_sequence`` (the numbers drawn) and of ``rows_of``, and the
    stored files. Read in a fresh session, so nothing cached in the test's session hides a row.
    """
    db.session.remove()
    present = set(inspect(db.engine).get_table_names())
    tables = {
        name: table
        for name, table in db.metadata.tables.items()
        if name in present and name.startswith(("core_", f"{module}_"))
    }
    state: dict = {
        name: db.session.execute(select(func.count()).select_from(table)).scalar_one()
        for name, table in tables.items()
    }
    for name in ("core_sequence", *rows_of):
        table = tables[name]
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        state[f"{name} rows"] = [tuple(r) for r in rows]
    state["files"] = stored_files()
    db.session.remove()
    return state


def count_commits(monkeypatch) -> list[int]:
    """A list that grows by one at every session commit from now on (``monkeypatch.undo()``)."""
    session_class = type(db.session())
    commits: list[int] = []
    original = session_class.commit

    def counting(self):
        commits.append(1)
        return original(self)

    monkeypatch.setattr(session_class, "commit", counting)
    return commits
