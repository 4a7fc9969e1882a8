"""Periods (考核期), score snapshots, adjustments and the departments' self-assessments."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.api import N_, Agency, Base, TimestampMixin, User, VersionedMixin, utcnow

from .scheme import EvaluationScheme

PERIOD_STATES = {"draft": N_("未发布"), "published": N_("已发布")}
PERIOD_TYPES = {
    "month": N_("月度"),
    "quarter": N_("季度"),
    "year": N_("年度"),
    "custom": N_("自定"),
}
REVIEW_STATES = {
    "submitted": N_("待复核"),
    "accepted": N_("复核通过"),
    "returned": N_("退回自评"),
}


class EvaluationPeriod(VersionedMixin, TimestampMixin, Base):
    """A 考核期: matters received from ``starts_on`` to ``ends_on`` (inclusive) are counted.

    ``scope`` says whose figures they are (责任单位 or 信访部门), ``root_agency_id`` limits them
    to one agency's subtree and ``channel`` to one channel (None: all).
    """

    __tablename__ = "evaluation_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    period_type: Mapped[str] = mapped_column(String(10), default="custom")
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    scheme_id: Mapped[int] = mapped_column(ForeignKey("evaluation_scheme.id"))
    scope: Mapped[str] = mapped_column(String(10), default="unit")
    root_agency_id: Mapped[int | None] = mapped_column(ForeignKey("core_agency.id"))
    channel: Mapped[str | None] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(10), default="draft")  # draft | published
    computed_at: Mapped[datetime | None]
    #: The date clocks and rating windows were judged against at the last computation.
    computed_as_of: Mapped[date | None]
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))

    scheme: Mapped[EvaluationScheme] = relationship()
    root_agency: Mapped[Agency | None] = relationship(foreign_keys=[root_agency_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])

    @property
    def published(self) -> bool:
        return self.state == "published"

    @property
    def state_label(self) -> str:
        return PERIOD_STATES.get(self.state, self.state)

    @property
    def type_label(self) -> str:
        return PERIOD_TYPES.get(self.period_type, self.period_type)


class EvaluationScore(Base):
    """One department's computed result in a period (snapshot of the last computation).

    ``indicators`` is a list of ``{code, name, weight, target, better, numerator, denominator,
    rate, points}`` (``rate`` and ``points`` are ``None`` when the denominator is 0: nothing to
    judge). The matters behind each figure are listed by the drill-down, judged as of the
    period's ``computed_as_of``.
    """

    __tablename__ = "evaluation_score"
    __table_args__ = (UniqueConstraint("period_id", "agency_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_period.id", ondelete="CASCADE"), index=True
    )
    agency_id: Mapped[int] = mapped_column(ForeignKey("core_agency.id"))
    agency_name: Mapped[str] = mapped_column(String(100))  # as named when computed
    matters: Mapped[int] = mapped_column(default=0)
    indicators: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    base_score: Mapped[float] = mapped_column(default=0.0)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)

    agency: Mapped[Agency] = relationship()


class EvaluationAdjustment(Base):
    """An evaluator's 加减分 for a department in a period, always with a reason."""

    __tablename__ = "evaluation_adjustment"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_period.id", ondelete="CASCADE"), index=True
    )
    agency_id: Mapped[int] = mapped_column(ForeignKey("core_agency.id"))
    points: Mapped[float]
    reason: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agency: Mapped[Agency] = relationship()
    created_by: Mapped[User | None] = relationship()


class EvaluationAssessment(VersionedMixin, TimestampMixin, Base):
    """A department's self-assessment (自评) for a period and the evaluator's review (复核)."""

    __tablename__ = "evaluation_assessment"
    __table_args__ = (UniqueConstraint("period_id", "agency_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_period.id", ondelete="CASCADE"), index=True
    )
    agency_id: Mapped[int] = mapped_column(ForeignKey("core_agency.id"))
    self_score: Mapped[float]
    self_note: Mapped[str] = mapped_column(Text, default="")
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    state: Mapped[str] = mapped_column(String(10), default="submitted")
    review_note: Mapped[str] = mapped_column(Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    reviewed_at: Mapped[datetime | None]

    agency: Mapped[Agency] = relationship()
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])

    @property
    def state_label(self) -> str:
        return REVIEW_STATES.get(self.state, self.state)
