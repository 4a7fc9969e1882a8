"""In Chromium: a clerk registers a visit at the desk, the bureau assigns it with a slip, the
responsible unit accepts it — the pages a busy desk uses, end to end."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser import log_in, log_out

pytestmark = pytest.mark.browser


def _open_step(pg, label: str):
    pg.click(f"details.step > summary:has-text('{label}')")
    return pg.locator("details.step[open] form").first


def test_desk_to_assignment_slip_to_acceptance(page):
    pg = page
    log_in(pg, "clerk")
    pg.goto(pg.base + "/cases/new")
    # Keyboard only: the name field has the focus (waited for: on a busy machine the typing
    # could start before the page has applied autofocus, and the name went nowhere).
    expect(pg.locator("[data-repeat=name]")).to_be_focused()
    pg.keyboard.type("王大明")
    pg.fill("[data-history]", "11010519491231002X")
    pg.fill("[data-repeat=mobile]", "13800138000")
    pg.fill("textarea[name=summary]", "反映小区拆迁补偿款未按协议支付，要求补发。")
    pg.fill("textarea[name=demands]", "补发拆迁补偿款")
    pg.locator("textarea[name=demands]").press("Control+Enter")
    pg.wait_for_selector("text=已登记信访事项")
    matter_url = pg.url
    number = re.search(r"\d{6}2\d{3}F\d{6}", pg.locator("h1").inner_text()).group(0)
    assert "已登记" in pg.locator("h1").inner_text()
    log_out(pg)

    log_in(pg, "supervisor")
    pg.goto(matter_url)
    form = _open_step(pg, "交办")
    form.locator("select[name$=agency_id]").select_option(label="县住建局")
    form.locator("[name$=standard]").fill("查清补偿款拖欠原因，依法补发，书面答复信访人")
    form.locator("[name$=deadline]").fill((date.today() + timedelta(days=30)).isoformat())
    form.locator("button.primary").click()
    pg.wait_for_selector("text=已交办")
    assert pg.locator("text=信访事项交办单").count() >= 1
    log_out(pg)

    log_in(pg, "handler")
    # The responsible unit finds the assigned matter in its list.
    pg.goto(pg.base + "/cases/queue?tab=all")
    assert number in pg.content()
    # queue.js fills the tab badges after the page is shown (a local script, within the CSP).
    badge = pg.wait_for_selector("nav.tabs a[data-tab=due_soon] .count")
    assert badge.inner_text().isdigit()
    pg.goto(matter_url)
    pg.on("dialog", lambda d: d.accept())
    form = _open_step(pg, "受理并书面告知")
    form.locator("button.primary").click()
    pg.wait_for_selector("text=办理中")
    assert pg.locator("text=受理告知书").count() >= 1
    # The handler works for the responsible unit: the slip's deadline shows on the page.
    assert "交办期限" in pg.content()
