"""Each deadline setting, switched: from the environment and TOML, and what it does to a date.

The settings are local practice (REGULATION.md §1.9, calendar notes); the defaults follow 民法典
Arts. 201–203. Each test shows the date and the explanation change with the setting. The
computation tests run on a bare Flask app (no database); the import tests on both backends.
"""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from sqlalchemy import select

from config.settings import load_settings
from core.audit import AuditEvent
from core.cases.clocks import calendar_admin, clocks
from core.cases.clocks.calendar import WorkCalendar
from core.cases.models import CalendarDay, CalendarYear, Clock
from core.extensions import db
from tests.cases_support import agency, register, step
from tests.plugin import csrf_token

CAL = WorkCalendar()


def _config(tmp_path, env: dict[str, str], toml: str = "") -> dict:
    env = {"MINSHENG_VAR_DIR": str(tmp_path), "MINSHENG_SECRET_KEY": "k", **env}
    if toml:
        path = tmp_path / "minsheng.toml"
        path.write_text(toml, encoding="utf-8")
        env["MINSHENG_CONFIG"] = str(path)
    return load_settings(env).flask_config()


def _clock(tmp_path, kind: str, start: date, env=None, toml: str = ""):
    app = Flask(__name__)
    app.config.update(_config(tmp_path, env or {}, toml))
    with app.app_context():
        return clocks.new_clock(kind, start, calendar=CAL)


# --- reading the settings -----------------------------------------------------------------


def test_defaults_follow_the_civil_code(tmp_path):
    config = _config(tmp_path, {})
    assert config["MINSHENG_PERIOD_ROLL_OVER"] == "rest_day"
    assert config["MINSHENG_RECEIVED_ON_REST_DAY"] is False
    assert config["MINSHENG_CLOCKS"] == {}


def test_settings_come_from_toml_and_the_environment_wins(tmp_path):
    toml = """
[deadlines]
roll_over = "holiday"
received_on_rest_day = true

[deadlines.clocks.outcome_notice]
enabled = true
days = 7
unit = "working"

[deadlines.clocks.chain_county]
days = 5
"""
    config = _config(tmp_path, {}, toml)
    assert config["MINSHENG_PERIOD_ROLL_OVER"] == "holiday"
    assert config["MINSHENG_RECEIVED_ON_REST_DAY"] is True
    assert config["MINSHENG_CLOCKS"]["outcome_notice"] == {
        "enabled": True,
        "days": 7,
        "unit": "working",
    }
    env = {
        "MINSHENG_PERIOD_ROLL_OVER": "none",
        "MINSHENG_RECEIVED_ON_REST_DAY": "0",
        "MINSHENG_CLOCK_OUTCOME_NOTICE": "off",
        "MINSHENG_CLOCK_CHAIN_COUNTY": "6 calendar",
    }
    config = _config(tmp_path, env, toml)
    assert config["MINSHENG_PERIOD_ROLL_OVER"] == "none"
    assert config["MINSHENG_RECEIVED_ON_REST_DAY"] is False
    assert config["MINSHENG_CLOCKS"]["outcome_notice"]["enabled"] is False
    assert config["MINSHENG_CLOCKS"]["chain_county"] == {
        "days": 6,
        "unit": "calendar",
        "enabled": True,
    }


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MINSHENG_PERIOD_ROLL_OVER": "weekend"}, "MINSHENG_PERIOD_ROLL_OVER"),
        ({"MINSHENG_RECEIVED_ON_REST_DAY": "maybe"}, "MINSHENG_RECEIVED_ON_REST_DAY"),
        ({"MINSHENG_CLOCK_OBJECTION": "five"}, "MINSHENG_CLOCK_OBJECTION"),
        ({"MINSHENG_CLOCK_OBJECTION": "5 weeks"}, "unit"),
        ({"MINSHENG_CLOCK_OBJECTION": "0"}, "positive"),
    ],
)
def test_a_bad_setting_stops_the_start_with_its_name(tmp_path, env, message):
    with pytest.raises(ValueError, match=message):
        _config(tmp_path, env)


# --- each setting switched: the date and the explanation change ---------------------------


