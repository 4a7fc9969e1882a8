"""What the fund's pages share: the money filter, refusals on forms, fetching an application."""

from __future__ import annotations

from flask import flash

from core.api import STATES, apply_errors, get_visible_or_404

from ..blueprint import bp
from ..models import ReliefApplication
from ..money import yuan
from ..services import FundError

STALE = "该申请已被他人修改，请刷新页面后重试。"


@bp.context_processor
def _money() -> dict:
    # Only this blueprint's pages: ``yuan(fen)`` shows ¥ with two decimals.
    return {"yuan": yuan, "matter_state_label": lambda state: STATES.get(state, state)}


def refused(form, exc: FundError) -> None:
    """Put a refusal next to the field it concerns, or at the top of the page."""
    left = apply_errors(form, exc.errors) if form is not None else exc.errors
    for message in left.values() if exc.errors else [str(exc)]:
        flash(message, "error")


def application(app_id: int) -> ReliefApplication:
    """The application through the record rules (404 if hidden or absent)."""
    return get_visible_or_404(ReliefApplication, app_id)
