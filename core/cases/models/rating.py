"""The petitioner's satisfaction rating (群众满意度评价)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, utcnow


class Rating(Base):
    """A rating of the petition department (``bureau``) or of the responsible unit (``unit``)."""

    __tablename__ = "core_rating"
    __table_args__ = (UniqueConstraint("matter_id", "target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(
        ForeignKey("core_matter.id", ondelete="CASCADE"), index=True
    )
    target: Mapped[str] = mapped_column(String(10))  # bureau | unit
    value: Mapped[str] = mapped_column(String(16))  # satisfied | basically | dissatisfied
    reason: Mapped[str] = mapped_column(Text, default="")
    rated_at: Mapped[datetime] = mapped_column(default=utcnow)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
