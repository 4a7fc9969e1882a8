"""Triage (分流) of a registered matter: forward, assign, end it at once, or hear an objection.

条例第22–23条: the organ first approached forwards the matter to the organ with power to handle
it, assigns it with a deadline, refers it to the legal route or the discipline organs, does not
accept it (with a written notice), or answers on the spot; a unit it was sent to may object
within 5 working days, and the sender then triages again.
"""

from __future__ import annotations

from datetime import date

from core.cases.clocks import clocks
from core.cases.lifecycle.shared import (
    find_agency,
    grant_access,
    handling_organ,
    notice_owed,
    stop_clock,
)
from core.cases.lifecycle.table import Transition, TransitionContext
from core.cases.models import AssignmentSlip, Matter
from core.cases.records.numbering import document_number
from core.cases.records.timeline import add_entry
from core.db import utcnow
from core.extensions import db

LEGAL_ROUTES = {
    "litigation": "诉讼",
    "appeal": "申诉（申请再审）",
    "admin_litigation": "行政诉讼",
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


# --- forward, assign --------------------------------------------------------------------------


def _needs_target_agency(matter: Matter, ctx: TransitionContext) -> str | None:
    agency = find_agency(ctx.data.get("agency_id"))
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


def _route_to(route: str, role: str):
    def effect(matter: Matter, ctx: TransitionContext) -> None:
        agency = find_agency(ctx.data["agency_id"])
        matter.triage_route = route
        matter.handling_agency_id = agency.id
        grant_access(matter, agency.id, role)
        stop_clock(matter, "disposition", ctx.on)
        if notice_owed(matter):
            clocks.start(matter, "acceptance", ctx.on, responsible_agency_id=agency.id)
        else:
            add_entry(
                matter,
                "clock",
                "不计告知期限",
                "信访人姓名（名称）或地址不清，无需书面告知（条例第23条第2款），"
                "不计 15 日告知期限。",
            )
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


FORWARD = Transition(
    "forward",
    "转送",
    ("registered",),
    "forwarded",
    "core.cases.triage",
    required=("agency_id",),
    guards=[_needs_target_agency],
    effect=_route_to("forward", "handling"),
)
ASSIGN = Transition(
    "assign",
    "交办",
    ("registered",),
    "assigned",
    "core.cases.triage",
    required=("agency_id", "standard", "deadline"),
    guards=[_needs_target_agency, _deadline_in_future],
    effect=_route_to("assign", "handling"),
    document="assignment_slip",
)


# --- ending at triage: legal route, discipline organs, not accepted, answered -----------------


def _one_of(key: str, choices: dict[str, str], message: str):
    def guard(matter: Matter, ctx: TransitionContext) -> str | None:
        return None if ctx.data.get(key) in choices else message

    return guard


def _end_at_triage(matter: Matter, ctx: TransitionContext) -> None:
    stop_clock(matter, "disposition", ctx.on)
    stop_clock(matter, "acceptance", ctx.on)
    stop_clock(matter, "higher_deadline", ctx.on)
    matter.closed_at = utcnow()
    if ctx.data.get("route"):
        matter.legal_route = ctx.data["route"]
    ctx.document_context["grounds"] = NON_ACCEPTANCE_GROUNDS.get(ctx.data.get("ground", ""), "")
    ctx.document_context["route_label"] = LEGAL_ROUTES.get(ctx.data.get("route", ""), "")


def _repeat_of_terminated(matter: Matter, ctx: TransitionContext) -> str | None:
    original = matter.repeat_of
    if original is None or original.state != "terminated":
        return "只有对已终结事项以同一事实和理由重复提出的，才出具不再受理告知书。"
    return None


def _no_further(matter: Matter, ctx: TransitionContext) -> None:
    _end_at_triage(matter, ctx)
    ctx.document_context["original"] = matter.repeat_of


def _answer(matter: Matter, ctx: TransitionContext) -> None:
    _end_at_triage(matter, ctx)
    matter.outcome = "answered"


ROUTE_LEGAL = Transition(
    "route_legal",
    "导入法定途径（诉访分离）",
    ("registered",),
    "referred_legal",
    "core.cases.triage",
    required=("route",),
    guards=[_one_of("route", LEGAL_ROUTES, "请选择应当导入的法定途径（诉讼、仲裁等）。")],
    effect=_end_at_triage,
    document="non_acceptance_notice",
)
REFER_DISCIPLINE = Transition(
    "refer_discipline",
    "转纪检监察机关",
    ("registered",),
    "referred_discipline",
    "core.cases.triage",
    effect=_end_at_triage,
)
NOT_ACCEPT = Transition(
    "not_accept",
    "不予受理",
    ("registered",),
    "not_accepted",
    "core.cases.triage",
    required=("ground",),
    guards=[_one_of("ground", NON_ACCEPTANCE_GROUNDS, "请选择不予受理的理由。")],
    effect=_end_at_triage,
    document="non_acceptance_notice",
)
REFUSE_REPEAT = Transition(
    "refuse_repeat",
    "不再受理（已终结事项重复信访）",
    ("registered",),
    "not_accepted",
    "core.cases.triage",
    guards=[_repeat_of_terminated],
    effect=_no_further,
    document="no_further_notice",
)
ANSWER_ON_SPOT = Transition(
    "answer_on_spot",
    "当场答复",
    ("registered",),
    "answered",
    "core.cases.triage",
    required=("answer",),
    effect=_answer,
)


# --- objection by the unit it was sent to (条例第23条第3款) -----------------------------------


def _objection_in_time(matter: Matter, ctx: TransitionContext) -> str | None:
    clock = clocks.running(matter, "objection")
    if clock is None or not clocks.within(clock, ctx.on):
        due = clock.due.isoformat() if clock else "—"
        return f"已超过 5 个工作日的异议期（截至 {due}），不能再提出异议（条例第23条第3款）。"
    return None


def _object(matter: Matter, ctx: TransitionContext) -> None:
    stop_clock(matter, "objection", ctx.on)


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


OBJECT = Transition(
    "object",
    "提出异议（不属本机关职权）",
    ("forwarded", "assigned"),
    "objected",
    "core.cases.handle",
    required=("reason",),
    guards=[handling_organ, _objection_in_time],
    effect=_object,
)
ACCEPT_OBJECTION = Transition(
    "accept_objection",
    "同意异议，退回重新分流",
    ("objected",),
    None,
    "core.cases.triage",
    effect=_accept_objection,
)
REJECT_OBJECTION = Transition(
    "reject_objection",
    "不同意异议",
    ("objected",),
    None,
    "core.cases.triage",
    required=("reason",),
    effect=_reject_objection,
)

#: This stage's steps, in the order the matter page lists them.
STEPS = (
    FORWARD,
    ASSIGN,
    ROUTE_LEGAL,
    REFER_DISCIPLINE,
    NOT_ACCEPT,
    REFUSE_REPEAT,
    ANSWER_ON_SPOT,
    OBJECT,
    ACCEPT_OBJECTION,
    REJECT_OBJECTION,
)
