"""The module installs with its grants, and uninstall + purge remove it cleanly (both backends)."""

from __future__ import annotations

from sqlalchemy import inspect, select

from core.accounts.models import Role
from core.extensions import db
from core.registry.installer import purge, uninstall

from .support import application, create_via_form, matter_number, setup_fund


def test_install_grants_then_purge_backs_up_and_drops_tables(app, as_user):
    matter_id = setup_fund(app)
    assert create_via_form(as_user("finance"), matter_number(app, matter_id)).status_code == 302
    assert application(app).state == "draft"
    with app.app_context():
        roles = {r.code: r for r in db.session.execute(select(Role)).scalars()}
        granted = {p.name for p in roles["fund_approver"].permissions}
        assert "stability_fund.approve" in granted and "stability_fund.prepare" not in granted
        assert "stability_fund.view" in {p.name for p in roles["auditor"].permissions}
        uninstall("stability_fund")
        path = purge("stability_fund")
        assert "stability_fund_application" not in inspect(db.engine).get_table_names()
    assert "stability_fund_application" in path.read_text(encoding="utf-8")
