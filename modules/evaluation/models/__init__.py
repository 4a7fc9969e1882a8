"""Tables of the evaluation module (all prefixed ``evaluation_``).

A period's scores are a snapshot: ``EvaluationScore`` rows hold the numerators, denominators
and rates as computed at ``computed_at``, so later changes to the case file do not silently
change a score someone has already read, and a published period never changes.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.api import N_, Agency, Base, TimestampMixin, User, VersionedMixin, utcnow

#: Indicator codes the computation knows (REGULATION.md §5.3), with their Chinese names.
INDICATORS = {
    "timely_acceptance": N_("及时受理率"),
    "on_time_completion": N_("按期办结率"),
    "satisfaction": N_("群众满意率"),
    "participation": N_("参评率"),
}
#: What a matter that counts against an indicator is (the drill-down under the ranking).
MISS_LABELS = {
    "timely_acceptance": N_("超期受理或超期未受理"),
    "on_time_completion": N_("超期答复、未答复或超期未答复"),
    "satisfaction": N_("未评为满意"),
    "participation": N_("超期未评价"),
}
PERIOD_STATES = {"draft": N_("未发布"), "published": N_("已发布")}


class EvaluationScheme(VersionedMixin, TimestampMixin, Base):
    """An indicator scheme (考核方案): weighted indicators summing to 100 points.

    Changing it affects later computations only: published scores keep the weights they were
    computed with (each score row stores them).
    """

    __tablename__ = "evaluation_scheme"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    #: Whether 基本满意 counts as satisfied in 群众满意率 (a local choice, REGULATION.md §5.3).
    basically_counts: Mapped[bool] = mapped_column(default=True)
    is_default: Mapped[bool] = mapped_column(default=False)

    indicators: Mapped[list[EvaluationIndicator]] = relationship(
        back_populates="scheme",
        cascade="all, delete-orphan",
        order_by="EvaluationIndicator.position",
    )


class EvaluationIndicator(Base):
    """One weighted indicator of a scheme (考核指标)."""

    __tablename__ = "evaluation_indicator"
    __table_args__ = (UniqueConstraint("scheme_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_scheme.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(30))  # a key of INDICATORS
    name: Mapped[str] = mapped_column(String(50))
    weight: Mapped[int]  # points out of 100
    position: Mapped[int] = mapped_column(default=0)

    scheme: Mapped[EvaluationScheme] = relationship(back_populates="indicators")


class EvaluationPeriod(VersionedMixin, TimestampMixin, Base):
    """A 考核期: matters received from ``starts_on`` to ``ends_on`` (inclusive) are counted."""

    __tablename__ = "evaluation_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    scheme_id: Mapped[int] = mapped_column(ForeignKey("evaluation_scheme.id"))
    state: Mapped[str] = mapped_column(String(10), default="draft")  # draft | published
    computed_at: Mapped[datetime | None]
    #: The date clocks and rating windows were judged against at the last computation.
    computed_as_of: Mapped[date | None]
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))

    scheme: Mapped[EvaluationScheme] = relationship()
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])

    @property
    def published(self) -> bool:
        return self.state == "published"

    @property
    def state_label(self) -> str:
        return PERIOD_STATES.get(self.state, self.state)


class EvaluationScore(Base):
    """One department's computed result in a period (snapshot of the last computation).

    ``indicators`` is a list of ``{code, name, weight, numerator, denominator, rate, points,
    misses}`` (``rate`` and ``points`` are ``None`` when the denominator is 0: nothing to judge;
    ``misses`` lists ``[matter id, number]`` of the matters that counted against it).
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
