"""The demo loader gives the demo finance officer and fund approver work, once."""

from __future__ import annotations

from sqlalchemy import func, select

from core.api import current_actor, db
from modules.stability_fund.tests.fund import models, svc
from tests.kit import as_, install_module, lazy_module, register

demo = lazy_module("modules.stability_fund.demo")

#: Core's demo users are named after their role.
DEMO_USERS = {
    "finance_officer": ("演示财务人员", "finance_officer", "XFJ"),
    "fund_approver": ("演示救助金审批人", "fund_approver", "XFJ"),
    "unit_leader": ("演示单位负责人", "unit_leader", "XFJ"),
}


def test_demo_gives_each_fund_role_work_and_runs_once(app):
    install_module(app, "stability_fund", users=DEMO_USERS)
    with app.app_context():
        for _ in range(3):
            register()
        demo.load()
        db.session.commit()
        demo.load()  # idempotent
        apps = list(
            db.session.execute(
                select(models.ReliefApplication).order_by(models.ReliefApplication.id)
            ).scalars()
        )
        assert [a.state for a in apps] == ["submitted", "submitted", "approved"]
        with as_("fund_approver"):
            assert apps[0].current_step.code == "meeting"
            assert svc.signing_problem(apps[0], apps[0].current_step, current_actor()) is None
        with as_("finance_officer"):
            assert apps[1].current_step.code == "finance"
            assert svc.signing_problem(apps[1], apps[1].current_step, current_actor()) is None
            assert svc.paying_problem(apps[2], current_actor()) is None
        budget = db.session.execute(select(models.FundBudget)).scalar_one()
        assert (budget.budget_fen, budget.added_fen, budget.committed_fen) == (
            3_500_000_000,
            50_000_000,
            1_200_000,
        )
        assert db.session.execute(select(func.count(models.TopUp.id))).scalar_one() == 1
