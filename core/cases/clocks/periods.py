"""Period computation (期间计算) on the working-day calendar.

Pure Python: no Flask, no database. Counting follows 民法典 Arts. 201–204 (REGULATION.md §1.9,
"Calendar notes"):

* a period in days starts the day after the event (Art. 201);
* if its last day is a rest day it rolls to the first working day after it (Art. 203 ¶1, read
  as courts read 法定休假日: statutory holidays, 调休 rest days and ordinary weekends alike; the
  setting ``MINSHENG_PERIOD_ROLL_OVER`` narrows it to statutory holidays or switches it off);
* a make-up working day (调休上班日) is a working day: a period ending on it does not move;
* it ends at 24:00 of its last day (Art. 203 ¶2);
* extensions and excluded hearing time lengthen the period itself, and the roll-over
  applies once, to the end of the lengthened period.

Every explanation names each holiday, rest day and make-up working day that moved or fixed the
date, and the setting (by its environment name) that moved it.

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

__all__ = [
    "RECEIVED_SETTING",
    "ROLL_OVER_SETTING",
    "DueDate",
    "RollOver",
    "Unit",
    "compute_due",
    "days_elapsed",
    "describe_day",
    "is_within",
]

Unit = Literal["calendar", "working"]
RollOver = Literal["holiday", "rest_day", "none"]

#: The settings an explanation names when they decided a date (README, "Configuration").
ROLL_OVER_SETTING = "MINSHENG_PERIOD_ROLL_OVER"
RECEIVED_SETTING = "MINSHENG_RECEIVED_ON_REST_DAY"

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
    weekday = _WEEKDAY_NAMES[info.day.weekday()]
    if info.kind is DayKind.HOLIDAY:
        if info.day.weekday() >= 5 or not info.name:
            # A weekend day inside a holiday block, or a 调休 day off: both are rest days.
            return f"{info.name or '调休休息日'}假期中的{weekday}（法定节假日）"
        return f"{info.name}（法定节假日，{weekday}）"
    if info.kind is DayKind.MAKEUP_WORKDAY:
        suffix = f"，{info.name}调休" if info.name else ""
        return f"调休上班日（{weekday}{suffix}，工作日）"
    if info.kind is DayKind.WEEKEND:
        if info.day.weekday() < 5:
            return f"{weekday}调休休息日（休息日）"
        return f"{weekday}（休息日）"
    return f"{weekday}（工作日）"


def describe_day(info: DayInfo) -> str:
    """Short Chinese description of a day, e.g. 国庆节（法定节假日，星期四）."""
    return _describe(info)


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
    info = trace.info(start)
    if received_rule and not info.kind.is_working:
        moved = trace.next_workday(start)
        steps.append(
            f"收到日 {start} 是{_describe(info)}，按设置 {RECEIVED_SETTING}=1 "
            f"视为其后第一个工作日 {moved} 收到"
        )
        start = moved
    elif not info.kind.is_working:
        # Say why a start on a holiday did not move: a local practice would move it.
        steps.append(
            f"起算日 {start} 是{_describe(info)}，仍从次日起算"
            f"（设置 {RECEIVED_SETTING} 未开启，默认）"
        )
    elif info.kind is DayKind.MAKEUP_WORKDAY:
        steps.append(f"起算日 {start} 是{_describe(info)}")
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
    roll_over: RollOver = "rest_day",
    received_rule: bool = False,
) -> DueDate:
    """Compute the last day of a period of ``days`` counted from the event day ``start``.

    * ``unit="calendar"`` counts 自然日; ``"working"`` counts 工作日 (make-up working days
      count, weekends and holidays do not).
    * ``extension_days`` (延长) and ``paused`` (inclusive date ranges excluded from the period,
      each ``(first, last)`` or ``(first, last, what)``, e.g. 听证期间) lengthen the period
      itself; each paused day inside the running period adds one day.
    * ``roll_over`` (calendar unit): ``"rest_day"`` (default, 民法典第203条) moves a last day
      that is any rest day — statutory holiday, 调休 rest day or ordinary weekend — to the first
      working day after it; ``"holiday"`` moves statutory holidays only; ``"none"`` never
      moves. It applies once, to the end of the lengthened period. A make-up working day never
      moves.
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
    skipped_rest: list[DayInfo] = []
    makeup_counted: list[DayInfo] = []
    counted, end = 0, anchor
    while counted < total:
        end += timedelta(1)
        # Only the working unit depends on the kind of the days inside the period.
        info = trace.info(end) if unit == "working" else None
        if info is not None and not info.kind.is_working:
            if info.kind is DayKind.HOLIDAY:
                skipped_holidays.append(info)
            else:
                skipped_rest.append(info)
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
    if skipped_rest:
        # A working-day period is short (5 days): each weekend day it skipped is named.
        named = [f"{i.day} {_WEEKDAY_NAMES[i.day.weekday()]}" for i in skipped_rest[:10]]
        more = f" 等 {len(skipped_rest)} 日" if len(skipped_rest) > 10 else ""
        steps.append(f"其间休息日 {'、'.join(named)}{more} 不计入")
    for info in makeup_counted:
        steps.append(f"{info.day} 是{_describe(info)}，计为工作日")

    due = _roll(trace, end, unit, roll_over, steps)
    for year in sorted(trace.provisional_years):
        steps.append(_provisional_step(year))
    steps.append(f"期限至 {due} 24:00 届满（民法典第203条）")
    return DueDate(due=due, steps=steps, provisional=bool(trace.provisional_years))


