"""Append-only audit log (审计日志): who did what, when, from which address."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import JSON, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, utcnow
from core.extensions import db


class AuditEvent(Base):
    """One audited action. Rows are never updated or deleted (a database trigger enforces it)."""

    __tablename__ = "core_audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed as the audit page filters: by action, user name and object; newest first by id
    # (the order of ``at``), so ``at`` and ``user_id`` have no index to write (core_0009).
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None]
    username: Mapped[str] = mapped_column(String(128), default="", index=True)
    address: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(100), index=True)
    object_type: Mapped[str] = mapped_column(String(100), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="", index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(mapper, connection, target) -> None:
    raise PermissionError("audit events are append-only")


def client_address() -> str:
    """The client's address for the current request ('' outside a request)."""
    if not has_request_context():
        return ""
    return request.remote_addr or ""


def event_for(
    action: str,
    obj: Any = None,
    summary: str = "",
    *,
    actor: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    **detail: Any,
) -> AuditEvent:
    """A new audit event (not yet in any session); the arguments are those of ``record``."""
    if actor is None and has_request_context() and current_user and current_user.is_authenticated:
        actor = current_user
    if obj is not None:
        object_type = object_type or type(obj).__name__
        object_id = object_id or getattr(obj, "id", "") or ""
    # Round-trip through JSON so dates and other values land as plain strings.
    clean = json.loads(json.dumps(detail, default=str, ensure_ascii=False))
    return AuditEvent(
        user_id=getattr(actor, "id", None),
        username=getattr(actor, "username", "") or "system",
        address=client_address(),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        summary=summary,
        detail=clean,
    )


def record(
    action: str,
    obj: Any = None,
    summary: str = "",
    *,
    actor: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    **detail: Any,
) -> AuditEvent:
    """Add an audit event to the current transaction and return it.

    It commits with the change it describes, so a rolled-back action leaves no audit trace and
    a committed one always has one. ``obj`` may be any mapped object with an ``id``; ``actor``
    defaults to the logged-in user (``None`` in the CLI and jobs: recorded as the system).
    """
    ev = event_for(
        action,
        obj,
        summary,
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        **detail,
    )
    db.session.add(ev)
    return ev
