"""Supervision (督办): a bureau names a follower for an open matter and says what it expects."""

from __future__ import annotations

from core.accounts.models import User
from core.cases.lifecycle.table import OPEN_STATES, Transition, TransitionContext
from core.cases.models import Matter
from core.extensions import db


def _follower_valid(matter: Matter, ctx: TransitionContext) -> str | None:
    try:
        follower = db.session.get(User, int(ctx.data.get("follower_id")))
    except (TypeError, ValueError):
        follower = None
    if follower is None or not follower.active:
        return "请选择有效的跟踪人。"
    return None


def _supervise(matter: Matter, ctx: TransitionContext) -> None:
    matter.supervised = True
    matter.follower_id = int(ctx.data["follower_id"])


SUPERVISE = Transition(
    "supervise",
    "督办（指定跟踪人）",
    OPEN_STATES,
    None,
    "core.cases.supervise",
    required=("follower_id", "text"),
    guards=[_follower_valid],
    effect=_supervise,
)

#: This stage's steps, in the order the matter page lists them.
STEPS = (SUPERVISE,)
