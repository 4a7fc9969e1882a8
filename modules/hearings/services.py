"""Hearing cases (信访听证): schedule, participants, record, conclusion, cancellation.

Every function that changes something is one unit of work (``transactional``): it checks the
form's version (optimistic lock), writes the matter's timeline and the audit log, and commits
with them, or joins the action that called it; a refused request raises ``HearingError``
(Chinese messages by form field) or ``StaleEdit``, and the unit of work rolls everything back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from core.api import (
    ActionRefused,
    Matter,
    User,
    add_timeline_entry,
    check_version,
    current_actor,
    db,
    find_visible_matter,
    identity_sealed_for,
    personal_value,
    record_audit,
    today,
    transactional,
    utcnow,
)

from .models import REASONS, ROLES, STAGES, Hearing, HearingParticipant

SEALED = "（已保密）"
LOCAL_TZ = ZoneInfo("Asia/Shanghai")
OFFICER_ROLE = "hearing_officer"


class HearingError(ActionRefused):
    """A refused request; ``errors`` maps form fields to Chinese messages."""


@dataclass
class Schedule:
    """What the scheduling form gives: when, where, who presides, public or not."""

    reason: str
    stage: str
    scheduled_at: datetime  # aware (the pages give UTC)
    venue: str
    presiding_officer_id: int
    public: bool = True
    closed_reason: str = ""


def find_matter(ref: str) -> Matter | None:
    """A matter by id or number, through the record rules (``None`` when hidden or absent)."""
    ref = (ref or "").strip()
    matter = find_visible_matter(ref)
    if matter is None and ref.isdigit():
        matter = db.session.execute(
            select(Matter).where(Matter.id == int(ref))
        ).scalar_one_or_none()
    return matter


def officers() -> list[User]:
    """Active users who may preside (the seeded role ``hearing_officer``)."""
    users = db.session.execute(
        select(User).where(User.active.is_(True)).order_by(User.display_name)
    ).scalars()
    return [u for u in users if any(r.code == OFFICER_ROLE for r in u.roles)]


def petitioner_label(matter: Matter) -> str:
    """The lead petitioner's name, masked by the core rules and sealed for the complained."""
    lead = matter.lead
    if lead is None:
        return ""
    if identity_sealed_for(matter, current_actor()):
        return SEALED
    return personal_value(lead.person, "name")


def participant_name(matter: Matter, p: HearingParticipant) -> str:
    """A participant's name for display: a petitioner's only through masking and sealing."""
    if p.role != "petitioner":
        return p.name
    if identity_sealed_for(matter, current_actor()):
        return SEALED
    return personal_value(p, "name")


def _check_schedule(s: Schedule, matter: Matter) -> None:
    errors = {}
    if s.reason not in REASONS:
        errors["reason"] = "请选择听证理由。"
    if s.stage not in STAGES:
        errors["stage"] = "请选择所处环节。"
    if not s.venue.strip():
        errors["venue"] = "请填写听证地点。"
    if s.presiding_officer_id not in {u.id for u in officers()}:
        errors["presiding_officer_id"] = "主持人须为听证主持人角色的有效用户。"
    elif s.presiding_officer_id == matter.handler_id:
        # The provincial rules: the presiding officer must not be the case's investigator.
        errors["presiding_officer_id"] = "主持人不得由该信访事项的承办人担任。"
    if not s.public and not s.closed_reason.strip():
        errors["closed_reason"] = "不公开听证须说明理由（涉及国家秘密或个人隐私）。"
    if errors:
        raise HearingError("请修正标出的内容。", errors)


def _when(s: Schedule) -> str:
    return s.scheduled_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


@transactional
def schedule(matter: Matter, s: Schedule) -> Hearing:
    """Decide to hold a hearing on ``matter`` and fix time, venue and presiding officer."""
    _check_schedule(s, matter)
    if db.session.execute(
        select(Hearing.id).where(
            Hearing.matter_id == matter.id, Hearing.status.in_(("planned", "held"))
        )
    ).first():
        raise HearingError(
            "该信访事项已有尚未结束的听证。", {"matter": "该信访事项已有尚未结束的听证。"}
        )
    actor = current_actor()
    hearing = Hearing(
        matter=matter,
        reason=s.reason,
        stage=s.stage,
        status="planned",
        scheduled_at=s.scheduled_at,
        venue=s.venue.strip(),
        presiding_officer_id=s.presiding_officer_id,
        public=s.public,
        closed_reason=None if s.public else s.closed_reason.strip(),
        span_from=today(),
        created_by_id=actor.id if actor else None,
        agency_id=actor.agency_id if actor else matter.agency_id,
    )
    db.session.add(hearing)
    db.session.flush()
    add_timeline_entry(
        matter,
        "note",
        "安排听证",
        body=f"{_when(s)} 于{hearing.venue}举行{'公开' if s.public else '不公开'}听证"
        f"（{hearing.stage_label}环节，{hearing.reason_label}）。",
    )
    record_audit("hearings.schedule", hearing, summary=f"{matter.number}：安排听证 {_when(s)}")
    return hearing


def _editable(hearing: Hearing, version: int | str | None, *statuses: str) -> None:
    check_version(hearing, version)
    if hearing.status not in statuses:
        raise HearingError(f"听证{hearing.status_label}，不能再做此操作。")


