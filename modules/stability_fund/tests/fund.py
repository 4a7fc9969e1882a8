"""The relief fund's own test set-up, shared by its test files (the common kit is tests.kit)."""

from __future__ import annotations

from core.api import db, today
from tests.kit import (
    PNG_BYTES,
    agency,
    as_,
    detached,
    install_module,
    lazy_module,
    post_form,
    post_on_page,
    register,
)

# The module's code, imported when first used rather than at collection.
models = lazy_module("modules.stability_fund.models")
svc = lazy_module("modules.stability_fund.services")

#: The fund's staff (the shared test users have none): who prepares, one signer per step of
#: the chain, and the cashier who pays.
STAFF = {
    "finance": ("财务小刘", "finance_officer", "XFJ"),
    "unit_head": ("信访局负责人", "unit_leader", "XFJ"),
    "office": ("联席办审核员", "fund_approver", "XFJ"),
    "approver": ("联席会议审批人", "fund_approver", "XFJ"),
    "approver2": ("审批人小王", "fund_approver", "XFJ"),
    "convenor": ("联席会议召集人", "leader", "XFJ"),
    "allocator": ("财政核拨员", "finance_officer", "XFJ"),
    "allocator2": ("财政核拨员小赵", "finance_officer", "XFJ"),
    "cashier": ("出纳小孙", "finance_officer", "XFJ"),
}
#: Who signs each step of the chain in the helpers below.
SIGNERS = {
    "unit_leader": "unit_head",
    "office_check": "office",
    "meeting": "approver",
    "special": "convenor",
    "finance": "allocator",
}


def add_budget(amount_fen: int, agency_code: str = "XFJ") -> None:
    """This year's account of the agency (an app context must be pushed)."""
    db.session.add(
        models.FundBudget(
            agency_id=agency(agency_code).id,
            year=today().year,
            amount_fen=amount_fen,
            committed_fen=0,
            carried_out_fen=0,
            note="",
        )
    )
    db.session.commit()


def setup_fund(app, staff: dict | None = None, budget_fen: int | None = 10_000_000) -> int:
    """Install the module, add ``staff`` (default ``STAFF``), register a matter of XFJ;
    returns its id. With ``budget_fen`` XFJ gets an account of that much for this year."""
    install_module(app, "stability_fund", users=staff or STAFF)
    with app.app_context():
        if budget_fen is not None:
            add_budget(budget_fen)
        return register().id


def get(app_id: int):
    """The application, read anew (inside an app context)."""
    db.session.expire_all()
    return db.session.get(models.ReliefApplication, app_id)


def submitted(matter, amount_fen: int = 300_050, kind: str = "petition") -> int:
    """An application by ``finance`` for ``matter``'s lead petitioner, submitted; its id."""
    with as_("finance"):
        a = svc.create(
            matter, svc.ApplicationInput(kind, amount_fen, "于法无据、于情合理", "无固定收入")
        )
        svc.submit(a, a.version)
        return a.id


def sign_as(app_id: int, who: str, amount_fen: int | None = None, opinion: str = "同意"):
    """``who`` signs the application's current step."""
    with as_(who):
        a = get(app_id)
        return svc.sign(a, a.version, opinion, amount_fen)


def run_chain(app_id: int, until: str | None = None) -> None:
    """Sign the chain's steps with ``SIGNERS``, up to (not including) the step ``until``."""
    while True:
        with as_("finance"):
            step = get(app_id).current_step
            code = step.code if step is not None else None
        if code is None or code == until:
            return
        sign_as(app_id, SIGNERS[code])


def undertake(app_id: int, who: str = "cashier") -> None:
    """Record the signed undertaking with its scan."""
    with as_(who):
        a = get(app_id)
        svc.record_undertaking(
            a, a.version, "promise", today(), svc.Scan("承诺书.png", PNG_BYTES, "image/png")
        )


def pay_as(app_id: int, who: str, amount_fen: int, final: bool = False, ref: str = "TX1"):
    """``who`` pays an instalment with a receipt scan."""
    with as_(who):
        a = get(app_id)
        return svc.pay(
            a,
            a.version,
            svc.PaymentInput(
                amount_fen, today(), "transfer", ref, svc.Scan("收据.png", PNG_BYTES), final
            ),
        )


def create_via_form(c, number: str, **data):
    """Fill in and post the new-application form for the matter ``number``."""
    payload = {
        "matter_number": number,
        "kind": "petition",
        "ground": "reasonable",
        "amount": "3000.50",
        "reason": "于法无据、于情合理，生活确有困难。",
        "hardship": "家中两人患病，无固定收入。",
        **data,
    }
    return post_form(c, "/stability-fund/new", payload)


def step(c, app_id: int, action: str, **data):
    """Post one action of the detail page with the page's CSRF token and current version."""
    return post_on_page(c, f"/stability-fund/{app_id}", action, **data)


def application(app, app_id: int | None = None):
    """The application (the only one, or ``app_id``), detached for assertions."""
    return detached(app, models.ReliefApplication, app_id)
