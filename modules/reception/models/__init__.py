"""Tables of the reception hall (接访大厅): units, duty, visits, incidents, leader days."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.api import AgencyScoped, Base, TimestampMixin, VersionedMixin

VISIT_STATES = {
    "waiting": "候谈",
    "called": "接谈中",
    "answered": "当场答复",
    "registered": "已登记转入办理",
    "directed": "越级访已引导",
    "left": "未接谈离开",
}
APPOINTMENT_STATES = {
    "booked": "已预约",
    "refused": "不予预约",
    "checked_in": "已签到",
    "seen": "已接谈",
    "no_show": "未到",
}
OUTCOMES = {
    "answered": "当场答复",
    "assigned": "领导批示交办",
    "owned": "领导包案",
}


class ReceptionUnit(AgencyScoped, VersionedMixin, TimestampMixin, Base):
    """A reception unit or window of the hall (接访单元／窗口) and the subjects it takes."""

    __tablename__ = "reception_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(100))
    #: Content category ids (any level): the unit takes these and everything below them.
    subjects: Mapped[list[int]] = mapped_column(JSON, default=list)
    #: Takes what no other unit takes (办信办案 in the 义马 hall).
    general: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    duties: Mapped[list[ReceptionDuty]] = relationship(
        back_populates="unit", cascade="all, delete-orphan"
    )


class ReceptionDuty(Base):
    """A member of staff on duty at a unit on a day (值班)."""

    __tablename__ = "reception_duty"
    __table_args__ = (UniqueConstraint("unit_id", "user_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("reception_unit.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    day: Mapped[date] = mapped_column(Date)
    unit: Mapped[ReceptionUnit] = relationship(back_populates="duties")
    user = relationship("User")


class ReceptionVisit(AgencyScoped, VersionedMixin, TimestampMixin, Base):
    """One arrival at the hall: desk triage, queue number and the visit record (接谈记录)."""

    __tablename__ = "reception_visit"
    __table_args__ = (UniqueConstraint("agency_id", "day", "queue_number"),)
    __personal_fields__ = {"name": "name", "id_number": "id_number", "mobile": "phone"}

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    queue_number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    id_number: Mapped[str] = mapped_column(String(18), default="")
    mobile: Mapped[str] = mapped_column(String(20), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    category_id: Mapped[int | None] = mapped_column(ForeignKey("core_content_category.id"))
    summary: Mapped[str] = mapped_column(Text, default="")
    suggested_unit_id: Mapped[int | None] = mapped_column(ForeignKey("reception_unit.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("reception_unit.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="waiting")
    head_count: Mapped[int] = mapped_column(Integer, default=1)
    #: Representatives of a collective visit: [{"name", "id_number", "mobile"}] (at most 5).
    representatives: Mapped[list[dict]] = mapped_column(JSON, default=list)
    arrived_at: Mapped[datetime]
    called_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    asked: Mapped[str] = mapped_column(Text, default="")
    answered: Mapped[str] = mapped_column(Text, default="")
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("core_matter.id"))
    #: 越级访: the visit skipped a level; the visitor was directed to the competent agency.
    leapfrog: Mapped[bool] = mapped_column(Boolean, default=False)
    competent_agency_id: Mapped[int | None] = mapped_column(ForeignKey("core_agency.id"))
    notice_number: Mapped[str | None] = mapped_column(String(40))

    unit = relationship("ReceptionUnit", foreign_keys=[unit_id])
    suggested_unit = relationship("ReceptionUnit", foreign_keys=[suggested_unit_id])
    category = relationship("ContentCategory")
    matter = relationship("Matter")
    agency = relationship("Agency", foreign_keys="ReceptionVisit.agency_id")
    competent_agency = relationship("Agency", foreign_keys=[competent_agency_id])
    incidents: Mapped[list[ReceptionIncident]] = relationship(
        back_populates="visit", order_by="ReceptionIncident.id"
    )

    @property
    def collective(self) -> bool:
        return self.head_count > 5

    @property
    def state_label(self) -> str:
        return VISIT_STATES.get(self.state, self.state)


class ReceptionIncident(AgencyScoped, TimestampMixin, Base):
    """Disorder during a visit (条例第26条): what happened and what staff did."""

    __tablename__ = "reception_incident"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("reception_visit.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text, default="")
    police_called: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    visit: Mapped[ReceptionVisit] = relationship(back_populates="incidents")


class ReceptionSession(AgencyScoped, VersionedMixin, TimestampMixin, Base):
    """A leader reception day (领导接访日): who, which portfolio, when, where, how many."""

    __tablename__ = "reception_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    leader_name: Mapped[str] = mapped_column(String(50))
    post: Mapped[str] = mapped_column(String(100))
    #: 分管: content category ids (any level) the leader receives that day.
    portfolio: Mapped[list[int]] = mapped_column(JSON, default=list)
    day: Mapped[date] = mapped_column(Date, index=True)
    start_time: Mapped[str] = mapped_column(String(5))
    end_time: Mapped[str] = mapped_column(String(5))
    place: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int] = mapped_column(Integer)
    #: Appointments close at this moment (e.g. 17:00 the day before), Beijing time.
    cutoff: Mapped[datetime]
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    lawyer_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    leader = relationship("User", foreign_keys=[leader_id])
    lawyer = relationship("User", foreign_keys=[lawyer_id])
    agency = relationship("Agency", foreign_keys="ReceptionSession.agency_id")
    appointments: Mapped[list[ReceptionAppointment]] = relationship(
        back_populates="session", order_by="ReceptionAppointment.id"
    )


class ReceptionAppointment(AgencyScoped, VersionedMixin, TimestampMixin, Base):
    """An appointment (预约) for a leader reception day, with its eligibility and outcome."""

    __tablename__ = "reception_appointment"
    __personal_fields__ = {"name": "name", "id_number": "id_number", "mobile": "phone"}

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("reception_session.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    id_number: Mapped[str] = mapped_column(String(18))
    mobile: Mapped[str] = mapped_column(String(20), default="")
    category_id: Mapped[int | None] = mapped_column(ForeignKey("core_content_category.id"))
    summary: Mapped[str] = mapped_column(Text)
    materials: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default="booked")
    refusal: Mapped[str] = mapped_column(Text, default="")
    checked_in_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(20))
    instructions: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[date | None] = mapped_column(Date)
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("core_matter.id"))
    session: Mapped[ReceptionSession] = relationship(back_populates="appointments")
    category = relationship("ContentCategory")
    matter = relationship("Matter")

    @property
    def state_label(self) -> str:
        return APPOINTMENT_STATES.get(self.state, self.state)
