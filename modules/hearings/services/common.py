"""What the hearing services share: the refusal, settings, people, the matter's stage, dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from core.api import (
    ActionRefused,
    Matter,
    Opinion,
    User,
    current_actor,
    db,
    find_visible_matter,
    identity_sealed_for,
    personal_value,
)

from ..models import STAGE_OF_STATE, STAGES, HearingParticipant

SEALED = "（已保密）"
LOCAL_TZ = ZoneInfo("Asia/Shanghai")
OFFICER_ROLE = "hearing_officer"


class HearingError(ActionRefused):
    """A refused request; ``errors`` maps form fields to Chinese messages."""


def setting(key: str) -> Any:
    """A setting of the module: app config ``HEARINGS_<KEY>``, else the manifest's default."""
    from ..module import manifest

    return current_app.config.get(f"HEARINGS_{key.upper()}", manifest.settings[key])


def local(at: datetime) -> datetime:
    """A stored time (UTC) as Beijing time."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(LOCAL_TZ)


def when(at: datetime) -> str:
    """``YYYY-MM-DD HH:MM`` in Beijing time."""
    return local(at).strftime("%Y-%m-%d %H:%M")


def local_day(at: datetime) -> date:
    return local(at).date()


def find_matter(ref: str) -> Matter | None:
    """A matter by number or internal id, through the record rules (``None`` when hidden)."""
    ref = (ref or "").strip()
    matter = find_visible_matter(ref)
    if matter is None and ref.isdigit():
        matter = db.session.execute(
            select(Matter).where(Matter.id == int(ref))
        ).scalar_one_or_none()
    return matter


def officers() -> list[User]:
    """The roster of presiding officers: active users with the role ``hearing_officer``."""
    users = db.session.execute(
        select(User).where(User.active.is_(True)).order_by(User.display_name)
    ).scalars()
    return [u for u in users if any(r.code == OFFICER_ROLE for r in u.roles)]


def staff(agency_ids: set[int] | None = None) -> list[User]:
    """Active users who may keep the record (clerk): any active account."""
    stmt = select(User).where(User.active.is_(True)).order_by(User.display_name)
    return list(db.session.execute(stmt).scalars())


def case_officers(matter: Matter) -> set[int]:
    """Who handled or investigated the matter: its handler and the drafters of its opinions.

    None of them may preside (provincial rules: the presiding officer is not the investigator).
    """
    ids = {matter.handler_id} if matter.handler_id else set()
    drafters = db.session.execute(
        select(Opinion.drafted_by_id).where(
            Opinion.matter_id == matter.id, Opinion.drafted_by_id.is_not(None)
        )
    ).scalars()
    return ids | set(drafters)


def stage_of(matter: Matter) -> str | None:
    """The stage a hearing on the matter belongs to now (办理/复查/复核), if any."""
    return STAGE_OF_STATE.get(matter.state)


def stage_problem(matter: Matter) -> str | None:
    """Why no hearing can be applied for or held on the matter now, or ``None``."""
    if stage_of(matter) is None:
        from core.api import STATES

        state = STATES.get(matter.state, matter.state)
        allowed = "、".join(STAGES[s] for s in ("handling", "review", "rereview"))
        return f"事项当前为“{state}”，只有在{allowed}阶段才能举行听证。"
    return None


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
    if p.role not in ("petitioner", "agent"):
        return p.name
    if identity_sealed_for(matter, current_actor()):
        return SEALED
    return personal_value(p, "name")


def actor_id() -> int | None:
    actor = current_actor()
    return actor.id if actor else None


def actor_agency(matter: Matter) -> int:
    actor = current_actor()
    return actor.agency_id if actor else matter.agency_id
