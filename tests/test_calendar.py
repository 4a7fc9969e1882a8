"""Behaviour of the working-day calendar and the period computation (core.cases.clocks)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import chinese_calendar
import pytest

from core.cases.clocks.calendar import DayKind, WorkCalendar
from core.cases.clocks.periods import DueDate, compute_due, days_elapsed, is_within

PROVISIONAL_2027 = "2027 年节假日安排尚未公布，按周末和法定节日规则推算，为暂定日期"


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


def _weekend_workdays(year: int) -> list[date]:
    """Saturdays and Sundays chinese_calendar says are working days (调休上班日)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    return [d for d in chinese_calendar.get_workdays(first, last) if d.weekday() >= 5]


# --- the calendar itself ----------------------------------------------------------------


def test_2026_make_up_days_come_from_the_library_and_are_working_days(cal):
    makeup = _weekend_workdays(2026)
    # The real 2026 notice: these Saturdays/Sundays are worked.
    assert makeup == [
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    ]
    for day in makeup:
        info = cal.info(day)
        assert info.kind is DayKind.MAKEUP_WORKDAY
        assert cal.is_workday(day) and not cal.is_rest_day(day)
        assert info.source == "official:chinese-calendar" and not info.provisional
    assert cal.info(date(2026, 10, 10)).name == "国庆节"


def test_2026_day_kinds(cal):
    national_day = cal.info(date(2026, 10, 1))
    assert national_day.kind is DayKind.HOLIDAY and national_day.name == "国庆节"
    # A Sunday inside the holiday block is a holiday, not an ordinary weekend.
    assert cal.info(date(2026, 10, 4)).kind is DayKind.HOLIDAY
    # A weekday day off bridging the holiday (调休放假) is a holiday too.
    assert cal.is_statutory_holiday(date(2026, 10, 7))
    saturday = cal.info(date(2026, 11, 21))
    assert saturday.kind is DayKind.WEEKEND and saturday.name is None
    assert cal.is_rest_day(date(2026, 11, 21)) and not cal.is_statutory_holiday(date(2026, 11, 21))
    assert cal.info(date(2026, 11, 23)).kind is DayKind.WORKDAY


def test_years_without_official_data_are_provisional_and_do_not_crash(cal):
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 1, 4))  # the reason this module exists
    monday = cal.info(date(2027, 1, 4))
    assert monday.kind is DayKind.WORKDAY and monday.provisional and monday.source == "weekend"
    national_day = cal.info(date(2027, 10, 1))
    assert national_day.kind is DayKind.HOLIDAY and national_day.name == "国庆节"
    assert national_day.source == "rule:holidays" and national_day.provisional
    # Before the library's first year as well.
    assert cal.info(date(1999, 10, 1)).kind is DayKind.HOLIDAY
    assert cal.info(date(1999, 10, 1)).provisional
    assert cal.info(datetime(2030, 5, 1, 9, 30)).kind is DayKind.HOLIDAY


def test_coverage_is_detected_from_the_library_not_hard_coded(monkeypatch):
    real = chinese_calendar.get_holiday_detail

    def without_2026(day):
        if day.year == 2026:
            raise NotImplementedError("no data")
        return real(day)

    monkeypatch.setattr(chinese_calendar, "get_holiday_detail", without_2026)
    cal = WorkCalendar()
    assert cal.info(date(2025, 10, 1)).source == "official:chinese-calendar"
    info = cal.info(date(2026, 10, 1))
    assert info.provisional and info.source == "rule:holidays"
    # holidays.China lists 2026's bridging days off, so its make-up days are kept with them
    # (for 2027 it has neither).
    assert cal.info(date(2026, 10, 7)).kind is DayKind.HOLIDAY
    makeup = cal.info(date(2026, 10, 10))
    assert makeup.kind is DayKind.MAKEUP_WORKDAY and makeup.source == "rule:holidays"
    assert not any(cal.info(d).kind is DayKind.MAKEUP_WORKDAY for d in _all_days(2027))


def _all_days(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(n) for n in range((date(year, 12, 31) - first).days + 1)]


# --- calendar-day periods -----------------------------------------------------------------


