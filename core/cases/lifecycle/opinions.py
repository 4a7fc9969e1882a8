"""Opinions and their delivery, the same at every level (处理、复查、复核意见; 条例第32条).

The handling unit drafts an opinion that its leader approves (``handling``); the review and
re-review organs issue theirs at once (``review``). Either way each of the petitioner's
requests gets one outcome, the facts and the basis are written down, and the opinion's delivery
to the petitioner is recorded.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core.cases.lifecycle.table import TransitionContext
from core.cases.models import Delivery, Matter, Opinion
from core.db import utcnow
from core.extensions import db

OUTCOMES = {"support": "予以支持", "explain": "作出解释说明", "not_support": "不予支持"}
DELIVERY_METHODS = {"in_person": "直接送达", "post": "邮寄送达", "other": "其他方式"}
PETITIONER_VIEWS = {"agree": "同意", "disagree": "不同意", "unclear": "无明确意见"}


# --- writing it -------------------------------------------------------------------------------


def opinion_complete(matter: Matter, ctx: TransitionContext) -> str | None:
    """Guard: every request has a text and an outcome; facts and basis are written."""
    demands = ctx.data.get("demands") or []
    if not demands or not isinstance(demands, list):
        return "请逐项填写信访人的请求及处理结果。"
    for d in demands:
        if (
            not isinstance(d, dict)
            or not str(d.get("demand") or "").strip()
            or d.get("outcome") not in OUTCOMES
        ):
            return "每一项请求都须写明内容并选择“予以支持 / 作出解释说明 / 不予支持”之一。"
    for key, label in (("facts", "事实和理由"), ("basis", "依据")):
        if not (ctx.data.get(key) or "").strip():
            return f"处理意见须写明{label}（条例第32条）。"
    return None


def draft_opinion(level: str, agency_field: str):
    """Effect: write the opinion of ``level``; above handling it is issued at once."""

    def effect(matter: Matter, ctx: TransitionContext) -> None:
        demands = [
            {"demand": d["demand"].strip(), "outcome": d["outcome"]} for d in ctx.data["demands"]
        ]
        opinion = Opinion(
            matter_id=matter.id,
            level=level,
            request=ctx.data.get("request") or "；".join(d["demand"] for d in demands),
            facts=ctx.data["facts"],
            basis=ctx.data["basis"],
            decision=ctx.data.get("decision") or "",
            demands=demands,
            agency_id=getattr(matter, agency_field) or matter.agency_id,
            drafted_by_id=getattr(ctx.actor, "id", None),
            hearing_held=bool(ctx.data.get("hearing_held")),
        )
        db.session.add(opinion)
        ctx.document_context["opinion"] = opinion
        if level != "handling":
            finish_opinion(matter, opinion, ctx)

    return effect


def finish_opinion(matter: Matter, opinion: Opinion, ctx: TransitionContext) -> None:
    """Approve ``opinion`` as the acting user; the matter's outcome follows its requests'."""
    opinion.approved_by_id = getattr(ctx.actor, "id", None)
    opinion.approved_at = utcnow()
    outcomes = {d["outcome"] for d in opinion.demands}
    matter.outcome = outcomes.pop() if len(outcomes) == 1 else "partial"


def latest_opinion(matter: Matter, level: str) -> Opinion | None:
    """The matter's newest opinion of ``level``."""
    return (
        db.session.execute(
            select(Opinion)
            .where(Opinion.matter_id == matter.id, Opinion.level == level)
            .order_by(Opinion.id.desc())
        )
        .scalars()
        .first()
    )


# --- delivering it ----------------------------------------------------------------------------


def delivery_valid(clock_kind: str, title: str):
    """Check a delivery record; ``clock_kind`` is the clock the opinion's issue stopped."""

    def guard(matter: Matter, ctx: TransitionContext) -> str | None:
        if ctx.data.get("method") not in DELIVERY_METHODS:
            return "请选择送达方式（直接送达、邮寄送达或其他方式）。"
        view = ctx.data.get("petitioner_view")
        if view not in (None, "") and view not in PETITIONER_VIEWS:
            return "请选择信访人意见（同意、不同意或无明确意见）。"
        delivered = ctx.data.get("delivered_on")
        if delivered in (None, ""):
            return None
        if not isinstance(delivered, date):
            return "送达日期无效。"
        if delivered > ctx.on:
            return "送达日期不能晚于登记送达的日期。"
        issued = _issued_on(matter, clock_kind)
        if issued is not None and delivered < issued:
            return f"送达日期不能早于{title}出具日期（{issued.isoformat()}）。"
        return None

    return guard


def _issued_on(matter: Matter, clock_kind: str) -> date | None:
    """The day the current opinion was issued: its handling or review clock stopped then."""
    stopped = [c for c in matter.clocks if c.kind == clock_kind and c.stopped_on]
    return stopped[-1].stopped_on if stopped else None


def add_delivery(matter: Matter, ctx: TransitionContext, level: str) -> date:
    """Record the delivery of the newest opinion of ``level``; return the day it arrived."""
    opinion = latest_opinion(matter, level)
    delivered_on = ctx.data.get("delivered_on") or ctx.on
    db.session.add(
        Delivery(
            matter_id=matter.id,
            opinion_id=opinion.id,
            method=ctx.data.get("method") or "in_person",
            deliverer=ctx.data.get("deliverer") or getattr(ctx.actor, "display_name", ""),
            deliverer_phone=ctx.data.get("deliverer_phone"),
            delivered_on=delivered_on,
            signed=bool(ctx.data.get("signed", True)),
            petitioner_view=ctx.data.get("petitioner_view") or "unclear",
        )
    )
    return delivered_on
