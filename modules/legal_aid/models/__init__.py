"""Tables of the legal_aid module (all prefixed ``legal_aid_``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.api import N_, Agency, AgencyScoped, Base, Matter, TimestampMixin, User, VersionedMixin

#: Routes a lawyer may suggest (诉访分离: lead what belongs to a legal procedure into it).
ROUTES = {
    "litigation": N_("诉讼"),
    "arbitration": N_("仲裁"),
    "reconsideration": N_("行政复议"),
    "admin_litigation": N_("行政诉讼"),
    "legal_aid_referral": N_("转介法律援助"),
    "petition": N_("继续按信访程序办理"),
    "other": N_("其他途径"),
}


#: What the lawyer was doing: answering a visitor, analysing a case on the petition department's
#: commission (法律论证, for major or difficult matters), or sitting in at a reception.
KINDS = {
    "consultation": N_("法律咨询"),
    "analysis": N_("法律论证（受委托）"),
    "reception": N_("参与接访"),
}


class Duty(AgencyScoped, TimestampMixin, Base):
    """One lawyer on duty on one day (值班律师排班); a lawyer is booked at most once a day."""

    __tablename__ = "legal_aid_duty"
    # Across agencies on purpose: a lawyer cannot sit in two halls on the same day.
    __table_args__ = (UniqueConstraint("day", "lawyer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True)
    lawyer_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    place: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(String(200))

    lawyer: Mapped[User] = relationship(foreign_keys=[lawyer_id])
    agency: Mapped[Agency] = relationship()


class Consultation(AgencyScoped, VersionedMixin, TimestampMixin, Base):
    """A legal consultation (法律咨询/律师接待): on a matter, or a visitor's free-standing one."""

    __tablename__ = "legal_aid_consultation"
    __personal_fields__ = {"visitor_name": "name", "visitor_phone": "phone"}

    id: Mapped[int] = mapped_column(primary_key=True)
    consulted_on: Mapped[date] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(12), default="consultation")
    lawyer_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), index=True)
    matter_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_matter.id", ondelete="CASCADE"), index=True
    )
    visitor_name: Mapped[str | None] = mapped_column(String(50))
    visitor_phone: Mapped[str | None] = mapped_column(String(20))
    question: Mapped[str] = mapped_column(Text)
    advice: Mapped[str] = mapped_column(Text, default="")  # legal analysis and advice
    route: Mapped[str | None] = mapped_column(String(20))
    opinion: Mapped[str | None] = mapped_column(Text)  # 律师意见 on the matter, in writing

    lawyer: Mapped[User] = relationship(foreign_keys=[lawyer_id])
    matter: Mapped[Matter | None] = relationship()

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def route_label(self) -> str:
        return ROUTES.get(self.route or "", "")
