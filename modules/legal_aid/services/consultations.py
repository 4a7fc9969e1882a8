"""Consultations (法律咨询): the question, the advice, the route and its competent body.

A consultation on a matter recommending a route out of the petition track (litigation,
arbitration, administrative review …) routes the matter by the module's lifecycle step
(``legal_aid_route`` through core's ``perform``) in the same transaction: the consultation,
the matter's new state, its stopped clocks, the notice and the audit events commit together,
or nothing does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, or_, select

from core.api import (
    FINAL_STATES,
    STATES,
    Matter,
    add_timeline_entry,
    check_version,
    current_actor,
    db,
    find_visible_matter,
    has_permission,
    perform,
    personal_value,
    record_audit,
    render_pdf,
    today,
    transactional,
)

from ..lifecycle import SOURCES, STEP
from ..models import KINDS, LEGAL_ROUTE_OF, ROUTES, Consultation, Lawyer
from .attach import conflict_message
from .common import LegalAidError, current_lawyer, refuse

#: The longest a consultation may be booked for, in minutes (a working day).
MAX_MINUTES = 480


@dataclass
class ConsultationInput:
    """What the lawyer enters about a consultation."""

    question: str
    advice: str = ""
    route: str = ""
    body: str = ""
    minutes: int | None = 30
    matter_number: str = ""
    visitor_name: str = ""
    visitor_phone: str = ""
    consulted_on: date | None = None
    kind: str = "consultation"


def _check(data: ConsultationInput, matter: Matter | None) -> None:
    errors = {}
    if data.matter_number.strip() and matter is None:
        errors["matter_number"] = "未找到该信访事项，或您无权查看。"
    if matter is None and not data.visitor_name.strip():
        errors["visitor_name"] = "未关联信访事项时，请填写来访人姓名。"
    if not data.question.strip():
        errors["question"] = "请填写咨询的问题。"
    if data.kind not in KINDS:
        errors["kind"] = "请选择类别。"
    if data.kind == "analysis" and matter is None:
        errors["matter_number"] = "法律论证须关联信访事项。"
    if data.route and data.route not in ROUTES:
        errors["route"] = "请选择建议的途径。"
    if data.route in LEGAL_ROUTE_OF and not data.body.strip():
        errors["body"] = "请填写有权处理的机关（如××区劳动人事争议仲裁委员会）。"
    if data.minutes is None or not 1 <= data.minutes <= MAX_MINUTES:
        errors["minutes"] = f"请填写用时（1 至 {MAX_MINUTES} 分钟）。"
    if data.consulted_on and data.consulted_on > today():
        errors["consulted_on"] = "咨询日期不能晚于今天。"
    if errors:
        raise LegalAidError("填写的信息有误，请按提示修改。", errors)


def _serving_lawyer(matter: Matter | None) -> Lawyer:
    lawyer = current_lawyer()
    if lawyer is None:
        raise refuse("您的账户未登记在律师名册中，请联系司法局或信访部门登记。")
    if not lawyer.may_serve:
        raise refuse(f"您在律师名册中为“{lawyer.status_label}”状态，不能记录法律咨询。")
    if matter is not None:
        problem = conflict_message(lawyer, matter)
        if problem:
            raise refuse(problem, "matter_number")
    return lawyer


def _route(c: Consultation, matter: Matter, lawyer: Lawyer) -> None:
    """诉访分离: a legal route routes the matter; other advice goes on its timeline."""
    if c.route in LEGAL_ROUTE_OF and matter.state not in FINAL_STATES:
        if matter.state not in SOURCES:
            raise refuse(
                f"事项当前为“{STATES.get(matter.state, matter.state)}”，律师不能将其导入法定途径；"
                "请选择“继续按信访程序办理”，由承办机关依法处理。",
                "route",
            )
        perform(
            matter,
            STEP,
            {
                "route": LEGAL_ROUTE_OF[c.route],
                "body": c.body,
                "lawyer_name": lawyer.name,
                "text": f"{ROUTES[c.route]}：{c.body}（律师 {lawyer.name} 法律咨询建议）",
            },
            version=matter.version,
            on=c.consulted_on,
        )
        c.routed = True
    else:
        add_timeline_entry(
            matter,
            "legal_aid",
            f"律师建议：{ROUTES[c.route]}" + (f"（{c.body}）" if c.body else ""),
            c.advice or "",
            legal_aid_consultation=c.id,
            route=c.route,
        )


@transactional
def create_consultation(data: ConsultationInput) -> Consultation:
    """Record a consultation by the acting lawyer; a legal route on a matter routes it."""
    actor = current_actor()
    matter = find_visible_matter(data.matter_number)
    _check(data, matter)
    lawyer = _serving_lawyer(matter)
    c = Consultation(
        consulted_on=data.consulted_on or today(),
        kind=data.kind,
        lawyer_id=actor.id,
        counsel_id=lawyer.id,
        matter_id=matter.id if matter else None,
        visitor_name=data.visitor_name.strip() or None,
        visitor_phone=data.visitor_phone.strip() or None,
        question=data.question.strip(),
        advice=data.advice.strip(),
        route=data.route or None,
        body=data.body.strip(),
        minutes=data.minutes,
        agency_id=actor.agency_id,
    )
    db.session.add(c)
    db.session.flush()
    if matter is not None and c.route:
        _route(c, matter, lawyer)
    record_audit(
        "legal_aid.consultation.create",
        c,
        summary=f"记录{KINDS[c.kind]}" + (f"（事项 {matter.number}）" if matter else ""),
        matter_id=c.matter_id,
        kind=c.kind,
        route=c.route,
        routed=c.routed,
    )
    return c


@transactional
def update_consultation(c: Consultation, version: str | int | None, data: ConsultationInput):
    """Edit the question, advice, route and time; refused when the form is stale.

    A routed matter stays routed (its route is core's now).
    """
    check_version(c, version)
    # The link to a matter and the visitor's particulars are kept as recorded: the edit form
    # never shows them, so a masked value can never be saved back over the real one.
    data.visitor_name = c.visitor_name or ""
    _check(data, c.matter)
    if c.routed and data.route != c.route:
        raise refuse("该事项已按本咨询导入法定途径，建议的途径不能再修改。", "route")
    before = {
        "kind": c.kind,
        "question": c.question,
        "advice": c.advice,
        "route": c.route,
        "body": c.body,
        "minutes": c.minutes,
    }
    c.kind = data.kind
    c.question = data.question.strip()
    c.advice = data.advice.strip()
    c.route = data.route or None
    c.body = data.body.strip()
    c.minutes = data.minutes
    changed = sorted(k for k, v in before.items() if getattr(c, k) != v)
    if c.matter is not None and c.route and before["route"] != c.route:
        _route(c, c.matter, c.counsel or _serving_lawyer(c.matter))
    record_audit("legal_aid.consultation.update", c, summary="修改法律咨询记录", changed=changed)


@transactional
def save_opinion(c: Consultation, version: str | int | None, text: str) -> None:
    """The lawyer's written opinion (律师意见), kept on the record and noted on the matter."""
    check_version(c, version)
    text = (text or "").strip()
    if not text:
        raise refuse("请填写律师意见。", "opinion")
    c.opinion = text
    if c.matter is not None:
        add_timeline_entry(
            c.matter, "legal_aid", "律师出具书面意见", text, legal_aid_consultation=c.id
        )
    record_audit("legal_aid.consultation.opinion", c, summary="出具律师意见")


@transactional
def guidance_slip(c: Consultation) -> bytes:
    """The written guidance for the petitioner (法律咨询引导单) as PDF.

    The petitioner's name is printed only for users who may see personal data (a PDF cannot
    be masked afterwards); otherwise the slip is addressed to 来访人.
    """
    if c.visitor_name:
        name = c.visitor_name if has_permission("core.personal_data.view") else None
        if name:
            personal_value(c, "visitor_name")  # the view is audited like any other
    elif c.matter is not None and c.matter.lead is not None:
        person = c.matter.lead.person
        name = person.name if has_permission("core.personal_data.view") else None
    else:
        name = None
    record_audit("legal_aid.consultation.slip", c, summary="打印法律咨询引导单")
    return render_pdf(
        "legal_aid/pdf/slip.html",
        {
            "title": "法律咨询引导单",
            "c": c,
            "addressee": name or "来访人",
            "legal": c.route in LEGAL_ROUTE_OF,
        },
    )


def consultations_query(*, mine: bool) -> Select:
    """Consultations the acting user may see, newest first; ``mine``: recorded by them.

    A consultation on a matter is listed only to those who may see the matter as well: its
    question and advice speak about the matter. The subquery on ``Matter`` carries the record
    rules like every other query.
    """
    stmt = select(Consultation).where(
        or_(Consultation.matter_id.is_(None), Consultation.matter_id.in_(select(Matter.id)))
    )
    if mine:
        stmt = stmt.where(Consultation.lawyer_id == current_actor().id)
    return stmt.order_by(Consultation.consulted_on.desc(), Consultation.id.desc())


def consultations_on(matter: Matter) -> list[Consultation]:
    """The consultations on ``matter`` the acting user may see, oldest first."""
    stmt = select(Consultation).where(Consultation.matter_id == matter.id)
    return list(db.session.execute(stmt.order_by(Consultation.id)).scalars())
