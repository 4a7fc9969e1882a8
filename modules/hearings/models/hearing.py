"""The hearing (信访听证) and the people taking part in it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.api import (
    N_,
    AgencyScoped,
    Base,
    Matter,
    Opinion,
    TimestampMixin,
    User,
    VersionedMixin,
)

from .application import Application
from .venue import Panelist, Venue

#: Why a matter goes to a hearing (条例第31条第6项: 重大、复杂、疑难).
REASONS = {"major": N_("重大"), "complex": N_("复杂"), "difficult": N_("疑难")}
#: The stage of the matter the hearing belongs to, named as the regulation names it.
STAGES = {
    "acceptance": N_("受理"),
    "handling": N_("办理"),
    "review": N_("复查"),
    "rereview": N_("复核"),
}
#: The matter's state in which a hearing of each stage is held.
STAGE_OF_STATE = {
    "in_handling": "handling",
    "review_requested": "review",
    "reexam_requested": "rereview",
}
#: The clock a hearing of each stage pauses (when the setting ``pause_stages`` names it) and
#: the pair of lifecycle steps that do it (``lifecycle.py``).
STAGE_CLOCKS = {
    "handling": ("handling", "suspend_handling_for_hearing", "resume_handling_after_hearing"),
    "review": ("review", "suspend_review_for_hearing", "resume_review_after_hearing"),
    "rereview": ("reexam", "suspend_for_hearing", "resume_after_hearing"),
}
STATUSES = {
    "planned": N_("已安排"),
    "in_session": N_("听证进行中"),
    "suspended": N_("听证中止"),
    "held": N_("已举行（待作出结论）"),
    "concluded": N_("已作出结论"),
    "no_show": N_("信访人未到场（视为放弃）"),
    "cancelled": N_("已取消"),
}
ROLES = {
    "petitioner": N_("信访人"),
    "agent": N_("委托代理人"),
    "unit": N_("有关单位（承办人）"),
    "member": N_("听证员"),
    "expert": N_("专家"),
    "lawyer": N_("律师"),
    "witness": N_("证人"),
    "third_party": N_("第三人"),
    "observer": N_("旁听人员"),
}
SIGNATURES = {"signed": N_("已签名"), "refused": N_("拒绝签名")}


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


class Hearing(AgencyScoped, VersionedMixin, TimestampMixin, Base):
    """A hearing (信访听证) on one matter: schedule, notice, record and conclusion.

    ``agency_id`` is the organising agency; the pages also fetch the matter through the record
    rules, so a hearing is never shown to someone who may not see its matter. From its start
    (``started_on``) to its conclusion (``concluded_on``) the stage's clock of the matter is
    paused through core's lifecycle (``pause_step`` names the step that paused it).
    """

    __tablename__ = "hearings_hearing"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(
        ForeignKey("core_matter.id", ondelete="CASCADE"), index=True
    )
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("hearings_application.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(String(12))
    stage: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(12), default="planned", index=True)
    scheduled_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    venue: Mapped[str] = mapped_column(String(200))  # the room's name, as on the notice
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("hearings_venue.id"), index=True)
    presiding_officer_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    public: Mapped[bool] = mapped_column(default=True)
    # Why not public (state secrets or personal privacy): the rule wants the reason on file.
    closed_reason: Mapped[str | None] = mapped_column(String(200))
    notice_on: Mapped[date | None]  # the day the notice (听证通知书) went to the parties
    started_on: Mapped[date | None]
    heard: Mapped[str | None] = mapped_column(Text)  # 听证笔录: what was heard
    opinions: Mapped[str | None] = mapped_column(Text)  # 合议: the panel's deliberation
    conclusion: Mapped[str | None] = mapped_column(Text)  # 听证结论
    concluded_on: Mapped[date | None]
    no_show_note: Mapped[str | None] = mapped_column(Text)
    cancel_reason: Mapped[str | None] = mapped_column(String(300))
    # Why a hearing in session was suspended (听证中止); kept after it resumes.
    suspend_reason: Mapped[str | None] = mapped_column(String(300))
    pause_step: Mapped[str | None] = mapped_column(String(40))
    opinion_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_opinion.id", ondelete="SET NULL")
    )
    published: Mapped[bool] = mapped_column(default=False)
    # The span the hearing took, start to conclusion (the days the clock did not count).
    span_from: Mapped[date]
    span_until: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))

    matter: Mapped[Matter] = relationship(Matter)
    application: Mapped[Application | None] = relationship(Application)
    room: Mapped[Venue | None] = relationship(Venue)
    opinion: Mapped[Opinion | None] = relationship(Opinion)
    presiding_officer: Mapped[User] = relationship(User, foreign_keys=[presiding_officer_id])
    clerk: Mapped[User | None] = relationship(User, foreign_keys=[clerk_id])
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
    def starts(self) -> datetime:
        """The scheduled start, timezone-aware (SQLite gives stored UTC times back naive)."""
        return _aware(self.scheduled_at)

    @property
    def until(self) -> datetime:
        """When the hearing's booking ends (two hours when no end was given), aware."""
        return _aware(self.ends_at or self.scheduled_at + timedelta(hours=2))

    @property
    def open(self) -> bool:
        return self.status in ("planned", "in_session", "suspended", "held")

    @property
    def excluded_days(self) -> int | None:
        """Calendar days of the hearing span, both ends counted; ``None`` while it runs."""
        if self.span_until is None:
            return None
        return (self.span_until - self.span_from).days + 1


class HearingParticipant(Base):
    """Someone taking part in a hearing, with their role; names are personal data.

    A panel member drawn from the roster points at it (``panelist_id``), so the same person is
    found booked on two hearings at once. Attendance, signature of the record (or its refusal)
    and a panel member's own view are filled in when the record is made.
    """

    __tablename__ = "hearings_participant"
    __personal_fields__ = {"name": "name"}

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(
        ForeignKey("hearings_hearing.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(100))
    organisation: Mapped[str | None] = mapped_column(String(200))
    panelist_id: Mapped[int | None] = mapped_column(ForeignKey("hearings_panelist.id"))
    power_of_attorney: Mapped[bool] = mapped_column(default=False)
    attended: Mapped[bool | None]
    signature: Mapped[str | None] = mapped_column(String(10))
    view: Mapped[str | None] = mapped_column(Text)  # a panel member's individual view

    hearing: Mapped[Hearing] = relationship(back_populates="participants")
    panelist: Mapped[Panelist | None] = relationship(Panelist)

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)

    @property
    def signature_label(self) -> str:
        return SIGNATURES.get(self.signature or "", "")
