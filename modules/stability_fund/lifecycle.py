"""The relief fund's part of the matter's lifecycle (declared in its manifest): 销号.

Once the relief is paid and the signed undertaking is recorded, the matter is struck off the
register as resolved (已化解销号, REGULATION.md §4 "Closure"). It stays reversible: a new petition
on it reopens it (``stability_fund_reopen``) and is registered as a repeat showing the award.
The steps are taken from the fund's pages (``services.closing``), in the same unit of work as
the application's own change; the guard keeps core's matter page from closing a matter whose
relief is not paid or has no undertaking.
"""

from __future__ import annotations

from sqlalchemy import select

from core.api import Lifecycle, Transition, db

#: The handling states from which a paid relief may strike the matter off (core's states after
#: acceptance, and after the three-level termination: relief is often the last step there).
CLOSE_FROM = (
    "in_handling",
    "opinion_issued",
    "completion_review",
    "review_window",
    "reexam_window",
    "terminated",
)


def _paid_with_undertaking(matter, ctx) -> str | None:
    from .models import ReliefApplication

    row = db.session.execute(
        select(ReliefApplication.id).where(
            ReliefApplication.matter_id == matter.id,
            ReliefApplication.state == "paid",
            ReliefApplication.undertaking.is_(True),
        )
    ).first()
    if row is None:
        return "救助金拨付和息诉罢访承诺书均登记后才能销号。"
    return None


LIFECYCLE = Lifecycle(
    states={"resolved": "已化解销号"},
    transitions=(
        Transition(
            "stability_fund_close",
            "救助化解销号",
            CLOSE_FROM,
            "resolved",
            "stability_fund.close",
            guards=[_paid_with_undertaking],
        ),
        Transition(
            "stability_fund_reopen",
            "销号后再次信访，重新办理",
            ("resolved",),
            "in_handling",
            "stability_fund.close",
            required=("text",),
        ),
    ),
)
