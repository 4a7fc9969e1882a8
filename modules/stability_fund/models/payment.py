"""The undertaking, the payments (拨付) and the relations that bar a person from acting."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.api import Base, Person, TimestampMixin, User


class Undertaking(TimestampMixin, Base):
    """The signed 息诉罢访承诺书 / 协议书 with its scan (a core attachment of the matter)."""

    __tablename__ = "stability_fund_undertaking"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("stability_fund_application.id", ondelete="CASCADE"), unique=True
    )
    kind: Mapped[str] = mapped_column(String(10), default="promise")
    signed_on: Mapped[date]
    attachment_id: Mapped[int] = mapped_column(ForeignKey("core_attachment.id"))
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))

    application = relationship("ReliefApplication", back_populates="undertaking_record")
    recorded_by: Mapped[User | None] = relationship()

    @property
    def kind_label(self) -> str:
        from . import UNDERTAKING_KINDS

        return UNDERTAKING_KINDS.get(self.kind, self.kind)


class Evidence(TimestampMixin, Base):
    """A scan of the hardship evidence (困难证明材料) of an application (a core attachment)."""

    __tablename__ = "stability_fund_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("stability_fund_application.id", ondelete="CASCADE"), index=True
    )
    attachment_id: Mapped[int] = mapped_column(ForeignKey("core_attachment.id"))
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))

    application = relationship("ReliefApplication", back_populates="evidence")


class Disbursement(TimestampMixin, Base):
    """One payment (一笔拨付) of an application, with the receipt the petitioner signed."""

    __tablename__ = "stability_fund_disbursement"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("stability_fund_application.id", ondelete="CASCADE"), index=True
    )
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    paid_on: Mapped[date]
    method: Mapped[str] = mapped_column(String(10))
    reference: Mapped[str] = mapped_column(String(100))
    payer_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    receipt_attachment_id: Mapped[int] = mapped_column(ForeignKey("core_attachment.id"))
    receipt_filename: Mapped[str] = mapped_column(String(200))
    receipt_sha256: Mapped[str] = mapped_column(String(64))

    application = relationship("ReliefApplication", back_populates="disbursements")
    payer: Mapped[User | None] = relationship()

    @property
    def method_label(self) -> str:
        from . import METHODS

        return METHODS.get(self.method, self.method)


class PersonRelation(TimestampMixin, Base):
    """A user's relation to a petitioner (本人、配偶、近亲属).

    That user may not approve or pay relief for the person (回避).
    """

    __tablename__ = "stability_fund_relation"
    __table_args__ = (UniqueConstraint("person_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("core_person.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), index=True)
    relation: Mapped[str] = mapped_column(String(10))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))

    person: Mapped[Person] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def relation_label(self) -> str:
        from . import RELATIONS

        return RELATIONS.get(self.relation, self.relation)
