"""Handling (办理): accept, investigate, extend, write the opinion, deliver it, report back.

条例第23条、第32条、第34条: the handling unit accepts in writing, has 60 days (one extension of at
most 30, approved before the deadline), and issues a written opinion that its leader approves;
an assigned matter goes back to the bureau that assigned it, which approves the completion
report or sends it back to be redone.
"""

from __future__ import annotations

from sqlalchemy import select

from core.cases.clocks import clocks
from core.cases.lifecycle.opinions import (
    add_delivery,
    delivery_valid,
    draft_opinion,
    finish_opinion,
    latest_opinion,
    opinion_complete,
)
from core.cases.lifecycle.shared import handling_organ, notice_owed, stop_clock
from core.cases.lifecycle.table import Transition, TransitionContext
from core.cases.models import AssignmentSlip, Matter
from core.extensions import db

MAX_EXTENSION_DAYS = 30


def _noop(matter: Matter, ctx: TransitionContext) -> None:
    """Actions that only leave a timeline entry (拟办, 阅批, 调查笔记)."""


# --- accept, and what happens while handling -------------------------------------------------


def _accept(matter: Matter, ctx: TransitionContext) -> None:
    if matter.handling_agency_id is None:
        # Accepted directly by the organ first approached (条例第23条第2款).
        matter.handling_agency_id = matter.agency_id
        stop_clock(matter, "disposition", ctx.on)
    stop_clock(matter, "acceptance", ctx.on)
    stop_clock(matter, "objection", ctx.on)
    matter.accepted_on = ctx.on
    if ctx.data.get("handler_id"):
        matter.handler_id = int(ctx.data["handler_id"])
    elif ctx.actor is not None:
        matter.handler_id = ctx.actor.id
    clocks.start(matter, "handling", ctx.on, responsible_agency_id=matter.handling_agency_id)


ACCEPT = Transition(
    "accept",
    "受理并书面告知",
    ("registered", "forwarded", "assigned"),
    "in_handling",
    "core.cases.handle",
    guards=[handling_organ],
    effect=_accept,
    document="acceptance_notice",
)
PROPOSE = Transition(
    "propose",
    "拟办意见",
    ("registered", "in_handling"),
    None,
    "core.cases.register",
    required=("text",),
    effect=_noop,
)
INSTRUCT = Transition(
    "instruct",
    "领导阅批",
    ("registered", "in_handling", "completion_review"),
    None,
    "core.cases.instruct",
    required=("text",),
    effect=_noop,
)
INVESTIGATE = Transition(
    "investigate",
    "调查笔记",
    ("in_handling",),
    None,
    "core.cases.handle",
    required=("text",),
    guards=[handling_organ],
    effect=_noop,
)


# --- extension (条例第34条) -------------------------------------------------------------------


def _extension_allowed(matter: Matter, ctx: TransitionContext) -> str | None:
    if matter.extended_days:
        return "该事项已延期一次，不能再次延期（条例第34条）。"
    clock = clocks.running(matter, "handling")
    if clock is not None and ctx.on > clock.due:
        # Granting it afterwards would turn a missed deadline into a met one.
        return (
            f"已超过办理期限（截至 {clock.due.isoformat()}），不能再延期；"
            "延期须在期限届满前批准（条例第34条）。"
        )
    try:
        days = int(ctx.data.get("days") or 0)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        return f"延长期限应为 1 至 {MAX_EXTENSION_DAYS} 日。"
    return None


def _extend(matter: Matter, ctx: TransitionContext) -> None:
    days = int(ctx.data["days"])
    matter.extended_days = days
    clock = clocks.running(matter, "handling")
    if clock is not None:
        clocks.extend(clock, days)
        ctx.document_context["new_due"] = clock.due
    ctx.document_context["days"] = days
    ctx.document_context["reason"] = ctx.data["reason"]


EXTEND = Transition(
    "extend",
    "延期办理（经负责人批准）",
    ("in_handling",),
    None,
    "core.cases.approve",
    required=("days", "reason"),
    guards=[handling_organ, _extension_allowed],
    effect=_extend,
    document="extension_notice",
)


# --- the handling opinion: drafted, sent back or approved --------------------------------------


