"""The matter's timeline: every transition, note, document and field change, with who and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, utcnow


class TimelineEntry(Base):
    """One line of a matter's history (append-only by convention; the audit log is enforced)."""

    __tablename__ = "core_timeline_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(
        ForeignKey("core_matter.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    actor: Mapped[str] = mapped_column(String(100), default="系统")
    kind: Mapped[str] = mapped_column(String(12))  # transition | note | document | field | clock
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
