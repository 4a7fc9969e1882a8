"""Registering a matter: ``register_matter`` and what a desk enters (``Registration``).

A unit of work (``core.unit_of_work.transactional``): it validates, writes the matter, its
petitioners, first clock, timeline, index row and audit event inside the caller's transaction,
and commits when it is the whole action — or raises ``MatterError`` having changed nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app, g, has_app_context
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import make_transient_to_detached

from core import audit, signals
from core.accounts.actor import actor_card
from core.accounts.models import Agency
from core.cases.clocks import clocks
from core.cases.models import Clock, Matter, MatterParty, Person, TimelineEntry
from core.cases.models.matter import CHANNELS, FLAGS, HANDLING_TYPES, PURPOSES
from core.cases.models.search_index import MatterIndex
from core.cases.people.idcard import id_number_problem
from core.cases.people.petitioners import petitioners
from core.cases.records.numbering import (
    matter_counter,
    matter_number,
    new_query_code,
    query_code_taken,
)
from core.cases.records.timeline import new_entry
from core.cases.search.index import index_row
from core.db import utcnow
from core.direct_writes import Children, insert_family, row_of
from core.errors import ActionRefused
from core.extensions import db
from core.unit_of_work import (
    TryAgain,
    after_commit,
    attach_on_rollback_expunge,
    depth,
    retry_on_integrity,
    transactional,
)

MAX_REPRESENTATIVES = 5  # 条例第20条第3款

# A random query code that another registration took first: register again with a new one.
retry_on_integrity(query_code_taken)


class MatterError(ActionRefused):
    """A refused registration or step. ``errors`` maps form fields to Chinese messages."""


@dataclass
class PartyInput:
    """A petitioner as entered at the desk."""

    name: str
    id_number: str = ""
    id_type: str = "resident_id"
    mobile: str = ""
    address: str = ""
    region_code: str = ""
    kind: str = "person"
    is_lead: bool = False
    is_representative: bool = False


@dataclass
class Registration:
    """What a desk enters to register a matter (REGULATION.md §1.3)."""

    channel: str
    summary: str
    received_on: date
    parties: list[PartyInput] = field(default_factory=list)
    purpose: str = "remedy"
    handling_type: str = "complaint"
    category_id: int | None = None
    demands: list[str] = field(default_factory=list)
    place_region_code: str = ""
    place_text: str = ""
    complained_party: str = ""
    complained_post: str = ""
    complained_agency_id: int | None = None
    people_involved: int = 1
    head_count: int = 1
    flags: list[str] = field(default_factory=list)
    repeat_of_id: int | None = None
    external_numbers: dict[str, str] = field(default_factory=dict)
    hot_topic: str = ""


def _validate(reg: Registration) -> dict[str, str]:
    errors: dict[str, str] = {}
    if reg.channel not in CHANNELS:
        errors["channel"] = "请选择信访形式。"
    if reg.purpose not in PURPOSES:
        errors["purpose"] = "请选择信访目的。"
    if reg.handling_type not in HANDLING_TYPES:
        errors["handling_type"] = "请选择事项类别。"
    if not reg.summary.strip():
        errors["summary"] = "请填写内容摘要（诉求、事实和理由）。"
    if reg.received_on > clocks.today():
        errors["received_on"] = "收到日期不能晚于今天。"
    unknown = set(reg.flags) - set(FLAGS)
    if unknown:
        errors["flags"] = f"未知的标识：{'、'.join(sorted(unknown))}。"
    anonymous = "anonymous" in reg.flags
    if not reg.parties and not anonymous:
        errors["parties"] = "请至少登记一名信访人（匿名信访请勾选“匿名”）。"
    for i, p in enumerate(reg.parties):
        if not p.name.strip():
            errors[f"parties-{i}-name"] = "请填写信访人姓名或单位名称。"
        if p.id_number and p.kind == "person" and p.id_type == "resident_id":
            problem = id_number_problem(p.id_number)
            if problem:
                errors[f"parties-{i}-id_number"] = problem
    reps = sum(1 for p in reg.parties if p.is_representative)
    if reps > MAX_REPRESENTATIVES:
        errors["parties"] = (
            f"多人走访应推选代表，代表人数不超过 {MAX_REPRESENTATIVES} 人（条例第20条第3款），"
            f"当前为 {reps} 人。"
        )
    if reg.head_count < max(1, len(reg.parties)):
        errors["head_count"] = "信访人数不能少于已登记的信访人数。"
    if reg.head_count > MAX_REPRESENTATIVES and "collective" not in reg.flags:
        reg.flags = [*reg.flags, "collective"]
    return errors


_PERSONS = Person.__table__
_MATTERS = Matter.__table__
_PARTIES = MatterParty.__table__
_CLOCKS = Clock.__table__
_TIMELINE = TimelineEntry.__table__
_INDEX = MatterIndex.__table__
_AUDIT = audit.AuditEvent.__table__


@transactional
def register_matter(reg: Registration, agency: Agency | None = None) -> Matter:
    """Register a matter for ``agency`` (default: the acting user's), start its first clocks.

    Joins the caller's unit of work (a desk action that registers and then records its own
    rows commits once). A registration depends on nothing read before it, so when it is the
    whole action it is simply made again in a new transaction when SQLite reports a concurrent
    writer (PostgreSQL waits on the row lock of the number counter instead), when its random
    query code was already taken, or when the working-day calendar changed while its clock was
    computed (``core.unit_of_work``).
    """
    matter = _register(reg, agency)
    signals.send(signals.matter_registered, matter=matter)
    if depth() > 1:
        # The action goes on with the matter (a step, the module's rows): attach it now.
        _attach(matter)
        attach_on_rollback_expunge(matter)
    else:
        after_commit(lambda: _attach(matter))
    return matter


def _attach(matter: Matter) -> None:
    # Hand the caller a persistent matter without reading it back: the columns set by the
    # registration are what was written; the rest (its relationships) load on first use.
    make_transient_to_detached(matter)
    db.session.add(matter)


def _register(reg: Registration, agency: Agency | None) -> Matter:
    actor = actor_card()
    agency_id = _identity(agency) if agency is not None else getattr(actor, "agency_id", None)
    if agency_id is None:
        raise MatterError("您的账户未设置所属机构，不能登记信访事项。")
    errors = _validate(reg)
    if errors:
        raise MatterError("登记信息有误，请按提示修改。", errors)
    region = _region_of(agency_id)
    session = db.session
    # The rows are written with Core statements on the session's connection, not by a flush of
    # the unit of work: a desk registers all day, and the flush (with its autoflushes, index
    # hooks and relationship bookkeeping) cost several times the inserts themselves. Anything
    # the caller changed before is flushed first, so it is written before, and in the same
    # transaction as, the matter.
    if session.new or session.dirty or session.deleted:
        session.flush()
    # The calendar as last seen here; confirmed in the statement that writes the clock.
    calendar, seen = clocks.last_calendar()
    conn = session.connection()
    # The number's serial, the known petitioners and ids for new ones: one round trip.
    people = petitioners(
        conn, reg.parties, matter_counter(region[:6], reg.channel, reg.received_on)
    )
    now = utcnow()
    matter = Matter(
        number=matter_number(region[:6], reg.channel, reg.received_on, people.serial, _pattern()),
        query_code=new_query_code(),
        external_numbers={k: v for k, v in reg.external_numbers.items() if v},
        channel=reg.channel,
        purpose=reg.purpose,
        handling_type=reg.handling_type,
        category_id=reg.category_id,
        hot_topic=reg.hot_topic or None,
        summary=reg.summary.strip(),
        demands=[d.strip() for d in reg.demands if d.strip()],
        place_region_code=reg.place_region_code or None,
        place_text=reg.place_text or None,
        complained_party=reg.complained_party or None,
        complained_post=reg.complained_post or None,
        complained_agency_id=reg.complained_agency_id,
        people_involved=max(reg.people_involved, reg.head_count),
        head_count=reg.head_count,
        flags=sorted(set(reg.flags)),
        repeat_of_id=reg.repeat_of_id,
        first_petition=reg.repeat_of_id is None,
        # An accuser's identity is sealed from the unit complained about (条例第30条第3款).
        accuser_sealed=reg.purpose == "accusation" or reg.handling_type == "accusation",
        state="registered",
        received_on=reg.received_on,
        registered_by_id=actor.id if actor else None,
        agency_id=agency_id,
        extended_days=0,
        supervised=False,
        version=1,
        created_at=now,
        updated_at=now,
    )
    clock = clocks.new_clock(
        "disposition", reg.received_on, responsible_agency_id=agency_id, calendar=calendar
    )
    first_clocks = [clock]
    chain = _chain_kind(agency_id) if "via_chain" in reg.flags else None
    if chain is not None:
        # The level's share of the 15 days along the forwarding chain (§1.9 row 2).
        first_clocks.append(
            clocks.new_clock(
                chain, reg.received_on, responsible_agency_id=agency_id, calendar=calendar
            )
        )
    entries = [
        new_entry(None, "transition", f"登记（{CHANNELS[reg.channel]}）", matter.summary),
        *(new_entry(None, "note", "信访人身份待核对", note) for note in people.notes),
    ]
    content, identity = index_row(matter, people.identities)
    summary = f"登记信访事项 {matter.number}"
    event = audit.event_for("matter.register", summary=summary, actor=actor, object_type="Matter")
    # The matter and everything pointing at it: one round trip on PostgreSQL.
    matter.id, stamp = insert_family(
        conn,
        _MATTERS,
        row_of(matter),
        [
            Children(_PERSONS, people.new_people, None),
            Children(_PARTIES, people.parties, "matter_id"),
            Children(_CLOCKS, [row_of(c) for c in first_clocks], "matter_id"),
            Children(_TIMELINE, [row_of(e) for e in entries], "matter_id"),
            Children(_INDEX, [{"content": content, "identity": identity}], "matter_id"),
            Children(_AUDIT, [row_of(event)], "object_id"),
        ],
        updates=people.updates,
        check=clocks.calendar_stamp(),
    )
    if tuple(stamp) != seen:
        raise TryAgain(clocks.forget_calendar)
    return matter


def _chain_kind(agency_id: int) -> str | None:
    """The forwarding-chain clock of the agency's administrative level, if it has one here."""
    agency = db.session.get(Agency, agency_id)
    kind = clocks.CHAIN_KINDS.get(agency.admin_level if agency else "")
    return kind if kind is not None and clocks.enabled(kind) else None


def _identity(obj) -> int:
    """The primary key of a persistent object, without loading it if it is expired."""
    identity = sa_inspect(obj).identity
    return identity[0] if identity else obj.id


def _region_of(agency_id: int) -> str:
    """The agency's region code (numbers start with it), read once per request."""
    regions = g.setdefault("minsheng_agency_regions", {}) if has_app_context() else {}
    if agency_id not in regions:
        agency = db.session.get(Agency, agency_id)
        regions[agency_id] = (agency.region_code if agency else None) or "000000"
    return regions[agency_id]


def _pattern() -> str:
    from core.cases.records.numbering import DEFAULT_PATTERN

    if has_app_context():
        return current_app.config.get("MINSHENG_MATTER_NUMBER_PATTERN", DEFAULT_PATTERN)
    return DEFAULT_PATTERN
