"""Review and re-review (复查、复核) by the organs above, ending in termination (终结).

条例第35–36条: within 30 days of receiving the opinion the petitioner may ask the organ one level
up to review it, which answers within 30 days; within 30 days of receiving the review opinion,
the organ above that to re-review it, whose opinion terminates the matter (三级终结).
"""

from __future__ import annotations

from datetime import date

from core.cases.clocks import clocks
from core.cases.lifecycle.opinions import (
    add_delivery,
    delivery_valid,
    draft_opinion,
    opinion_complete,
)
from core.cases.lifecycle.shared import acts_for, find_agency, grant_access, stop_clock
from core.cases.lifecycle.table import Transition, TransitionContext
from core.cases.models import Matter
from core.db import utcnow

_review_organ = acts_for("review_agency_id", "复查机关")
_reexam_organ = acts_for("reexam_agency_id", "复核机关")


def _window_open(kind: str, label: str, article: str):
    def guard(matter: Matter, ctx: TransitionContext) -> str | None:
        clock = clocks.running(matter, kind)
        if clock is None or not clocks.within(clock, ctx.on):
            due = clock.due.isoformat() if clock else "—"
            return f"已超过{label}（截至 {due}），不予受理（{article}）。"
        return None

    return guard


def _has_higher_organ(field: str):
    def guard(matter: Matter, ctx: TransitionContext) -> str | None:
        base = find_agency(getattr(matter, field))
        if base is None or base.parent_id is None:
            return "找不到上一级机关，请先在机构管理中设置上级机构。"
        return None

    return guard


def _issue_higher_opinion(matter: Matter, ctx: TransitionContext, level: str) -> None:
    draft_opinion(level, f"{level}_agency_id")(matter, ctx)
    if level == "review":
        _review_opinion_done(matter, ctx)
    else:
        _reexam_opinion_done(matter, ctx)


# --- review (复查, 条例第35条) ------------------------------------------------------------------


def _request_review(matter: Matter, ctx: TransitionContext) -> None:
    stop_clock(matter, "review_window", ctx.on)
    higher = find_agency(matter.handling_agency_id or matter.agency_id).parent
    matter.review_agency_id = higher.id
    grant_access(matter, higher.id, "review")
    clocks.start(matter, "review", ctx.on, responsible_agency_id=higher.id)


def _review_opinion_done(matter: Matter, ctx: TransitionContext) -> None:
    stop_clock(matter, "review", ctx.on)
    # Until its delivery is recorded, the opinion counts as received the day it is issued.
    delivered = ctx.data.get("delivered_on")
    start = delivered if isinstance(delivered, date) and delivered >= ctx.on else ctx.on
    clocks.start(matter, "reexam_window", start)


def _record_review_delivery(matter: Matter, ctx: TransitionContext) -> None:
    # The re-review window runs from the petitioner's receipt of the review opinion (条例第36条),
    # not from the day it was signed: a review opinion sent by post restarts it.
    delivered_on = add_delivery(matter, ctx, "review")
    window = clocks.running(matter, "reexam_window")
    if window is not None:
        window.state = "cancelled"
        window.stopped_on = ctx.on
    clocks.start(matter, "reexam_window", delivered_on)


REQUEST_REVIEW = Transition(
    "request_review",
    "登记复查申请",
    ("review_window",),
    "review_requested",
    "core.cases.review",
    guards=[
        _window_open("review_window", "30 日复查申请期", "条例第35条"),
        _has_higher_organ("handling_agency_id"),
    ],
    effect=_request_review,
)
ISSUE_REVIEW_OPINION = Transition(
    "issue_review_opinion",
    "出具复查意见书",
    ("review_requested",),
    "reexam_window",
    "core.cases.review",
    required=("facts", "basis", "demands"),
    guards=[_review_organ, opinion_complete],
    effect=lambda m, c: _issue_higher_opinion(m, c, "review"),
    document="review_opinion",
)
RECORD_REVIEW_DELIVERY = Transition(
    "record_review_delivery",
    "登记复查意见书送达",
    ("reexam_window",),
    None,
    "core.cases.review",
    required=("method", "delivered_on"),
    guards=[_review_organ, delivery_valid("review", "复查意见书")],
    effect=_record_review_delivery,
)


# --- re-review (复核, 条例第36条), which terminates the matter -----------------------------------


def _request_reexam(matter: Matter, ctx: TransitionContext) -> None:
    stop_clock(matter, "reexam_window", ctx.on)
    higher = find_agency(matter.review_agency_id).parent
    matter.reexam_agency_id = higher.id
    grant_access(matter, higher.id, "reexam")
    clocks.start(matter, "reexam", ctx.on, responsible_agency_id=higher.id)


def _reexam_opinion_done(matter: Matter, ctx: TransitionContext) -> None:
    stop_clock(matter, "reexam", ctx.on)
    matter.termination_reason = "复核终结（三级终结）"
    matter.closed_at = utcnow()


REQUEST_REEXAM = Transition(
    "request_reexam",
    "登记复核申请",
    ("reexam_window",),
    "reexam_requested",
    "core.cases.review",
    guards=[
        _window_open("reexam_window", "30 日复核申请期", "条例第36条"),
        _has_higher_organ("review_agency_id"),
    ],
    effect=_request_reexam,
)
ISSUE_REEXAM_OPINION = Transition(
    "issue_reexam_opinion",
    "出具复核意见书（终结）",
    ("reexam_requested",),
    "terminated",
    "core.cases.review",
    required=("facts", "basis", "demands"),
    guards=[_reexam_organ, opinion_complete],
    effect=lambda m, c: _issue_higher_opinion(m, c, "reexam"),
    document="reexam_opinion",
)

#: This stage's steps, in the order the matter page lists them.
STEPS = (
    REQUEST_REVIEW,
    ISSUE_REVIEW_OPINION,
    RECORD_REVIEW_DELIVERY,
    REQUEST_REEXAM,
    ISSUE_REEXAM_OPINION,
)
