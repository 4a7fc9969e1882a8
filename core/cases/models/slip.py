"""The assignment slip (信访事项交办单) and the opinions and deliveries of a matter."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, utcnow


class AssignmentSlip(Base):
    """A 交办单: responsible unit, handling standard and deadline, with a completion report."""

    __tablename__ = "core_assignment_slip"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(
        ForeignKey("core_matter.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(String(40), unique=True)
    assigning_agency_id: Mapped[int] = mapped_column(ForeignKey("core_agency.id"))
    responsible_agency_id: Mapped[int] = mapped_column(ForeignKey("core_agency.id"))
    leader: Mapped[str | None] = mapped_column(String(50))
    standard: Mapped[str] = mapped_column(Text)
    deadline: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    completion_report: Mapped[str | None] = mapped_column(Text)
    sent_back_count: Mapped[int] = mapped_column(default=0)

    responsible_agency = relationship("Agency", foreign_keys=[responsible_agency_id])
    assigning_agency = relationship("Agency", foreign_keys=[assigning_agency_id])


class Opinion(Base):
    """A written opinion: 处理意见书 (handling), 复查意见书 (review) or 复核意见书 (re-review).

    ``demands`` holds one outcome per demand (support / explain / not_support) when the
    petitioner asked for several things (部分支持 is recorded per demand, not as an outcome).
    """

    __tablename__ = "core_opinion"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(
        ForeignKey("core_matter.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[str] = mapped_column(String(10))  # handling | review | reexam
    request: Mapped[str] = mapped_column(Text)
    facts: Mapped[str] = mapped_column(Text)
    basis: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(Text)
    demands: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    agency_id: Mapped[int] = mapped_column(ForeignKey("core_agency.id"))
    drafted_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    drafted_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    approved_at: Mapped[datetime | None]
    hearing_held: Mapped[bool] = mapped_column(default=False)

    agency = relationship("Agency")


class Delivery(Base):
    """Service of an opinion on the petitioner (送达回证)."""

    __tablename__ = "core_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(
        ForeignKey("core_matter.id", ondelete="CASCADE"), index=True
    )
    opinion_id: Mapped[int] = mapped_column(ForeignKey("core_opinion.id"))
    method: Mapped[str] = mapped_column(String(10))  # in_person | post | other
    deliverer: Mapped[str] = mapped_column(String(50))
    deliverer_phone: Mapped[str | None] = mapped_column(String(20))
    delivered_on: Mapped[date]
    signed: Mapped[bool] = mapped_column(default=True)  # False: refused to sign
    petitioner_view: Mapped[str] = mapped_column(
        String(10), default="unclear"
    )  # agree|disagree|unclear
