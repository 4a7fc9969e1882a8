# ruff: noqa: E501  (a table: one case a line reads better than wrapped)
"""Every clock kind of REGULATION.md §1.9 on default settings, against the 2026 arrangement.

Written by hand from the rules (民法典 Arts. 201–203 as §1.9's calendar notes read them: start
the next day; a calendar-day period ending on any rest day ends on the first working day after
it; a make-up working day is a working day and never rolls; extensions and excluded hearing days
lengthen the period and the roll-over applies once at its end) and the State Council's 2026
holiday notice:

    元旦 01-01..01-03 (01-04 Sun worked)      春节 02-15..02-23 (02-14 Sat, 02-28 Sat worked)
    清明 04-04..04-06                         劳动节 05-01..05-05 (05-09 Sat worked)
    端午 06-19..06-21                         中秋 09-25..09-27 (09-20 Sun worked)
    国庆 10-01..10-07 (10-10 Sat worked)

Each case gives the clock kind, the event day, an extension or a paused span, the due date
worked out by hand and the words of the explanation that name the day that decided it.
Pure functions: no application, no database.
"""

from __future__ import annotations

from datetime import date

import pytest

from core.cases.clocks import clocks
from core.cases.clocks.calendar import WorkCalendar

D = date
ROLL = "（民法典第203条第1款；设置 MINSHENG_PERIOD_ROLL_OVER=rest_day，默认）"


def _case(kind, start, due, *needles, ext=0, paused=(), fixed=None, id=None):
    return pytest.param(kind, start, due, needles, ext, paused, fixed, id=id)