def test_roll_over_setting(tmp_path):
    start = date(2026, 11, 6)  # day 15 is Saturday 2026-11-21
    default = _clock(tmp_path, "disposition", start)
    assert default.due == date(2026, 11, 23)
    assert "设置 MINSHENG_PERIOD_ROLL_OVER=rest_day，默认" in default.explanation
    holiday = _clock(tmp_path, "disposition", start, {"MINSHENG_PERIOD_ROLL_OVER": "holiday"})
    assert holiday.due == date(2026, 11, 21)
    assert "不是法定节假日，按设置 MINSHENG_PERIOD_ROLL_OVER=holiday不顺延" in holiday.explanation
    # On a statutory holiday the narrower setting still rolls, and says so.
    national = _clock(
        tmp_path, "disposition", date(2026, 9, 16), {"MINSHENG_PERIOD_ROLL_OVER": "holiday"}
    )
    assert national.due == date(2026, 10, 8)
    assert "设置 MINSHENG_PERIOD_ROLL_OVER=holiday）" in national.explanation
    none = _clock(tmp_path, "disposition", date(2026, 9, 16), {"MINSHENG_PERIOD_ROLL_OVER": "none"})
    assert none.due == date(2026, 10, 1)
    assert "国庆节（法定节假日，星期四），按设置 MINSHENG_PERIOD_ROLL_OVER=none不顺延" in (
        none.explanation
    )


def test_received_on_rest_day_setting(tmp_path):
    received = date(2026, 10, 3)  # 国庆节
    default = _clock(tmp_path, "disposition", received)
    assert default.due == date(2026, 10, 19)
    assert "仍从次日起算（设置 MINSHENG_RECEIVED_ON_REST_DAY 未开启，默认）" in default.explanation
    moved = _clock(tmp_path, "disposition", received, {"MINSHENG_RECEIVED_ON_REST_DAY": "1"})
    assert moved.due == date(2026, 10, 23)
    assert "按设置 MINSHENG_RECEIVED_ON_REST_DAY=1 视为其后第一个工作日 2026-10-08 收到" in (
        moved.explanation
    )
    # Handling counts from acceptance, not from a receipt: the setting leaves it alone.
    handling = _clock(tmp_path, "handling", received, {"MINSHENG_RECEIVED_ON_REST_DAY": "1"})
    assert handling.due == _clock(tmp_path, "handling", received).due


def test_clock_length_and_unit_setting(tmp_path):
    start = date(2026, 9, 29)
    default = _clock(tmp_path, "objection", start)
    assert (default.days, default.unit, default.due) == (5, "working", date(2026, 10, 12))
    assert "MINSHENG_CLOCK_OBJECTION" not in default.explanation
    local = _clock(tmp_path, "objection", start, {"MINSHENG_CLOCK_OBJECTION": "7 calendar"})
    assert (local.days, local.unit) == (7, "calendar")
    # Day 7 is 2026-10-06 (国庆节): it rolls to 2026-10-08.
    assert local.due == date(2026, 10, 8)
    assert "期限长度 7日 按设置 MINSHENG_CLOCK_OBJECTION（条例第23条第3款 默认 5个工作日）" in (
        local.explanation
    )
    # The county's share of the chain: 4 days from Monday 2026-11-02 end on Friday 11-06;
    # 5 end on Saturday 11-07, which rolls to Monday 11-09.
    start = date(2026, 11, 2)
    default = _clock(tmp_path, "chain_county", start)
    assert (default.days, default.due) == (4, date(2026, 11, 6))
    assert "MINSHENG_CLOCK_CHAIN_COUNTY" not in default.explanation
    chain = _clock(tmp_path, "chain_county", start, {"MINSHENG_CLOCK_CHAIN_COUNTY": "5"})
    assert (chain.days, chain.due) == (5, date(2026, 11, 9))
    assert "按设置 MINSHENG_CLOCK_CHAIN_COUNTY" in chain.explanation
    assert "2026-11-07 是星期六（休息日）" in chain.explanation


def test_optional_clocks_are_off_until_switched_on(tmp_path):
    app = Flask(__name__)
    app.config.update(_config(tmp_path, {}))
    with app.app_context():
        assert not clocks.enabled("proposal_feedback")
        assert not clocks.enabled("outcome_notice")
        assert clocks.enabled("chain_county")
    app.config.update(
        _config(
            tmp_path,
            {
                "MINSHENG_CLOCK_PROPOSAL_FEEDBACK": "on",
                "MINSHENG_CLOCK_OUTCOME_NOTICE": "5 working",
            },
        )
    )
    with app.app_context():
        assert clocks.enabled("proposal_feedback")
        assert clocks.enabled("outcome_notice")
        rows = {row["name"]: row for row in clocks.settings_table()}
        assert rows["MINSHENG_CLOCK_OUTCOME_NOTICE"]["value"] == "5个工作日"
        assert rows["MINSHENG_CLOCK_OUTCOME_NOTICE"]["default"] == "5个工作日（未启用）"


