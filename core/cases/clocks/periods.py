"""Period computation (期间计算) on the working-day calendar.

Pure Python: no Flask, no database. Counting follows 民法典 Arts. 201–204 (REGULATION.md §1.9,
"Calendar notes"):

* a period in days starts the day after the event (Art. 201);
* if its last day is a statutory holiday it rolls to the next working day (Art. 203 ¶1);
* it ends at 24:00 of its last day (Art. 203 ¶2);
* extensions and excluded hearing time lengthen the period itself, and the roll-over
  applies once, to the end of the lengthened period.

A day of a year without official holiday data (``core.cases.clocks.calendar``) makes the due
date *provisional*, and the explanation says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

import chinese_calendar

from core.cases.clocks.calendar import MAX_SEARCH_DAYS, DayInfo, DayKind, WorkCalendar, as_date

__all__ = ["DueDate", "RollOver", "Unit", "compute_due", "days_elapsed", "is_within"]

Unit = Literal["calendar", "working"]
RollOver = Literal["holiday", "rest_day", "none"]

_WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


@dataclass
class DueDate:
    """Result of a period computation (期限计算结果).

    The period ends at 24:00 of ``due``. ``steps`` explains, in Chinese, how it was
    reached; ``provisional`` is True when a day the computation relied on lies in a year
    without official holiday data.
    """

    due: date
    steps: list[str] = field(default_factory=list)
    provisional: bool = False

    def explain(self) -> str:
        """Return the steps as one text, one step per line."""
        return "\n".join(self.steps)


class _Trace:
    """Calendar look-ups made by one computation, to know which provisional years it used."""

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self.provisional_years: set[int] = set()

    def info(self, day: date) -> DayInfo:
        info = self.calendar.info(day)
        if info.provisional:
            self.provisional_years.add(day.year)
        return info

    def next_workday(self, day: date) -> date:
        # Walk through the trace so the days crossed while rolling over count as relied on.
        candidate = day
        for _ in range(MAX_SEARCH_DAYS):
            candidate += timedelta(1)
            if self.info(candidate).kind.is_working:
                return candidate
        raise ValueError(f"{day} 之后 {MAX_SEARCH_DAYS} 日内没有工作日，请检查日历调整数据")


def _describe(info: DayInfo) -> str:
    """Short Chinese description of a day, e.g. 国庆节（法定节假日）."""
    if info.kind is DayKind.HOLIDAY:
        return f"{info.name or '法定节假日'}（法定节假日）"
    if info.kind is DayKind.MAKEUP_WORKDAY:
        suffix = f"，{info.name}" if info.name else ""
        return f"调休上班日（工作日{suffix}）"
    weekday = _WEEKDAY_NAMES[info.day.weekday()]
    if info.kind is DayKind.WEEKEND:
        return f"{weekday}（休息日）"
    return f"{weekday}（工作日）"


#: What a paused span is called when it does not say (a hearing was the first cause).
DEFAULT_SPAN = "听证"


def _merge_paused(paused: Sequence[tuple]) -> list[tuple[date, date, str]]:
    """Sort and merge overlapping or adjacent paused intervals so no day is excluded twice.

    Each interval is ``(first, last)`` or ``(first, last, what)``; a merged one names all its
    causes (``听证、调解``).
    """
    intervals = []
    for first, last, *what in paused:
        first, last = as_date(first), as_date(last)
        if last < first:
            raise ValueError(f"中止期间结束日 {last} 早于开始日 {first}")
        intervals.append((first, last, what[0] if what else DEFAULT_SPAN))
    merged: list[tuple[date, date, str]] = []
    for first, last, what in sorted(intervals):
        if merged and first <= merged[-1][1] + timedelta(1):
            names = merged[-1][2].split("、")
            name = "、".join([*names, what] if what not in names else names)
            merged[-1] = (merged[-1][0], max(merged[-1][1], last), name)
        else:
            merged.append((first, last, what))
    return merged


def _paused_index(merged: list[tuple[date, date, str]], day: date) -> int | None:
    for index, (first, last, _what) in enumerate(merged):
        if first <= day <= last:
            return index
    return None


def _anchor(trace: _Trace, start: date, received_rule: bool, steps: list[str]) -> date:
    """Return the event day from which counting starts, applying the received-on-rest-day rule."""
    if received_rule:
        info = trace.info(start)
        if not info.kind.is_working:
            moved = trace.next_workday(start)
            steps.append(f"收到日 {start} 是{_describe(info)}，按设置视为下一个工作日 {moved} 收到")
            start = moved
    steps.append(f"起算日 {start} 次日开始计算（民法典第201条）")
    return start


def _validate(days: int, unit: str, extension_days: int, roll_over: str) -> None:
    if days < 1:
        raise ValueError(f"期限天数必须为正数：{days}")
    if extension_days < 0:
        raise ValueError(f"延长天数不能为负数：{extension_days}")
    if unit not in ("calendar", "working"):
        raise ValueError(f"unit 必须为 'calendar' 或 'working'：{unit!r}")
    if roll_over not in ("holiday", "rest_day", "none"):
        raise ValueError(f"roll_over 必须为 'holiday'、'rest_day' 或 'none'：{roll_over!r}")


def _holiday_ranges(days: list[DayInfo]) -> list[str]:
    """Group skipped holiday days into "国庆节 2026-10-01 至 2026-10-07" style ranges."""
    groups: list[list[DayInfo]] = []
    for info in days:
        if (
            groups
            and groups[-1][-1].name == info.name
            and groups[-1][-1].day + timedelta(1) == info.day
        ):
            groups[-1].append(info)
        else:
            groups.append([info])
    texts = []
    for group in groups:
        name = group[0].name or "法定节假日"
        first, last = group[0].day, group[-1].day
        texts.append(f"{name} {first}" if first == last else f"{name} {first} 至 {last}")
    return texts


def _provisional_step(year: int) -> str:
    # Years before the library's first year are history without data, later ones are not
    # yet published. The first year comes from the library's own data, not a constant.
    if chinese_calendar.holidays and year < min(chinese_calendar.holidays).year:
        return f"{year} 年无官方节假日数据，按周末和法定节日规则推算，为暂定日期"
    return f"{year} 年节假日安排尚未公布，按周末和法定节日规则推算，为暂定日期"


def compute_due(
    calendar: WorkCalendar,
    start: date,
    days: int,
    unit: Unit,
    *,
    extension_days: int = 0,
    paused: Sequence[tuple] = (),
    roll_over: RollOver = "holiday",
    received_rule: bool = False,
) -> DueDate:
    """Compute the last day of a period of ``days`` counted from the event day ``start``.

    * ``unit="calendar"`` counts 自然日; ``"working"`` counts 工作日 (make-up working days
      count, weekends and holidays do not).
    * ``extension_days`` (延长) and ``paused`` (inclusive date ranges excluded from the period,
      each ``(first, last)`` or ``(first, last, what)``, e.g. 听证期间) lengthen the period
      itself; each paused day inside the running period adds one day.
    * ``roll_over`` (calendar unit): ``"holiday"`` moves a last day that is a statutory
      holiday to the next working day (民法典第203条); ``"rest_day"`` also moves ordinary
      weekends; ``"none"`` never moves. It applies once, to the end of the lengthened period.
    * ``received_rule`` is the received_on_rest_day_counts_from_next_workday setting: a
      matter received on a rest day counts as received on the next working day.
    """
    _validate(days, unit, extension_days, roll_over)
    trace = _Trace(calendar)
    steps: list[str] = []
    anchor = _anchor(trace, as_date(start), received_rule, steps)

    total = days + extension_days
    unit_text = "个自然日" if unit == "calendar" else "个工作日"
    if extension_days:
        steps.append(f"期限 {days} 日 + 延长 {extension_days} 日 = {total} {unit_text}")

    merged = _merge_paused(paused)
    excluded = [0] * len(merged)
    skipped_holidays: list[DayInfo] = []
    makeup_counted: list[DayInfo] = []
    counted, end = 0, anchor
    while counted < total:
        end += timedelta(1)
        # Only the working unit depends on the kind of the days inside the period.
        info = trace.info(end) if unit == "working" else None
        if info is not None and not info.kind.is_working:
            if info.kind is DayKind.HOLIDAY:
                skipped_holidays.append(info)
            continue
        index = _paused_index(merged, end)
        if index is not None:
            # Only days that would otherwise have been counted lengthen the period.
            excluded[index] += 1
            continue
        if info is not None and info.kind is DayKind.MAKEUP_WORKDAY:
            makeup_counted.append(info)
        counted += 1

    excluded_unit = "日" if unit == "calendar" else "个工作日"
    for (first, last, what), count in zip(merged, excluded, strict=True):
        if count:
            steps.append(f"{what}期间 {first} 至 {last} 共 {count} {excluded_unit}不计入期限")
        else:
            steps.append(f"{what}期间 {first} 至 {last} 不在期限计算范围内，未扣除")

    count_text = f"{total} {unit_text}"
    if unit == "working":
        count_text += "（调休上班日计入，周末和节假日不计入）"
    if sum(excluded):
        count_text += f" + 不计入的 {sum(excluded)} {excluded_unit}"
    steps.append(f"{count_text} → {end}")
    if skipped_holidays:
        steps.append(f"其间 {'、'.join(_holiday_ranges(skipped_holidays))} 为法定节假日，不计入")
    for info in makeup_counted:
        steps.append(f"{info.day} 是{_describe(info)}，计为工作日")

    due = end
    end_info = trace.info(end)
    if unit == "calendar":
        if end_info.kind is DayKind.HOLIDAY and roll_over != "none":
            due = trace.next_workday(end)
            steps.append(f"{end} 是{_describe(end_info)}，顺延至 {due}（民法典第203条）")
        elif end_info.kind is DayKind.HOLIDAY:
            steps.append(f"{end} 是{_describe(end_info)}，按设置不顺延")
        elif end_info.kind is DayKind.WEEKEND and roll_over == "rest_day":
            due = trace.next_workday(end)
            steps.append(
                f"{end} 是{_describe(end_info)}，按设置休息日也顺延，顺延至 {due}（民法典第203条）"
            )
        elif end_info.kind is DayKind.WEEKEND:
            # Explain why a Saturday due date did not move: users expect it to.
            steps.append(f"{end} 是{_describe(end_info)}，不是法定节假日，按设置不顺延")
        elif end_info.kind is DayKind.MAKEUP_WORKDAY:
            steps.append(f"{end} 是{_describe(end_info)}，不顺延")

    for year in sorted(trace.provisional_years):
        steps.append(_provisional_step(year))
    steps.append(f"期限至 {due} 24:00 届满（民法典第203条）")
    return DueDate(due=due, steps=steps, provisional=bool(trace.provisional_years))


def days_elapsed(
    calendar: WorkCalendar,
    start: date,
    end: date,
    unit: Unit,
    *,
    paused: Sequence[tuple[date, date]] = (),
    received_rule: bool = False,
) -> int:
    """Count the days from the event day ``start`` to ``end`` inclusive (已过天数).

    The event day itself is day 0, so a request on ``end`` is "day N" of the window.
    Paused days and, for the working unit, rest days are not counted. The holiday
    roll-over is not applied: use :func:`is_within` to decide whether ``end`` is in time.
    """
    anchor = as_date(start)
    if received_rule and not calendar.is_workday(anchor):
        anchor = calendar.next_workday(anchor)
    merged = _merge_paused(paused)
    count, day, end = 0, anchor, as_date(end)
    while day < end:
        day += timedelta(1)
        if _paused_index(merged, day) is not None:
            continue
        if unit == "working" and not calendar.is_workday(day):
            continue
        count += 1
    return count


def is_within(
    calendar: WorkCalendar,
    start: date,
    days: int,
    unit: Unit,
    when: date,
    **kw: Any,
) -> bool:
    """Return True if ``when`` is on or before the due date (期限内).

    ``kw`` are passed to :func:`compute_due` (extension_days, paused, roll_over, ...).
    """
    return as_date(when) <= compute_due(calendar, start, days, unit, **kw).due
