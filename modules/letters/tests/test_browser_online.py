"""In Chromium: a citizen petitions online, the letters desk takes it through the chain to a
reply, and the citizen reads the reply and rates it with the query code (issue 7, done-when)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.kit import PDF_BYTES, install_module, log_in, log_out

pytestmark = pytest.mark.browser

#: The letters-desk clerk of XFJ (the shared test users have none).
CLERK = {"letters": ("办信员小李", "letters_clerk", "XFJ")}


def _open_step(pg, label: str):
    pg.click(f"details.step > summary:has-text('{label}')")
    return pg.locator("details.step[open] form").first


def test_online_petition_to_reply_and_rating(page, live_app, tmp_path):
    install_module(live_app.app, "letters", users=CLERK)
    pg = page

    # The citizen, not logged in, submits a petition with a scanned document.
    pg.goto(pg.base + "/petition/")
    pg.fill("#name", "李秀英")
    pg.fill("#mobile", "13900139000")
    pg.fill("#content", "小区污水管道堵塞半年无人维修，要求尽快疏通。")
    scan = tmp_path / "照片说明.pdf"
    scan.write_bytes(PDF_BYTES)
    pg.set_input_files("#files", str(scan))
    a, _, b = (
        pg.locator("#challenge-question").inner_text().removesuffix(" 等于几？").partition(" 加 ")
    )
    pg.fill("#challenge_answer", str(int(a) + int(b)))
    pg.click("button.primary")
    pg.wait_for_selector("#query-code")
    code = pg.locator("#query-code").inner_text()
    assert len(code) == 10

    # The letters desk finds it in its queue and takes the first steps on the matter page.
    log_in(pg, "letters")
    pg.goto(pg.base + "/letters/?show=online")
    pg.click("table.grid tbody a")
    pg.click("text=打开信访事项")
    matter_url = pg.url
    form = _open_step(pg, "拟办意见")
    form.locator("[name$=text]").fill("建议交县住建局限期办理")
    form.locator("button.primary").click()
    pg.wait_for_selector("text=已完成“拟办意见”")
    log_out(pg)

    log_in(pg, "leader")
    pg.goto(matter_url)
    form = _open_step(pg, "领导阅批")
    form.locator("[name$=text]").fill("同意，请住建局限期办结")
    form.locator("button.primary").click()
    pg.wait_for_selector("text=已完成“领导阅批”")
    log_out(pg)

    log_in(pg, "letters")
    pg.goto(matter_url)
    form = _open_step(pg, "交办")
    form.locator("select[name$=agency_id]").select_option(label="县住建局")
    form.locator("[name$=standard]").fill("查清堵塞原因并疏通，书面答复信访人")
    form.locator("[name$=deadline]").fill((date.today() + timedelta(days=30)).isoformat())
    form.locator("button.primary").click()
    pg.wait_for_selector("text=已交办")
    log_out(pg)

    # The bureau names a follower (督办); the responsible unit accepts, investigates, drafts the
    # opinion, its leader approves it, and the handler records its delivery — all on the pages.
    log_in(pg, "supervisor")
    pg.goto(matter_url)
    form = _open_step(pg, "督办")
    form.locator("select[name$=follower_id]").select_option(index=1)
    form.locator("[name$=text]").fill("请按期办结并报送办结报告")
    form.locator("button.primary").click()
    pg.wait_for_selector("text=已完成“督办（指定跟踪人）”")
    log_out(pg)

    log_in(pg, "handler")
    pg.goto(matter_url)
    pg.on("dialog", lambda d: d.accept())
    form = _open_step(pg, "受理并书面告知")
    form.locator("button.primary").click()
    pg.wait_for_selector("text=办理中")
    form = _open_step(pg, "拟写处理意见")
    form.locator("[name$='demands-0-demand']").fill("疏通污水管道")
    form.locator("select[name$='demands-0-outcome']").select_option("support")
    form.locator("[name$=facts]").fill("经现场核查，该小区污水管道确已堵塞。")
    form.locator("[name$=basis]").fill("《城镇排水与污水处理条例》第三十七条")
    form.locator("[name$=decision]").fill("责成物业于十日内疏通。")
    form.locator("button.primary").click()
    pg.wait_for_selector("text=意见待审批")
    log_out(pg)

    log_in(pg, "cjj_leader")
    pg.goto(matter_url)
    form = _open_step(pg, "批准并出具处理意见书")
    form.locator("button.primary").click()
    pg.wait_for_selector("text=意见已出具")
    log_out(pg)

    log_in(pg, "handler")
    pg.goto(matter_url)
    form = _open_step(pg, "登记送达")
    form.locator("select[name$=method]").select_option("post")
    form.locator("[name$=delivered_on]").fill(date.today().isoformat())
    if form.locator("select[name$=petitioner_view]").count():
        form.locator("select[name$=petitioner_view]").select_option("agree")
    form.locator("button.primary").click()
    pg.wait_for_selector("text=办结报告待审核")
    log_out(pg)

    # The bureau reviews the completion report and passes it.
    log_in(pg, "supervisor")
    pg.goto(matter_url)
    pg.on("dialog", lambda d: d.accept())
    form = _open_step(pg, "审核通过办结报告")
    form.locator("button.primary").click()
    pg.wait_for_selector("text=已完成“审核通过办结报告”")
    log_out(pg)

    # The citizen reads the reply with the query code and rates it.
    pg.goto(pg.base + "/petition/query")
    pg.fill("#code", code)
    pg.click("button.primary")
    pg.wait_for_selector("#progress-state")
    assert "经现场核查" in pg.content()
    assert "疏通污水管道：予以支持" in pg.content()
    assert "13900139000" not in pg.content()
    pg.check("input[name=bureau][value=satisfied]")
    pg.check("input[name=unit][value=basically]")
    pg.click("form[action$='/petition/rate'] button.primary")
    pg.wait_for_selector("text=感谢您的评价")
    assert "提交评价" not in pg.content()
    assert "基本满意" in pg.content()
