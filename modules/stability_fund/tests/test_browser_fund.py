"""In Chromium: an application through every step of the chain to payment and 销号, each step
taken by the role it belongs to (one backend: nothing here is database-specific)."""

from __future__ import annotations

import pytest

from core.api import db
from modules.stability_fund.tests.fund import STAFF, add_budget
from tests.kit import PDF_BYTES, PNG_BYTES, install_module, log_in, log_out, matter_in

pytestmark = pytest.mark.browser


@pytest.fixture
def handled(live_app):
    install_module(live_app.app, "stability_fund", users=STAFF)
    with live_app.app.app_context():
        add_budget(10_000_000)
        matter = matter_in("in_handling")
        ids = matter.id, matter.number
        db.session.remove()
    return ids


def _file(name: str, data: bytes, mime: str) -> dict:
    return {"name": name, "mimeType": mime, "buffer": data}


def test_application_through_the_chain_to_payment_and_closure(page, handled):
    pg = page
    matter_id, number = handled
    log_in(pg, "finance")
    pg.goto(pg.base + f"/stability-fund/new?matter_id={matter_id}")
    form = pg.locator("#new-form")
    form.locator("[name=amount]").fill("3000.50")
    form.locator("[name=reason]").fill("于法无据、于情合理，生活确有困难")
    form.locator("[name=hardship]").fill("家中两人患病，无固定收入")
    form.locator("button").click()
    pg.wait_for_selector("text=已保存救助申请")
    pg.click("#submit-form button")
    pg.wait_for_selector("text=已提交审批")
    app_url = pg.url
    log_out(pg)

    for who, amount in (
        ("unit_head", None),
        ("office", None),
        ("approver", "3000.50"),
        ("allocator", None),
    ):
        log_in(pg, who)
        pg.goto(app_url)
        sign = pg.locator("#sign-form")
        if amount:
            sign.locator("[name=amount]").fill(amount)
        sign.locator("[name=opinion]").fill("同意")
        sign.locator("button").click()
        pg.wait_for_selector("text=已签署")
        if who != "allocator":
            log_out(pg)
    assert pg.locator("#state").inner_text() == "已批准待拨付"
    # Whoever signed a step does not pay.
    assert "不能拨付本人审批过的救助申请" in pg.locator("#pay-problem").inner_text()
    log_out(pg)

    log_in(pg, "cashier")
    pg.goto(app_url)
    form = pg.locator("#undertaking-form")
    form.locator("[name=scan]").set_input_files(_file("承诺书.pdf", PDF_BYTES, "application/pdf"))
    form.locator("button").click()
    pg.wait_for_selector("text=已登记息诉罢访承诺书")
    form = pg.locator("#pay-form")
    form.locator("[name=reference]").fill("TX20261207001")
    form.locator("[name=receipt]").set_input_files(_file("收据.png", PNG_BYTES, "image/png"))
    form.locator("button").click()
    pg.wait_for_selector("text=已登记拨付")
    assert pg.locator("#state").inner_text() == "已拨付"
    log_out(pg)

    log_in(pg, "finance")
    pg.goto(app_url)
    pg.click("#close-form button")
    pg.wait_for_selector("text=事项已化解销号")
    assert pg.locator("#state").inner_text() == "已销号"
    pg.click("#matter-link")
    pg.wait_for_selector("#matter-summary")
    assert pg.locator("#matter-state").inner_text() == "已化解销号"
    assert number in pg.locator("#matter-summary").inner_text()
