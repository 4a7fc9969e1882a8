"""Demo data (``flask demo load``): an account and applications waiting for each fund role.

Run after core's demo agencies, users and matters exist, while the module is installed; does
nothing when an application exists already (idempotent). Two more demo users join the demo
finance officer and fund approver, because one person may act at only one step of an
application: ``fund_office`` (联席办审核员) and ``fund_cashier`` (出纳), with the demo password.
"""

from __future__ import annotations

from sqlalchemy import select

from core.api import Agency, Matter, Role, User, acting_as, db, today

from .models import ReliefApplication
from .services import ApplicationInput, account, create, set_budget, sign, submit, top_up

EXTRA = {
    "fund_office": ("演示联席办审核员", "fund_approver"),
    "fund_cashier": ("演示出纳", "finance_officer"),
}


def _users() -> dict[str, User] | None:
    users = {u.username: u for u in db.session.execute(select(User)).scalars()}
    model = users.get("finance_officer")
    if model is None or not {"fund_approver", "unit_leader"} <= users.keys():
        return None
    roles = {r.code: r for r in db.session.execute(select(Role)).scalars()}
    for username, (name, role) in EXTRA.items():
        if username not in users:
            users[username] = User(
                username=username,
                display_name=name,
                source="local",
                password_hash=model.password_hash,
                roles=[roles[role]],
                agency_id=model.agency_id,
            )
            db.session.add(users[username])
    db.session.flush()
    return users


def _sign(users: dict[str, User], app_id: int, who: str, opinion: str) -> None:
    with acting_as(users[who]):
        app = db.session.get(ReliefApplication, app_id)
        sign(app, app.version, opinion)


def load() -> None:
    """Load the demo's account and three applications, once.

    The account holds ¥35,000,000 and a top-up; the applications wait at the joint meeting
    (fund_approver), at finance (finance_officer), and approved to be paid.
    """
    if db.session.execute(select(ReliefApplication.id).limit(1)).first():
        return
    users = _users()
    if users is None:
        return
    matters = list(db.session.execute(select(Matter).order_by(Matter.id).limit(3)).scalars())
    if len(matters) < 3:
        return
    year = today().year
    fin = users["finance_officer"]
    with acting_as(fin):
        agency = db.session.get(Agency, fin.agency_id)
        if account(agency.id, year) is None:
            set_budget(agency.id, year, 3_500_000_000, "区财政年度预算（演示）")
            top_up(agency.id, year, 50_000_000, "区财政追加（演示文号 沈财指〔演示〕1号）", today())
    all_four = ("unit_leader", "fund_office", "fund_approver", "fund_cashier")
    chains = (
        # (preparer, amount in fen, signers so far)
        ("fund_cashier", 2_000_000, ("unit_leader", "fund_office")),
        ("fund_cashier", 3_500_000, ("unit_leader", "fund_office", "fund_approver")),
        ("finance_officer", 1_200_000, all_four),
    )
    opinions = ("情况属实，同意报审", "符合救助条件", "同意救助", "已核拨")
    for matter, (preparer, amount, signers) in zip(matters, chains, strict=True):
        with acting_as(users[preparer]):
            app = create(
                matter,
                ApplicationInput(
                    "petition",
                    amount,
                    "于法无据、于情合理，信访人生活确有困难（演示）",
                    "家庭成员患病，无固定收入（演示）",
                ),
            )
            submit(app, app.version)
        for who, opinion in zip(signers, opinions, strict=False):
            _sign(users, app.id, who, opinion)
    db.session.commit()