CASES = [
    # --- 15-day disposition / acceptance across 元旦 and its Sunday make-up day ------------
    _case("disposition", D(2025, 12, 17), D(2026, 1, 4), "期间最后一日 2026-01-01 是元旦（法定节假日，星期四）",
          "元旦 2026-01-01 至 2026-01-03（法定节假日）", "顺延至 2026-01-04（星期日，元旦调休上班日，是工作日）", id="1-yuandan-first-day"),
    _case("disposition", D(2025, 12, 19), D(2026, 1, 4), "2026-01-03 是元旦假期中的星期六", "元旦调休上班日", ROLL, id="2-yuandan-saturday"),
    _case("disposition", D(2025, 12, 20), D(2026, 1, 4), "期间最后一日 2026-01-04 是调休上班日（星期日，元旦调休，工作日），是工作日，不顺延", id="3-ends-on-yuandan-makeup"),
    _case("acceptance", D(2025, 12, 18), D(2026, 1, 4), "2026-01-02 是元旦（法定节假日，星期五）", "顺延至 2026-01-04", id="4-acceptance-yuandan"),
    # --- 春节 and its two Saturday make-up days -----------------------------------------------
    _case("disposition", D(2026, 1, 30), D(2026, 2, 14), "2026-02-14 是调休上班日（星期六，春节调休，工作日），是工作日，不顺延", id="5-ends-on-feb14-makeup"),
    _case("disposition", D(2026, 1, 31), D(2026, 2, 24), "2026-02-15 是春节假期中的星期日", "春节 2026-02-15 至 2026-02-23（法定节假日）", "顺延至 2026-02-24（星期二）", id="6-spring-festival-first-day"),
    _case("disposition", D(2026, 2, 8), D(2026, 2, 24), "2026-02-23 是春节（法定节假日，星期一）", "顺延至 2026-02-24", id="7-spring-festival-last-day"),
    _case("acceptance", D(2026, 2, 13), D(2026, 2, 28), "2026-02-28 是调休上班日（星期六，春节调休，工作日）", "不顺延", id="8-ends-on-feb28-makeup"),
    _case("disposition", D(2026, 2, 14), D(2026, 3, 2), "起算日 2026-02-14 是调休上班日", "2026-03-01 是星期日（休息日）", "顺延至 2026-03-02（星期一）", id="9-starts-on-makeup"),
    _case("disposition", D(2026, 2, 15), D(2026, 3, 2), "起算日 2026-02-15 是春节假期中的星期日（法定节假日），仍从次日起算（设置 MINSHENG_RECEIVED_ON_REST_DAY 未开启，默认）", "15 个自然日 → 2026-03-02", id="10-starts-on-spring-festival"),
    # --- 清明, 劳动节, 端午 -----------------------------------------------------------------------
    _case("disposition", D(2026, 3, 20), D(2026, 4, 7), "2026-04-04 是清明节假期中的星期六", "清明节 2026-04-04 至 2026-04-06（法定节假日）", "顺延至 2026-04-07", id="11-qingming-saturday"),
    _case("acceptance", D(2026, 3, 22), D(2026, 4, 7), "2026-04-06 是清明节（法定节假日，星期一）", "顺延至 2026-04-07", id="12-qingming-monday"),
    _case("disposition", D(2026, 4, 16), D(2026, 5, 6), "2026-05-01 是劳动节（法定节假日，星期五）", "劳动节 2026-05-01 至 2026-05-05（法定节假日）", "顺延至 2026-05-06（星期三）", id="13-labour-day-first"),
    _case("disposition", D(2026, 4, 20), D(2026, 5, 6), "2026-05-05 是劳动节（法定节假日，星期二）", "顺延至 2026-05-06", id="14-labour-day-last"),
    _case("disposition", D(2026, 4, 24), D(2026, 5, 9), "2026-05-09 是调休上班日（星期六，劳动节调休，工作日），是工作日，不顺延", id="15-ends-on-may9-makeup"),
    _case("acceptance", D(2026, 6, 4), D(2026, 6, 22), "2026-06-19 是端午节（法定节假日，星期五）", "端午节 2026-06-19 至 2026-06-21（法定节假日）", "顺延至 2026-06-22", id="16-dragon-boat-friday"),
    _case("disposition", D(2026, 6, 6), D(2026, 6, 22), "2026-06-21 是端午节假期中的星期日", "顺延至 2026-06-22（星期一）", id="17-dragon-boat-sunday"),
    # --- 中秋, 国庆 and their make-up days ----------------------------------------------------
    _case("disposition", D(2026, 9, 5), D(2026, 9, 20), "起算日 2026-09-05 是星期六（休息日），仍从次日起算", "2026-09-20 是调休上班日（星期日，国庆节调休，工作日），是工作日，不顺延", id="18-weekend-start-ends-on-sep20-makeup"),
    _case("disposition", D(2026, 9, 10), D(2026, 9, 28), "2026-09-25 是中秋节（法定节假日，星期五）", "中秋节 2026-09-25 至 2026-09-27（法定节假日）", "顺延至 2026-09-28", id="19-mid-autumn-friday"),
    _case("disposition", D(2026, 9, 12), D(2026, 9, 28), "2026-09-27 是中秋节假期中的星期日", "顺延至 2026-09-28", id="20-mid-autumn-sunday"),
    _case("disposition", D(2026, 9, 16), D(2026, 10, 8), "2026-10-01 是国庆节（法定节假日，星期四）", "国庆节 2026-10-01 至 2026-10-07（法定节假日）", "顺延至 2026-10-08（星期四）", id="21-national-day-first"),
    _case("acceptance", D(2026, 9, 22), D(2026, 10, 8), "2026-10-07 是国庆节（法定节假日，星期三）", "国庆节 2026-10-07（法定节假日）", "顺延至 2026-10-08", id="22-national-day-last"),
    _case("disposition", D(2026, 9, 25), D(2026, 10, 10), "起算日 2026-09-25 是中秋节", "2026-10-10 是调休上班日（星期六，国庆节调休，工作日），是工作日，不顺延", id="23-starts-mid-autumn-ends-oct10-makeup"),
    _case("disposition", D(2026, 10, 1), D(2026, 10, 16), "起算日 2026-10-01 是国庆节", "15 个自然日 → 2026-10-16", id="24-starts-on-national-day"),
    # --- ordinary weekends (the default rolls them too) ---------------------------------------
    _case("disposition", D(2026, 11, 6), D(2026, 11, 23), "2026-11-21 是星期六（休息日）", "2026-11-21 星期六（休息日）、2026-11-22 星期日（休息日）", "顺延至 2026-11-23（星期一）", ROLL, id="25-ordinary-saturday"),
    _case("disposition", D(2026, 11, 7), D(2026, 11, 23), "2026-11-22 是星期日（休息日）", "顺延至 2026-11-23", id="26-ordinary-sunday"),
    # --- month ends and year ends -------------------------------------------------------------
    _case("disposition", D(2026, 1, 16), D(2026, 2, 2), "2026-01-31 是星期六（休息日）", "顺延至 2026-02-02", id="27-month-end-saturday"),
    _case("acceptance", D(2026, 3, 16), D(2026, 3, 31), "15 个自然日 → 2026-03-31", "期限至 2026-03-31 24:00 届满", id="28-month-end-weekday"),
    _case("review", D(2026, 1, 29), D(2026, 2, 28), "30 个自然日 → 2026-02-28", "2026-02-28 是调休上班日", id="29-february-end-makeup"),
    _case("disposition", D(2026, 12, 16), D(2026, 12, 31), "15 个自然日 → 2026-12-31", "期限至 2026-12-31 24:00 届满", id="30-year-end-weekday"),
    _case("disposition", D(2026, 12, 17), D(2027, 1, 4), "2027-01-01 是元旦（法定节假日，星期五）", "顺延至 2027-01-04", "2027 年节假日安排尚未公布", id="31-into-2027-provisional"),
    _case("acceptance", D(2026, 12, 15), D(2026, 12, 30), "15 个自然日 → 2026-12-30", id="32-year-end-wednesday"),
    # --- handling 60 days, extension 30, roll-over once at the end ----------------------------
    _case("handling", D(2026, 8, 2), D(2026, 10, 8), "60 个自然日 → 2026-10-01", "顺延至 2026-10-08", id="33-handling-national-day"),
    _case("handling", D(2026, 7, 3), D(2026, 9, 1), "60 个自然日 → 2026-09-01", id="34-handling-plain"),
    _case("handling", D(2026, 7, 3), D(2026, 10, 8), "期限 60 日 + 延长 30 日 = 90 个自然日", "90 个自然日 → 2026-10-01", "顺延至 2026-10-08", ext=30, id="35-extended-to-national-day"),
    _case("handling", D(2026, 8, 2), D(2026, 11, 2), "90 个自然日 → 2026-10-31", "2026-10-31 是星期六（休息日）", "顺延至 2026-11-02", ext=30, id="36-extension-rolls-once-at-its-end"),
    _case("handling", D(2026, 7, 12), D(2026, 10, 10), "90 个自然日 → 2026-10-10", "2026-10-10 是调休上班日", "不顺延", ext=30, id="37-extended-ends-on-makeup"),
    _case("handling", D(2026, 3, 21), D(2026, 6, 22), "90 个自然日 → 2026-06-19", "端午节 2026-06-19 至 2026-06-21", ext=30, id="38-extended-to-dragon-boat"),
    _case("handling", D(2026, 2, 1), D(2026, 4, 17), "期限 60 日 + 延长 15 日 = 75 个自然日", "75 个自然日 → 2026-04-17", ext=15, id="39-partial-extension"),
    _case("handling", D(2026, 3, 2), D(2026, 5, 11), "调解期间 2026-03-10 至 2026-03-19 共 10 日不计入期限", "60 个自然日 + 不计入的 10 日 → 2026-05-11", paused=((D(2026, 3, 10), D(2026, 3, 19), "调解"),), id="40-mediation-pause"),
    _case("handling", D(2026, 12, 1), D(2027, 2, 1), "2027-01-30 是星期六（休息日）", "顺延至 2027-02-01", "2027 年节假日安排尚未公布", id="41-handling-into-2027"),
    # --- review, re-review, windows -----------------------------------------------------------
    _case("review", D(2026, 3, 5), D(2026, 4, 7), "2026-04-04 是清明节假期中的星期六", "顺延至 2026-04-07", id="42-review-qingming"),
    _case("review", D(2026, 4, 1), D(2026, 5, 6), "2026-05-01 是劳动节", "顺延至 2026-05-06", id="43-review-labour-day"),
    _case("review", D(2026, 12, 1), D(2026, 12, 31), "30 个自然日 → 2026-12-31", id="44-review-year-end"),
    _case("review", D(2026, 1, 4), D(2026, 2, 3), "起算日 2026-01-04 是调休上班日", "30 个自然日 → 2026-02-03", id="45-review-starts-on-makeup"),
    _case("reexam", D(2026, 8, 20), D(2026, 9, 28), "听证期间 2026-09-01 至 2026-09-07 共 7 日不计入期限", "→ 2026-09-26", "2026-09-26 是中秋节假期中的星期六", "顺延至 2026-09-28", paused=((D(2026, 9, 1), D(2026, 9, 7), "听证"),), id="46-hearing-pushes-into-mid-autumn"),
    _case("reexam", D(2026, 11, 2), D(2026, 12, 14), "听证期间 2026-11-20 至 2026-11-30 共 11 日不计入期限", "2026-12-13 是星期日（休息日）", "顺延至 2026-12-14", paused=((D(2026, 11, 20), D(2026, 11, 30), "听证"),), id="47-hearing-then-sunday"),
    _case("reexam", D(2026, 6, 1), D(2026, 7, 6), "听证期间 2026-05-25 至 2026-06-05 共 4 日不计入期限", "2026-07-05 是星期日（休息日）", "顺延至 2026-07-06", paused=((D(2026, 5, 25), D(2026, 6, 5), "听证"),), id="48-hearing-begun-before-the-period"),
    _case("reexam", D(2026, 6, 1), D(2026, 7, 1), "听证期间 2026-08-01 至 2026-08-03 不在期限计算范围内，未扣除", "30 个自然日 → 2026-07-01", paused=((D(2026, 8, 1), D(2026, 8, 3), "听证"),), id="49-hearing-after-the-period"),
    _case("review_window", D(2026, 9, 4), D(2026, 10, 8), "2026-10-04 是国庆节假期中的星期日", "顺延至 2026-10-08", id="50-review-window-national-day"),
    _case("review_window", D(2026, 8, 27), D(2026, 9, 28), "2026-09-26 是中秋节假期中的星期六", "顺延至 2026-09-28", id="51-review-window-mid-autumn"),
    _case("reexam_window", D(2025, 12, 4), D(2026, 1, 4), "2026-01-03 是元旦假期中的星期六", "顺延至 2026-01-04（星期日，元旦调休上班日，是工作日）", id="52-reexam-window-yuandan"),
    # --- the 5-working-day objection: make-up days count, holidays and weekends do not ------
    _case("objection", D(2026, 9, 29), D(2026, 10, 12), "国庆节 2026-10-01 至 2026-10-07 为法定节假日，不计入", "2026-10-10 是调休上班日（星期六，国庆节调休，工作日），计为工作日", "其间休息日 2026-10-11 星期日 不计入", id="53-objection-national-day"),
    _case("objection", D(2026, 12, 31), D(2027, 1, 8), "元旦 2027-01-01 为法定节假日，不计入", "其间休息日 2027-01-02 星期六、2027-01-03 星期日 不计入", "2027 年节假日安排尚未公布", id="54-objection-into-2027"),
    _case("objection", D(2026, 2, 12), D(2026, 2, 26), "2026-02-14 是调休上班日（星期六，春节调休，工作日），计为工作日", "春节 2026-02-15 至 2026-02-23 为法定节假日", id="55-objection-spring-festival"),
    _case("objection", D(2025, 12, 29), D(2026, 1, 6), "元旦 2026-01-01 至 2026-01-03 为法定节假日", "2026-01-04 是调休上班日（星期日，元旦调休，工作日），计为工作日", id="56-objection-yuandan"),
    _case("objection", D(2026, 4, 29), D(2026, 5, 9), "劳动节 2026-05-01 至 2026-05-05 为法定节假日", "2026-05-09 是调休上班日（星期六，劳动节调休，工作日），计为工作日", id="57-objection-ends-on-may9-makeup"),
    _case("objection", D(2026, 10, 3), D(2026, 10, 13), "起算日 2026-10-03 是国庆节", "2026-10-10 是调休上班日", "→ 2026-10-13", id="58-objection-starts-on-holiday"),
    _case("objection", D(2026, 6, 17), D(2026, 6, 25), "端午节 2026-06-19 至 2026-06-21 为法定节假日", "→ 2026-06-25", id="59-objection-dragon-boat"),
    _case("objection", D(2026, 9, 24), D(2026, 10, 9), "中秋节 2026-09-25 至 2026-09-27、国庆节 2026-10-01 至 2026-10-07 为法定节假日", "→ 2026-10-09", id="60-objection-two-holidays"),
    _case("objection", D(2026, 4, 2), D(2026, 4, 10), "清明节 2026-04-04 至 2026-04-06 为法定节假日", "→ 2026-04-10", id="61-objection-qingming"),
    # --- the forwarding chain, 5/3/3/4 days by level (国信发〔2014〕16号) --------------------
    _case("chain_national", D(2026, 9, 26), D(2026, 10, 8), "5 个自然日 → 2026-10-01", "顺延至 2026-10-08", id="62-chain-national"),
    _case("chain_province", D(2026, 4, 1), D(2026, 4, 7), "3 个自然日 → 2026-04-04", "清明节 2026-04-04 至 2026-04-06", id="63-chain-province"),
    _case("chain_prefecture", D(2026, 2, 11), D(2026, 2, 14), "3 个自然日 → 2026-02-14", "2026-02-14 是调休上班日", "不顺延", id="64-chain-prefecture-makeup"),
    _case("chain_county", D(2026, 12, 28), D(2027, 1, 4), "4 个自然日 → 2027-01-01", "顺延至 2027-01-04", id="65-chain-county-into-2027"),
    _case("chain_county", D(2026, 11, 4), D(2026, 11, 9), "2026-11-08 是星期日（休息日）", "顺延至 2026-11-09", id="66-chain-county-sunday"),
    _case("chain_national", D(2026, 3, 2), D(2026, 3, 9), "2026-03-07 是星期六（休息日）", "顺延至 2026-03-09", id="67-chain-national-saturday"),
    # --- optional clocks at their default length ----------------------------------------------
    _case("proposal_feedback", D(2026, 5, 20), D(2026, 6, 22), "30 个自然日 → 2026-06-19", "端午节 2026-06-19 至 2026-06-21", id="68-proposal-feedback"),
    _case("outcome_notice", D(2026, 4, 30), D(2026, 5, 11), "劳动节 2026-05-01 至 2026-05-05 为法定节假日", "2026-05-09 是调休上班日", "→ 2026-05-11", id="69-outcome-notice"),
    # --- dates set by a document are not counted and not rolled, but the day is named ---------
    _case("higher_deadline", D(2026, 9, 1), D(2026, 10, 3), "上级机关来文规定的办理期限：2026-10-03（国庆节假期中的星期六（法定节假日），来文指定日期不顺延）", fixed=D(2026, 10, 3), id="70-higher-deadline-on-holiday"),
    _case("assignment", D(2026, 9, 1), D(2026, 10, 10), "交办单规定的办理期限：2026-10-10（调休上班日", fixed=D(2026, 10, 10), id="71-assignment-on-makeup"),
    _case("disposition", D(2026, 10, 10), D(2026, 10, 26), "起算日 2026-10-10 是调休上班日", "2026-10-25 是星期日（休息日）", "顺延至 2026-10-26", id="72-starts-on-oct10-makeup"),
    _case("acceptance", D(2026, 5, 4), D(2026, 5, 19), "起算日 2026-05-04 是劳动节", "15 个自然日 → 2026-05-19", id="73-starts-on-labour-day"),
]  # fmt: skip


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


def test_the_table_covers_every_clock_kind_and_at_least_sixty_cases():
    kinds = {case.values[0] for case in CASES}
    assert kinds == clocks.CORE_KINDS
    assert len(CASES) >= 60


@pytest.mark.parametrize(("kind", "start", "due", "needles", "ext", "paused", "fixed"), CASES)
def test_clock_on_default_settings(cal, kind, start, due, needles, ext, paused, fixed):
    clock = clocks.new_clock(kind, start, due=fixed, calendar=cal)
    if ext or paused:
        clock.extension_days = ext
        clock.paused = [[a.isoformat(), b.isoformat(), what] for a, b, what in paused]
        clocks.compute(clock, cal)
    assert clock.due == due
    assert clock.provisional is (due.year == 2027)
    for needle in needles:
        assert needle in clock.explanation
