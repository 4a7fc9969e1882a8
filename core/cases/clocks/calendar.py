"""Working-day calendar and period computation (工作日历与期间计算).

Pure Python: no Flask, no database. The case file's deadline clocks build a
:class:`WorkCalendar` (seeded from the libraries plus the administrator's
overrides) and call :func:`compute_due`.

Counting follows 民法典 Arts. 201–204 (REGULATION.md §1.9, "Calendar notes"):

* a period in days starts the day after the event (Art. 201);
* if its last day is a statutory holiday it rolls to the next working day (Art. 203 ¶1);
* it ends at 24:00 of its last day (Art. 203 ¶2);
* extensions and excluded hearing time lengthen the period itself, and the roll-over
  applies once, to the end of the lengthened period.

Years for which no official holiday data exists (``chinese_calendar`` covers
2004 to the newest year it knows) are *provisional*: weekends plus the rule-based
statutory holidays of ``holidays.China``. A clock never fails because a year is missing.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

import chinese_calendar
import holidays as holidays_lib

__all__ = [
    "DayInfo",
    "DayKind",
    "DueDate",
    "RollOver",
    "Unit",
    "WorkCalendar",
    "compute_due",
    "days_elapsed",
    "is_within",
]

Unit = Literal["calendar", "working"]
RollOver = Literal["holiday", "rest_day", "none"]

SOURCE_OFFICIAL = "official:chinese-calendar"
SOURCE_RULE = "rule:holidays"
SOURCE_WEEKEND = "weekend"
SOURCE_OVERRIDE = "override"

_WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

# chinese_calendar names its holidays in English only; the steps are read by Chinese staff.
_CN_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

# Upper bound when looking for the next working day: only a broken override table
# (every day a holiday) could exceed it, and an error beats an endless loop.
_MAX_SEARCH_DAYS = 366


class DayKind(enum.Enum):
    """Kind of a calendar day (日期类型)."""

    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    MAKEUP_WORKDAY = "makeup_workday"  # 调休上班日: a Saturday or Sunday worked to bridge a holiday

    @property
    def label(self) -> str:
        """Chinese label of the kind, e.g. 调休上班日."""
        return {
            DayKind.WORKDAY: "工作日",
            DayKind.WEEKEND: "周末",
            DayKind.HOLIDAY: "法定节假日",
            DayKind.MAKEUP_WORKDAY: "调休上班日",
        }[self]

    @property
    def is_working(self) -> bool:
        """Return True for kinds on which offices work (make-up days included)."""
        return self in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY)


@dataclass(frozen=True)
class DayInfo:
    """What the calendar knows about one day (某日的日历信息).

    ``source`` is one of ``"official:chinese-calendar"``, ``"rule:holidays"``,
    ``"weekend"`` (plain Monday–Friday / Saturday–Sunday rule, no holiday data involved)
    or ``"override"``; ``provisional`` is True for days of years without official data.
    """

    day: date
    kind: DayKind
    name: str | None
    source: str
    provisional: bool


def _as_date(value: date) -> date:
    """Return the calendar date of a ``date`` or ``datetime``.

    Callers holding aware datetimes must convert them to Asia/Shanghai first: the
    date is taken as is.
    """
    # datetime is a subclass of date, and mixing them breaks dict lookups and arithmetic.
    if isinstance(value, datetime):
        return value.date()
    return value


def _days_of_year(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(n) for n in range((date(year, 12, 31) - first).days + 1)]


def _plain(day: date, *, source: str, provisional: bool) -> DayInfo:
    """Classify a day by the weekday rule alone."""
    kind = DayKind.WEEKEND if day.weekday() >= 5 else DayKind.WORKDAY
    return DayInfo(day, kind, None, source, provisional)


def _official_year(year: int) -> dict[date, DayInfo] | None:
    """Days of ``year`` from chinese_calendar, or None if the library has no data for it.

    Cached per process: the library's data is fixed for its installed version, and building a
    year costs about 20 ms (it was paid by every registration). Callers only read the result.
    The lookup function is part of the key, so a replaced one (tests) is asked afresh.
    """
    return _official_year_of(year, chinese_calendar.get_holiday_detail)


@functools.lru_cache(maxsize=32)
def _official_year_of(year: int, lookup) -> dict[date, DayInfo] | None:
    days = _days_of_year(year)
    try:
        # The library signals a year it does not know by NotImplementedError; asking is the
        # only coverage test that stays right when a newer release adds a year.
        lookup(days[0])
    except NotImplementedError:
        return None
    result: dict[date, DayInfo] = {}
    for day in days:
        on_holiday, name = lookup(day)
        cn_name = _CN_HOLIDAY_NAMES.get(name, name) if name else None
        weekend = day.weekday() >= 5
        if on_holiday and name:
            kind = DayKind.HOLIDAY  # weekend days inside a holiday block carry its name too
        elif on_holiday:
            kind = DayKind.WEEKEND
        elif weekend:
            kind = DayKind.MAKEUP_WORKDAY  # a Saturday/Sunday that is a working day
        else:
            kind, cn_name = DayKind.WORKDAY, None
        result[day] = DayInfo(day, kind, cn_name, SOURCE_OFFICIAL, False)
    return result


@functools.lru_cache(maxsize=32)
def _rule_year(year: int) -> dict[date, DayInfo]:
    """Provisional days of ``year``: weekends plus holidays.China's rule-based holidays."""
    rule = holidays_lib.China(years=year, language="zh_CN")
    # weekend_workdays is shared across instances and holds other years too; keep this
    # year's. It is empty for future years (the library only knows them by rule), but for
    # past years it balances the "休息日（调休）" days off the library lists.
    makeup = {d for d in getattr(rule, "weekend_workdays", ()) if d.year == year}
    result: dict[date, DayInfo] = {}
    for day in _days_of_year(year):
        if day in rule:
            result[day] = DayInfo(day, DayKind.HOLIDAY, rule.get(day), SOURCE_RULE, True)
        elif day in makeup:
            result[day] = DayInfo(day, DayKind.MAKEUP_WORKDAY, None, SOURCE_RULE, True)
        else:
            result[day] = _plain(day, source=SOURCE_WEEKEND, provisional=True)
    return result


