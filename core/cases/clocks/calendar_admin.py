"""Maintaining the working-day calendar: day overrides and official-year imports.

Any change recomputes every open clock once, in the same transaction, writes the moved due dates
on the matters' timelines, and is audited. An import is previewed first (``preview_import``):
which days change and which open clocks would move.

Two kinds of import: a *whole year* (the State Council's notice for the year) replaces every
override of the year and marks it official; a *partial* one (the lines of one or more holidays)
merges into the year: it replaces only the days of the holidays it names (and the days it
lists) and leaves the year's other holidays as they were.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select

from core import audit
from core.cases.clocks import clocks
from core.cases.clocks.calendar import DayKind, WorkCalendar
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


def _parse(year: int, text: str) -> list[tuple[date, DayKind, str]]:
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
        rows.append((day, kind, line[2].strip()[:50] if len(line) > 2 else ""))
    if not rows:
        raise CalendarError("没有读到任何日期。")
    return rows


@dataclass
class ImportPlan:
    """What an import would do: the rows to drop and write, the year marker, the changes."""

    year: int
    whole: bool
    rows: list[tuple[date, DayKind, str]]
    dropped: list[date]
    days: list[tuple[date, str, str]]  # (day, before, after) as Chinese descriptions
    moved: list[tuple[int, str, date, date]]  # (matter id, clock label, before, after)


def _year_overrides(year: int) -> dict[date, CalendarDay]:
    stmt = select(CalendarDay).where(
        CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31)
    )
    return {row.day: row for row in db.session.execute(stmt).scalars()}


def _text(kind: DayKind, name: str | None) -> str:
    return f"{kind.label} {name}".strip() if name else kind.label


def plan_import(year: int, text: str, whole: bool, with_clocks: bool = True) -> ImportPlan:
    """Work out an import without writing: days that change and open clocks that would move.

    ``with_clocks=False`` skips the clocks (the import itself recomputes each once after).
    """
    rows = _parse(year, text)
    existing = _year_overrides(year)
    if whole:
        dropped = list(existing)
    else:
        # A holiday's lines replace that holiday's earlier lines, and only those.
        names = {name for _day, _kind, name in rows if name}
        listed = {day for day, _kind, _name in rows}
        dropped = [d for d, row in existing.items() if row.name in names or d in listed]
    before = clocks.load_calendar()
    overrides = {
        day: (DayKind[row.kind], row.name)
        for day, row in _all_overrides().items()
        if day not in dropped
    }
    overrides.update({day: (kind, name) for day, kind, name in rows})
    official = set(db.session.execute(select(CalendarYear.year)).scalars())
    if whole:
        official.add(year)
    after = WorkCalendar(overrides=overrides, official_years=official)
    days = []
    first = date(year, 1, 1)
    for n in range((date(year, 12, 31) - first).days + 1):
        day = date.fromordinal(first.toordinal() + n)
        a, b = before.info(day), after.info(day)
        if (a.kind, a.name or None) != (b.kind, b.name or None):
            days.append((day, _text(a.kind, a.name), _text(b.kind, b.name)))
    moved = []
    for clock in clocks.open_clocks() if with_clocks else ():
        was = clock.due
        clocks.compute(clock, after)
        if clock.due != was:
            moved.append((clock.matter_id, clock.label, was, clock.due))
        # A preview writes nothing: drop what computing set on the clock.
        db.session.expire(clock)
    return ImportPlan(year, whole, rows, dropped, days, moved)


def _all_overrides() -> dict[date, CalendarDay]:
    return {row.day: row for row in db.session.execute(select(CalendarDay)).scalars()}


def preview_import(year: int, text: str, whole: bool = False) -> ImportPlan:
    """The preview shown before an import is confirmed (nothing is written)."""
    return plan_import(year, text, whole)


def import_year(year: int, text: str, source: str, whole: bool = True) -> CalendarChange:
    """Import the State Council's holiday arrangement for ``year`` as CSV lines.

    Each line: ``date,kind,name`` — kind is 节假日/holiday or 调休上班/makeup (ordinary
    weekends and weekdays need no line). ``whole``: the lines are the whole year's notice; the
    year's earlier overrides are replaced and the year is marked official (no longer
    provisional). Otherwise the lines are merged: they replace the earlier lines of the
    holidays they name (and of the days they list), the year's other days stay as they were.
    """
    plan = plan_import(year, text, whole, with_clocks=False)
    if plan.dropped:
        db.session.execute(delete(CalendarDay).where(CalendarDay.day.in_(plan.dropped)))
    now = utcnow()
    for day, kind, name in plan.rows:
        db.session.add(CalendarDay(day=day, kind=kind.name, name=name, changed_at=now))
    if whole:
        marker = db.session.get(CalendarYear, year) or CalendarYear(year=year)
        marker.source = source.strip()[:200]
        marker.imported_at = now
        db.session.add(marker)
    what = "全年" if whole else "部分（合并）"
    return _finish(
        f"导入 {year} 年节假日安排{what}（{source.strip()}）",
        len(plan.rows),
        year=year,
        whole=whole,
        changed_days=[{"day": d, "before": b, "after": a} for d, b, a in plan.days],
    )
