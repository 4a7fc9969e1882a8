"""Scheduling a hearing: venues, the panel roster, clashes, capacity and the notice.

A hearing is fixed in a room of the agency's venues, presided by someone on the roster of
hearing officers who neither handled nor investigated the matter, with panel members drawn from
the roster. Two open hearings may not overlap in the same room or with the same person, nor may
a room hold more people than it seats; the refusal names the clash. The parties get the notice
(听证通知书, a PDF frozen on the matter) at least ``notice_days`` (setting, 7) before, and
the hearing is held within ``holding_days`` (setting, 30) of the decision to hold it (a
postponement with its reason may go past it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from core.api import (
    Matter,
    User,
    add_timeline_entry,
    check_version,
    current_actor,
    db,
    issue_document,
    record_audit,
    today,
    transactional,
    utcnow,
)

from ..models import (
    REASONS,
    STAGES,
    Application,
    Hearing,
    HearingParticipant,
    Panelist,
    Venue,
)
from . import common
from .common import HearingError, setting, when

OPEN = ("planned", "in_session")


@dataclass
class Schedule:
    """What the scheduling form gives: when, where, who presides and sits, public or not."""

    reason: str
    scheduled_at: datetime  # aware (the pages give UTC)
    venue_id: int
    presiding_officer_id: int
    ends_at: datetime | None = None
    clerk_id: int | None = None
    panelist_ids: list[int] = field(default_factory=list)
    public: bool = True
    closed_reason: str = ""


# --- checks ----------------------------------------------------------------------------------


def _ends(s: Schedule) -> datetime:
    return s.ends_at or s.scheduled_at + timedelta(hours=int(setting("default_hours")))


def _people(h: Hearing) -> tuple[set[int], set[int]]:
    users = {h.presiding_officer_id} | ({h.clerk_id} if h.clerk_id else set())
    members = {p.panelist_id for p in h.participants if p.panelist_id}
    return users, members


def clashes(s: Schedule, exclude: Hearing | None = None) -> list[str]:
    """Open hearings overlapping ``s`` in the same room or with the same person, named."""
    start, end = s.scheduled_at, _ends(s)
    # Every agency's hearings count (a room or a person is booked whoever booked them): the
    # record rules are skipped here, and the message names only time, room and role.
    stmt = (
        select(Hearing)
        .where(
            Hearing.status.in_(OPEN),
            Hearing.scheduled_at < end,
            Hearing.scheduled_at > start - timedelta(hours=24),
        )
        .execution_options(skip_record_rules=True)
    )
    found = []
    users = {s.presiding_officer_id} | ({s.clerk_id} if s.clerk_id else set())
    members = set(s.panelist_ids)
    for other in db.session.execute(stmt).scalars():
        if exclude is not None and other.id == exclude.id:
            continue
        if other.until <= start:
            continue
        slot = f"已安排的听证（{when(other.scheduled_at)}—{when(other.until)[11:]}，{other.venue}）"
        if s.venue_id and other.venue_id == s.venue_id:
            found.append(f"听证室“{other.venue}”此时段已被占用：{slot}。")
        their_users, their_members = _people(other)
        for uid in sorted(users & their_users):
            u = db.session.get(User, uid)
            found.append(f"{u.display_name}此时段已有{slot}。")
        for pid in sorted(members & their_members):
            p = db.session.get(Panelist, pid)
            found.append(f"听证员{p.name}此时段已有{slot}。")
    return found


def _lock(s: Schedule) -> None:
    """Take the room's and the people's rows for this transaction before looking for clashes.

    Two desks booking the same room or person at once are thus checked one after the other:
    on PostgreSQL the second waits for the first's commit and then sees its hearing (READ
    COMMITTED); SQLite has one writer at a time, and the unit of work runs a write refused
    because another connection committed first again, with the same effect.
    """
    db.session.execute(select(Venue.id).where(Venue.id == s.venue_id).with_for_update())
    users = sorted({s.presiding_officer_id, *([s.clerk_id] if s.clerk_id else [])})
    db.session.execute(select(User.id).where(User.id.in_(users)).with_for_update())
    if s.panelist_ids:
        db.session.execute(
            select(Panelist.id).where(Panelist.id.in_(sorted(s.panelist_ids))).with_for_update()
        )


def holding_end(decided_on: date) -> date | None:
    """The last day to hold a hearing decided on ``decided_on`` (setting ``holding_days``)."""
    days = setting("holding_days")
    return decided_on + timedelta(days=int(days)) if days else None


def _check(
    s: Schedule, matter: Matter, hearing: Hearing | None = None, last_day: date | None = None
) -> Venue:
    errors: dict[str, str] = {}
    if s.reason not in REASONS:
        errors["reason"] = "请选择听证理由。"
    venue = db.session.get(Venue, s.venue_id) if s.venue_id else None
    if venue is None or not venue.active:
        errors["venue_id"] = "请选择听证室。"
    if s.presiding_officer_id not in {u.id for u in common.officers()}:
        errors["presiding_officer_id"] = "主持人须从听证主持人名册中选定。"
    elif s.presiding_officer_id in common.case_officers(matter):
        # The provincial rules: the presiding officer must not be the case's investigator.
        errors["presiding_officer_id"] = "主持人不得由办理或调查该信访事项的人员担任。"
    if s.clerk_id and s.clerk_id == s.presiding_officer_id:
        errors["clerk_id"] = "记录员不能由主持人兼任。"
    if not s.public and not s.closed_reason.strip():
        errors["closed_reason"] = "不公开听证须说明理由（涉及国家秘密或个人隐私）。"
    earliest = today() + timedelta(days=int(setting("notice_days")))
    if common.local_day(s.scheduled_at) < earliest:
        errors["scheduled_at"] = (
            f"听证通知须至少提前 {setting('notice_days')} 日送达当事人，"
            f"最早可安排在 {earliest.isoformat()}。"
        )
    elif last_day is not None and common.local_day(s.scheduled_at) > last_day:
        errors["scheduled_at"] = (
            f"听证应自决定举行之日起 {setting('holding_days')} 日内举行，"
            f"最迟安排在 {last_day.isoformat()}。"
        )
    end = _ends(s)
    if end <= s.scheduled_at or end - s.scheduled_at > timedelta(hours=12):
        errors["ends_at"] = "结束时间须晚于开始时间，且同一天内结束。"
    if errors:
        raise HearingError("请修正标出的内容。", errors)
    _lock(s)
    found = clashes(s, hearing)
    if found:
        raise HearingError("与已安排的听证冲突：" + "".join(found), {"scheduled_at": found[0]})
    seats = len(hearing.participants) if hearing is not None else len(s.panelist_ids)
    needed = seats + 1 + (1 if s.clerk_id else 0)
    if needed > venue.capacity:
        raise HearingError(
            f"听证室“{venue.name}”只能容纳 {venue.capacity} 人，本次听证需 {needed} 人。",
            {"venue_id": f"超过容纳人数（{venue.capacity} 人）。"},
        )
    return venue


def _notice(hearing: Hearing) -> None:
    """Send the notice (听证通知书) to the parties: a PDF frozen on the matter."""
    hearing.notice_on = today()
    issue_document(
        hearing.matter,
        "hearing_notice",
        hearing.notice_on,
        current_actor(),
        {"hearing": hearing, "stage": STAGES[hearing.stage], "issuer": hearing.matter.agency},
    )


# --- scheduling ------------------------------------------------------------------------------


@transactional
def schedule(matter: Matter, s: Schedule, application: Application | None = None) -> Hearing:
    """Fix a hearing on ``matter`` and notify the parties.

    Without an accepted ``application`` the organ decides of its own motion (依职权), recorded
    as an accepted application in the same transaction.
    """
    problem = common.stage_problem(matter)
    if problem:
        raise HearingError(problem, {"matter": problem})
    if db.session.execute(
        select(Hearing.id).where(
            Hearing.matter_id == matter.id,
            Hearing.status.in_(("planned", "in_session", "suspended", "held")),
        )
    ).first():
        raise HearingError(
            "该信访事项已有尚未结束的听证。", {"matter": "该信访事项已有尚未结束的听证。"}
        )
    if application is not None and application.status != "accepted":
        raise HearingError(f"听证申请{application.status_label}，不能据以安排听证。")
    decided_on = application.decided_on if application is not None else None
    venue = _check(s, matter, last_day=holding_end(decided_on or today()))
    stage = common.stage_of(matter)
    if application is None:
        application = Application(
            matter=matter,
            origin="own_motion",
            stage=stage,
            reason=s.reason,
            grounds="依职权决定举行听证",
            applied_on=today(),
            decided_on=today(),
            decided_by_id=common.actor_id(),
            status="accepted",
            late=False,
            created_by_id=common.actor_id(),
            agency_id=common.actor_agency(matter),
        )
        db.session.add(application)
    application.status = "scheduled"
    hearing = Hearing(
        matter=matter,
        application=application,
        reason=s.reason,
        stage=stage,
        status="planned",
        scheduled_at=s.scheduled_at,
        ends_at=_ends(s),
        venue=venue.name,
        room=venue,
        presiding_officer_id=s.presiding_officer_id,
        clerk_id=s.clerk_id or None,
        public=s.public,
        closed_reason=None if s.public else s.closed_reason.strip(),
        span_from=common.local_day(s.scheduled_at),
        created_by_id=common.actor_id(),
        agency_id=common.actor_agency(matter),
    )
    for pid in s.panelist_ids:
        p = db.session.get(Panelist, pid)
        hearing.participants.append(
            HearingParticipant(
                role="member" if p.kind != "expert" else "expert",
                name=p.name,
                organisation=p.organisation,
                panelist_id=p.id,
            )
        )
    db.session.add(hearing)
    # The room's row moves on: a second desk booking it at the same moment fails its update.
    venue.updated_at = utcnow()
    db.session.flush()
    _notice(hearing)
    add_timeline_entry(
        matter,
        "hearing",
        "安排听证",
        body=f"{when(s.scheduled_at)} 于{hearing.venue}举行{'公开' if s.public else '不公开'}听证"
        f"（{hearing.stage_label}阶段，{hearing.reason_label}；"
        f"{application.origin_label}）。已向当事人送达听证通知书。",
    )
    record_audit(
        "hearings.schedule", hearing, summary=f"{matter.number}：安排听证 {when(s.scheduled_at)}"
    )
    return hearing


def editable(hearing: Hearing, version, *statuses: str) -> None:
    """Refuse a stale form, or an action the hearing's status does not allow."""
    check_version(hearing, version)
    if hearing.status not in statuses:
        raise HearingError(f"听证{hearing.status_label}，不能再做此操作。")


