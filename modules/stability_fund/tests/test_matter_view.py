"""Finance roles see the parts of a matter their work needs, on the fund's own page."""

from __future__ import annotations

from modules.stability_fund.tests.fund import setup_fund, submitted
from tests.kit import VALID_ID, audit_actions, fresh, install_module, register

OTHER = {"other_finance": ("邻县财务", "finance_officer", "OTHER")}


def test_matter_summary_parties_and_history_for_finance(app, as_user):
    matter_id = setup_fund(app)
    install_module(app, "stability_fund", users=OTHER)
    with app.app_context():
        earlier = register(summary="早前反映宅基地纠纷。")
        without = register(summary="没有救助申请的事项。").id
        app_id = submitted(fresh(matter_id))
        number, earlier_number = fresh(matter_id).number, earlier.number
    for who in ("finance", "approver"):
        client = as_user(who)
        page = client.get(f"/stability-fund/{app_id}").get_data(as_text=True)
        assert f"/stability-fund/matter/{matter_id}" in page
        resp = client.get(f"/stability-fund/matter/{matter_id}")
        assert resp.status_code == 200, who
        html = resp.get_data(as_text=True)
        assert number in html and "反映小区拆迁补偿款未按协议支付" in html
        # Personal data masked (the fund's roles hold no right to see it in clear).
        assert VALID_ID not in html and "王" in html
        # The petitioner's history: the earlier matter of the same person.
        assert earlier_number in html
    with app.app_context():
        assert "stability_fund.matter_view" in audit_actions()
    # Only a matter with an application the user may see.
    assert as_user("finance").get(f"/stability-fund/matter/{without}").status_code == 404
    assert as_user("other_finance").get(f"/stability-fund/matter/{matter_id}").status_code == 404
    assert as_user("nobody").get(f"/stability-fund/matter/{matter_id}").status_code == 403