class WorkCalendar:
    """Working-day calendar (工作日历): official data, rule-based fallback, admin overrides.

    Precedence, highest first:

    1. ``overrides`` (source ``"override"``, never provisional);
    2. ``official_years``: years whose State Council notice an administrator imported; the
       overrides carry their holidays and make-up days, other days follow the weekday rule
       and are not provisional. The import wins over the libraries, which may be outdated;
    3. chinese_calendar, for the years it covers;
    4. any other year: provisional, weekends plus holidays.China's rule-based holidays.
    """

    def __init__(
        self,
        overrides: Mapping[date, tuple[DayKind, str]] | None = None,
        official_years: Iterable[int] = (),
    ) -> None:
        """Build a calendar; ``overrides`` maps a day to (kind, name)."""
        # Copy and normalise: a caller mutating its mapping later must not silently
        # disagree with the per-year cache; DayKind(...) also accepts stored enum values.
        self._overrides: dict[date, tuple[DayKind, str]] = {
            _as_date(day): (DayKind(kind), name) for day, (kind, name) in (overrides or {}).items()
        }
        self._official_years = frozenset(official_years)
        self._years: dict[int, dict[date, DayInfo]] = {}

    def info(self, day: date) -> DayInfo:
        """Return the :class:`DayInfo` of ``day``; never raises for a missing year."""
        day = _as_date(day)
        override = self._overrides.get(day)
        if override is not None:
            kind, name = override
            return DayInfo(day, kind, name or None, SOURCE_OVERRIDE, False)
        return self._year(day.year)[day]

    def is_workday(self, day: date) -> bool:
        """Return True if offices work on ``day`` (工作日, make-up working days included)."""
        return self.info(day).kind.is_working

    def is_rest_day(self, day: date) -> bool:
        """Return True if ``day`` is a rest day (休息日): an ordinary weekend or a holiday."""
        return not self.info(day).kind.is_working

    def is_statutory_holiday(self, day: date) -> bool:
        """Return True if ``day`` is a statutory holiday (法定节假日), bridging days off too."""
        return self.info(day).kind is DayKind.HOLIDAY

    def next_workday(self, day: date) -> date:
        """Return the first working day strictly after ``day`` (下一个工作日)."""
        candidate = _as_date(day)
        for _ in range(_MAX_SEARCH_DAYS):
            candidate += timedelta(1)
            if self.is_workday(candidate):
                return candidate
        raise ValueError(f"{day} 之后 {_MAX_SEARCH_DAYS} 日内没有工作日，请检查日历调整数据")

    def _year(self, year: int) -> dict[date, DayInfo]:
        """Return the cached classification of every day of ``year``, building it once."""
        cached = self._years.get(year)
        if cached is None:
            if year in self._official_years:
                cached = {
                    d: _plain(d, source=SOURCE_WEEKEND, provisional=False)
                    for d in _days_of_year(year)
                }
            else:
                official = _official_year(year)
                cached = official if official is not None else _rule_year(year)
            self._years[year] = cached
        return cached


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
        for _ in range(_MAX_SEARCH_DAYS):
            candidate += timedelta(1)
            if self.info(candidate).kind.is_working:
                return candidate
        raise ValueError(f"{day} 之后 {_MAX_SEARCH_DAYS} 日内没有工作日，请检查日历调整数据")


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