@transactional
def reschedule(hearing: Hearing, version: int | str | None, s: Schedule) -> None:
    """Change the time, venue, presiding officer or publicity of a planned hearing."""
    _editable(hearing, version, "planned")
    _check_schedule(s, hearing.matter)
    hearing.reason, hearing.stage = s.reason, s.stage
    hearing.scheduled_at, hearing.venue = s.scheduled_at, s.venue.strip()
    hearing.presiding_officer_id, hearing.public = s.presiding_officer_id, s.public
    hearing.closed_reason = None if s.public else s.closed_reason.strip()
    add_timeline_entry(hearing.matter, "note", "变更听证安排", body=f"{_when(s)} 于{hearing.venue}")
    record_audit("hearings.reschedule", hearing, summary=f"{hearing.matter.number}：变更听证安排")


@transactional
def add_participant(
    hearing: Hearing, version: int | str | None, role: str, name: str, organisation: str = ""
) -> HearingParticipant:
    """Add a participant (信访人、有关单位、听证员、专家、律师、旁听人员)."""
    _editable(hearing, version, "planned")
    name, organisation = name or "", organisation or ""
    errors = {}
    if role not in ROLES:
        errors["role"] = "请选择参加人身份。"
    if not name.strip():
        errors["name"] = "请填写参加人姓名。"
    if errors:
        raise HearingError("请修正标出的内容。", errors)
    p = HearingParticipant(role=role, name=name.strip(), organisation=organisation.strip() or None)
    hearing.participants.append(p)
    # The parent row is touched so that its version moves: forms opened before are stale.
    hearing.updated_at = utcnow()
    record_audit("hearings.participant", hearing, summary=f"增加参加人（{p.role_label}）")
    return p


@transactional
def remove_participant(hearing: Hearing, version: int | str | None, participant_id: int) -> None:
    """Take a participant off a planned hearing (registered by mistake, or withdrew)."""
    _editable(hearing, version, "planned")
    p = next((p for p in hearing.participants if p.id == participant_id), None)
    if p is None:
        raise HearingError("该参加人不在本次听证中。")
    hearing.participants.remove(p)
    hearing.updated_at = utcnow()
    record_audit("hearings.participant_removed", hearing, summary=f"移除参加人（{p.role_label}）")


@transactional
def hold(hearing: Hearing, version: int | str | None, heard: str, opinions: str) -> None:
    """Record the hearing as held: what was heard (笔录摘要) and the members' opinions."""
    _editable(hearing, version, "planned")
    heard, opinions = heard or "", opinions or ""
    errors = {}
    if not heard.strip():
        errors["heard"] = "请填写听证笔录摘要。"
    if not any(p.role in ("member", "expert") for p in hearing.participants):
        errors["heard"] = errors.get("heard") or "听证须有听证员或专家参加，请先登记参加人。"
    if errors:
        raise HearingError("请修正标出的内容。", errors)
    hearing.status = "held"
    hearing.heard, hearing.opinions = heard.strip(), opinions.strip() or None
    add_timeline_entry(hearing.matter, "note", "举行听证", body=f"听证已于{hearing.venue}举行。")
    record_audit("hearings.hold", hearing, summary=f"{hearing.matter.number}：举行听证")


@transactional
def conclude(hearing: Hearing, version: int | str | None, conclusion: str) -> None:
    """Give the hearing's conclusion (听证结论); it ends the span excluded from the clock."""
    _editable(hearing, version, "held")
    conclusion = conclusion or ""
    if not conclusion.strip():
        raise HearingError("请填写听证结论。", {"conclusion": "请填写听证结论。"})
    hearing.status = "concluded"
    hearing.conclusion = conclusion.strip()
    hearing.span_until = max(today(), hearing.span_from)
    add_timeline_entry(
        hearing.matter,
        "note",
        "听证结论",
        body=f"{hearing.conclusion}（听证期间 {hearing.span_from.isoformat()} 至 "
        f"{hearing.span_until.isoformat()}，共 {hearing.excluded_days} 日，不计入复核期限）",
    )
    record_audit("hearings.conclude", hearing, summary=f"{hearing.matter.number}：听证结论")


@transactional
def cancel(hearing: Hearing, version: int | str | None, reason: str) -> None:
    """Call off a planned hearing (e.g. the petitioner withdrew or failed to attend)."""
    _editable(hearing, version, "planned", "held")
    reason = reason or ""
    if not reason.strip():
        raise HearingError("请填写取消理由。", {"cancel_reason": "请填写取消理由。"})
    hearing.status = "cancelled"
    hearing.cancel_reason = reason.strip()
    hearing.span_until = max(today(), hearing.span_from)
    add_timeline_entry(hearing.matter, "note", "取消听证", body=hearing.cancel_reason)
    record_audit("hearings.cancel", hearing, summary=f"{hearing.matter.number}：取消听证")


def listing(tab: str) -> list[Hearing]:
    """Hearings of a tab the user may see: ``upcoming`` (planned, soonest first) or ``held``."""
    stmt = select(Hearing)
    if tab == "held":
        stmt = stmt.where(Hearing.status != "planned").order_by(Hearing.scheduled_at.desc())
    else:
        stmt = stmt.where(Hearing.status == "planned").order_by(Hearing.scheduled_at)
    # Hearings of matters the user may not see are left out (their rows may be visible to the
    # organising agency while the matter moved elsewhere): join through the matter's own rule.
    stmt = stmt.join(Matter, Matter.id == Hearing.matter_id).limit(200)
    return list(db.session.execute(stmt).scalars())
