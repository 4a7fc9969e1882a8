"""Tables of the hearings module (all prefixed ``hearings_``)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.api import N_, AgencyScoped, Base, Matter, TimestampMixin, User, VersionedMixin

#: Why a matter goes to a hearing (条例第31条第6项: 重大、复杂、疑难).
REASONS = {"major": N_("重大"), "complex": N_("复杂"), "difficult": N_("疑难")}
#: The stage of the matter the hearing belongs to; a re-review hearing stops the 30-day clock.
STAGES = {
    "acceptance": N_("受理"),
    "handling": N_("办理"),
    "review": N_("复查"),
    "rereview": N_("复核"),
}
STATUSES = {
    "planned": N_("已安排"),
    "held": N_("已举行"),
    "concluded": N_("已作出结论"),
    "cancelled": N_("已取消"),
}
ROLES = {
    "petitioner": N_("信访人（或其代理人）"),
    "unit": N_("有关单位（承办人）"),
    "member": N_("听证员"),
    "expert": N_("专家"),
    "lawyer": N_("律师"),
    "observer": N_("旁听人员"),
}


class Hearing(AgencyScoped, VersionedMixin, TimestampMixin, Base):
    """A hearing (信访听证) on one matter: schedule, record and conclusion.

    ``agency_id`` is the organising agency; the pages also fetch the matter through the record
    rules, so a hearing is never shown to someone who may not see its matter.
    """

    __tablename__ = "hearings_hearing"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(
        ForeignKey("core_matter.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(12))
    stage: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(12), default="planned", index=True)
    scheduled_at: Mapped[datetime]
    venue: Mapped[str] = mapped_column(String(200))
    presiding_officer_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    public: Mapped[bool] = mapped_column(default=True)
    # Why not public (state secrets or personal privacy): the rule wants the reason on file.
    closed_reason: Mapped[str | None] = mapped_column(String(200))
    heard: Mapped[str | None] = mapped_column(Text)  # 听证笔录 summary: what was heard
    opinions: Mapped[str | None] = mapped_column(Text)  # 听证员意见
    conclusion: Mapped[str | None] = mapped_column(Text)  # 听证结论
    cancel_reason: Mapped[str | None] = mapped_column(String(300))
    # The span the hearing took (from scheduling to conclusion), excluded from the re-review
    # period (条例第36条第2款); until core can pause a clock from a module, it is kept here.
    span_from: Mapped[date]
    span_until: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))

    matter: Mapped[Matter] = relationship()
    presiding_officer: Mapped[User] = relationship(foreign_keys=[presiding_officer_id])
    participants: Mapped[list[HearingParticipant]] = relationship(
        back_populates="hearing",
        cascade="all, delete-orphan",
        order_by="HearingParticipant.id",
    )

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason)

    @property
    def stage_label(self) -> str:
        return STAGES.get(self.stage, self.stage)

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def excluded_days(self) -> int | None:
        """Calendar days of the hearing span, both ends counted; ``None`` while it runs."""
        if self.span_until is None:
            return None
        return (self.span_until - self.span_from).days + 1


class HearingParticipant(Base):
    """Someone taking part in a hearing, with their role; names are personal data."""

    __tablename__ = "hearings_participant"
    __personal_fields__ = {"name": "name"}

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(
        ForeignKey("hearings_hearing.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(100))
    organisation: Mapped[str | None] = mapped_column(String(200))

    hearing: Mapped[Hearing] = relationship(back_populates="participants")

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)
