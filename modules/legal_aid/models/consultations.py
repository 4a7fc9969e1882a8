"""Consultations, commissioned opinions and agency mandates (律师接待、法律论证、代理)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.api import (
    N_,
    AgencyScoped,
    Base,
    Clock,
    Matter,
    TimestampMixin,
    User,
    VersionedMixin,
)

from .lawyers import Lawyer

#: Routes a lawyer recommends (REGULATION.md §3: LITIGATION | APPEAL | ARBITRATION |
#: LABOUR_ARBITRATION | ADMIN_REVIEW | ADMIN_LITIGATION | LEGAL_AID | PETITION_TRACK).
ROUTES = {
    "civil_litigation": N_("民事诉讼"),
    "appeal": N_("申诉（申请再审）"),
    "arbitration": N_("仲裁"),
    "labour_arbitration": N_("劳动人事争议仲裁"),
    "admin_review": N_("行政复议"),
    "admin_litigation": N_("行政诉讼"),
    "legal_aid": N_("申请法律援助"),
    "petition": N_("继续按信访程序办理"),
}
#: The routes that take a matter out of the petition track, as core's legal route
#: (``LEGAL_ROUTES``); legal aid and the petition track leave the matter where it is.
LEGAL_ROUTE_OF = {
    "civil_litigation": "litigation",
    "appeal": "appeal",
    "arbitration": "arbitration",
    "labour_arbitration": "labour_arbitration",
    "admin_review": "admin_review",
    "admin_litigation": "admin_litigation",
}
#: The competent body each route leads to, as a hint on the form.
BODY_HINTS = {
    "civil_litigation": "××区人民法院",
    "appeal": "××市中级人民法院 / ××市人民检察院",
    "arbitration": "××仲裁委员会",
    "labour_arbitration": "××区劳动人事争议仲裁委员会",
    "admin_review": "××区人民政府（行政复议机关）",
    "admin_litigation": "××区人民法院",
    "legal_aid": "××区法律援助中心",
}

#: What the lawyer was doing: answering a visitor, analysing a case on the petition department's
#: commission (法律论证), or sitting in at a reception.
KINDS = {
    "consultation": N_("法律咨询"),
    "analysis": N_("法律论证（受委托）"),
    "reception": N_("参与接访"),
}
OPINION_STATUSES = {"commissioned": N_("已委托"), "delivered": N_("已出具")}
MANDATE_STATUSES = {"active": N_("代理中"), "ended": N_("已结束")}


class Consultation(AgencyScoped, VersionedMixin, TimestampMixin, Base):
    """A legal consultation (法律咨询/律师接待): on a matter, or a visitor's free-standing one.

    ``lawyer_id`` is the account that recorded it, ``counsel_id`` the lawyer on the roster
    (hours are counted by the latter). A route out of the petition track recommended on a
    matter routes the matter (``routed``) in the same transaction.
    """

    __tablename__ = "legal_aid_consultation"
    __personal_fields__ = {"visitor_name": "name", "visitor_phone": "phone"}

    id: Mapped[int] = mapped_column(primary_key=True)
    consulted_on: Mapped[date] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(12), default="consultation")
    lawyer_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), index=True)
    counsel_id: Mapped[int | None] = mapped_column(ForeignKey("legal_aid_lawyer.id"), index=True)
    matter_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_matter.id", ondelete="CASCADE"), index=True
    )
    visitor_name: Mapped[str | None] = mapped_column(String(50))
    visitor_phone: Mapped[str | None] = mapped_column(String(20))
    question: Mapped[str] = mapped_column(Text)
    advice: Mapped[str] = mapped_column(Text, default="")  # legal analysis and advice
    route: Mapped[str | None] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(String(200), default="")  # the competent body
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    routed: Mapped[bool] = mapped_column(default=False)
    opinion: Mapped[str | None] = mapped_column(Text)  # 律师意见 on the matter, in writing

    lawyer: Mapped[User] = relationship(foreign_keys=[lawyer_id])
    counsel: Mapped[Lawyer | None] = relationship()
    matter: Mapped[Matter | None] = relationship()

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def route_label(self) -> str:
        return ROUTES.get(self.route or "", "")

    @property
    def lawyer_name(self) -> str:
        """The roster's name of the lawyer (the account's for records made before the roster)."""
        return self.counsel.name if self.counsel else self.lawyer.display_name


class Opinion(AgencyScoped, VersionedMixin, TimestampMixin, Base):
    """A legal opinion commissioned on a major or difficult matter (委托法律论证意见).

    The petition department puts the question with a deadline, a clock of the matter
    (``clock_id``, kind ``legal_opinion``: reminded of, listed and reported overdue like every
    clock, stopped when the opinion is delivered); the lawyer's opinion is issued as a PDF
    document on the matter (``document_id``).
    """

    __tablename__ = "legal_aid_opinion"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(
        ForeignKey("core_matter.id", ondelete="CASCADE"), index=True
    )
    lawyer_id: Mapped[int] = mapped_column(ForeignKey("legal_aid_lawyer.id"), index=True)
    question: Mapped[str] = mapped_column(Text)
    commissioned_on: Mapped[date]
    deadline: Mapped[date]
    commissioned_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    status: Mapped[str] = mapped_column(String(12), default="commissioned")
    text: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    delivered_on: Mapped[date | None]
    document_id: Mapped[int | None] = mapped_column(ForeignKey("core_document.id"))
    clock_id: Mapped[int | None] = mapped_column(ForeignKey("core_clock.id", ondelete="SET NULL"))

    matter: Mapped[Matter] = relationship()
    lawyer: Mapped[Lawyer] = relationship()
    clock: Mapped[Clock | None] = relationship()
    commissioned_by: Mapped[User | None] = relationship()

    @property
    def status_label(self) -> str:
        return OPINION_STATUSES.get(self.status, self.status)


class Mandate(AgencyScoped, TimestampMixin, Base):
    """A petitioner's appointment of the lawyer as agent (代理申诉/代理诉讼委托)."""

    __tablename__ = "legal_aid_mandate"
    __personal_fields__ = {"principal": "name"}

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(
        ForeignKey("core_matter.id", ondelete="CASCADE"), index=True
    )
    lawyer_id: Mapped[int] = mapped_column(ForeignKey("legal_aid_lawyer.id"), index=True)
    principal: Mapped[str] = mapped_column(String(50))
    scope: Mapped[str] = mapped_column(String(200))
    signed_on: Mapped[date]
    ends_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(12), default="active")

    matter: Mapped[Matter] = relationship()
    lawyer: Mapped[Lawyer] = relationship()

    @property
    def status_label(self) -> str:
        return MANDATE_STATUSES.get(self.status, self.status)
