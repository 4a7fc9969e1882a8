"""Maintaining the working-day calendar: day overrides and official-year imports.

Any change recomputes every open clock in the same transaction, writes the moved due dates on
the matters' timelines, and is audited.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete

from core import audit
from core.cases.clocks import clocks
from core.cases.clocks.calendar import DayKind
from core.cases.models import CalendarDay, CalendarYear
from core.db import utcnow
from core.extensions import db

KIND_NAMES = {
    "holiday": DayKind.HOLIDAY,
    "makeup": DayKind.MAKEUP_WORKDAY,
    "workday": DayKind.WORKDAY,
    "weekend": DayKind.WEEKEND,
    "节假日": DayKind.HOLIDAY,
    "调休上班": DayKind.MAKEUP_WORKDAY,
    "工作日": DayKind.WORKDAY,
    "休息日": DayKind.WEEKEND,
}


class CalendarError(ValueError):
    """A refused calendar change (message in Chinese)."""


@dataclass
class CalendarChange:
    """What a change did: days written and clocks whose due date moved."""

    days: int
    moved: list[tuple[int, str, date, date]]  # (matter id, clock label, before, after)


def _finish(summary: str, days: int, **detail) -> CalendarChange:
    db.session.flush()
    moved = clocks.recompute_open(f"节假日日历变更：{summary}")
    audit.record(
        "calendar.change",
        summary=summary,
        object_type="calendar",
        days=days,
        moved=[
            {"matter": c.matter_id, "clock": c.label, "before": b, "after": a} for c, b, a in moved
        ],
        **detail,
    )
    db.session.commit()
    return CalendarChange(days, [(c.matter_id, c.label, b, a) for c, b, a in moved])


def set_day(day: date, kind: str, name: str = "") -> CalendarChange:
    """Override one day (``holiday``, ``makeup``, ``workday``, ``weekend``) and recompute."""
    if kind not in KIND_NAMES:
        raise CalendarError("请选择日期类型：节假日、调休上班、工作日或休息日。")
    row = db.session.get(CalendarDay, day) or CalendarDay(day=day)
    row.kind = KIND_NAMES[kind].name
    row.name = name.strip()[:50]
    row.changed_at = utcnow()
    db.session.add(row)
    return _finish(f"{day.isoformat()} 设为 {KIND_NAMES[kind].label} {name}".strip(), 1)


def clear_day(day: date) -> CalendarChange:
    """Remove an override: the day goes back to the library's data (or the rule)."""
    row = db.session.get(CalendarDay, day)
    if row is None:
        raise CalendarError("该日期没有人工设置。")
    db.session.delete(row)
    return _finish(f"取消 {day.isoformat()} 的人工设置", 1)


def import_year(year: int, text: str, source: str) -> CalendarChange:
    """Import the State Council's holiday notice for ``year`` as CSV lines.

    Each line: ``date,kind,name`` — kind is 节假日/holiday or 调休上班/makeup (ordinary
    weekends and weekdays need no line). The year's earlier overrides are replaced and the
    year is marked official (no longer provisional).
    """
    rows: list[tuple[date, DayKind, str]] = []
    for n, line in enumerate(csv.reader(io.StringIO(text)), 1):
        if not line or not "".join(line).strip() or line[0].startswith("#"):
            continue
        try:
            day = date.fromisoformat(line[0].strip())
            kind = KIND_NAMES[line[1].strip()]
        except (ValueError, IndexError, KeyError):
            raise CalendarError(
                f"第 {n} 行格式不正确，应为“日期,类型,名称”，如 2027-01-01,节假日,元旦。"
            ) from None
        if day.year != year:
            raise CalendarError(f"第 {n} 行日期 {day} 不属于 {year} 年。")
        rows.append((day, kind, line[2].strip() if len(line) > 2 else ""))
    if not rows:
        raise CalendarError("没有读到任何日期。")
    db.session.execute(
        delete(CalendarDay).where(
            CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31)
        )
    )
    for day, kind, name in rows:
        db.session.add(CalendarDay(day=day, kind=kind.name, name=name[:50]))
    marker = db.session.get(CalendarYear, year) or CalendarYear(year=year)
    marker.source = source.strip()[:200]
    marker.imported_at = utcnow()
    db.session.add(marker)
    return _finish(f"导入 {year} 年节假日安排（{source.strip()}）", len(rows), year=year)
