"""Eligibility from the settings: the grounds the local rules admit, the caps (per case and
months of the local minimum allowance), and referral when civil-affairs assistance applies.
One backend: rules, not database behaviour."""

from __future__ import annotations

import pytest

from modules.stability_fund.tests.fund import get, setup_fund, submitted, svc
from tests.kit import as_, database_state, fresh, register

ROWS = ("stability_fund_application", "stability_fund_step")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_grounds_caps_and_referral_follow_the_settings(app, as_user):
    matter_id = setup_fund(app)
    # Only 于法无据、于情合理 admitted; 低保 ¥1,000 a month: petition relief ≤ 36 × ¥1,000.
    app.config.update(
        STABILITY_FUND_GROUNDS=("reasonable",), STABILITY_FUND_ALLOWANCE_YUAN_MONTH=1000
    )
    with app.app_context():
        before = database_state("stability_fund", ROWS)
        for data, message in (
            (
                svc.ApplicationInput("petition", 100_000, "历史问题", "困难", ground="historical"),
                "该救助情形不在本地救助范围内。",
            ),
            (
                svc.ApplicationInput("petition", 100_000, "困难", "无收入", civil_affairs=True),
                "信访人符合民政社会救助条件的，应当转介社会救助，不使用救助资金。",
            ),
        ):
            with as_("finance"), pytest.raises(svc.FundError) as exc:
                svc.create(fresh(matter_id), data)
            assert str(exc.value) == message
        assert database_state("stability_fund", ROWS) == before
        # The lower cap applies to petition relief: ¥36,000 is within it, a fen more needs the
        # special tier; judicial relief keeps the per-case cap (¥50,000).
        assert get(submitted(fresh(matter_id), 3_600_000)).special is False
        assert get(submitted(register(), 3_600_001)).special is True
        assert get(submitted(register(), 3_600_001, kind="judicial")).special is False
        # Referred to social assistance: recorded, no money asked, no chain.
        with as_("finance"):
            referral = svc.create(
                register(),
                svc.ApplicationInput("referral", 0, "符合低保条件", "无收入", civil_affairs=True),
            )
            assert (referral.state, referral.requested_fen, referral.steps) == ("referred", 0, [])
    # The form offers only the admitted grounds.
    html = as_user("finance").get("/stability-fund/new").get_data(as_text=True)
    assert 'value="reasonable"' in html and 'value="historical"' not in html
