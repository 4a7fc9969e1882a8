"""The way into a hearing: a petitioner's application or the organ's own decision."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.api import N_, AgencyScoped, Base, Matter, TimestampMixin, User, VersionedMixin

ORIGINS = {"petitioner": N_("信访人申请"), "own_motion": N_("依职权决定")}
APPLICATION_STATUSES = {
    "pending": N_("待决定"),
    "accepted": N_("已受理"),
    "refused": N_("不予受理"),
    "scheduled": N_("已安排听证"),
    "waived": N_("视为放弃"),
}


class Application(AgencyScoped, VersionedMixin, TimestampMixin, Base):
    """An application for a hearing (听证申请) or the organ's decision to hold one.

    ``told_on`` is the day the petitioner was told of the right to a hearing (or received the
    written reply); an application after the window (setting ``application_window_days``) is
    recorded as ``late`` and accepted only with the reason (e.g. force majeure).
    """

    __tablename__ = "hearings_application"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(
        ForeignKey("core_matter.id", ondelete="CASCADE"), index=True
    )
    origin: Mapped[str] = mapped_column(String(12))
    stage: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(String(12))
    grounds: Mapped[str] = mapped_column(Text)  # what the applicant asks to be heard
    told_on: Mapped[date | None]
    applied_on: Mapped[date]
    late: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    decided_on: Mapped[date | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    late_reason: Mapped[str | None] = mapped_column(String(300))  # why a late one is accepted
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))

    matter: Mapped[Matter] = relationship(Matter)
    decided_by: Mapped[User | None] = relationship(User, foreign_keys=[decided_by_id])

    @property
    def origin_label(self) -> str:
        return ORIGINS.get(self.origin, self.origin)

    @property
    def stage_label(self) -> str:
        from .hearing import STAGES

        return STAGES.get(self.stage, self.stage)

    @property
    def status_label(self) -> str:
        return APPLICATION_STATUSES.get(self.status, self.status)
