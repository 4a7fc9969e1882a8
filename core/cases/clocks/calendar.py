"""Working-day calendar (工作日历): what kind of day a date is.

Pure Python: no Flask, no database. The case file's deadline clocks build a
:class:`WorkCalendar` (seeded from the libraries plus the administrator's overrides) and count
their periods on it (``core.cases.clocks.periods``).

Years for which no official holiday data exists (``chinese_calendar`` covers
2004 to the newest year it knows) are *provisional*: weekends plus the rule-based
statutory holidays of ``holidays.China``. A clock never fails because a year is missing.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import chinese_calendar
import holidays as holidays_lib

__all__ = ["DayInfo", "DayKind", "WorkCalendar"]

SOURCE_OFFICIAL = "official:chinese-calendar"
SOURCE_RULE = "rule:holidays"
SOURCE_WEEKEND = "weekend"
SOURCE_OVERRIDE = "override"

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

#: Upper bound when looking for the next working day: only a broken override table
#: (every day a holiday) could exceed it, and an error beats an endless loop.
MAX_SEARCH_DAYS = 366


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


def as_date(value: date) -> date:
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
            as_date(day): (DayKind(kind), name) for day, (kind, name) in (overrides or {}).items()
        }
        self._official_years = frozenset(official_years)
        self._years: dict[int, dict[date, DayInfo]] = {}

    def info(self, day: date) -> DayInfo:
        """Return the :class:`DayInfo` of ``day``; never raises for a missing year."""
        day = as_date(day)
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
        candidate = as_date(day)
        for _ in range(MAX_SEARCH_DAYS):
            candidate += timedelta(1)
            if self.is_workday(candidate):
                return candidate
        raise ValueError(f"{day} 之后 {MAX_SEARCH_DAYS} 日内没有工作日，请检查日历调整数据")

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


def warm_up(today: date) -> None:
    """Load the holiday rules of ``today``'s year and the next.

    The library imports its country data on first use: ~0.2 s that would otherwise fall on the
    first deadline a worker counts.
    """
    holidays_lib.China(years=[today.year, today.year + 1])