# --- calendar import: partial merges, whole replaces, both previewed ----------------------

NATIONAL_2027 = "\n".join(
    [*(f"2027-10-0{d},节假日,国庆节" for d in range(1, 8)), "2027-10-09,调休上班,国庆节"]
)
SPRING_2027 = "2027-02-06,节假日,春节\n2027-02-07,节假日,春节\n2027-02-20,调休上班,春节"


def _open_clock(matter_id: int, kind: str) -> Clock:
    return db.session.execute(
        select(Clock).where(Clock.matter_id == matter_id, Clock.kind == kind)
    ).scalar_one()


def test_partial_import_merges_and_whole_import_replaces(app):
    with app.app_context():
        # The handling clock of a matter accepted on 2027-08-05 ends on day 60, 2027-10-04.
        m = register(received_on=date(2026, 11, 19))
        step(m.id, "supervisor", "forward", on=date(2026, 11, 19), agency_id=agency("CJJ").id)
        step(m.id, "handler", "accept", on=date(2026, 11, 20))
        handling = _open_clock(m.id, "handling")
        assert handling.due == date(2027, 1, 19)
        calendar_admin.import_year(2027, SPRING_2027, "春节通知", whole=False)
        # A National Day notice alone: the spring lines stay, the year stays provisional.
        plan = calendar_admin.preview_import(2027, NATIONAL_2027, whole=False)
        assert (date(2027, 10, 9), "周末", "调休上班日 国庆节") in plan.days
        assert plan.moved == []
        assert (
            db.session.execute(select(CalendarDay.day).where(CalendarDay.name == "国庆节")).all()
            == []
        )
        calendar_admin.import_year(2027, NATIONAL_2027, "国庆通知", whole=False)
        names = db.session.execute(select(CalendarDay.name)).scalars().all()
        assert names.count("春节") == 3 and names.count("国庆节") == 8
        assert db.session.get(CalendarYear, 2027) is None
        # Importing a holiday again replaces its own lines only.
        calendar_admin.import_year(2027, "2027-10-08,节假日,国庆节", "更正", whole=False)
        names = db.session.execute(select(CalendarDay.name)).scalars().all()
        assert names.count("春节") == 3 and names.count("国庆节") == 1
        # A whole-year import that makes 2027-01-19 a holiday: previewed, then replaces all.
        whole = "2027-01-01,节假日,元旦\n2027-01-19,节假日,测试假日"
        plan = calendar_admin.preview_import(2027, whole, whole=True)
        assert plan.moved == [(m.id, "办理期限", date(2027, 1, 19), date(2027, 1, 20))]
        assert _open_clock(m.id, "handling").due == date(2027, 1, 19)  # the preview wrote nothing
        change = calendar_admin.import_year(2027, whole, "全年通知", whole=True)
        assert change.moved == [(m.id, "办理期限", date(2027, 1, 19), date(2027, 1, 20))]
        assert sorted(db.session.execute(select(CalendarDay.name)).scalars()) == [
            "元旦",
            "测试假日",
        ]
        assert db.session.get(CalendarYear, 2027).source == "全年通知"
        events = (
            db.session.execute(select(AuditEvent).where(AuditEvent.action == "calendar.change"))
            .scalars()
            .all()
        )
        assert [e.detail["whole"] for e in events] == [False, False, False, True]
        assert events[-1].detail["moved"][0]["after"] == "2027-01-20"


def test_calendar_page_previews_an_import_and_shows_the_settings(app, as_user):
    admin = as_user("admin")
    token = csrf_token(admin, "/admin/calendar?year=2027")
    page = admin.post(
        "/admin/calendar?year=2027",
        data={
            "csrf_token": token,
            "action": "preview",
            "scope": "partial",
            "source": "国庆通知",
            "lines": NATIONAL_2027,
        },
    )
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "预览：5 天变化，0 个未结期限将重新计算" in html
    assert "确认导入并重算期限" in html and "国庆通知" in html
    assert "MINSHENG_PERIOD_ROLL_OVER" in html and "MINSHENG_CLOCK_OUTCOME_NOTICE" in html
    with app.app_context():
        assert db.session.execute(select(CalendarDay)).first() is None
    done = admin.post(
        "/admin/calendar?year=2027",
        data={
            "csrf_token": token,
            "action": "import",
            "scope": "partial",
            "source": "国庆通知",
            "lines": NATIONAL_2027,
        },
    )
    assert done.status_code == 302
    with app.app_context():
        assert len(db.session.execute(select(CalendarDay)).all()) == 8
