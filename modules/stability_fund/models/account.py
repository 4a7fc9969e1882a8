"""The fund account (资金账户) of an agency for one year, and what was added to it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.api import Agency, AgencyScoped, Base, TimestampMixin


class FundBudget(AgencyScoped, TimestampMixin, Base):
    """An agency's relief-fund account for one year (专款专用).

    ``amount_fen`` is everything put in: the budget plus top-ups and the carry-in from the year
    before (``TopUp`` rows). ``committed_fen`` is what approvals have taken, ``carried_out_fen``
    what was carried on to the next year. The balance is ``amount − committed − carried_out``;
    it only changes through conditional UPDATEs (see ``services.accounts``), so two approvals at
    once can never take it below zero.
    """

    __tablename__ = "stability_fund_budget"
    __table_args__ = (UniqueConstraint("agency_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    committed_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    carried_out_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    note: Mapped[str] = mapped_column(String(200), default="")

    agency: Mapped[Agency] = relationship()
    topups: Mapped[list[TopUp]] = relationship(
        back_populates="budget", order_by="TopUp.id", cascade="all, delete-orphan"
    )

    @property
    def remaining_fen(self) -> int:
        """The balance: what approvals may still take."""
        return self.amount_fen - self.committed_fen - (self.carried_out_fen or 0)

    @property
    def added_fen(self) -> int:
        return sum(t.amount_fen for t in self.topups if t.kind == "topup")

    @property
    def carried_in_fen(self) -> int:
        return sum(t.amount_fen for t in self.topups if t.kind == "carry_in")

    @property
    def budget_fen(self) -> int:
        """The year's own budget (without top-ups and carry-in)."""
        return self.amount_fen - sum(t.amount_fen for t in self.topups)


class TopUp(TimestampMixin, Base):
    """Money added to an account: a top-up with its source (追加及来源) or the carry-in."""

    __tablename__ = "stability_fund_topup"

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(
        ForeignKey("stability_fund_budget.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10), default="topup")  # topup | carry_in
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(200))
    topped_on: Mapped[date]
    by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))

    budget: Mapped[FundBudget] = relationship(back_populates="topups")