def test_15_day_period_ending_on_national_day_rolls_to_next_working_day(cal):
    result = compute_due(cal, date(2026, 9, 16), 15, "calendar")
    assert result.due == date(2026, 10, 8)
    assert chinese_calendar.is_workday(date(2026, 10, 8))
    assert not result.provisional
    text = result.explain()
    assert "起算日 2026-09-16 次日开始计算（民法典第201条）" in text
    assert "15 个自然日 → 2026-10-01" in text
    assert "2026-10-01 是国庆节（法定节假日，星期四），顺延至 2026-10-08（星期四）" in text
    assert "国庆节 2026-10-01 至 2026-10-07（法定节假日）" in text
    assert "民法典第203条第1款；设置 MINSHENG_PERIOD_ROLL_OVER=rest_day，默认" in text


def test_period_ending_on_a_make_up_day_does_not_move(cal):
    # 2026-09-25 + 15 = 2026-10-10, a Saturday that is worked.
    for roll_over in ("holiday", "rest_day"):
        result = compute_due(cal, date(2026, 9, 25), 15, "calendar", roll_over=roll_over)
        assert result.due == date(2026, 10, 10)
        assert "调休上班日" in result.explain()


def test_rest_day_roll_over_differs_from_holiday_on_an_ordinary_saturday(cal):
    start = date(2026, 11, 6)  # + 15 = Saturday 2026-11-21
    holiday = compute_due(cal, start, 15, "calendar", roll_over="holiday")
    assert holiday.due == date(2026, 11, 21)
    assert "不是法定节假日，按设置 MINSHENG_PERIOD_ROLL_OVER=holiday不顺延" in holiday.explain()
    # The default (民法典第203条 as courts read it) rolls an ordinary weekend too.
    assert compute_due(cal, start, 15, "calendar").due == date(2026, 11, 23)
    assert compute_due(cal, start, 15, "calendar", roll_over="none").due == date(2026, 11, 21)
    rest = compute_due(cal, start, 15, "calendar", roll_over="rest_day")
    assert rest.due == date(2026, 11, 23)
    assert "星期六" in rest.explain() and "顺延至 2026-11-23" in rest.explain()


def test_roll_over_none_keeps_a_holiday_end(cal):
    result = compute_due(cal, date(2026, 9, 16), 15, "calendar", roll_over="none")
    assert result.due == date(2026, 10, 1)
    assert "不顺延" in result.explain()


def test_received_on_a_holiday_counts_from_next_working_day_only_when_set(cal):
    received = date(2026, 10, 3)
    # Day 15 is Sunday 2026-10-18: the default rolls it to Monday.
    assert compute_due(cal, received, 15, "calendar").due == date(2026, 10, 19)
    moved = compute_due(cal, received, 15, "calendar", received_rule=True)
    assert moved.due == date(2026, 10, 23)  # counted from 2026-10-08
    assert "按设置 MINSHENG_RECEIVED_ON_REST_DAY=1 视为其后第一个工作日 2026-10-08 收到" in (
        moved.explain()
    )
    # A working-day receipt is not moved by the setting.
    assert (
        compute_due(cal, date(2026, 11, 2), 15, "calendar", received_rule=True).due
        == compute_due(cal, date(2026, 11, 2), 15, "calendar").due
    )


def test_60_day_handling_period_plus_30_day_extension(cal):
    start = date(2026, 7, 3)
    extended = compute_due(cal, start, 60, "calendar", extension_days=30)
    assert extended.due == date(2026, 10, 8)  # day 90 is 2026-10-01, National Day
    assert extended.due == compute_due(cal, start, 90, "calendar").due
    assert "期限 60 日 + 延长 30 日 = 90 个自然日" in extended.explain()


def test_roll_over_applies_once_to_the_end_of_the_extended_period(cal):
    start = date(2026, 8, 2)
    # The unextended 60-day period ends on National Day and would roll over...
    assert compute_due(cal, start, 60, "calendar").due == date(2026, 10, 8)
    # ...but the extension lengthens the period itself: day 90 is Saturday 2026-10-31, which
    # rolls once to Monday 2026-11-02 — not "2026-10-08 + 30".
    assert compute_due(cal, start, 60, "calendar", extension_days=30).due == date(2026, 11, 2)


