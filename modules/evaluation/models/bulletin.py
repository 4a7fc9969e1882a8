"""Bulletins (通报): the PDFs of a period's results, kept as issued."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.api import N_, Base, User, utcnow

BULLETIN_KINDS = {"monthly": N_("月度通报"), "year_end": N_("年终通报"), "manual": N_("通报")}


class EvaluationBulletin(Base):
    """A 通报 issued for a published period: the PDF as it was sent, never re-rendered."""

    __tablename__ = "evaluation_bulletin"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_period.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10), default="manual")
    title: Mapped[str] = mapped_column(String(200))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))

    issued_by: Mapped[User | None] = relationship()

    @property
    def kind_label(self) -> str:
        return BULLETIN_KINDS.get(self.kind, self.kind)
