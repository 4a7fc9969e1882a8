"""legal_aid's part of the matter's lifecycle (declared in its manifest): 诉访分离 as a step.

A duty lawyer who finds that a matter belongs in court, arbitration or administrative review
routes it there (导入法定途径, 条例第28条第2款、第31条): the matter leaves the petition track
(state ``referred_legal``, core's), every petition clock on it stops, it is flagged 涉法涉诉
so the satisfaction rating and the indicators that exclude such matters leave it out, and the
petitioner gets a written notice naming the route and the competent body. Core's own
``route_legal`` does this at triage for the petition department; this step is the lawyer's,
and may be taken while the matter is still being forwarded, assigned or handled.
"""

from __future__ import annotations

from core.api import ClockKind, DocumentKind, Lifecycle, Transition, stop_clock, utcnow

from .models import LEGAL_ROUTE_OF, ROUTES

STEP = "legal_aid_route"
#: The states from which a lawyer may lead a matter into a legal procedure.
SOURCES = ("registered", "forwarded", "assigned", "objected", "in_handling")
#: core's legal route → its label: the lawyer's choices, and core's other routes (offered when
#: the step is taken from the matter page, whose form lists every route core knows).
ROUTE_LABELS = {core: ROUTES[ours] for ours, core in LEGAL_ROUTE_OF.items()} | {
    "procuratorate": "检察监督",
    "police": "公安机关",
    "admin_procedure": "其他行政程序",
    "party_appeal": "党员申诉",
}


def _route_and_body(matter, ctx) -> str | None:
    if ctx.data.get("route") not in ROUTE_LABELS:
        return "请选择应当导入的法定途径（诉讼、仲裁、行政复议等）。"
    if not str(ctx.data.get("body") or "").strip():
        return "请填写受理该途径的有权机关（如××区劳动人事争议仲裁委员会）。"
    return None


def _route(matter, ctx) -> None:
    """Stop every petition clock, close the matter as routed, flag it 涉法涉诉."""
    for clock in list(matter.clocks):
        if clock.open:
            stop_clock(matter, clock.kind, ctx.on)
    matter.legal_route = ctx.data["route"]
    matter.closed_at = utcnow()
    if not matter.has_flag("law_related"):
        matter.flags = [*(matter.flags or []), "law_related"]
    ctx.document_context.update(
        route_label=ROUTE_LABELS[ctx.data["route"]],
        body=str(ctx.data["body"]).strip(),
        lawyer_name=ctx.data.get("lawyer_name") or "",
    )


LIFECYCLE = Lifecycle(
    transitions=(
        Transition(
            STEP,
            "导入法定途径（律师引导，诉访分离）",
            SOURCES,
            "referred_legal",
            "legal_aid.route",
            required=("route", "body"),
            guards=[_route_and_body],
            effect=_route,
            document="legal_route_notice",
        ),
    ),
    # A commissioned opinion's deadline (委托法律论证期限): the date the commission sets.
    clock_kinds={
        "legal_opinion": ClockKind("法律论证期限", "委托法律论证（委托时指定）", 0, fixed=True)
    },
    documents={
        "legal_route_notice": DocumentKind(
            "导入法定途径告知书", "法途告", "legal_aid/pdf/route_notice.html"
        ),
        "legal_opinion": DocumentKind("法律论证意见书", "律意", "legal_aid/pdf/opinion.html"),
    },
    timeline_kinds={"legal_aid": "律师参与"},
)
