"""In Chromium, one matter from the application to the re-review opinion.

application → acceptance → scheduling (notice) → hearing → record → conclusion → re-review
opinion, on the pages as the hearing officer and the county leader use them; the re-review due
date on the matter's page moves by the hearing's three days, and its explanation says so.
"""

from __future__ import annotations

from datetime import date as D
from datetime import timedelta

import pytest

from core.api import Matter, db, today
from tests.kit import log_in, log_out

from .hearing_kit import docs, hearing, matter_at, panelist, setup, time_passes

pytestmark = pytest.mark.browser


def _reexam_row(pg) -> str:
    return pg.locator("tr", has_text="复核期限").first.inner_text()


def test_application_to_reexam_opinion_moves_the_due_date(page, live_app):
    app = live_app.app
    setup(app)
    with app.app_context():
        # Re-review asked 2026-10-25: due 2026-11-24, a Tuesday (no roll-over either side).
        mid = matter_at("rereview", received_on=D(2026, 10, 20))
        members = [str(panelist("李代表").id), str(panelist("王教授").id)]
        db.session.remove()
    pg = page
    pg.on("dialog", lambda d: d.accept())

    log_in(pg, "officer")
    pg.goto(pg.base + f"/cases/{mid}")
    assert "2026-11-24" in _reexam_row(pg)
    # Application, told of the right on 10-26, applied on 10-27 (in time).
    pg.click("#hearings-panel >> text=申请听证")
    pg.fill("#grounds", "对复查意见认定的补偿数额有异议，申请听证。")
    pg.fill("#told_on", "2026-10-26")
    pg.fill("#applied_on", "2026-10-27")
    pg.click("form.form button.primary")
    pg.wait_for_selector("text=已登记听证申请。")
    assert "待决定" in pg.locator("#application-status").inner_text()
    # Acceptance.
    pg.click("#accept")
    pg.wait_for_selector("text=已受理听证申请，请安排听证。")
    # Scheduling, eight days ahead; the notice goes out at once.
    pg.click("#schedule-hearing")
    day = today() + timedelta(days=8)
    pg.fill("#scheduled_at", f"{day.isoformat()}T09:30")
    pg.fill("#ends_at", f"{day.isoformat()}T11:30")
    pg.select_option("#panelist_ids", members)
    pg.click("form.form button.primary")
    pg.wait_for_selector("text=已安排听证，并已出具听证通知书。")
    hid = int(pg.url.rsplit("/", 1)[1])
    assert "信访人申请" in pg.locator("main").inner_text()
    with app.app_context():
        assert [d.title for d in docs(mid, "hearing_notice")] == ["听证通知书"]
        # Time passes: the hearing is held on Monday 2026-11-02.
        time_passes(hid, (hearing(hid).span_from - D(2026, 11, 2)).days)
        db.session.remove()

    # The hearing opens on its day: the re-review clock stops.
    pg.reload()
    pg.fill("form[action$='/start'] input[name=on]", "2026-11-02")
    pg.click("#start")
    pg.wait_for_selector("text=听证已开始。")
    assert "听证进行中" in pg.locator("#hearing-status").inner_text()
    # The record: attendance, one member refuses to sign, each member's view.
    pg.fill("#heard", "信访人陈述诉求；承办人说明补偿依据；双方质证。")
    pg.locator("select[name^=signature-]").first.select_option("refused")
    pg.locator("input[name^=view-]").first.fill("补偿数额计算有误，应予纠正。")
    pg.fill("#deliberation", "听证员合议一致。")
    pg.click("#save-record")
    pg.wait_for_selector("text=已记录听证笔录。")
    # The conclusion on 11-04: three days of hearing.
    pg.fill("#conclusion", "复查意见认定的补偿数额有误，应予纠正。")
    pg.fill("form[action$='/conclude'] input[name=on]", "2026-11-04")
    pg.click("#conclude")
    pg.wait_for_selector("text=已作出听证结论，并已出具听证结论书。")
    assert "2026-11-02 — 2026-11-04（共 3 日，不计入复核期限）" in pg.locator("#span").inner_text()

    # The matter's page: the re-review due date moved from 11-24 to 11-27, explained.
    pg.goto(pg.base + f"/cases/{mid}")
    row = _reexam_row(pg)
    assert "2026-11-27" in row and "2026-11-24" not in row
    pg.locator("tr", has_text="复核期限").first.locator("summary").click()
    assert "听证期间 2026-11-02 至 2026-11-04 共 3 日不计入期限" in _reexam_row(pg)
    panel = pg.locator("#hearings-panel").inner_text()
    assert "已作出结论" in panel and "3 日" in panel
    timeline = pg.locator("main").inner_text()
    assert "复核期限届满日由 2026-11-24 顺延至 2026-11-27" in timeline
    log_out(pg)

    # The county leader gives the re-review opinion, grounded on the conclusion.
    log_in(pg, "leader")
    pg.goto(pg.base + f"/cases/{mid}")
    step = pg.locator("details.step", has_text="出具复核意见书（终结）")
    step.locator("summary").click()
    form = step.locator("form")
    form.locator("[name$=facts]").fill("经听证，复查意见认定的补偿数额有误。")
    form.locator("[name$=basis]").fill("《国有土地上房屋征收与补偿条例》第十九条")
    form.locator("input[name$='demands-0-demand']").fill("补发拆迁补偿款")
    form.locator("select[name$='demands-0-outcome']").select_option("support")
    form.locator("input[name$=hearing_held]").check()
    form.locator("button.primary").click()
    pg.wait_for_selector("text=已终结")
    with app.app_context():
        h = hearing(hid)
        assert h.opinion is not None and h.opinion.level == "reexam"
        assert db.session.get(Matter, mid).state == "terminated"
        db.session.remove()
