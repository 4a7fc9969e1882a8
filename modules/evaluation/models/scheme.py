"""Schemes (考核方案) and their items (考核指标): weight, target, deduction per unit, cap."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.api import N_, Base, TimestampMixin, VersionedMixin

#: How a shortfall against the target is counted when the item deducts points.
DEDUCTION_UNITS = {
    "point": N_("每低于（或高于）目标 1 个百分点"),
    "matter": N_("每件计为未达标的事项"),
}


class EvaluationScheme(VersionedMixin, TimestampMixin, Base):
    """An indicator scheme (考核方案): items whose weights sum to 100 points.

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
    """One item of a scheme (考核指标): an indicator with its weight and scoring rule.

    Without a deduction the item earns ``weight × rate`` (``weight × (1 − rate)`` for a rate
    that should fall). With a ``target`` and a ``deduction``, reaching the target earns the full
    weight; otherwise ``deduction`` points are taken per unit of shortfall (percentage point or
    matter, ``deduction_unit``), at most ``cap`` (default: the weight).
    """

    __tablename__ = "evaluation_indicator"
    __table_args__ = (UniqueConstraint("scheme_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_scheme.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(30))  # a code of indicators.INDICATORS
    name: Mapped[str] = mapped_column(String(50))
    weight: Mapped[int]  # points out of 100
    position: Mapped[int] = mapped_column(default=0)
    #: Target rate in percent (e.g. 90 for 初信初访化解率 ≥ 90%); a maximum for falling rates.
    target: Mapped[float | None]
    #: Points deducted per unit of shortfall; None: proportional scoring.
    deduction: Mapped[float | None]
    deduction_unit: Mapped[str] = mapped_column(String(10), default="point")
    #: Most points the deduction may take (None: the weight).
    cap: Mapped[float | None]

    scheme: Mapped[EvaluationScheme] = relationship(back_populates="indicators")
