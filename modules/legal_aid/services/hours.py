"""Hours and the payment basis (工时与购买服务结算).

Minutes per consultation and opinion, totals per lawyer and month, and the Excel workbook the
justice bureau pays the purchase of services by.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import func, select

from core.api import db, record_audit, transactional

from ..models import Consultation, DutySlot, Lawyer, Opinion


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """First day of the month and first day of the next."""
    start = date(year, month, 1)
    return start, date(year + month // 12, month % 12 + 1, 1)


@dataclass
class LawyerHours:
    """One lawyer's month: consultations, opinions and duty half-days."""

    lawyer: Lawyer
    consultations: int = 0
    consultation_minutes: int = 0
    opinions: int = 0
    opinion_minutes: int = 0
    duty_half_days: int = 0

    @property
    def minutes(self) -> int:
        """Consultation and opinion minutes together."""
        return self.consultation_minutes + self.opinion_minutes

    @property
    def hours(self) -> float:
        """The minutes as hours, to two decimals."""
        return round(self.minutes / 60, 2)


def month_totals(year: int, month: int) -> list[LawyerHours]:
    """Totals per lawyer for the month, from the records the acting user may see."""
    start, end = month_bounds(year, month)
    rows: dict[int, LawyerHours] = {}

    def row(lawyer_id: int) -> LawyerHours:
        if lawyer_id not in rows:
            rows[lawyer_id] = LawyerHours(db.session.get(Lawyer, lawyer_id))
        return rows[lawyer_id]

    consultations = select(
        Consultation.counsel_id, func.count(Consultation.id), func.sum(Consultation.minutes)
    ).where(
        Consultation.counsel_id.is_not(None),
        Consultation.consulted_on >= start,
        Consultation.consulted_on < end,
    )
    for lawyer_id, count, minutes in db.session.execute(
        consultations.group_by(Consultation.counsel_id)
    ):
        r = row(lawyer_id)
        r.consultations, r.consultation_minutes = count, int(minutes or 0)
    opinions = select(Opinion.lawyer_id, func.count(Opinion.id), func.sum(Opinion.minutes)).where(
        Opinion.status == "delivered", Opinion.delivered_on >= start, Opinion.delivered_on < end
    )
    for lawyer_id, count, minutes in db.session.execute(opinions.group_by(Opinion.lawyer_id)):
        r = row(lawyer_id)
        r.opinions, r.opinion_minutes = count, int(minutes or 0)
    duty = select(DutySlot.lawyer_id, func.count(DutySlot.id)).where(
        DutySlot.status == "scheduled", DutySlot.day >= start, DutySlot.day < end
    )
    for lawyer_id, count in db.session.execute(duty.group_by(DutySlot.lawyer_id)):
        row(lawyer_id).duty_half_days = count
    return sorted(rows.values(), key=lambda r: (r.lawyer.name, r.lawyer.id))


HEADER = (
    "律师",
    "律师事务所",
    "执业证号",
    "值班（半天）",
    "咨询次数",
    "咨询用时（分钟）",
    "论证意见份数",
    "论证用时（分钟）",
    "合计（分钟）",
    "合计（小时）",
)


@transactional
def workbook(year: int, month: int) -> bytes:
    """The month as an Excel workbook: totals, every record behind them, the duty register."""
    start, end = month_bounds(year, month)
    totals = month_totals(year, month)
    wb = Workbook()
    ws = wb.active
    ws.title = "工时汇总"
    ws.append((f"律师参与信访工作工时汇总（{year}年{month}月）",))
    ws["A1"].font = Font(bold=True)
    ws.append(HEADER)
    for r in totals:
        ws.append(
            (
                r.lawyer.name,
                r.lawyer.firm,
                r.lawyer.licence_no or "",
                r.duty_half_days,
                r.consultations,
                r.consultation_minutes,
                r.opinions,
                r.opinion_minutes,
                r.minutes,
                r.hours,
            )
        )
    ws.append(
        (
            "合计",
            "",
            "",
            sum(r.duty_half_days for r in totals),
            sum(r.consultations for r in totals),
            sum(r.consultation_minutes for r in totals),
            sum(r.opinions for r in totals),
            sum(r.opinion_minutes for r in totals),
            sum(r.minutes for r in totals),
            round(sum(r.minutes for r in totals) / 60, 2),
        )
    )
    detail = wb.create_sheet("明细")
    detail.append(("日期", "律师", "类别", "信访件编号", "建议途径", "用时（分钟）"))
    stmt = select(Consultation).where(
        Consultation.counsel_id.is_not(None),
        Consultation.consulted_on >= start,
        Consultation.consulted_on < end,
    )
    for c in db.session.execute(
        stmt.order_by(Consultation.consulted_on, Consultation.id)
    ).scalars():
        detail.append(
            (
                c.consulted_on.isoformat(),
                c.lawyer_name,
                c.kind_label,
                c.matter.number if c.matter else "",
                c.route_label,
                c.minutes,
            )
        )
    stmt = select(Opinion).where(
        Opinion.status == "delivered", Opinion.delivered_on >= start, Opinion.delivered_on < end
    )
    for o in db.session.execute(stmt.order_by(Opinion.delivered_on, Opinion.id)).scalars():
        detail.append(
            (
                o.delivered_on.isoformat(),
                o.lawyer.name,
                "法律论证意见",
                o.matter.number,
                "",
                o.minutes,
            )
        )
    register = wb.create_sheet("值班登记")
    register.append(("日期", "时段", "律师", "地点", "状态", "备注"))
    stmt = select(DutySlot).where(DutySlot.day >= start, DutySlot.day < end)
    for s in db.session.execute(stmt.order_by(DutySlot.day, DutySlot.half_day)).scalars():
        register.append(
            (
                s.day.isoformat(),
                s.half_day_label,
                s.lawyer.name,
                s.place_label,
                s.status_label,
                s.note,
            )
        )
    out = BytesIO()
    wb.save(out)
    record_audit(
        "legal_aid.hours.export",
        None,
        summary=f"导出律师工时（{year}年{month}月）",
        year=year,
        month=month,
    )
    return out.getvalue()