def test_30_day_re_review_with_5_day_hearing_excluded(cal):
    start = date(2026, 12, 20)
    hearing = (date(2027, 1, 5), date(2027, 1, 9))
    plain = compute_due(cal, start, 30, "calendar")
    assert plain.due == date(2027, 1, 19)
    result = compute_due(cal, start, 30, "calendar", paused=[hearing])
    assert result.due == date(2027, 1, 25)  # day 35 is Sunday 2027-01-24
    assert "听证期间 2027-01-05 至 2027-01-09 共 5 日不计入期限" in result.steps


def test_paused_days_outside_the_period_do_not_count(cal):
    start = date(2026, 12, 20)
    before = (date(2026, 12, 1), date(2026, 12, 3))
    after = (date(2027, 3, 1), date(2027, 3, 5))
    result = compute_due(cal, start, 30, "calendar", paused=[before, after])
    assert result.due == date(2027, 1, 19)
    # Straddling the start: only the days after the event day are excluded.
    straddle = compute_due(
        cal, start, 30, "calendar", paused=[(date(2026, 12, 18), date(2026, 12, 22))]
    )
    assert straddle.due == date(2027, 1, 21)
    assert "共 2 日不计入期限" in straddle.explain()


def test_overlapping_paused_intervals_are_not_counted_twice(cal):
    start = date(2026, 12, 20)
    paused = [(date(2027, 1, 5), date(2027, 1, 9)), (date(2027, 1, 8), date(2027, 1, 10))]
    result = compute_due(cal, start, 30, "calendar", paused=paused)
    assert result.due == date(2027, 1, 25)
    assert "听证期间 2027-01-05 至 2027-01-10 共 6 日不计入期限" in result.steps


def test_a_named_pause_is_explained_by_its_name_and_merged_ones_by_both(cal):
    start = date(2026, 12, 20)
    paused = [
        (date(2027, 1, 5), date(2027, 1, 7), "调解"),
        (date(2027, 1, 8), date(2027, 1, 10), "听证"),
        (date(2027, 1, 15), date(2027, 1, 15), "调解"),
    ]
    result = compute_due(cal, start, 30, "calendar", paused=paused)
    assert result.due == date(2027, 1, 26)
    assert "调解、听证期间 2027-01-05 至 2027-01-10 共 6 日不计入期限" in result.steps
    assert "调解期间 2027-01-15 至 2027-01-15 共 1 日不计入期限" in result.steps


def test_hearing_that_outlasts_the_original_end_excludes_all_its_days(cal):
    start = date(2026, 12, 20)  # would end 2027-01-19
    result = compute_due(
        cal, start, 30, "calendar", paused=[(date(2027, 1, 17), date(2027, 1, 30))]
    )
    # 27 days run to 2027-01-16, the 14 hearing days are skipped, 3 more days follow.
    assert result.due == date(2027, 2, 2)


# --- working-day periods ------------------------------------------------------------------


def test_5_working_day_objection_period_across_mid_autumn_and_national_day(cal):
    start = date(2026, 9, 23)
    # Working days after the start: 09-24, 09-28, 09-29, 09-30, 10-08 (09-25..27 and
    # 10-01..07 are holidays).
    result = compute_due(cal, start, 5, "working")
    assert result.due == date(2026, 10, 8)
    sixth = date(2026, 10, 9)
    assert is_within(cal, start, 5, "working", result.due)
    assert not is_within(cal, start, 5, "working", sixth)
    assert days_elapsed(cal, start, sixth, "working") == 6
    assert "国庆节 2026-10-01 至 2026-10-07" in result.explain()


def test_make_up_day_counts_as_a_working_day(cal):
    makeup = date(2026, 10, 10)
    assert makeup in _weekend_workdays(2026) and makeup.weekday() == 5
    # The day after Friday 2026-10-09 that counts is the Saturday worked.
    assert compute_due(cal, date(2026, 10, 9), 1, "working").due == makeup
    # 5 working days from 2026-09-29: 09-30, 10-08, 10-09, 10-10 (Saturday), 10-12.
    result = compute_due(cal, date(2026, 9, 29), 5, "working")
    assert result.due == date(2026, 10, 12)
    assert "2026-10-10 是调休上班日" in result.explain()