def _approve_opinion(matter: Matter, ctx: TransitionContext) -> None:
    opinion = latest_opinion(matter, "handling")
    finish_opinion(matter, opinion, ctx)
    stop_clock(matter, "handling", ctx.on)
    ctx.document_context["opinion"] = opinion
    told = matter.handling_type == "suggestion" and notice_owed(matter)
    if told and clocks.enabled("outcome_notice"):
        # A local rule (§1.9 row 15): the outcome of a criticism or suggestion is told to the
        # petitioner within days of finishing it; delivering the opinion meets it.
        clocks.start(
            matter, "outcome_notice", ctx.on, responsible_agency_id=matter.handling_agency_id
        )


DRAFT_OPINION = Transition(
    "draft_opinion",
    "拟写处理意见",
    ("in_handling",),
    "opinion_pending",
    "core.cases.handle",
    required=("facts", "basis", "demands"),
    guards=[handling_organ, opinion_complete],
    effect=draft_opinion("handling", "handling_agency_id"),
)
REJECT_DRAFT = Transition(
    "reject_draft",
    "退回修改处理意见",
    ("opinion_pending",),
    "in_handling",
    "core.cases.approve",
    required=("reason",),
    guards=[handling_organ],
    effect=_noop,
)
APPROVE_OPINION = Transition(
    "approve_opinion",
    "批准并出具处理意见书",
    ("opinion_pending",),
    "opinion_issued",
    "core.cases.approve",
    guards=[handling_organ],
    effect=_approve_opinion,
    document="handling_opinion",
)


# --- delivery, and an assigned matter's completion report -------------------------------------


def _latest_slip(matter: Matter) -> AssignmentSlip | None:
    # A matter re-assigned after an accepted objection has several slips: the last one counts.
    return (
        db.session.execute(
            select(AssignmentSlip)
            .where(AssignmentSlip.matter_id == matter.id)
            .order_by(AssignmentSlip.id.desc())
        )
        .scalars()
        .first()
    )


def _record_delivery(matter: Matter, ctx: TransitionContext) -> None:
    delivered_on = add_delivery(matter, ctx, "handling")
    matter.reply_received_on = delivered_on
    stop_clock(matter, "outcome_notice", delivered_on)
    # The reply is out: a higher level's deadline for the matter is met (or missed) now.
    stop_clock(matter, "higher_deadline", delivered_on)
    if matter.triage_route == "assign":
        # An assigned matter goes back to the assigning bureau with its completion report.
        slip = _latest_slip(matter)
        if slip is not None and ctx.data.get("report"):
            slip.completion_report = str(ctx.data["report"])
        matter.state = "completion_review"
    else:
        matter.state = "review_window"
        clocks.start(matter, "review_window", delivered_on)


def _approve_completion(matter: Matter, ctx: TransitionContext) -> None:
    stop_clock(matter, "assignment", ctx.on)
    clocks.start(matter, "review_window", matter.reply_received_on or ctx.on)


def _send_back(matter: Matter, ctx: TransitionContext) -> None:
    slip = _latest_slip(matter)
    if slip is not None:
        slip.sent_back_count += 1
    # Redo: the handling clock runs again from today for the remaining work.
    clocks.start(matter, "handling", ctx.on, responsible_agency_id=matter.handling_agency_id)


RECORD_DELIVERY = Transition(
    "record_delivery",
    "登记送达",
    ("opinion_issued",),
    None,
    "core.cases.handle",
    required=("method",),
    guards=[handling_organ, delivery_valid("handling", "处理意见书")],
    effect=_record_delivery,
)
APPROVE_COMPLETION = Transition(
    "approve_completion",
    "审核通过办结报告",
    ("completion_review",),
    "review_window",
    "core.cases.supervise",
    effect=_approve_completion,
)
SEND_BACK = Transition(
    "send_back",
    "退回重办",
    ("completion_review",),
    "in_handling",
    "core.cases.supervise",
    required=("reason",),
    effect=_send_back,
)

#: This stage's steps, in the order the matter page lists them.
STEPS = (
    ACCEPT,
    PROPOSE,
    INSTRUCT,
    INVESTIGATE,
    EXTEND,
    DRAFT_OPINION,
    REJECT_DRAFT,
    APPROVE_OPINION,
    RECORD_DELIVERY,
    APPROVE_COMPLETION,
    SEND_BACK,
)
