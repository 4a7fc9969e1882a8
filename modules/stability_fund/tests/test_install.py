"""The module installs with its grants, its tables match its models, and uninstall + purge
remove it cleanly: its panel and its 销号 step leave the matter page (both backends)."""

from __future__ import annotations

from sqlalchemy import inspect, select

from core.api import Role, db
from modules.stability_fund.tests.fund import (
    STAFF,
    add_budget,
    create_via_form,
    detached,
    models,
)
from tests.kit import install_module, matter_number, migration_diff, purge, register, uninstall

TABLES = {
    "stability_fund_application",
    "stability_fund_award",
    "stability_fund_budget",
    "stability_fund_disbursement",
    "stability_fund_evidence",
    "stability_fund_relation",
    "stability_fund_step",
    "stability_fund_topup",
    "stability_fund_undertaking",
}


def test_install_grants_then_uninstall_and_purge(app, as_user):
    install_module(app, "stability_fund", users=STAFF)
    assert migration_diff(app, "stability_fund") == []
    with app.app_context():
        add_budget(10_000_000)
        matter_id = register().id
        assert set(inspect(db.engine).get_table_names()) >= TABLES
    assert create_via_form(as_user("finance"), matter_number(app, matter_id)).status_code == 302
    assert detached(app, models.ReliefApplication).state == "draft"
    supervisor = as_user("supervisor")
    assert 'id="stability-fund-panel"' in supervisor.get(f"/cases/{matter_id}").get_data(
        as_text=True
    )
    supervisor.get("/healthz")  # ends the matter page's session (see below)
    with app.app_context():
        roles = {r.code: r for r in db.session.execute(select(Role)).scalars()}
        granted = {p.name for p in roles["fund_approver"].permissions}
        assert {"stability_fund.check", "stability_fund.approve"} <= granted
        assert "stability_fund.prepare" not in granted
        assert "stability_fund.sign_unit" in {p.name for p in roles["unit_leader"].permissions}
        assert "stability_fund.report" in {p.name for p in roles["auditor"].permissions}
        db.session.remove()
        uninstall("stability_fund")
        path = purge("stability_fund")
        assert not TABLES & set(inspect(db.engine).get_table_names())
    assert "stability_fund_application" in path.read_text(encoding="utf-8")
    # (The page is read last: a test client keeps its last request's session open, which on
    # SQLite would hold the purge's DDL back.)
    page = supervisor.get(f"/cases/{matter_id}").get_data(as_text=True)
    assert 'id="stability-fund-panel"' not in page and "救助化解销号" not in page
