"""Hearing rooms (听证室) and the roster of panel members (听证员库)."""

from __future__ import annotations

from sqlalchemy import select

from core.api import check_version, db, record_audit, transactional

from ..models import Panelist, Venue
from .common import HearingError


@transactional
def save_venue(
    venue: Venue | None,
    version,
    *,
    name: str,
    capacity: int,
    address: str = "",
    active: bool = True,
    agency_id: int | None = None,
) -> Venue:
    """Add a hearing room or change one (its name, seats, address, whether in use)."""
    errors = {}
    if not (name or "").strip():
        errors["name"] = "请填写听证室名称。"
    if not isinstance(capacity, int) or capacity < 2:
        errors["capacity"] = "容纳人数至少为 2 人。"
    if errors:
        raise HearingError("请修正标出的内容。", errors)
    if venue is None:
        venue = Venue(agency_id=agency_id)
        db.session.add(venue)
        action = "hearings.venue_added"
    else:
        check_version(venue, version)
        action = "hearings.venue_changed"
    venue.name, venue.capacity = name.strip(), capacity
    venue.address, venue.active = (address or "").strip() or None, active
    db.session.flush()
    record_audit(action, venue, summary=f"听证室：{venue.name}（{capacity} 人）")
    return venue


@transactional
def save_panelist(
    name: str, kind: str, organisation: str = "", *, agency_id: int, active: bool = True
) -> Panelist:
    """Put someone on the roster of panel members (听证员库)."""
    from ..models import PANELIST_KINDS

    errors = {}
    if not (name or "").strip():
        errors["name"] = "请填写姓名。"
    if kind not in PANELIST_KINDS:
        errors["kind"] = "请选择听证员类别。"
    if errors:
        raise HearingError("请修正标出的内容。", errors)
    p = Panelist(
        name=name.strip(),
        kind=kind,
        organisation=(organisation or "").strip() or None,
        agency_id=agency_id,
        active=active,
    )
    db.session.add(p)
    db.session.flush()
    record_audit("hearings.panelist_added", p, summary=f"听证员库：{p.name}（{p.kind_label}）")
    return p


def venues(active_only: bool = True) -> list[Venue]:
    stmt = select(Venue).order_by(Venue.name)
    if active_only:
        stmt = stmt.where(Venue.active.is_(True))
    return list(db.session.execute(stmt).scalars())


def panelists() -> list[Panelist]:
    stmt = select(Panelist).where(Panelist.active.is_(True)).order_by(Panelist.kind, Panelist.id)
    return list(db.session.execute(stmt).scalars())
