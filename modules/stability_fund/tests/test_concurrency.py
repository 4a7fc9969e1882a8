"""Two approvers at once cannot together overspend the yearly budget."""

from __future__ import annotations

import threading

from sqlalchemy import select

from core.api import acting_as, db
from modules.stability_fund.tests.fund import add_budget
from tests.kit import install_module, register, user

#: Who prepares the applications and the two approvers racing each other.
STAFF = {
    "finance": ("财务小刘", "finance_officer", "XFJ"),
    "approver": ("审批人老陈", "fund_approver", "XFJ"),
    "approver2": ("审批人小王", "fund_approver", "XFJ"),
}


def _submitted(amount_fen: int) -> int:
    from modules.stability_fund import services

    with acting_as(user("finance")):
        app = services.create(
            register(),
            services.ApplicationInput("petition", amount_fen, "生活困难", "无固定收入", True),
        )
        services.submit(app, app.version)
        return app.id


def test_concurrent_approvals_never_overspend(app):
    from modules.stability_fund import services
    from modules.stability_fund.models import FundBudget, ReliefApplication

    install_module(app, "stability_fund", users=STAFF)
    with app.app_context():
        # ¥5,000: room for one ¥3,000 approval, not two
        add_budget(500_000)
        ids = [_submitted(300_000) for _ in range(2)]
    outcomes: list[str] = []
    failures: list[BaseException] = []
    start = threading.Barrier(2)

    def approver(app_id: int, name: str) -> None:
        try:
            with app.app_context(), acting_as(user(name)):
                relief = db.session.get(ReliefApplication, app_id)
                version = relief.version
                start.wait(timeout=30)
                try:
                    services.approve(relief, version, 300_000)
                    outcomes.append("approved")
                except services.FundError as exc:
                    outcomes.append(str(exc))
                db.session.remove()
        except BaseException as exc:  # reported below, not lost in the thread
            failures.append(exc)

    threads = [
        threading.Thread(target=approver, args=(i, n))
        for i, n in zip(ids, ("approver", "approver2"), strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not failures, failures
    assert sorted(outcomes)[0] == "approved" and "超出年度剩余额度" in sorted(outcomes)[1]
    with app.app_context():
        assert db.session.execute(select(FundBudget.committed_fen)).scalar_one() == 300_000
        states = db.session.execute(select(ReliefApplication.state)).scalars().all()
        assert sorted(states) == ["approved", "submitted"]