def test_working_day_period_with_paused_working_days(cal):
    start = date(2026, 11, 2)  # Monday
    assert compute_due(cal, start, 5, "working").due == date(2026, 11, 9)
    # Pausing Tue–Wed removes two working days; the weekend inside the pause is not counted.
    paused = [(date(2026, 11, 3), date(2026, 11, 4))]
    result = compute_due(cal, start, 5, "working", paused=paused)
    assert result.due == date(2026, 11, 11)
    assert "共 2 个工作日不计入期限" in result.explain()


# --- provisional years and administrator data ---------------------------------------------


def test_period_ending_in_2027_is_provisional_and_says_so(cal):
    result = compute_due(cal, date(2026, 11, 20), 60, "calendar")
    assert result.due == date(2027, 1, 19)
    assert result.provisional
    assert PROVISIONAL_2027 in result.steps


def test_rule_based_2027_holiday_rolls_over(cal):
    # 2027-01-06 + 30 = 2027-02-05 (除夕); the rule-based Spring Festival runs to 02-10.
    result = compute_due(cal, date(2027, 1, 6), 30, "calendar")
    assert result.due == date(2027, 2, 11)
    assert result.provisional
    assert "顺延至 2027-02-11" in result.explain()


def test_period_inside_official_data_is_not_provisional_even_near_the_edge(cal):
    result = compute_due(cal, date(2026, 12, 1), 30, "calendar")
    assert result.due == date(2026, 12, 31)
    assert not result.provisional
    assert "暂定" not in result.explain()


def test_overrides_change_the_due_date():
    start_calendar = date(2026, 11, 20)  # + 60 = Tuesday 2027-01-19
    start_working = date(2027, 1, 13)  # Wednesday
    plain = WorkCalendar()
    assert compute_due(plain, start_calendar, 60, "calendar").due == date(2027, 1, 19)
    assert compute_due(plain, start_working, 5, "working").due == date(2027, 1, 20)

    overridden = WorkCalendar(
        overrides={
            date(2027, 1, 19): (DayKind.HOLIDAY, "测试假日"),
            date(2027, 1, 16): (DayKind.MAKEUP_WORKDAY, "测试调休"),
        }
    )
    info = overridden.info(date(2027, 1, 16))
    assert info.kind is DayKind.MAKEUP_WORKDAY
    assert info.source == "override" and not info.provisional
    rolled = compute_due(overridden, start_calendar, 60, "calendar")
    assert rolled.due == date(2027, 1, 20)
    assert "测试假日" in rolled.explain()
    # 4 working days: 01-14, 01-15, 01-18, 01-19 without the override; with it the worked
    # Saturday 01-16 counts, so the 4th is 01-18.
    assert compute_due(plain, start_working, 4, "working").due == date(2027, 1, 19)
    assert compute_due(overridden, start_working, 4, "working").due == date(2027, 1, 18)
    # The holiday override alone: 5 working days are 01-14, 01-15, 01-18, 01-20, 01-21
    # instead of ending on 01-20.
    holiday_only = WorkCalendar(overrides={date(2027, 1, 19): (DayKind.HOLIDAY, "测试假日")})
    assert compute_due(plain, start_working, 5, "working").due == date(2027, 1, 20)
    assert compute_due(holiday_only, start_working, 5, "working").due == date(2027, 1, 21)
    # The rest of 2027 is still rule-based.
    assert rolled.provisional


def test_overrides_win_over_official_data():
    cal = WorkCalendar(overrides={date(2026, 10, 8): (DayKind.HOLIDAY, "临时调整")})
    assert compute_due(cal, date(2026, 9, 16), 15, "calendar").due == date(2026, 10, 9)


def test_imported_official_year_is_not_provisional():
    # An administrator imported the (fictional, for the test) 2027 notice.
    cal = WorkCalendar(
        overrides={
            date(2027, 1, 1): (DayKind.HOLIDAY, "元旦"),
            date(2027, 1, 19): (DayKind.HOLIDAY, "测试假日"),
        },
        official_years={2027},
    )
    result = compute_due(cal, date(2026, 11, 20), 60, "calendar")
    assert result.due == date(2027, 1, 20)
    assert not result.provisional
    assert not any("暂定" in step for step in result.steps)
    # The import is the whole truth for the year: a rule-based holiday it lacks is a workday.
    national_day = cal.info(date(2027, 10, 1))
    assert national_day.kind is DayKind.WORKDAY and not national_day.provisional


