"""Core's transitions of the matter lifecycle (REGULATION.md §1.5–§1.9, §9)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core.accounts.models import Agency, User
from core.cases.clocks import clocks
from core.cases.lifecycle.table import Transition, TransitionContext, register_transition
from core.cases.models import AssignmentSlip, Delivery, Matter, MatterAccess, Opinion
from core.cases.records.numbering import document_number
from core.db import utcnow
from core.extensions import db

OUTCOMES = {"support": "予以支持", "explain": "作出解释说明", "not_support": "不予支持"}
LEGAL_ROUTES = {
    "litigation": "诉讼",
    "procuratorate": "检察监督",
    "police": "公安机关",
    "arbitration": "仲裁",
    "labour_arbitration": "劳动人事争议仲裁",
    "admin_review": "行政复议",
    "admin_procedure": "其他行政程序",
    "party_appeal": "党员申诉",
}
NON_ACCEPTANCE_GROUNDS = {
    "legal_procedure": "已经或者依法应当通过诉讼、仲裁、行政复议等法定途径解决",
    "mediated": "已生效的调解协议处理的事项",
    "window_expired": "无正当理由超过复查、复核申请期限",
    "terminated": "已经复核终结，以同一事实和理由再次提出",
    "out_of_remit": "不属于本机关职权范围",
    "during_handling": "正在办理期间向上级机关就同一事项提出（条例第19条第3款）",
}
MAX_EXTENSION_DAYS = 30
DELIVERY_METHODS = {"in_person": "直接送达", "post": "邮寄送达", "other": "其他方式"}
PETITIONER_VIEWS = {"agree": "同意", "disagree": "不同意", "unclear": "无明确意见"}


def _agency(agency_id) -> Agency | None:
    try:
        return db.session.get(Agency, int(agency_id)) if agency_id else None
    except (TypeError, ValueError):
        return None


def _grant(matter: Matter, agency_id: int, role: str) -> None:
    exists = db.session.get(MatterAccess, (matter.id, agency_id))
    if exists is None:
        db.session.add(MatterAccess(matter_id=matter.id, agency_id=agency_id, role=role))


def _stop(matter: Matter, kind: str, on: date) -> None:
    clock = clocks.running(matter, kind)
    if clock is not None:
        clocks.stop(clock, on)


# --- guards -------------------------------------------------------------------------------


def _needs_target_agency(matter: Matter, ctx: TransitionContext) -> str | None:
    agency = _agency(ctx.data.get("agency_id"))
    if agency is None or not agency.active:
        return "请选择有权处理的机关（责任单位）。"
    if agency.id == matter.agency_id:
        return "不能转送或交办给本机关自己；属于本机关职权的事项请直接受理。"
    return None


def _deadline_in_future(matter: Matter, ctx: TransitionContext) -> str | None:
    deadline = ctx.data.get("deadline")
    if not isinstance(deadline, date) or deadline <= ctx.on:
        return "请填写晚于今天的办理期限。"
    return None


def _objection_in_time(matter: Matter, ctx: TransitionContext) -> str | None:
    clock = clocks.running(matter, "objection")
    if clock is None or not clocks.within(clock, ctx.on):
        due = clock.due.isoformat() if clock else "—"
        return f"已超过 5 个工作日的异议期（截至 {due}），不能再提出异议（条例第23条第3款）。"
    return None


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
        base = _agency(getattr(matter, field))
        if base is None or base.parent_id is None:
            return "找不到上一级机关，请先在机构管理中设置上级机构。"
        return None

    return guard


def _opinion_complete(matter: Matter, ctx: TransitionContext) -> str | None:
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


def _repeat_of_terminated(matter: Matter, ctx: TransitionContext) -> str | None:
    original = matter.repeat_of
    if original is None or original.state != "terminated":
        return "只有对已终结事项以同一事实和理由重复提出的，才出具不再受理告知书。"
    return None


def _one_of(key: str, choices: dict[str, str], message: str):
    def guard(matter: Matter, ctx: TransitionContext) -> str | None:
        return None if ctx.data.get(key) in choices else message

    return guard


def _follower_valid(matter: Matter, ctx: TransitionContext) -> str | None:
    try:
        follower = db.session.get(User, int(ctx.data.get("follower_id")))
    except (TypeError, ValueError):
        follower = None
    if follower is None or not follower.active:
        return "请选择有效的跟踪人。"
    return None


def _delivery_valid(clock_kind: str, title: str):
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


def acts_for(field: str, organ: str):
    """Only staff of the organ in charge of this step (or of an organ above it) may take it.

    Record rules decide who may *see* a matter; an agency that saw it once (e.g. a unit whose
    objection was accepted) must not go on deciding it.
    """

    def guard(matter: Matter, ctx: TransitionContext) -> str | None:
        target = _agency(getattr(matter, field) or matter.agency_id)
        actor = ctx.actor
        if target is None or actor is None:
            return None
        mine = [a for a in [actor.agency, *actor.extra_agencies] if a is not None]
        if any(target.path.startswith(a.path) for a in mine):
            return None
        return f"只有{organ}（{target.name}）或其上级机关的人员可以办理此步骤。"

    return guard


_handling_organ = acts_for("handling_agency_id", "承办单位")
_review_organ = acts_for("review_agency_id", "复查机关")
_reexam_organ = acts_for("reexam_agency_id", "复核机关")


# --- effects -------------------------------------------------------------------------------


def _route_to(route: str, role: str):
    def effect(matter: Matter, ctx: TransitionContext) -> None:
        agency = _agency(ctx.data["agency_id"])
        matter.triage_route = route
        matter.handling_agency_id = agency.id
        _grant(matter, agency.id, role)
        _stop(matter, "disposition", ctx.on)
        clocks.start(matter, "acceptance", ctx.on, responsible_agency_id=agency.id)
        clocks.start(matter, "objection", ctx.on, responsible_agency_id=agency.id)
        ctx.document_context["target_agency"] = agency
        if route == "assign":
            deadline = ctx.data["deadline"]
            slip = AssignmentSlip(
                matter_id=matter.id,
                number=document_number("交", ctx.on),
                assigning_agency_id=matter.agency_id,
                responsible_agency_id=agency.id,
                leader=ctx.data.get("leader") or None,
                standard=ctx.data["standard"],
                deadline=deadline,
            )
            db.session.add(slip)
            clocks.start(
                matter, "assignment", ctx.on, responsible_agency_id=agency.id, due=deadline
            )
            ctx.document_context["slip"] = slip

    return effect


def _end_at_triage(matter: Matter, ctx: TransitionContext) -> None:
    _stop(matter, "disposition", ctx.on)
    _stop(matter, "acceptance", ctx.on)
    matter.closed_at = utcnow()
    if ctx.data.get("route"):
        matter.legal_route = ctx.data["route"]
    ctx.document_context["grounds"] = NON_ACCEPTANCE_GROUNDS.get(ctx.data.get("ground", ""), "")
    ctx.document_context["route_label"] = LEGAL_ROUTES.get(ctx.data.get("route", ""), "")


def _object(matter: Matter, ctx: TransitionContext) -> None:
    _stop(matter, "objection", ctx.on)


def _accept_objection(matter: Matter, ctx: TransitionContext) -> None:
    # The materials go back to the sender, who triages again (条例第23条第3款).
    for kind in ("acceptance", "assignment"):
        clock = clocks.running(matter, kind)
        if clock is not None:
            clock.state = "cancelled"
            clock.stopped_on = ctx.on
    matter.handling_agency_id = None
    matter.triage_route = None
    matter.state = "registered"


def _reject_objection(matter: Matter, ctx: TransitionContext) -> None:
    matter.state = "assigned" if matter.triage_route == "assign" else "forwarded"


def _accept(matter: Matter, ctx: TransitionContext) -> None:
    if matter.handling_agency_id is None:
        # Accepted directly by the organ first approached (条例第23条第2款).
        matter.handling_agency_id = matter.agency_id
        _stop(matter, "disposition", ctx.on)
    _stop(matter, "acceptance", ctx.on)
    _stop(matter, "objection", ctx.on)
    matter.accepted_on = ctx.on
    if ctx.data.get("handler_id"):
        matter.handler_id = int(ctx.data["handler_id"])
    elif ctx.actor is not None:
        matter.handler_id = ctx.actor.id
    clocks.start(matter, "handling", ctx.on, responsible_agency_id=matter.handling_agency_id)


def _extend(matter: Matter, ctx: TransitionContext) -> None:
    days = int(ctx.data["days"])
    matter.extended_days = days
    clock = clocks.running(matter, "handling")
    if clock is not None:
        clocks.extend(clock, days)
        ctx.document_context["new_due"] = clock.due
    ctx.document_context["days"] = days
    ctx.document_context["reason"] = ctx.data["reason"]


def _draft_opinion(level: str, agency_field: str):
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
            _finish_opinion(matter, opinion, ctx)

    return effect


def _finish_opinion(matter: Matter, opinion: Opinion, ctx: TransitionContext) -> None:
    opinion.approved_by_id = getattr(ctx.actor, "id", None)
    opinion.approved_at = utcnow()
    outcomes = {d["outcome"] for d in opinion.demands}
    matter.outcome = outcomes.pop() if len(outcomes) == 1 else "partial"


def _latest_opinion(matter: Matter, level: str) -> Opinion | None:
    return (
        db.session.execute(
            select(Opinion)
            .where(Opinion.matter_id == matter.id, Opinion.level == level)
            .order_by(Opinion.id.desc())
        )
        .scalars()
        .first()
    )


def _approve_opinion(matter: Matter, ctx: TransitionContext) -> None:
    opinion = _latest_opinion(matter, "handling")
    _finish_opinion(matter, opinion, ctx)
    _stop(matter, "handling", ctx.on)
    ctx.document_context["opinion"] = opinion


def _add_delivery(matter: Matter, ctx: TransitionContext, level: str) -> date:
    opinion = _latest_opinion(matter, level)
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


def _record_delivery(matter: Matter, ctx: TransitionContext) -> None:
    delivered_on = _add_delivery(matter, ctx, "handling")
    matter.reply_received_on = delivered_on
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
    _stop(matter, "assignment", ctx.on)
    clocks.start(matter, "review_window", matter.reply_received_on or ctx.on)


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


def _send_back(matter: Matter, ctx: TransitionContext) -> None:
    slip = _latest_slip(matter)
    if slip is not None:
        slip.sent_back_count += 1
    # Redo: the handling clock runs again from today for the remaining work.
    clocks.start(matter, "handling", ctx.on, responsible_agency_id=matter.handling_agency_id)


def _request_review(matter: Matter, ctx: TransitionContext) -> None:
    _stop(matter, "review_window", ctx.on)
    higher = _agency(matter.handling_agency_id or matter.agency_id).parent
    matter.review_agency_id = higher.id
    _grant(matter, higher.id, "review")
    clocks.start(matter, "review", ctx.on, responsible_agency_id=higher.id)


def _review_opinion_done(matter: Matter, ctx: TransitionContext) -> None:
    _stop(matter, "review", ctx.on)
    # Until its delivery is recorded, the opinion counts as received the day it is issued.
    delivered = ctx.data.get("delivered_on")
    start = delivered if isinstance(delivered, date) and delivered >= ctx.on else ctx.on
    clocks.start(matter, "reexam_window", start)


def _record_review_delivery(matter: Matter, ctx: TransitionContext) -> None:
    # The re-review window runs from the petitioner's receipt of the review opinion (条例第36条),
    # not from the day it was signed: a review opinion sent by post restarts it.
    delivered_on = _add_delivery(matter, ctx, "review")
    window = clocks.running(matter, "reexam_window")
    if window is not None:
        window.state = "cancelled"
        window.stopped_on = ctx.on
    clocks.start(matter, "reexam_window", delivered_on)


def _request_reexam(matter: Matter, ctx: TransitionContext) -> None:
    _stop(matter, "reexam_window", ctx.on)
    higher = _agency(matter.review_agency_id).parent
    matter.reexam_agency_id = higher.id
    _grant(matter, higher.id, "reexam")
    clocks.start(matter, "reexam", ctx.on, responsible_agency_id=higher.id)


def _reexam_opinion_done(matter: Matter, ctx: TransitionContext) -> None:
    _stop(matter, "reexam", ctx.on)
    matter.termination_reason = "复核终结（三级终结）"
    matter.closed_at = utcnow()


def _issue_higher_opinion(matter: Matter, ctx: TransitionContext, level: str) -> None:
    _draft_opinion(level, f"{level}_agency_id")(matter, ctx)
    if level == "review":
        _review_opinion_done(matter, ctx)
    else:
        _reexam_opinion_done(matter, ctx)


def _supervise(matter: Matter, ctx: TransitionContext) -> None:
    matter.supervised = True
    matter.follower_id = int(ctx.data["follower_id"])


def _no_further(matter: Matter, ctx: TransitionContext) -> None:
    _end_at_triage(matter, ctx)
    ctx.document_context["original"] = matter.repeat_of


def _answer(matter: Matter, ctx: TransitionContext) -> None:
    _end_at_triage(matter, ctx)
    matter.outcome = "answered"


def _noop(matter: Matter, ctx: TransitionContext) -> None:
    """Actions that only leave a timeline entry (拟办, 阅批, 调查笔记)."""


OPEN_STATES = (
    "registered",
    "forwarded",
    "assigned",
    "objected",
    "in_handling",
    "suspended",
    "opinion_pending",
    "opinion_issued",
    "completion_review",
    "review_window",
    "review_requested",
    "reexam_window",
    "reexam_requested",
)

for t in (
    Transition(
        "forward",
        "转送",
        ("registered",),
        "forwarded",
        "core.cases.triage",
        required=("agency_id",),
        guards=[_needs_target_agency],
        effect=_route_to("forward", "handling"),
    ),
    Transition(
        "assign",
        "交办",
        ("registered",),
        "assigned",
        "core.cases.triage",
        required=("agency_id", "standard", "deadline"),
        guards=[_needs_target_agency, _deadline_in_future],
        effect=_route_to("assign", "handling"),
        document="assignment_slip",
    ),
    Transition(
        "route_legal",
        "导入法定途径（诉访分离）",
        ("registered",),
        "referred_legal",
        "core.cases.triage",
        required=("route",),
        guards=[_one_of("route", LEGAL_ROUTES, "请选择应当导入的法定途径（诉讼、仲裁等）。")],
        effect=_end_at_triage,
        document="non_acceptance_notice",
    ),
    Transition(
        "refer_discipline",
        "转纪检监察机关",
        ("registered",),
        "referred_discipline",
        "core.cases.triage",
        effect=_end_at_triage,
    ),
    Transition(
        "not_accept",
        "不予受理",
        ("registered",),
        "not_accepted",
        "core.cases.triage",
        required=("ground",),
        guards=[_one_of("ground", NON_ACCEPTANCE_GROUNDS, "请选择不予受理的理由。")],
        effect=_end_at_triage,
        document="non_acceptance_notice",
    ),
    Transition(
        "refuse_repeat",
        "不再受理（已终结事项重复信访）",
        ("registered",),
        "not_accepted",
        "core.cases.triage",
        guards=[_repeat_of_terminated],
        effect=_no_further,
        document="no_further_notice",
    ),
    Transition(
        "answer_on_spot",
        "当场答复",
        ("registered",),
        "answered",
        "core.cases.triage",
        required=("answer",),
        effect=_answer,
    ),
    Transition(
        "object",
        "提出异议（不属本机关职权）",
        ("forwarded", "assigned"),
        "objected",
        "core.cases.handle",
        required=("reason",),
        guards=[_handling_organ, _objection_in_time],
        effect=_object,
    ),
    Transition(
        "accept_objection",
        "同意异议，退回重新分流",
        ("objected",),
        None,
        "core.cases.triage",
        effect=_accept_objection,
    ),
    Transition(
        "reject_objection",
        "不同意异议",
        ("objected",),
        None,
        "core.cases.triage",
        required=("reason",),
        effect=_reject_objection,
    ),
    Transition(
        "accept",
        "受理并书面告知",
        ("registered", "forwarded", "assigned"),
        "in_handling",
        "core.cases.handle",
        guards=[_handling_organ],
        effect=_accept,
        document="acceptance_notice",
    ),
    Transition(
        "propose",
        "拟办意见",
        ("registered", "in_handling"),
        None,
        "core.cases.register",
        required=("text",),
        effect=_noop,
    ),
    Transition(
        "instruct",
        "领导阅批",
        ("registered", "in_handling", "completion_review"),
        None,
        "core.cases.instruct",
        required=("text",),
        effect=_noop,
    ),
    Transition(
        "investigate",
        "调查笔记",
        ("in_handling",),
        None,
        "core.cases.handle",
        required=("text",),
        guards=[_handling_organ],
        effect=_noop,
    ),
    Transition(
        "extend",
        "延期办理（经负责人批准）",
        ("in_handling",),
        None,
        "core.cases.approve",
        required=("days", "reason"),
        guards=[_handling_organ, _extension_allowed],
        effect=_extend,
        document="extension_notice",
    ),
    Transition(
        "draft_opinion",
        "拟写处理意见",
        ("in_handling",),
        "opinion_pending",
        "core.cases.handle",
        required=("facts", "basis", "demands"),
        guards=[_handling_organ, _opinion_complete],
        effect=_draft_opinion("handling", "handling_agency_id"),
    ),
    Transition(
        "reject_draft",
        "退回修改处理意见",
        ("opinion_pending",),
        "in_handling",
        "core.cases.approve",
        required=("reason",),
        guards=[_handling_organ],
        effect=_noop,
    ),
    Transition(
        "approve_opinion",
        "批准并出具处理意见书",
        ("opinion_pending",),
        "opinion_issued",
        "core.cases.approve",
        guards=[_handling_organ],
        effect=_approve_opinion,
        document="handling_opinion",
    ),
    Transition(
        "record_delivery",
        "登记送达",
        ("opinion_issued",),
        None,
        "core.cases.handle",
        required=("method",),
        guards=[_handling_organ, _delivery_valid("handling", "处理意见书")],
        effect=_record_delivery,
    ),
    Transition(
        "approve_completion",
        "审核通过办结报告",
        ("completion_review",),
        "review_window",
        "core.cases.supervise",
        effect=_approve_completion,
    ),
    Transition(
        "send_back",
        "退回重办",
        ("completion_review",),
        "in_handling",
        "core.cases.supervise",
        required=("reason",),
        effect=_send_back,
    ),
    Transition(
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
    ),
    Transition(
        "issue_review_opinion",
        "出具复查意见书",
        ("review_requested",),
        "reexam_window",
        "core.cases.review",
        required=("facts", "basis", "demands"),
        guards=[_review_organ, _opinion_complete],
        effect=lambda m, c: _issue_higher_opinion(m, c, "review"),
        document="review_opinion",
    ),
    Transition(
        "record_review_delivery",
        "登记复查意见书送达",
        ("reexam_window",),
        None,
        "core.cases.review",
        required=("method", "delivered_on"),
        guards=[_review_organ, _delivery_valid("review", "复查意见书")],
        effect=_record_review_delivery,
    ),
    Transition(
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
    ),
    Transition(
        "issue_reexam_opinion",
        "出具复核意见书（终结）",
        ("reexam_requested",),
        "terminated",
        "core.cases.review",
        required=("facts", "basis", "demands"),
        guards=[_reexam_organ, _opinion_complete],
        effect=lambda m, c: _issue_higher_opinion(m, c, "reexam"),
        document="reexam_opinion",
    ),
    Transition(
        "supervise",
        "督办（指定跟踪人）",
        OPEN_STATES,
        None,
        "core.cases.supervise",
        required=("follower_id", "text"),
        guards=[_follower_valid],
        effect=_supervise,
    ),
):
    register_transition(t)
