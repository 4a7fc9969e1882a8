"""In Chromium: a visitor from the desk to a unit to an assignment slip, and a leader reception
day from publication to appointment to outcome."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.api import db
from tests.kit import VALID_ID, category, install_module, lazy_module, log_in, log_out

pytestmark = pytest.mark.browser

# The module's code, imported when first used rather than at collection.
svc = lazy_module("modules.reception.services")
models = lazy_module("modules.reception.models")
#: The hall's staff (the shared test users have none): an officer and a duty lawyer.
HALL_STAFF = {
    "officer": ("接访员小李", "reception_officer", "XFJ"),
    "lawyer": ("值班律师老周", "lawyer", "XFJ"),
}


@pytest.fixture
def hall(live_app):
    install_module(live_app.app, "reception", users=HALL_STAFF)
    with live_app.app.app_context():
        ids = {name: category(name).id for name in ("拖欠工资", "劳动和社会保障", "教育")}
        db.session.remove()
    return ids


def test_visitor_from_the_desk_to_a_unit_to_an_assignment_slip(page, hall):
    pg = page
    log_in(pg, "clerk")
    pg.goto(pg.base + "/reception/desk")
    pg.keyboard.type("王大明")  # the name field has the focus
    pg.fill("#id_number", VALID_ID)
    pg.select_option("#category_id", str(hall["拖欠工资"]))
    pg.fill("#summary", "单位拖欠工资三个月")
    pg.click("button[value=lookup]")
    pg.wait_for_selector("text=来访人信访史")
    assert "建议窗口：帮扶济困窗口" in pg.locator("#suggested-unit").inner_text()
    pg.click("button[value=arrive]")
    pg.wait_for_selector("text=今日第 1 号")
    assert pg.locator("#visit-unit").inner_text() == "帮扶济困窗口"
    visit_url = pg.url
    log_out(pg)

    log_in(pg, "officer")
    pg.goto(visit_url)
    pg.click("button:has-text('叫号接谈')")
    pg.wait_for_selector("#visit-state:has-text('接谈中')")
    pg.fill("#asked", "单位拖欠工资三个月，要求支付")
    pg.click("button:has-text('不能当场答复')")
    pg.wait_for_selector("text=已登记信访事项")
    form = pg.locator("#assign-form")
    form.locator("#agency_id").select_option(label="县住建局")
    form.locator("#standard").fill("核实拖欠情况，督促支付，书面答复来访人")
    form.locator("#deadline").fill((svc.today() + timedelta(days=30)).isoformat())
    form.locator("button").click()
    pg.wait_for_selector("text=交办单已出具")
    assert pg.locator("#matter-state").inner_text() == "已交办"
    pg.click("#visit-matter")
    pg.wait_for_selector("text=信访事项交办单")


def test_leader_day_from_publication_to_appointment_to_outcome(page, hall, live_app):
    pg = page
    log_in(pg, "supervisor")
    pg.goto(pg.base + "/reception/sessions")
    form = pg.locator("#schedule-form")
    form.locator("#leader_name").fill("张县长")
    form.locator("#post").fill("副县长")
    form.locator("#portfolio").select_option([str(hall["劳动和社会保障"]), str(hall["教育"])])
    form.locator("#day").fill(svc.today().isoformat())
    form.locator("#start_time").fill("00:00")
    form.locator("#end_time").fill("23:59")
    form.locator("#place").fill("县信访局接待大厅")
    form.locator("button").click()
    pg.wait_for_selector("text=已安排领导接访日")
    session_url = pg.url
    # A session today: open bookings until an hour from now (the default cut-off is 17:00
    # the day before).
    with live_app.app.app_context():
        s = db.session.execute(select(models.ReceptionSession)).scalar_one()
        s.cutoff = svc.utcnow() + timedelta(hours=1)
        db.session.commit()
        db.session.remove()
    pg.click("button:has-text('公布')")
    pg.wait_for_selector("#session-status:has-text('已公布')")
    pg.locator("select[name=lawyer_id]").select_option(label="值班律师老周")
    pg.click("button:has-text('安排值班律师')")
    pg.wait_for_selector("#session-lawyer:has-text('值班律师老周')")
    log_out(pg)

    log_in(pg, "clerk")
    pg.goto(pg.base + "/reception/sessions")
    pg.click(f"a:has-text('{svc.today().isoformat()}')")
    book = pg.locator("#book-form")
    book.locator("#name").fill("王大明")
    book.locator("#id_number").fill(VALID_ID)
    book.locator("#category_id").select_option(str(hall["拖欠工资"]))
    book.locator("#summary").fill("单位拖欠工资三个月")
    book.locator("#materials").fill("劳动合同复印件、工资条")
    book.locator("button").click()
    pg.wait_for_selector("text=已预约")
    pg.click("#appointments button:has-text('签到')")
    pg.wait_for_selector("#appointments >> text=已签到")
    log_out(pg)

    log_in(pg, "officer")
    pg.goto(session_url)
    out = pg.locator(".outcome-form").first
    out.locator("select[name=outcome]").select_option("assigned")
    out.locator("textarea[name=text]").fill("请县住建局七日内核实并督促支付")
    out.locator("select[name=agency_id]").select_option(label="县住建局")
    out.locator("input[name=deadline]").fill((svc.today() + timedelta(days=7)).isoformat())
    out.locator("button").click()
    pg.wait_for_selector("text=已录入接访结果")
    assert "领导批示交办" in pg.locator("#appointments").inner_text()
    pg.click("#appointments a")
    pg.wait_for_selector("text=信访事项交办单")
