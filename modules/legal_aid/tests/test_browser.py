"""In Chromium: the desk attaches today's duty lawyer to a visitor's matter; the lawyer records
a consultation recommending labour arbitration; the matter is routed, its clocks stopped, and
it is out of the rating."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.api import db, rating_statuses, today
from modules.legal_aid.tests.hall import models, setup_hall
from tests.kit import fresh, install_module, log_in, log_out, register

pytestmark = pytest.mark.browser


def test_desk_attaches_the_duty_lawyer_who_routes_the_matter_to_labour_arbitration(page, live_app):
    app = live_app.app
    install_module(app, "reception")
    setup_hall(app)  # 值班律师老周 sits in XFJ's hall today
    with app.app_context():
        m = register(received_on=today(), summary="公司拖欠工资三个月，要求补发。")
        matter_id, number = m.id, m.number
        db.session.remove()
    pg = page

    log_in(pg, "desk")
    pg.goto(pg.base + "/reception/desk")
    panel = pg.locator("#legal-aid-desk")
    assert "值班律师老周" in panel.inner_text()
    panel.locator(f"button.attach-lawyer:has-text('{number}')").click()
    pg.wait_for_selector(f"text=已请律师值班律师老周接待（信访件 {number}）")
    log_out(pg)

    log_in(pg, "lawyer")
    pg.goto(pg.base + f"/cases/{matter_id}")
    assert "值班律师老周（" in pg.locator("#legal-aid-matter").inner_text()
    pg.click("#consult-on-matter")
    pg.fill("#question", "公司拖欠三个月工资，能否要求补发？")
    pg.fill("#advice", "属于劳动争议，应先向劳动人事争议仲裁委员会申请仲裁。")
    pg.select_option("#route", "labour_arbitration")
    pg.fill("#body", "沈河区劳动人事争议仲裁委员会")
    pg.fill("#minutes", "40")
    pg.click("#consultation-form button.primary")
    pg.wait_for_selector(
        "text=事项已导入法定途径：劳动人事争议仲裁（沈河区劳动人事争议仲裁委员会）"
    )
    pg.click("#matter-link")
    pg.wait_for_selector("#legal-route")
    assert "已导入法定途径" in pg.locator("body").inner_text()
    route = pg.locator("#legal-route").inner_text()
    assert f"劳动人事争议仲裁 · 沈河区劳动人事争议仲裁委员会 · {today().isoformat()}" in route
    assert pg.locator("tr.clock-running, tr.clock-paused").count() == 0
    assert "不参加评价" in pg.locator("#rating").inner_text()

    with app.app_context():
        m = fresh(matter_id)
        assert m.state == "referred_legal"
        assert [c for c in m.clocks if c.open] == []
        assert {s.status for s in rating_statuses(m)} == {"excluded"}
        row = db.session.execute(select(models.Assignment)).scalar_one()
        assert (row.matter_id, row.lawyer.name) == (matter_id, "值班律师老周")
        db.session.remove()
