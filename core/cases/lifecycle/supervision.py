"""Supervision (督办) and improvement proposals (改进建议).

督办: a bureau names a follower for an open matter and says what it expects. 改进建议 (条例第40条):
the petition department proposes to an organ how to improve its work or policy; the organ answers
in writing. The Regulation gives no period; a bureau keeping the 2005 rule (30 days) switches
the ``proposal_feedback`` clock on (``MINSHENG_CLOCK_PROPOSAL_FEEDBACK``).
"""

from __future__ import annotations

from core.accounts.models import User
from core.cases.clocks import clocks
from core.cases.lifecycle.shared import find_agency, grant_access, stop_clock
from core.cases.lifecycle.table import OPEN_STATES, STATES, Transition, TransitionContext
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


def _organ_named(matter: Matter, ctx: TransitionContext) -> str | None:
    agency = find_agency(ctx.data.get("agency_id"))
    return None if agency is not None and agency.active else "请选择改进建议的对象机关。"


def _propose_improvement(matter: Matter, ctx: TransitionContext) -> None:
    agency = find_agency(ctx.data["agency_id"])
    grant_access(matter, agency.id, "proposal")
    if clocks.enabled("proposal_feedback"):
        clocks.start(matter, "proposal_feedback", ctx.on, responsible_agency_id=agency.id)


def _feedback(matter: Matter, ctx: TransitionContext) -> None:
    stop_clock(matter, "proposal_feedback", ctx.on)


IMPROVEMENT_PROPOSAL = Transition(
    "improvement_proposal",
    "提出改进建议",
    tuple(STATES),
    None,
    "core.cases.supervise",
    required=("agency_id", "text"),
    guards=[_organ_named],
    effect=_propose_improvement,
)
PROPOSAL_FEEDBACK = Transition(
    "proposal_feedback",
    "改进建议书面反馈",
    tuple(STATES),
    None,
    "core.cases.handle",
    required=("text",),
    effect=_feedback,
)

#: This stage's steps, in the order the matter page lists them.
STEPS = (SUPERVISE, IMPROVEMENT_PROPOSAL, PROPOSAL_FEEDBACK)