def _crossed(trace: _Trace, first: date, last: date) -> str:
    """Name every rest day from ``first`` to ``last``: holidays grouped, weekends by weekday."""
    infos = [trace.info(first + timedelta(n)) for n in range((last - first).days + 1)]
    holidays = [i for i in infos if i.kind is DayKind.HOLIDAY]
    texts = [f"{t}（法定节假日）" for t in _holiday_ranges(holidays)]
    texts += [f"{i.day} {_describe(i)}" for i in infos if i.kind is DayKind.WEEKEND]
    return "、".join(texts)


def _roll(trace: _Trace, end: date, unit: str, roll_over: str, steps: list[str]) -> date:
    """Apply the roll-over once to the last day ``end``; explain what decided the date."""
    info = trace.info(end)
    default = "，默认" if roll_over == "rest_day" else ""
    setting = f"设置 {ROLL_OVER_SETTING}={roll_over}{default}"
    if info.kind is DayKind.MAKEUP_WORKDAY:
        steps.append(f"期间最后一日 {end} 是{_describe(info)}，是工作日，不顺延")
        return end
    if info.kind.is_working or unit != "calendar":
        return end
    rolls = roll_over == "rest_day" or (roll_over == "holiday" and info.kind is DayKind.HOLIDAY)
    if not rolls:
        why = "不是法定节假日，" if info.kind is DayKind.WEEKEND and roll_over == "holiday" else ""
        steps.append(f"期间最后一日 {end} 是{_describe(info)}，{why}按{setting}不顺延")
        return end
    due = trace.next_workday(end)
    due_info = trace.info(due)
    weekday = _WEEKDAY_NAMES[due.weekday()]
    if due_info.kind is DayKind.MAKEUP_WORKDAY:
        holiday = f"{due_info.name}调休" if due_info.name else "调休"
        target = f"{due}（{weekday}，{holiday}上班日，是工作日），即其后第一个工作日"
    else:
        target = f"{due}（{weekday}），即其后第一个工作日"
    steps.append(
        f"期间最后一日 {end} 是{_describe(info)}，顺延至 {target}；"
        f"顺延跳过的休息日：{_crossed(trace, end, due - timedelta(1))}"
        f"（民法典第203条第1款；{setting}）"
    )
    return due


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
