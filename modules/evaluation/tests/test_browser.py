"""In Chromium: the evaluator opens the period, adjusts one department with a reason and
publishes the bulletin; the department head opens their own drill-down and is refused another
department's. Data: ``data.small_june`` (SQLite: the database side is tested on both backends).
"""

from __future__ import annotations

import pytest

from tests.kit import log_in, log_out

from .data import small_june

pytestmark = pytest.mark.browser


def test_evaluator_adjusts_and_publishes_department_head_drills_down(page, live_app):
    june = small_june(live_app.app)
    pg = page
    pg.on("dialog", lambda d: d.accept())
    period_url = pg.base + june["page"]

    log_in(pg, "evaluator")
    pg.goto(pg.base + "/evaluation/")
    pg.click("#periods >> text=2026年6月")
    pg.wait_for_url(period_url)
    ranking = pg.locator("#ranking").inner_text()
    assert "县住建局" in ranking and "城关镇" in ranking
    # One adjustment with its reason.
    pg.select_option("#agency_id", label="城关镇")
    pg.fill("#points", "-1.5")
    pg.fill("#reason", "专项材料迟报三日")
    pg.click("#adjust-form button.primary")
    pg.wait_for_selector("text=已记录加减分。")
    assert "专项材料迟报三日" in pg.locator("#adjustments").inner_text()
    assert "-1.50" in pg.locator("#ranking").inner_text()
    # Publish with the bulletin: the period locks and the bulletin is listed.
    pg.click("#publish-bulletin")
    pg.wait_for_selector("text=考核结果已发布并锁定，通报已印发。")
    assert pg.locator("#period-state").inner_text() == "已发布"
    assert pg.locator("#adjust-form").count() == 0
    link = pg.locator("#period-bulletins a").first
    assert link.inner_text() == "关于2026年6月信访工作考核情况的通报"
    response = pg.request.get(pg.base + link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF-")
    log_out(pg)

    log_in(pg, "cjj_leader")
    pg.goto(period_url)
    assert "城关镇" not in pg.locator("#ranking").inner_text()
    # Their own figure: 及时受理率's denominator lists A, B and S.
    pg.click("#ranking td[data-code=timely_acceptance] a[title=分母]")
    pg.wait_for_selector("#matters")
    listed = pg.locator("#matters tbody").inner_text()
    assert all(june["numbers"][k] in listed for k in ("A", "B", "S"))
    assert "共 3 件" in pg.locator("#counts").inner_text()
    # Another department's list is refused, and says why (fetched with the head's session:
    # opened as a page, the 403 would be reported as a console error by the fixture).
    town = f"{period_url}/agency/{june['town']}/timely_acceptance/denominator"
    response = pg.request.get(town)
    assert response.status == 403
    body = response.text()
    assert "您只能查看本单位（及下属单位）的考核数据和事项。" in body
    assert june["numbers"]["F"] not in body and "城关镇" not in body
