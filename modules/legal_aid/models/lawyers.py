"""The roster of lawyers (律师名册): who may sit in the hall, their status and their conflicts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.api import N_, Agency, Base, TimestampMixin, User, VersionedMixin

#: A lawyer's standing on the roster; suspended and retired lawyers stay with their history.
STATUSES = {"active": N_("在册"), "suspended": N_("暂停"), "retired": N_("退出")}


class Lawyer(VersionedMixin, TimestampMixin, Base):
    """A lawyer on the roster (律师库), nominated by the bar association.

    Not agency-scoped: the roster is shared by the halls, courts and bureaus the lawyer sits
    at. ``user_id`` links the lawyer's login (local or LDAP) when they have one.
    """

    __tablename__ = "legal_aid_lawyer"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    firm: Mapped[str] = mapped_column(String(100), default="")
    licence_no: Mapped[str | None] = mapped_column(String(30), unique=True)
    specialties: Mapped[str] = mapped_column(String(200), default="")
    languages: Mapped[str] = mapped_column(String(100), default="")
    nominated_by: Mapped[str] = mapped_column(String(100), default="")
    #: Eligible for duty (入库): trained, no disciplinary record, nominated.
    eligible: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(12), default="active")
    note: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    history: Mapped[list[LawyerStatus]] = relationship(
        back_populates="lawyer", order_by="LawyerStatus.id", cascade="all, delete-orphan"
    )
    conflicts: Mapped[list[Conflict]] = relationship(
        back_populates="lawyer", order_by="Conflict.id", cascade="all, delete-orphan"
    )

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def may_serve(self) -> bool:
        """Whether the lawyer may be put on duty or assigned now."""
        return self.status == "active" and self.eligible


class LawyerStatus(Base):
    """One change of a lawyer's standing (在册 → 暂停 → 在册 → 退出), kept for good."""

    __tablename__ = "legal_aid_lawyer_status"

    id: Mapped[int] = mapped_column(primary_key=True)
    lawyer_id: Mapped[int] = mapped_column(
        ForeignKey("legal_aid_lawyer.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(12))
    since: Mapped[date]
    reason: Mapped[str] = mapped_column(String(200), default="")
    by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))

    lawyer: Mapped[Lawyer] = relationship(back_populates="history")
    by: Mapped[User | None] = relationship(foreign_keys=[by_id])

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)


class Conflict(Base):
    """A side the lawyer acts or acted for (利益冲突): an organ, a company or a person.

    A lawyer who acts for the respondent organ (``agency_id``) or for the other side
    (``party``, matched against the matter's complained party) is not assigned to the matter.
    """

    __tablename__ = "legal_aid_conflict"

    id: Mapped[int] = mapped_column(primary_key=True)
    lawyer_id: Mapped[int] = mapped_column(
        ForeignKey("legal_aid_lawyer.id", ondelete="CASCADE"), index=True
    )
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("core_agency.id"))
    party: Mapped[str] = mapped_column(String(200), default="")
    relation: Mapped[str] = mapped_column(String(100))  # e.g. 法律顾问, 诉讼代理人
    since: Mapped[date | None]
    until: Mapped[date | None]

    lawyer: Mapped[Lawyer] = relationship(back_populates="conflicts")
    agency: Mapped[Agency | None] = relationship()

    @property
    def side(self) -> str:
        """The side named, as the refusal says it."""
        return self.agency.name if self.agency else self.party

    @property
    def period(self) -> str:
        if not self.since and not self.until:
            return ""
        start = self.since.isoformat() if self.since else "—"
        return f"{start} 至 {self.until.isoformat() if self.until else '今'}"
