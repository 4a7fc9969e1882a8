"""Hearing-assessment of a major decision (听证评估, 义马、沈河: 重大决策社会稳定风险评估)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.api import N_, AgencyScoped, Base, TimestampMixin, VersionedMixin

RISKS = {"low": N_("低风险"), "medium": N_("中风险"), "high": N_("高风险")}
ASSESSMENT_STATUSES = {
    "planned": N_("待听证评估"),
    "assessed": N_("已评估"),
    "decided": N_("已作出决策"),
}


class Assessment(AgencyScoped, VersionedMixin, TimestampMixin, Base):
    """A decision a department plans, heard and rated for its risk to stability beforehand.

    It has no matter; its report (评估报告) is frozen here as a PDF with its number.
    """

    __tablename__ = "hearings_assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(200))
    plan: Mapped[str] = mapped_column(Text)  # the decision as planned
    status: Mapped[str] = mapped_column(String(12), default="planned", index=True)
    heard_on: Mapped[date | None]
    hearing_summary: Mapped[str | None] = mapped_column(Text)
    risk: Mapped[str | None] = mapped_column(String(8))
    recommendation: Mapped[str | None] = mapped_column(Text)
    decision_taken: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None]
    report_number: Mapped[str | None] = mapped_column(String(40))
    report_pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    @property
    def risk_label(self) -> str:
        return RISKS.get(self.risk or "", self.risk or "")

    @property
    def status_label(self) -> str:
        return ASSESSMENT_STATUSES.get(self.status, self.status)
