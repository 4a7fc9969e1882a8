"""Who takes part in a planned hearing: adding, removing, and recusal requests (回避)."""

from __future__ import annotations

from core.api import add_timeline_entry, db, record_audit, transactional, utcnow

from ..models import ROLES, Hearing, HearingParticipant, Panelist
from .common import HearingError
from .scheduling import Schedule, clashes, editable


@transactional
def add_participant(
    hearing: Hearing,
    version,
    role: str,
    name: str = "",
    organisation: str = "",
    *,
    panelist_id: int | None = None,
    power_of_attorney: bool = False,
) -> HearingParticipant:
    """Add a participant to a planned hearing.

    A panel member from the roster is checked for clashes, and the room for its seats; an
    agent (委托代理人) needs the power of attorney on file.
    """
    editable(hearing, version, "planned")
    errors = {}
    panelist = db.session.get(Panelist, panelist_id) if panelist_id else None
    if role not in ROLES:
        errors["role"] = "请选择参加人身份。"
    if panelist is not None:
        name, organisation = panelist.name, panelist.organisation or ""
    if not (name or "").strip():
        errors["name"] = "请填写参加人姓名。"
    if role == "agent" and not power_of_attorney:
        errors["power_of_attorney"] = "委托代理人须事先提交授权委托书。"
    if errors:
        raise HearingError("请修正标出的内容。", errors)
    room = hearing.room
    if room is not None and len(hearing.participants) + 2 > room.capacity:
        raise HearingError(
            f"听证室“{room.name}”只能容纳 {room.capacity} 人，已满。",
            {"name": f"超过听证室容纳人数（{room.capacity} 人）。"},
        )
    if panelist is not None:
        s = Schedule(
            reason=hearing.reason,
            scheduled_at=hearing.starts,
            ends_at=hearing.until,
            venue_id=0,
            presiding_officer_id=0,
            panelist_ids=[panelist.id],
        )
        found = clashes(s, hearing)
        if found:
            raise HearingError("".join(found), {"name": found[0]})
        if any(p.panelist_id == panelist.id for p in hearing.participants):
            raise HearingError("该听证员已在本次听证中。", {"name": "该听证员已在本次听证中。"})
    p = HearingParticipant(
        role=role,
        name=name.strip(),
        organisation=(organisation or "").strip() or None,
        panelist_id=panelist.id if panelist else None,
        power_of_attorney=bool(power_of_attorney),
    )
    hearing.participants.append(p)
    # The parent row is touched so that its version moves: forms opened before are stale.
    hearing.updated_at = utcnow()
    record_audit("hearings.participant", hearing, summary=f"增加参加人（{p.role_label}）")
    return p


@transactional
def remove_participant(hearing: Hearing, version, participant_id: int) -> None:
    """Take a participant off a planned hearing (registered by mistake, withdrew, recused)."""
    editable(hearing, version, "planned")
    p = next((p for p in hearing.participants if p.id == participant_id), None)
    if p is None:
        raise HearingError("该参加人不在本次听证中。")
    hearing.participants.remove(p)
    hearing.updated_at = utcnow()
    record_audit("hearings.participant_removed", hearing, summary=f"移除参加人（{p.role_label}）")


@transactional
def recusal(hearing: Hearing, version, participant_id: int, reason: str, granted: bool) -> None:
    """Decide a request that a panel member or other participant withdraw (回避).

    Granted, the participant leaves the planned hearing; either way the request, its reason
    and the decision are on the timeline. (The presiding officer is replaced by rescheduling.)
    """
    editable(hearing, version, "planned")
    p = next((p for p in hearing.participants if p.id == participant_id), None)
    errors = {}
    if p is None:
        errors["participant_id"] = "请选择申请回避的人员。"
    if not (reason or "").strip():
        errors["recusal_reason"] = "请填写申请回避的理由。"
    if errors:
        raise HearingError("请修正标出的内容。", errors)
    decision = "准予回避" if granted else "不予准许"
    if granted:
        hearing.participants.remove(p)
    hearing.updated_at = utcnow()
    add_timeline_entry(
        hearing.matter,
        "hearing",
        f"回避申请（{decision}）",
        body=f"{p.role_label}{p.name}：{reason.strip()}",
    )
    record_audit(
        "hearings.recusal", hearing, summary=f"{hearing.matter.number}：回避申请（{decision}）"
    )
