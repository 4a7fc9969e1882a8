"""Business rules of the relief fund (信访救助), one module per domain thing.

``applications`` (一事一报), ``chain`` (审批链, signatures, segregation of duties), ``payments``
(undertaking, instalments, relations), ``closing`` (销号), ``accounts`` (资金账户), ``awards``
(一次性救助), ``reports`` (Excel, PDF, the audit file). The public names are gathered here.
"""

from __future__ import annotations

from .accounts import account, budgets, carry_over, paid_total, set_budget, top_up
from .applications import LIVE_STATES, ApplicationInput, cancel, create, submit
from .awards import AwardSeen, award_on, awards_of, earlier_awards
from .chain import (
    CHAIN,
    agreed_fen,
    paying_problem,
    refuse,
    seen_of,
    sign,
    signing_problem,
)
from .closing import close
from .common import FundError, Scan, audit_view, cap_fen, setting
from .payments import PaymentInput, pay, record_relation, record_undertaking

# The budget of a year is its account (kept for callers of the first version).
_budget = account


def seed() -> None:
    """Nothing to seed: accounts are set up by finance officers on the accounts page."""


__all__ = [
    "CHAIN",
    "LIVE_STATES",
    "ApplicationInput",
    "AwardSeen",
    "FundError",
    "PaymentInput",
    "Scan",
    "account",
    "agreed_fen",
    "audit_view",
    "award_on",
    "awards_of",
    "budgets",
    "cancel",
    "cap_fen",
    "carry_over",
    "close",
    "create",
    "earlier_awards",
    "paid_total",
    "pay",
    "paying_problem",
    "record_relation",
    "record_undertaking",
    "refuse",
    "seed",
    "seen_of",
    "set_budget",
    "setting",
    "sign",
    "signing_problem",
    "submit",
    "top_up",
]
