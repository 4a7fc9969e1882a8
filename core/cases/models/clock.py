"""Deadline clocks (期限) on a matter and the reminders they raise."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, utcnow


class Clock(Base):
    """One statutory or set deadline: start, length, unit, extensions, pauses, due date, state.

    ``due`` and ``explanation`` are derived from the other fields and the working-day calendar;
    they are recomputed when the calendar changes. States: running, paused, met, missed.
    """

    __tablename__ = "core_clock"
    #: The deadline tabs and jobs ask for running clocks by due date (已超期, 即将到期); no
    #: other index on state, due or kind (core_0008: each only slowed the writes).
    __table_args__ = (Index("ix_core_clock_state_due", "state", "due"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(
        ForeignKey("core_matter.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(50))
    article: Mapped[str] = mapped_column(String(50), default="")
    start: Mapped[date]
    days: Mapped[int]
    unit: Mapped[str] = mapped_column(String(10), default="calendar")  # calendar | working
    extension_days: Mapped[int] = mapped_column(default=0)
    paused: Mapped[list[list[str]]] = mapped_column(JSON, default=list)  # [[from, to|None], …]
    due: Mapped[date]
    provisional: Mapped[bool] = mapped_column(default=False)
    explanation: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(10), default="running")
    stopped_on: Mapped[date | None]
    responsible_agency_id: Mapped[int | None] = mapped_column(ForeignKey("core_agency.id"))
    reminded_on: Mapped[date | None]
    overdue_noted_on: Mapped[date | None]

    matter = relationship("Matter", back_populates="clocks")

    @property
    def open(self) -> bool:  # noqa: D102
        return self.state in ("running", "paused")


class Reminder(Base):
    """A reminder for a user: a clock due in three days, or overdue."""

    __tablename__ = "core_reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id", ondelete="CASCADE"), index=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("core_matter.id", ondelete="CASCADE"))
    clock_id: Mapped[int] = mapped_column(ForeignKey("core_clock.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # due_soon | overdue
    message: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