# --- elapsed days and windows -------------------------------------------------------------


def test_days_elapsed_day_30_versus_day_31_of_review_window(cal):
    reply_received = date(2026, 3, 2)
    day_30, day_31 = date(2026, 4, 1), date(2026, 4, 2)
    assert days_elapsed(cal, reply_received, day_30, "calendar") == 30
    assert days_elapsed(cal, reply_received, day_31, "calendar") == 31
    assert days_elapsed(cal, reply_received, reply_received, "calendar") == 0
    assert is_within(cal, reply_received, 30, "calendar", day_30)
    assert not is_within(cal, reply_received, 30, "calendar", day_31)


def test_day_31_is_still_in_time_when_day_30_is_a_holiday(cal):
    reply_received = date(2026, 9, 1)  # day 30 is 2026-10-01
    assert days_elapsed(cal, reply_received, date(2026, 10, 2), "calendar") == 31
    assert is_within(cal, reply_received, 30, "calendar", date(2026, 10, 8))
    assert not is_within(cal, reply_received, 30, "calendar", date(2026, 10, 9))
    assert not is_within(cal, reply_received, 30, "calendar", date(2026, 10, 2), roll_over="none")


def test_days_elapsed_skips_paused_days(cal):
    hearing = [(date(2027, 1, 5), date(2027, 1, 9))]
    start = date(2026, 12, 20)
    assert days_elapsed(cal, start, date(2027, 1, 24), "calendar", paused=hearing) == 30
    assert is_within(cal, start, 30, "calendar", date(2027, 1, 24), paused=hearing)


# --- explanations and input checks --------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "unit", "kw"),
    [
        (date(2026, 9, 16), 15, "calendar", {}),
        (date(2026, 9, 23), 5, "working", {}),
        (date(2026, 7, 3), 60, "calendar", {"extension_days": 30}),
        (date(2026, 12, 20), 30, "calendar", {"paused": [(date(2027, 1, 5), date(2027, 1, 9))]}),
        (date(2026, 11, 6), 15, "calendar", {"roll_over": "rest_day"}),
        (date(2003, 9, 1), 5, "working", {}),
    ],
)
def test_every_due_date_explains_itself(cal, start, days, unit, kw):
    result = compute_due(cal, start, days, unit, **kw)
    assert isinstance(result, DueDate)
    assert len(result.steps) >= 3 and all(result.steps)
    assert result.steps[0].startswith(f"起算日 {start}")
    assert result.steps[-1] == f"期限至 {result.due} 24:00 届满（民法典第203条）"
    assert result.explain() == "\n".join(result.steps)


def test_provisional_step_for_a_year_before_the_library_data(cal):
    result = compute_due(cal, date(2003, 9, 1), 5, "working")
    assert result.provisional
    assert "2003 年无官方节假日数据，按周末和法定节日规则推算，为暂定日期" in result.steps


def test_datetime_start_is_taken_as_its_date(cal):
    at = datetime(2026, 9, 16, 23, 59)
    assert compute_due(cal, at, 15, "calendar").due == date(2026, 10, 8)


@pytest.mark.parametrize(
    "kw",
    [
        {"days": 0, "unit": "calendar"},
        {"days": 15, "unit": "months"},
        {"days": 15, "unit": "calendar", "roll_over": "weekend"},
        {"days": 15, "unit": "calendar", "extension_days": -1},
        {"days": 15, "unit": "calendar", "paused": [(date(2026, 1, 9), date(2026, 1, 5))]},
    ],
)
def test_invalid_input_is_rejected(cal, kw):
    with pytest.raises(ValueError):
        compute_due(cal, date(2026, 1, 1), **kw)


def test_long_runs_through_several_years_do_not_crash(cal):
    start = date(2026, 1, 1)
    for offset in range(0, 3 * 365, 17):
        result = compute_due(cal, start + timedelta(offset), 60, "working")
        assert cal.is_workday(result.due)
