"""The working-day calendar as data the suite owns: administrator overrides and official years."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, utcnow


class CalendarDay(Base):
    """An override of one day: holiday, make-up working day, or ordinary day.

    Entered or imported from the State Council's notice for a year the libraries do not know.
    """

    __tablename__ = "core_calendar_day"

    day: Mapped[date] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # DayKind name
    name: Mapped[str] = mapped_column(String(50), default="")
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarYear(Base):
    """A year whose holidays were imported from the official notice (no longer provisional)."""

    __tablename__ = "core_calendar_year"

    year: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(200), default="")
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
