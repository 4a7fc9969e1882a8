"""The approval chain as data: one row per step of one application, in order."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.api import Base, User


class ApprovalStep(Base):
    """A step of an application's approval chain (审批环节) and its electronic signature.

    Created from the chain definition (``services.chain.CHAIN``) when the application is
    submitted, so each application keeps the chain it was approved under. Signing fills who
    (``actor_id``), when (``acted_at``), the opinion, the amount the step agreed to, and
    ``seen_sha256``: the SHA-256 of ``seen`` (the canonical JSON of what the page showed the
    signer: the application, the earlier steps' signatures, the person's earlier awards).
    """

    __tablename__ = "stability_fund_step"
    __table_args__ = (UniqueConstraint("application_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("stability_fund_application.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int]
    code: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(60))
    permission: Mapped[str] = mapped_column(String(60))
    state: Mapped[str] = mapped_column(String(10), default="pending")  # pending|approved|rejected
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    acted_at: Mapped[datetime | None]
    opinion: Mapped[str] = mapped_column(Text, default="")
    amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    seen: Mapped[str] = mapped_column(Text, default="")
    seen_sha256: Mapped[str] = mapped_column(String(64), default="")

    application = relationship("ReliefApplication", back_populates="steps")
    actor: Mapped[User | None] = relationship()

    @property
    def state_label(self) -> str:
        return {"pending": "待审批", "approved": "同意", "rejected": "不同意"}.get(
            self.state, self.state
        )
