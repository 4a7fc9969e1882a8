"""Tables of the relief-fund module (all prefixed ``stability_fund_``).

Money is kept as whole fen (分) in integer columns: no float ever touches an amount.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.api import N_, Agency, AgencyScoped, Base, Matter, TimestampMixin, User, VersionedMixin

KINDS = {
    "petition": N_("信访救助"),
    "judicial": N_("司法救助（转介）"),
    "special": N_("专项资金"),
}
STATES = {
    "draft": N_("草稿"),
    "submitted": N_("已提交待审批"),
    "approved": N_("已批准待拨付"),
    "rejected": N_("不予批准"),
    "paid": N_("已拨付"),
    "cancelled": N_("已撤销"),
}
METHODS = {"transfer": N_("银行转账"), "cash": N_("现金（凭收据）")}


class FundBudget(AgencyScoped, TimestampMixin, Base):
    """An agency's relief-fund budget for one year (年度额度).

    ``committed_fen`` is what approvals have taken from it; it only changes through one
    conditional UPDATE (see ``services.approve``), so two approvals at once cannot overspend.
    """

    __tablename__ = "stability_fund_budget"
    __table_args__ = (UniqueConstraint("agency_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    committed_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    note: Mapped[str] = mapped_column(String(200), default="")

    agency: Mapped[Agency] = relationship()

    @property
    def remaining_fen(self) -> int:
        return self.amount_fen - self.committed_fen


class ReliefApplication(AgencyScoped, VersionedMixin, TimestampMixin, Base):
    """A relief application (救助申请) for one matter, with its decision and its payment."""

    __tablename__ = "stability_fund_application"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(
        ForeignKey("core_matter.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(12), default="petition")
    state: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    requested_fen: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text)
    hardship: Mapped[str] = mapped_column(Text)
    undertaking: Mapped[bool] = mapped_column(default=False)  # 息诉罢访承诺
    prepared_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    submitted_at: Mapped[datetime | None]
    # The decision (审批).
    year: Mapped[int | None]  # budget year the approval drew from
    approved_fen: Mapped[int | None] = mapped_column(BigInteger)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(Text, default="")
    # The payment (拨付登记).
    paid_fen: Mapped[int | None] = mapped_column(BigInteger)
    paid_on: Mapped[date | None]
    pay_method: Mapped[str | None] = mapped_column(String(10))
    pay_reference: Mapped[str | None] = mapped_column(String(100))
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))

    matter: Mapped[Matter] = relationship()
    prepared_by: Mapped[User | None] = relationship(foreign_keys=[prepared_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    paid_by: Mapped[User | None] = relationship(foreign_keys=[paid_by_id])

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def state_label(self) -> str:
        return STATES.get(self.state, self.state)
