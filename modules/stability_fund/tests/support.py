"""Helpers for the relief-fund tests: install the module, add fund staff, a matter, a budget."""

from __future__ import annotations

from sqlalchemy import select

from core.registry.installer import install
from tests.plugin import TOKEN_RE

# username → (display name, roles, agency)
STAFF = {
    "finance": ("财务小刘", ("finance_officer",), "XFJ"),
    "approver": ("审批人老陈", ("fund_approver",), "XFJ"),
    "both": ("兼任财务审批", ("finance_officer", "fund_approver"), "XFJ"),
    "approver2": ("审批人小王", ("fund_approver",), "XFJ"),
    "other_finance": ("邻县财务", ("finance_officer",), "OTHER"),
}


def setup_fund(app, budget_fen: int | None = 10_000_000) -> int:
    """Install the module, add the staff, register a matter of XFJ; returns the matter id.

    With ``budget_fen`` XFJ gets a budget of that much for this year.
    """
    from core.accounts.models import Role, User
    from core.accounts.passwords import hash_password
    from core.cases.clocks import today
    from core.extensions import db
    from modules.stability_fund.models import FundBudget
    from tests.cases_support import agency, register
    from tests.plugin import PASSWORD

    with app.app_context():
        install(["stability_fund"])
        roles = {r.code: r for r in db.session.execute(select(Role)).scalars()}
        pw = hash_password(PASSWORD)
        for username, (name, codes, code) in STAFF.items():
            db.session.add(
                User(
                    username=username,
                    display_name=name,
                    password_hash=pw,
                    roles=[roles[c] for c in codes],
                    agency_id=agency(code).id,
                )
            )
        if budget_fen is not None:
            db.session.add(
                FundBudget(
                    agency_id=agency("XFJ").id,
                    year=today().year,
                    amount_fen=budget_fen,
                    committed_fen=0,
                    note="",
                )
            )
        db.session.commit()
        return register().id


def token(html: str) -> str:
    m = TOKEN_RE.search(html)
    assert m, "no CSRF token in the page"
    return m.group(1) or m.group(2)


def matter_number(app, matter_id: int) -> str:
    from core.cases.models import Matter
    from core.extensions import db

    with app.app_context():
        return db.session.get(Matter, matter_id).number


def application(app, app_id: int | None = None):
    """The application (the only one, or ``app_id``), detached for assertions."""
    from core.extensions import db
    from modules.stability_fund.models import ReliefApplication

    with app.app_context():
        stmt = select(ReliefApplication)
        if app_id is not None:
            stmt = stmt.where(ReliefApplication.id == app_id)
        obj = db.session.execute(stmt).scalar_one()
        db.session.expunge(obj)
        return obj


def create_via_form(c, number: str, **data):
    html = c.get("/stability-fund/new").get_data(as_text=True)
    payload = {
        "csrf_token": token(html),
        "matter_number": number,
        "kind": "petition",
        "amount": "3000.50",
        "reason": "于法无据、于情合理，生活确有困难。",
        "hardship": "家中两人患病，无固定收入。",
        "undertaking": "y",
        **data,
    }
    return c.post("/stability-fund/new", data=payload)


def step(c, app_id: int, action: str, **data):
    """Post one step of the detail page with the page's CSRF token and current version."""
    import re

    html = c.get(f"/stability-fund/{app_id}").get_data(as_text=True)
    payload = {"csrf_token": token(html), **data}
    if "version" not in data:
        m = re.search(r'name="version" value="(\d+)"', html)
        payload["version"] = m.group(1) if m else ""
    return c.post(f"/stability-fund/{app_id}/{action}", data=payload)
