"""The relief application (救助申请, 一事一报) and the award it leads to."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.api import (
    Agency,
    AgencyScoped,
    Base,
    Matter,
    Person,
    TimestampMixin,
    User,
    VersionedMixin,
)

if TYPE_CHECKING:
    from .chain import ApprovalStep
    from .payment import Disbursement, Evidence, Undertaking


class ReliefApplication(AgencyScoped, VersionedMixin, TimestampMixin, Base):
    """A relief application for one person on one matter, with its chain, payments and 销号.

    The decision and payment columns are summaries kept by the services: the approved amount
    (set by the chain), what was paid so far (``paid_fen``, the sum of ``Disbursement`` rows)
    and the last payment's date, method, reference and payer.
    """

    __tablename__ = "stability_fund_application"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(
        ForeignKey("core_matter.id", ondelete="CASCADE"), index=True
    )
    #: The petitioner the relief is for (a party of the matter).
    person_id: Mapped[int | None] = mapped_column(ForeignKey("core_person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12), default="petition")
    ground: Mapped[str] = mapped_column(String(20), default="reasonable", server_default="")
    state: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    requested_fen: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text)
    hardship: Mapped[str] = mapped_column(Text)
    case_summary: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: Above the per-case cap: the chain has the special tier (特别审批).
    special: Mapped[bool] = mapped_column(default=False, server_default=false())
    undertaking: Mapped[bool] = mapped_column(default=False)  # an Undertaking row exists
    prepared_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    submitted_at: Mapped[datetime | None]
    # The decision (审批), set when the chain's last step is signed.
    year: Mapped[int | None]  # account year the approval drew from
    approved_fen: Mapped[int | None] = mapped_column(BigInteger)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(Text, default="")
    # The payments (拨付), summed.
    paid_fen: Mapped[int | None] = mapped_column(BigInteger)
    paid_on: Mapped[date | None]
    pay_method: Mapped[str | None] = mapped_column(String(10))
    pay_reference: Mapped[str | None] = mapped_column(String(100))
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    # 销号 and the monitoring window after it.
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    monitoring_until: Mapped[date | None]

    matter: Mapped[Matter] = relationship()
    agency: Mapped[Agency] = relationship()
    person: Mapped[Person | None] = relationship()
    prepared_by: Mapped[User | None] = relationship(foreign_keys=[prepared_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    paid_by: Mapped[User | None] = relationship(foreign_keys=[paid_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    steps: Mapped[list[ApprovalStep]] = relationship(
        "ApprovalStep", order_by="ApprovalStep.seq", back_populates="application"
    )
    disbursements: Mapped[list[Disbursement]] = relationship(
        "Disbursement", order_by="Disbursement.id", back_populates="application"
    )
    evidence: Mapped[list[Evidence]] = relationship(
        "Evidence", order_by="Evidence.id", back_populates="application"
    )
    undertaking_record: Mapped[Undertaking | None] = relationship(
        "Undertaking", uselist=False, back_populates="application"
    )

    @property
    def kind_label(self) -> str:
        from . import KINDS

        return KINDS.get(self.kind, self.kind)

    @property
    def state_label(self) -> str:
        from . import STATES

        return STATES.get(self.state, self.state)

    @property
    def ground_label(self) -> str:
        from . import GROUNDS

        return GROUNDS.get(self.ground, self.ground or "")

    @property
    def current_step(self):
        """The first step not yet signed, while the chain runs."""
        if self.state != "submitted":
            return None
        return next((s for s in self.steps if s.state == "pending"), None)

    @property
    def unpaid_fen(self) -> int:
        return (self.approved_fen or 0) - (self.paid_fen or 0)


class Award(Base):
    """One award (救助) to one person on one matter, ever (一次性救助).

    Written when an application's chain is complete; the unique key makes a second award for the
    same (person, matter) impossible even when two chains finish at once. Not agency-scoped:
    every approver sees a person's earlier awards, wherever they were given.
    """

    __tablename__ = "stability_fund_award"
    __table_args__ = (UniqueConstraint("person_id", "matter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("core_person.id"), index=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("core_matter.id", ondelete="CASCADE"))
    application_id: Mapped[int] = mapped_column(
        ForeignKey("stability_fund_application.id", ondelete="CASCADE"), unique=True
    )
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    awarded_on: Mapped[date]

    matter: Mapped[Matter] = relationship()
    application: Mapped[ReliefApplication] = relationship()
