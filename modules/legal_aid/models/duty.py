"""Duty (值班): patterns, the slots they generate, and lawyers attached to matters and sessions."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.api import N_, Agency, AgencyScoped, Base, Matter, TimestampMixin, User, VersionedMixin

from .lawyers import Lawyer

HALF_DAYS = {"am": N_("上午"), "pm": N_("下午")}
#: Where a lawyer sits: the reception hall, a window of it, or a partner body.
PLACE_KINDS = {
    "hall": N_("接访大厅"),
    "window": N_("窗口"),
    "court": N_("法院"),
    "procuratorate": N_("检察院"),
    "police": N_("公安机关"),
    "mediation": N_("调解中心"),
}
#: The places whose duty lawyer receives the hall's visitors (and so sees the hall's matters).
HALL_PLACES = ("hall", "window")
SLOT_STATUSES = {"scheduled": N_("值班"), "absent": N_("缺勤")}
WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")


class DutyPattern(AgencyScoped, TimestampMixin, Base):
    """A recurring duty ("Mon and Wed at the court", "the 15th of each month").

    ``weekdays`` holds Monday=0 … Sunday=6 as digits ("02"); ``month_day`` a day of the month.
    Slots are generated on working days only (the working-day calendar skips holidays).
    """

    __tablename__ = "legal_aid_pattern"

    id: Mapped[int] = mapped_column(primary_key=True)
    lawyer_id: Mapped[int] = mapped_column(ForeignKey("legal_aid_lawyer.id"), index=True)
    weekdays: Mapped[str] = mapped_column(String(7), default="")
    month_day: Mapped[int | None] = mapped_column(Integer)
    half_day: Mapped[str] = mapped_column(String(2), default="am")
    place_kind: Mapped[str] = mapped_column(String(16), default="hall")
    place: Mapped[str] = mapped_column(String(100), default="")
    starts_on: Mapped[date]
    ends_on: Mapped[date]

    lawyer: Mapped[Lawyer] = relationship()
    agency: Mapped[Agency] = relationship()

    @property
    def rule(self) -> str:
        """The pattern in words (每周一、三 / 每月15日)."""
        if self.month_day:
            return f"每月{self.month_day}日"
        return "每周" + "、".join(WEEKDAYS[int(d)] for d in self.weekdays)


class DutySlot(AgencyScoped, VersionedMixin, TimestampMixin, Base):
    """One lawyer on duty for a half-day at a place (值班), owned by the hall's agency.

    A lawyer sits in one place per half-day, across agencies (unique constraint). An absence
    keeps the slot with its reason; a swap gives the slot to another lawyer and remembers who
    was planned (``planned_lawyer_id``).
    """

    __tablename__ = "legal_aid_slot"
    __table_args__ = (UniqueConstraint("day", "half_day", "lawyer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True)
    half_day: Mapped[str] = mapped_column(String(2), default="am")
    lawyer_id: Mapped[int] = mapped_column(ForeignKey("legal_aid_lawyer.id"), index=True)
    place_kind: Mapped[str] = mapped_column(String(16), default="hall")
    place: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(12), default="scheduled")
    note: Mapped[str] = mapped_column(String(200), default="")
    pattern_id: Mapped[int | None] = mapped_column(
        ForeignKey("legal_aid_pattern.id", ondelete="SET NULL")
    )
    planned_lawyer_id: Mapped[int | None] = mapped_column(ForeignKey("legal_aid_lawyer.id"))

    lawyer: Mapped[Lawyer] = relationship(foreign_keys=[lawyer_id])
    planned_lawyer: Mapped[Lawyer | None] = relationship(foreign_keys=[planned_lawyer_id])
    agency: Mapped[Agency] = relationship()

    @property
    def half_day_label(self) -> str:
        return HALF_DAYS.get(self.half_day, self.half_day)

    @property
    def place_label(self) -> str:
        """Kind and place, e.g. 法院 · 县人民法院立案庭."""
        kind = PLACE_KINDS.get(self.place_kind, self.place_kind)
        return f"{kind} · {self.place}" if self.place else kind

    @property
    def status_label(self) -> str:
        return SLOT_STATUSES.get(self.status, self.status)


class Assignment(AgencyScoped, TimestampMixin, Base):
    """A lawyer attached to a matter (指派律师): by the desk, for a session, or as agent."""

    __tablename__ = "legal_aid_assignment"
    __table_args__ = (UniqueConstraint("matter_id", "lawyer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(
        ForeignKey("core_matter.id", ondelete="CASCADE"), index=True
    )
    lawyer_id: Mapped[int] = mapped_column(ForeignKey("legal_aid_lawyer.id"), index=True)
    slot_id: Mapped[int | None] = mapped_column(
        ForeignKey("legal_aid_slot.id", ondelete="SET NULL")
    )
    assigned_on: Mapped[date]
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))

    matter: Mapped[Matter] = relationship()
    lawyer: Mapped[Lawyer] = relationship()
    assigned_by: Mapped[User | None] = relationship()


class SessionLawyer(AgencyScoped, TimestampMixin, Base):
    """A lawyer sitting with a leader at a reception session (律师参与领导接访).

    ``session_id`` is the reception module's session id; no foreign key, so this module
    does not need reception installed and reception's tables know nothing of lawyers.
    """

    __tablename__ = "legal_aid_session_lawyer"
    __table_args__ = (UniqueConstraint("session_id", "lawyer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(Integer, index=True)
    lawyer_id: Mapped[int] = mapped_column(ForeignKey("legal_aid_lawyer.id"), index=True)
    attached_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))

    lawyer: Mapped[Lawyer] = relationship()