@transactional
def reschedule(hearing: Hearing, version, s: Schedule, reason: str = "") -> None:
    """Change the time, room, presiding officer or publicity of a planned hearing.

    A postponement (延期) says why (force majeure, a late recusal, new witnesses or expert
    assessment); the parties get a new notice, again at least ``notice_days`` before.
    """
    editable(hearing, version, "planned")
    postponed = s.scheduled_at > hearing.starts
    if postponed and not (reason or "").strip():
        message = "延期举行听证须说明理由（不可抗力、申请回避、需要新的证人或鉴定等）。"
        raise HearingError(message, {"change_reason": message})
    s.panelist_ids = [p.panelist_id for p in hearing.participants if p.panelist_id]
    venue = _check(s, hearing.matter, hearing)
    hearing.reason = s.reason
    hearing.scheduled_at, hearing.ends_at = s.scheduled_at, _ends(s)
    hearing.venue, hearing.room = venue.name, venue
    hearing.presiding_officer_id, hearing.clerk_id = s.presiding_officer_id, s.clerk_id or None
    hearing.public = s.public
    hearing.closed_reason = None if s.public else s.closed_reason.strip()
    hearing.span_from = common.local_day(s.scheduled_at)
    venue.updated_at = utcnow()
    db.session.flush()
    _notice(hearing)
    add_timeline_entry(
        hearing.matter,
        "hearing",
        "延期举行听证" if postponed else "变更听证安排",
        body=f"{when(s.scheduled_at)} 于{hearing.venue}；已重新送达听证通知书。"
        + (f"\n理由：{reason.strip()}" if (reason or "").strip() else ""),
    )
    record_audit("hearings.reschedule", hearing, summary=f"{hearing.matter.number}：变更听证安排")


def to_utc(local_naive: datetime) -> datetime:
    """A naive Beijing time from a form as an aware UTC time."""
    return local_naive.replace(tzinfo=common.LOCAL_TZ).astimezone(UTC)
