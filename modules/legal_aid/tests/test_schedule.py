"""The duty schedule: patterns on the working-day calendar, holidays, double bookings, swaps."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from core.api import db
from modules.legal_aid.tests.hall import lawyer, models, services, setup_hall
from tests.kit import as_, audit_actions

# National Day 2026: 1–7 October are holidays (and Saturday 10 October a make-up working day).
MON_WED = [date(2026, 9, 28), date(2026, 9, 30), date(2026, 10, 12), date(2026, 10, 14)]


def _slot_days(lawyer_id: int) -> list[date]:
    stmt = select(models.DutySlot.day).where(models.DutySlot.lawyer_id == lawyer_id)
    return list(db.session.execute(stmt.order_by(models.DutySlot.day)).scalars())


def test_weekly_pattern_skips_the_national_day_holiday(app):
    setup_hall(app, on_duty=False)
    with app.app_context(), as_("supervisor"):
        out = services.add_pattern(
            lawyer("lawyer"),
            start=date(2026, 9, 28),
            end=date(2026, 10, 14),
            weekdays="02",
            place_kind="court",
            place="县人民法院立案庭",
        )
        assert [s.day for s in out.created] == MON_WED
        assert out.holidays == [date(2026, 10, 5), date(2026, 10, 7)]
        assert _slot_days(lawyer("lawyer").id) == MON_WED
        assert out.pattern.rule == "每周一、三"
        assert "legal_aid.pattern.add" in audit_actions()


def test_monthly_pattern_on_the_15th_skips_spring_festival_and_weekends(app):
    setup_hall(app, on_duty=False)
    with app.app_context(), as_("supervisor"):
        out = services.add_pattern(
            lawyer("lawyer2"), start=date(2026, 1, 1), end=date(2026, 6, 30), month_day=15
        )
        assert [s.day for s in out.created] == [
            date(2026, 1, 15),
            date(2026, 4, 15),
            date(2026, 5, 15),
            date(2026, 6, 15),
        ]
        # 15 February is 春节, 15 March a Sunday.
        assert out.holidays == [date(2026, 2, 15), date(2026, 3, 15)]


def test_a_slot_on_new_years_day_is_refused_and_nothing_is_written(app):
    setup_hall(app, on_duty=False)
    with app.app_context(), as_("supervisor"):
        with pytest.raises(services.LegalAidError) as refused:
            services.add_slot(date(2026, 1, 1), "am", lawyer("lawyer"))
        assert str(refused.value) == "2026-01-01 是元旦（非工作日），不能排班。"
        assert db.session.execute(select(func.count(models.DutySlot.id))).scalar() == 0


def test_a_second_slot_the_same_half_day_is_refused_across_agencies(app):
    setup_hall(app, on_duty=False)
    day = date(2026, 9, 28)
    with app.app_context():
        with as_("supervisor"):
            services.add_slot(day, "am", lawyer("lawyer"))
            services.add_slot(day, "pm", lawyer("lawyer"), "court", "县人民法院")
        with as_("handler"), pytest.raises(services.LegalAidError) as refused:
            services.add_slot(day, "am", lawyer("lawyer"), "window", "3号窗口")
        assert str(refused.value) == "值班律师老周 在 2026-09-28上午 已有值班安排，不能重复排班。"
        assert len(_slot_days(lawyer("lawyer").id)) == 2


def test_a_suspended_lawyer_is_not_put_on_duty_and_the_history_stays(app):
    setup_hall(app, on_duty=False)
    with app.app_context(), as_("supervisor"):
        lw = lawyer("lawyer2")
        services.change_status(lw, "suspended", "年度考核暂停", lw.version)
        with pytest.raises(services.LegalAidError) as refused:
            services.add_slot(date(2026, 9, 28), "am", lw)
        assert str(refused.value) == "值班律师小钱 当前为“暂停”，不能排班。"
        assert [(h.status, h.reason) for h in lawyer("lawyer2").history] == [
            ("suspended", "年度考核暂停")
        ]


def test_swap_and_absence(app):
    setup_hall(app, on_duty=False)
    day = date(2026, 9, 28)
    with app.app_context(), as_("supervisor"):
        slot = services.add_slot(day, "am", lawyer("lawyer"))
        services.substitute(slot, lawyer("lawyer2"), "老周出庭", slot.version)
        swapped = db.session.get(models.DutySlot, slot.id)
        assert (swapped.lawyer.name, swapped.planned_lawyer.name) == (
            "值班律师小钱",
            "值班律师老周",
        )
        assert [s.id for s in services.on_duty(day)] == [slot.id]
        services.mark_absent(swapped, "病假", swapped.version)
        assert services.on_duty(day) == []
        assert db.session.get(models.DutySlot, slot.id).note == "病假"
        assert {"legal_aid.slot.swap", "legal_aid.slot.absent"} <= audit_actions()
