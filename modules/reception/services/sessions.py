"""Leader reception days (领导接访日): schedule, publish, book under the §7 exclusions, outcomes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from core.api import (
    FINAL_STATES,
    N_,
    Matter,
    MatterError,
    PartyInput,
    Registration,
    User,
    add_timeline_entry,
    db,
    find_candidates,
    has_permission,
    id_number_problem,
    perform,
    record_audit,
    register_matter,
    today,
    transactional,
    utcnow,
)

from ..models import OUTCOMES, ReceptionAppointment, ReceptionSession
from .common import BEIJING, ReceptionError, _aware, _norm
from .units import covers


def beijing_to_utc(day: date, hhmm: str) -> datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - BEIJING


@transactional
def schedule(
    *,
    agency_id: int,
    leader_name: str,
    post: str,
    portfolio: list[int],
    day: date,
    start_time: str,
    end_time: str,
    place: str,
    capacity: int,
    leader_id: int | None = None,
    cutoff: datetime | None = None,
) -> ReceptionSession:
    """Schedule a leader reception day; appointments close at 17:00 the day before by default."""
    errors: dict[str, str] = {}
    if not leader_name.strip():
        errors["leader_name"] = N_("请填写接访领导。")
    if not post.strip():
        errors["post"] = N_("请填写领导职务。")
    if not portfolio:
        errors["portfolio"] = N_("请选择分管范围。")
    if not place.strip():
        errors["place"] = N_("请填写接访地点。")
    if capacity < 1:
        errors["capacity"] = N_("接待人数至少为 1。")
    if not re.match(r"^\d\d:\d\d$", start_time or "") or not re.match(
        r"^\d\d:\d\d$", end_time or ""
    ):
        errors["start_time"] = N_("时间格式为 HH:MM。")
    elif end_time <= start_time:
        errors["end_time"] = N_("结束时间应晚于开始时间。")
    if day < today():
        errors["day"] = N_("接访日期不能早于今天。")
    if errors:
        raise ReceptionError(N_("接访安排有误，请按提示修改。"), errors)
    session = ReceptionSession(
        agency_id=agency_id,
        leader_id=leader_id,
        leader_name=leader_name.strip(),
        post=post.strip(),
        portfolio=sorted(set(portfolio)),
        day=day,
        start_time=start_time,
        end_time=end_time,
        place=place.strip(),
        capacity=capacity,
        cutoff=cutoff or beijing_to_utc(day - timedelta(days=1), "17:00"),
    )
    db.session.add(session)
    db.session.flush()
    record_audit(
        "reception.session.schedule",
        session,
        summary=f"领导接访日 {day.isoformat()} {session.leader_name}",
    )
    return session


@transactional
def publish(session: ReceptionSession) -> None:
    session.published = True
    record_audit("reception.session.publish", session, summary=f"公布领导接访日 {session.day}")


@transactional
def attach_lawyer(session: ReceptionSession, lawyer_id: int | None) -> None:
    """律师参与接访: the lawyer on duty at the session."""
    lawyer = db.session.get(User, lawyer_id) if lawyer_id else None
    if lawyer_id and (lawyer is None or not any(r.code == "lawyer" for r in lawyer.roles)):
        raise ReceptionError(N_("请选择具有律师角色的用户。"))
    session.lawyer_id = lawyer.id if lawyer else None
    record_audit(
        "reception.session.lawyer",
        session,
        summary=f"值班律师：{lawyer.display_name if lawyer else '无'}",
    )


def booked(session: ReceptionSession) -> int:
    return sum(1 for a in session.appointments if a.state in ("booked", "checked_in", "seen"))


def two_months_before(day: date) -> date:
    month = day.month - 2
    year = day.year + ((month <= 0 and -1) or 0)
    month = month + 12 if month <= 0 else month
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def exclusions(
    session: ReceptionSession, id_number: str, category_id: int | None, text: str
) -> list[str]:
    """The §7 exclusions that apply, each as a Chinese reason.

    Outside the portfolio; petitioned in the last two months and still in hand; the same
    matter terminated (by repeat detection: same ID number and similar content).
    """
    reasons = []
    if not covers(session.portfolio, category_id):
        reasons.append("所反映问题不属于该领导分管范围，当日不予接待。")
    since = two_months_before(session.day)
    for c in find_candidates(id_number=id_number, text=text):
        received = date.fromisoformat(c.received_on)
        if c.state not in FINAL_STATES and received >= since and "身份证号码相同" in c.reasons:
            reasons.append(
                f"近两个月内已信访（{c.number}，{c.received_on} 收到），事项正在办理中"
                f"（{c.state_label}），请等待办理结果。"
            )
            break
    for c in find_candidates(id_number=id_number, text=text):
        if c.state == "terminated" and any(r.startswith("内容相似度") for r in c.reasons):
            reasons.append(f"同一事项已终结（{c.number}），不再受理（条例第36条第3款）。")
            break
    return reasons


@dataclass
class Booking:
    """An appointment request: ID, materials, subject."""

    name: str
    id_number: str
    summary: str
    category_id: int | None
    mobile: str = ""
    materials: str = ""


@transactional
def book(
    session: ReceptionSession, data: Booking, now: datetime | None = None
) -> ReceptionAppointment:
    """预约 a leader reception day, checked against the §7 exclusions.

    A refusal is recorded with its reasons (state ``refused``) so the desk can tell the
    visitor in writing.
    """
    now = _aware(now or utcnow())
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = N_("请填写姓名。")
    problem = id_number_problem(data.id_number)
    if problem:
        errors["id_number"] = problem
    if not data.summary.strip():
        errors["summary"] = N_("请填写反映的问题。")
    if not data.category_id:
        errors["category_id"] = N_("请选择问题分类。")
    if errors:
        raise ReceptionError(N_("预约信息有误，请按提示修改。"), errors)
    if not session.published:
        raise ReceptionError(N_("该领导接访日尚未公布，不能预约。"))
    if now > _aware(session.cutoff):
        raise ReceptionError(N_("预约已截止。"))
    number = _norm(data.id_number)
    if any(a.id_number == number and a.state != "refused" for a in session.appointments):
        raise ReceptionError(N_("该身份证号码已预约本场接访。"))
    reasons = exclusions(session, number, data.category_id, data.summary)
    if not reasons and booked(session) >= session.capacity:
        raise ReceptionError(N_("本场接访预约已满，请预约其他场次。"))
    appt = ReceptionAppointment(
        session_id=session.id,
        agency_id=session.agency_id,
        name=data.name.strip(),
        id_number=number,
        mobile=data.mobile.strip(),
        category_id=data.category_id,
        summary=data.summary.strip(),
        materials=data.materials.strip(),
        state="refused" if reasons else "booked",
        refusal="\n".join(reasons),
    )
    db.session.add(appt)
    db.session.flush()
    record_audit(
        "reception.appointment." + appt.state,
        appt,
        summary=f"领导接访预约 {session.day}：{appt.state_label}",
    )
    return appt


@transactional
def check_in(appt: ReceptionAppointment) -> None:
    if appt.state != "booked":
        raise ReceptionError(f"该预约当前为“{appt.state_label}”，不能签到。")
    if appt.session.day != today():
        raise ReceptionError(N_("只能在接访当日签到。"))
    appt.state = "checked_in"
    appt.checked_in_at = utcnow()
    record_audit("reception.appointment.check_in", appt, summary="领导接访签到")


@transactional
def session_outcome(
    appt: ReceptionAppointment,
    outcome: str,
    *,
    text: str,
    agency_id: int | None = None,
    deadline: date | None = None,
    standard: str = "",
) -> Matter:
    """The outcome of a checked-in appointment; the matter is registered in the case file.

    ``answered``: 当场答复 (core ``answer_on_spot`` with ``text`` as the written answer);
    ``assigned``: the leader's instructions (``text``) assign it to ``agency_id`` with a deadline
    (core ``assign``, slip issued, leader named on it); ``owned``: 领导包案 — the leader takes
    charge (timeline entry, target date ``deadline``).

    If core refuses the step (e.g. a stale page, an agency it may not assign to), the matter
    stays registered on the appointment, which stays checked in, so that a corrected outcome
    reuses it: that much is committed, then the refusal is raised (``keep``; ``perform``
    refuses before it writes anything).
    """
    if appt.state != "checked_in":
        raise ReceptionError(N_("请先签到。"))
    if outcome not in OUTCOMES:
        raise ReceptionError(N_("请选择接访结果。"), {"outcome": N_("请选择。")})
    if not text.strip():
        raise ReceptionError(N_("请填写答复意见或领导批示。"), {"text": N_("此项为必填项。")})
    if outcome in ("assigned", "owned") and (not deadline or deadline <= today()):
        raise ReceptionError(
            N_("请填写晚于今天的办理期限。"), {"deadline": N_("请填写晚于今天的期限。")}
        )
    if outcome == "assigned" and not agency_id:
        raise ReceptionError(N_("请选择责任单位。"), {"agency_id": N_("请选择责任单位。")})
    if outcome in ("answered", "assigned") and not has_permission("core.cases.triage"):
        # Checked first so that no matter is registered for a step that would be refused.
        raise ReceptionError(
            N_(
                "录入当场答复或交办需要分流权限（core.cases.triage），请由接访员录入领导的答复或批示。"
            )
        )
    session = appt.session
    matter = appt.matter
    if matter is None:
        reg = Registration(
            channel="visit",
            summary=appt.summary,
            received_on=today(),
            parties=[PartyInput(name=appt.name, id_number=appt.id_number, mobile=appt.mobile)],
            category_id=appt.category_id,
        )
        try:
            matter = register_matter(reg, session.agency)
        except MatterError as exc:
            raise ReceptionError(str(exc), exc.errors) from None
        appt.matter_id = matter.id
        add_timeline_entry(
            matter,
            "note",
            "领导接访",
            body=f"{session.post}{session.leader_name}于 {session.day.isoformat()} 接访"
            + (f"，值班律师 {session.lawyer.display_name} 参与" if session.lawyer else ""),
        )
    try:
        if outcome == "answered":
            perform(matter, "answer_on_spot", {"answer": text.strip()}, version=matter.version)
        elif outcome == "assigned":
            perform(
                matter,
                "assign",
                {
                    "agency_id": agency_id,
                    "standard": standard.strip() or text.strip(),
                    "deadline": deadline,
                    "leader": f"{session.post}{session.leader_name}",
                    "text": text.strip(),
                },
                version=matter.version,
            )
        else:
            add_timeline_entry(
                matter,
                "note",
                "领导包案",
                body=f"{session.post}{session.leader_name}包案，"
                f"目标办结日期 {deadline.isoformat()}：{text.strip()}",
            )
    except MatterError as exc:
        raise ReceptionError(str(exc), exc.errors, keep=True) from None
    _record_outcome(appt, outcome, text, deadline, matter)
    return matter


def _record_outcome(
    appt: ReceptionAppointment, outcome: str, text: str, deadline: date | None, matter: Matter
) -> None:
    """The appointment's own record of the outcome."""
    appt.state = "seen"
    appt.outcome = outcome
    appt.instructions = text.strip()
    appt.deadline = deadline
    appt.matter_id = matter.id
    record_audit(
        "reception.appointment.outcome",
        appt,
        summary=f"领导接访结果：{OUTCOMES[outcome]}（{matter.number}）",
    )
