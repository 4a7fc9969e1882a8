"""In Chromium (issue 17, done-when): a higher-level letter's deadline becomes the matter's clock
and is offered when the matter is assigned; two people saving one matter, the second sees what
they typed again beside what the first one did."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.kit import install_module, log_in, log_out

pytestmark = pytest.mark.browser

CLERK = {"letters": ("办信员小李", "letters_clerk", "XFJ")}


def _open_step(pg, label: str):
    pg.click(f"details.step > summary:has-text('{label}')")
    return pg.locator("details.step[open] form").first


def test_higher_deadline_prefilled_on_assign_and_stale_save_keeps_typed_text(
    page, live_app, chromium
):
    install_module(live_app.app, "letters", users=CLERK)
    pg = page
    deadline = (date.today() + timedelta(days=12)).isoformat()

    # The letters desk registers a letter the city bureau sent down with its own deadline.
    log_in(pg, "letters")
    pg.goto(pg.base + "/letters/new")
    pg.fill("#name", "赵四")
    pg.fill("#mobile", "13700137000")
    pg.fill("#address", "城关镇南街3号")
    pg.fill("#summary", "反映村道损毁多年未修，要求修复。")
    pg.fill("#demands", "修复村道")
    pg.fill("#received_on", date.today().isoformat())
    pg.fill("#external_number", "市信交〔2026〕501号")
    pg.fill("#external_source", "市信访局")
    pg.fill("#external_deadline", deadline)
    pg.click("form button.primary")
    pg.click("text=打开信访事项")
    matter_url = pg.url
    # The higher level's deadline is in the matter's deadline table.
    row = pg.locator("table.clocks tr", has_text="上级交办期限（市信访局 市信交〔2026〕501号）")
    assert deadline in row.inner_text()

    # Two people on one matter: the clerk starts typing a 拟办意见 …
    other = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    pg2 = other.new_page()
    pg2.set_default_timeout(10_000)
    pg2.base = pg.base
    log_in(pg2, "letters")
    pg2.goto(matter_url)
    typed = "建议交县住建局办理，限上级期限前办结并报结果"
    form2 = _open_step(pg2, "拟办意见")
    form2.locator("[name$=text]").fill(typed)
    log_out(pg)
    # … while the leader saves a 领导阅批 on the same matter first.
    log_in(pg, "leader")
    pg.goto(matter_url)
    form = _open_step(pg, "领导阅批")
    form.locator("[name$=text]").fill("请住建局按市信访局要求办结")
    form.locator("button.primary").click()
    pg.wait_for_selector("text=已完成“领导阅批”")
    log_out(pg)
    # The clerk's save is refused as stale, and nothing typed is lost.
    form2.locator("button.primary").click()
    pg2.wait_for_selector("#stale")
    stale = pg2.locator("#stale").inner_text()
    assert "领导阅批" in stale and "请住建局按市信访局要求办结" in stale
    assert typed in stale
    assert pg2.locator("details.step[open] [name$=text]").input_value() == typed
    # Sent again as it stands, it goes through.
    pg2.locator("details.step[open] form button.primary").click()
    pg2.wait_for_selector("text=已完成“拟办意见”")
    other.close()

    # Assigning: the slip's deadline is pre-filled with the higher level's.
    log_in(pg, "letters")
    pg.goto(matter_url)
    form = _open_step(pg, "交办")
    assert form.locator("[name$=deadline]").input_value() == deadline
    form.locator("select[name$=agency_id]").select_option(label="县住建局")
    form.locator("[name$=standard]").fill("修复村道，书面答复信访人")
    form.locator("button.primary").click()
    pg.wait_for_selector("text=已交办")
    slip = pg.locator("table.clocks tr", has_text="交办期限", has_not_text="上级")
    assert deadline in slip.inner_text()
    assert deadline in pg.locator("table.clocks tr", has_text="上级交办期限").inner_text()
