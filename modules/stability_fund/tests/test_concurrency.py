"""Two approvals at once cannot together overspend the account (both backends)."""

from __future__ import annotations

import threading

from sqlalchemy import select

from core.api import acting_as, db
from modules.stability_fund.tests.fund import add_budget, run_chain, submitted
from tests.kit import install_module, register, user

from .fund import STAFF


def test_concurrent_approvals_never_overspend(app):
    from modules.stability_fund import services
    from modules.stability_fund.models import FundBudget, ReliefApplication

    install_module(app, "stability_fund", users=STAFF)
    with app.app_context():
        # ¥5,000: room for one ¥3,000 approval, not two
        add_budget(500_000)
        ids = []
        for _ in range(2):
            app_id = submitted(register(), 300_000)
            run_chain(app_id, until="finance")  # both wait for the last step
            ids.append(app_id)
    outcomes: list[str] = []
    failures: list[BaseException] = []
    start = threading.Barrier(2)

    def allocator(app_id: int, name: str) -> None:
        try:
            with app.app_context(), acting_as(user(name)):
                relief = db.session.get(ReliefApplication, app_id)
                version = relief.version
                relief.steps  # noqa: B018 (the page has read the chain)
                start.wait(timeout=30)
                try:
                    services.sign(relief, version, "核拨")
                    outcomes.append("approved")
                except services.FundError as exc:
                    outcomes.append(str(exc))
                db.session.remove()
        except BaseException as exc:  # reported below, not lost in the thread
            failures.append(exc)

    threads = [
        threading.Thread(target=allocator, args=(i, n))
        for i, n in zip(ids, ("allocator", "allocator2"), strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not failures, failures
    assert sorted(outcomes) == ["approved", "超出年度剩余额度（剩余 ¥2,000.00）。"]
    with app.app_context():
        budget = db.session.execute(select(FundBudget)).scalar_one()
        assert budget.committed_fen == 300_000 and budget.remaining_fen == 200_000
        states = db.session.execute(select(ReliefApplication.state)).scalars().all()
        assert sorted(states) == ["approved", "submitted"]
