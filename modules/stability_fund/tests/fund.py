"""The relief fund's own test set-up, shared by its test files (the common kit is tests.kit)."""

from __future__ import annotations

from core.api import db, today
from tests.kit import (
    agency,
    detached,
    install_module,
    lazy_module,
    post_form,
    post_on_page,
    register,
)

# The module's models, imported when first used rather than at collection.
models = lazy_module("modules.stability_fund.models")


def add_budget(amount_fen: int, agency_code: str = "XFJ") -> None:
    """This year's budget of the agency (an app context must be pushed)."""
    db.session.add(
        models.FundBudget(
            agency_id=agency(agency_code).id,
            year=today().year,
            amount_fen=amount_fen,
            committed_fen=0,
            note="",
        )
    )
    db.session.commit()


def setup_fund(app, staff: dict, budget_fen: int | None = 10_000_000) -> int:
    """Install the module, add ``staff``, register a matter of XFJ; returns the matter id.

    With ``budget_fen`` XFJ gets a budget of that much for this year.
    """
    install_module(app, "stability_fund", users=staff)
    with app.app_context():
        if budget_fen is not None:
            add_budget(budget_fen)
        return register().id


def create_via_form(c, number: str, **data):
    """Fill in and post the new-application form for the matter ``number``."""
    payload = {
        "matter_number": number,
        "kind": "petition",
        "amount": "3000.50",
        "reason": "于法无据、于情合理，生活确有困难。",
        "hardship": "家中两人患病，无固定收入。",
        "undertaking": "y",
        **data,
    }
    return post_form(c, "/stability-fund/new", payload)


def step(c, app_id: int, action: str, **data):
    """Post one step of the detail page with the page's CSRF token and current version."""
    return post_on_page(c, f"/stability-fund/{app_id}", action, **data)


def application(app):
    """The application (the only one), detached for assertions."""
    return detached(app, models.ReliefApplication)