def _merge_paused(paused: Sequence[tuple[date, date]]) -> list[tuple[date, date]]:
    """Sort and merge overlapping or adjacent paused intervals so no day is excluded twice."""
    intervals = []
    for first, last in paused:
        first, last = _as_date(first), _as_date(last)
        if last < first:
            raise ValueError(f"中止期间结束日 {last} 早于开始日 {first}")
        intervals.append((first, last))
    merged: list[tuple[date, date]] = []
    for first, last in sorted(intervals):
        if merged and first <= merged[-1][1] + timedelta(1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _paused_index(merged: list[tuple[date, date]], day: date) -> int | None:
    for index, (first, last) in enumerate(merged):
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
    paused: Sequence[tuple[date, date]] = (),
    roll_over: RollOver = "holiday",
    received_rule: bool = False,
) -> DueDate:
    """Compute the last day of a period of ``days`` counted from the event day ``start``.

    * ``unit="calendar"`` counts 自然日; ``"working"`` counts 工作日 (make-up working days
      count, weekends and holidays do not).
    * ``extension_days`` (延长) and ``paused`` (inclusive date ranges excluded from the period,
      e.g. 听证期间) lengthen the period itself; each paused day inside the running period
      adds one day.
    * ``roll_over`` (calendar unit): ``"holiday"`` moves a last day that is a statutory
      holiday to the next working day (民法典第203条); ``"rest_day"`` also moves ordinary
      weekends; ``"none"`` never moves. It applies once, to the end of the lengthened period.
    * ``received_rule`` is the received_on_rest_day_counts_from_next_workday setting: a
      matter received on a rest day counts as received on the next working day.
    """
    _validate(days, unit, extension_days, roll_over)
    trace = _Trace(calendar)
    steps: list[str] = []
    anchor = _anchor(trace, _as_date(start), received_rule, steps)

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
    for (first, last), count in zip(merged, excluded, strict=True):
        if count:
            steps.append(f"听证期间 {first} 至 {last} 共 {count} {excluded_unit}不计入期限")
        else:
            steps.append(f"听证期间 {first} 至 {last} 不在期限计算范围内，未扣除")

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
    anchor = _as_date(start)
    if received_rule and not calendar.is_workday(anchor):
        anchor = calendar.next_workday(anchor)
    merged = _merge_paused(paused)
    count, day, end = 0, anchor, _as_date(end)
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
    return _as_date(when) <= compute_due(calendar, start, days, unit, **kw).due
