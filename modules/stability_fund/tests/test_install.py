"""The module installs with its grants, and uninstall + purge remove it cleanly (both backends)."""

from __future__ import annotations

from sqlalchemy import inspect, select

from core.api import Role, db
from modules.stability_fund.tests.fund import add_budget
from tests.kit import (
    detached,
    install_module,
    lazy_module,
    post_form,
    purge,
    register,
    uninstall,
)

# The module's models, imported when first used rather than at collection.
models = lazy_module("modules.stability_fund.models")


def _setup(app) -> str:
    """Install the module, add a finance officer and XFJ's budget for this year, register a
    matter of XFJ; returns its number."""
    install_module(app, "stability_fund", users={"finance": ("财务小刘", "finance_officer", "XFJ")})
    with app.app_context():
        add_budget(10_000_000)
        return register().number


def test_install_grants_then_purge_backs_up_and_drops_tables(app, as_user):
    form = {
        "matter_number": _setup(app),
        "kind": "petition",
        "amount": "3000.50",
        "reason": "于法无据、于情合理，生活确有困难。",
        "hardship": "家中两人患病，无固定收入。",
        "undertaking": "y",
    }
    assert post_form(as_user("finance"), "/stability-fund/new", form).status_code == 302
    assert detached(app, models.ReliefApplication).state == "draft"
    with app.app_context():
        roles = {r.code: r for r in db.session.execute(select(Role)).scalars()}
        granted = {p.name for p in roles["fund_approver"].permissions}
        assert "stability_fund.approve" in granted and "stability_fund.prepare" not in granted
        assert "stability_fund.view" in {p.name for p in roles["auditor"].permissions}
        uninstall("stability_fund")
        path = purge("stability_fund")
        assert "stability_fund_application" not in inspect(db.engine).get_table_names()
    assert "stability_fund_application" in path.read_text(encoding="utf-8")
