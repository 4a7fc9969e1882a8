"""Deadline clocks (期限): starting, pausing, stopping and recomputing them on the calendar.

Each kind is one row of ``CLOCK_KINDS`` with its article, length and unit. ``duty`` clocks are
deadlines staff must meet (a late stop is recorded as *missed* for good); ``window`` clocks are
periods in which someone may act (a request after the window is refused; when it lapses the
daily job moves the matter on).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlalchemy import Select, func, select

from core import signals
from core.cases.clocks.calendar import DayKind, WorkCalendar
from core.cases.clocks.periods import compute_due, days_elapsed, describe_day
from core.cases.models import CalendarDay, CalendarYear, Clock, Matter
from core.extensions import db

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class ClockKind:
    """A kind of deadline: its label, article, length and unit, and whether it is a window.

    ``from_receipt``: the clock counts from a receipt (of the matter, a request, a reply), so
    the received-on-a-rest-day setting applies to it. ``enabled``: optional clocks (a local
    rule or an older national one) are off until a setting turns them on. ``local``: the
    length and unit are local practice (the settings table lists them on the calendar page).
    ``fixed``: the due date is given when the clock starts (a module's commission deadline),
    not counted, like a slip's.
    """

    label: str
    article: str
    days: int
    unit: str = "calendar"
    window: bool = False
    from_receipt: bool = False
    enabled: bool = True
    local: bool = False
    fixed: bool = False

    def setting(self, kind: str) -> str:
        """The environment variable that sets this kind's length, unit and switch."""
        return f"MINSHENG_CLOCK_{kind.upper()}"


_CHAIN_ARTICLE = "国信发〔2014〕16号第6条"

CLOCK_KINDS: dict[str, ClockKind] = {
    "disposition": ClockKind("登记转送交办", "条例第22条", 15, from_receipt=True),
    # §1.9 row 2: the older national rule splits the 15 days along the forwarding chain.
    "chain_national": ClockKind(
        "逐级转送（国家级）", _CHAIN_ARTICLE, 5, from_receipt=True, local=True
    ),
    "chain_province": ClockKind(
        "逐级转送（省级）", _CHAIN_ARTICLE, 3, from_receipt=True, local=True
    ),
    "chain_prefecture": ClockKind(
        "逐级转送（市级）", _CHAIN_ARTICLE, 3, from_receipt=True, local=True
    ),
    "chain_county": ClockKind("逐级转送（县级）", _CHAIN_ARTICLE, 4, from_receipt=True, local=True),
    "acceptance": ClockKind("书面告知受理", "条例第23条", 15, from_receipt=True),
    "objection": ClockKind(
        "异议期", "条例第23条第3款", 5, "working", window=True, from_receipt=True
    ),
    "handling": ClockKind("办理期限", "条例第34条", 60),
    "assignment": ClockKind("交办期限", "条例第22条第1款第3项", 0),
    # §1.9 row 14 for a matter a higher level sent down with its own deadline (上级交办件).
    "higher_deadline": ClockKind("上级交办期限", "条例第22条第1款第3项（上级交办）", 0),
    "review_window": ClockKind("复查申请期", "条例第35条", 30, window=True, from_receipt=True),
    "review": ClockKind("复查期限", "条例第35条", 30, from_receipt=True),
    "reexam_window": ClockKind("复核申请期", "条例第36条", 30, window=True, from_receipt=True),
    "reexam": ClockKind("复核期限", "条例第36条（听证时间不计入）", 30, from_receipt=True),
    # §1.9 row 13: the Regulation asks for written feedback without a period; the 2005 rule
    # gave 30 days. Off unless a bureau keeps the older rule.
    "proposal_feedback": ClockKind(
        "改进建议书面反馈", "条例第40条第4款；2005年条例第36条", 30, enabled=False, local=True
    ),
    # §1.9 row 15: a municipal rule (北京市信访条例 2006) for criticisms and suggestions.
    "outcome_notice": ClockKind(
        "建议意见处理结果告知",
        "地方信访条例（建议意见类）",
        5,
        "working",
        enabled=False,
        local=True,
    ),
}

#: Core's own kinds (a module's ``Lifecycle.clock_kinds`` join ``CLOCK_KINDS`` when declared).
CORE_KINDS = frozenset(CLOCK_KINDS)
#: The module that declared each of the other kinds (``Lifecycle.clock_kinds``): its clocks
#: remind nobody while it is uninstalled (the rows stay, as the module's data does).
KIND_MODULES: dict[str, str] = {}


def dormant_kinds(installed: frozenset[str] | None) -> list[str]:
    """The clock kinds of modules present but not ``installed`` (none outside an app)."""
    if installed is None:
        return []
    return sorted(kind for kind, module in KIND_MODULES.items() if module not in installed)


#: Clocks whose date is set by a document (a slip, a higher level's letter), not counted.
FIXED_KINDS = frozenset({"assignment", "higher_deadline"})


def is_fixed(kind: str) -> bool:
    """Whether clocks of ``kind`` keep the due date they were given.

    ``FIXED_KINDS``, and a module's ``ClockKind(fixed=True)``.
    """
    spec = CLOCK_KINDS.get(kind)
    return kind in FIXED_KINDS or (spec is not None and spec.fixed)


#: The forwarding-chain clock of an agency's administrative level (国家级/省级/市级/县级).
CHAIN_KINDS = {
    "national": "chain_national",
    "province": "chain_province",
    "city": "chain_prefecture",
    "county": "chain_county",
}


def _configured() -> dict:
    if has_app_context():
        return current_app.config.get("MINSHENG_CLOCKS") or {}
    return {}


def kind_spec(kind: str) -> ClockKind:
    """The clock kind as this site runs it: the regulation's row with the settings applied."""
    spec = CLOCK_KINDS[kind]
    local = _configured().get(kind)
    if not local:
        return spec
    return replace(
        spec,
        days=local.get("days", spec.days),
        unit=local.get("unit", spec.unit),
        enabled=local.get("enabled", spec.enabled),
    )


def enabled(kind: str) -> bool:
    """Whether clocks of ``kind`` are started on this site (optional ones are off by default)."""
    return kind_spec(kind).enabled


def settings_table() -> list[dict[str, Any]]:
    """Every deadline setting with its value here, for the calendar page (read-only)."""
    rows = [
        {
            "name": "MINSHENG_PERIOD_ROLL_OVER",
            "value": _roll_over(),
            "default": "rest_day",
            "meaning": (
                "期间最后一日为休息日时顺延：rest_day 任何休息日（含周末）、"
                "holiday 仅法定节假日、none 不顺延"
            ),
            "article": "民法典第203条",
        },
        {
            "name": "MINSHENG_RECEIVED_ON_REST_DAY",
            "value": "1" if _received_rule() else "0",
            "default": "0",
            "meaning": "休息日收到的视为下一个工作日收到（地方做法）",
            "article": "民法典第201条；地方做法",
        },
    ]
    for kind, base in CLOCK_KINDS.items():
        if is_fixed(kind):
            continue
        spec = kind_spec(kind)
        unit = "个工作日" if spec.unit == "working" else "日"
        default_unit = "个工作日" if base.unit == "working" else "日"
        rows.append(
            {
                "name": base.setting(kind),
                "value": f"{spec.days}{unit}" + ("" if spec.enabled else "（未启用）"),
                "default": f"{base.days}{default_unit}" + ("" if base.enabled else "（未启用）"),
                "meaning": spec.label,
                "article": spec.article,
            }
        )
    return rows


def today() -> date:
    """Today in Beijing (deadlines are dates in China, whatever the server's zone)."""
    return datetime.now(LOCAL_TZ).date()


#: Calendars already built, by database and by the state of the calendar tables (see below).
_CALENDARS: dict[tuple, WorkCalendar] = {}


def calendar_stamp() -> Select:
    """One row that changes whenever the calendar tables do (built once: it runs per clock)."""
    global _STAMP
    if _STAMP is None:
        days = CalendarDay.__table__
        years = CalendarYear.__table__
        _STAMP = select(
            func.count(),
            func.max(days.c.changed_at),
            func.min(days.c.day),
            func.max(days.c.day),
            select(func.count()).select_from(years).scalar_subquery(),
            select(func.max(years.c.imported_at)).scalar_subquery(),
        ).select_from(days)
    return _STAMP


_STAMP = None


def last_calendar() -> tuple[WorkCalendar, tuple]:
    """The calendar this process last loaded for this database, and the stamp it had then.

    Without asking the database (unless nothing was loaded yet): a registration confirms the
    stamp with ``calendar_stamp()`` in the statement that writes its clock, and registers again
    after ``forget_calendar()`` when the calendar changed in between.
    """
    url = db.session.get_bind().url
    if url not in _LATEST:
        load_calendar()
    return _LATEST[url]


def forget_calendar() -> None:
    """Make the next ``last_calendar()`` ask the database again."""
    _LATEST.pop(db.session.get_bind().url, None)


#: The calendar last loaded and its stamp, by database.
_LATEST: dict[Any, tuple[WorkCalendar, tuple]] = {}


def load_calendar() -> WorkCalendar:
    """The working-day calendar: library data plus the administrator's overrides and imports.

    Built once per process and reused while the calendar tables are unchanged: every
    registration starts a clock, and rebuilding the calendar (and its per-year tables) each time
    cost more than the rest of the registration. Whether the tables changed is one aggregate
    query, so an override saved by another worker is seen by the next clock computed here.
    """
    conn = db.session.connection()  # not session.execute: no autoflush, no ORM machinery
    days = CalendarDay.__table__
    years = CalendarYear.__table__
    stamp = conn.execute(calendar_stamp()).one()
    key = (conn.engine.url, *stamp)
    calendar = _CALENDARS.get(key)
    if calendar is None:
        overrides = {
            day: (DayKind[kind], name)
            for day, kind, name in conn.execute(select(days.c.day, days.c.kind, days.c.name))
        }
        official = set(conn.execute(select(years.c.year)).scalars())
        calendar = WorkCalendar(overrides=overrides, official_years=official)
        if len(_CALENDARS) > 16:  # tests use many databases; a server uses one
            _CALENDARS.clear()
        _CALENDARS[key] = calendar
    _LATEST[conn.engine.url] = (calendar, tuple(stamp))
    return calendar


def _roll_over() -> str:
    if has_app_context():
        return current_app.config.get("MINSHENG_PERIOD_ROLL_OVER") or "rest_day"
    return "rest_day"


def _received_rule() -> bool:
    if has_app_context():
        return bool(current_app.config.get("MINSHENG_RECEIVED_ON_REST_DAY", False))
    return False


def _length_step(clock: Clock) -> str | None:
    """Say so when a setting, not the regulation, gave the clock its length or unit."""
    base = CLOCK_KINDS.get(clock.kind)
    if base is None or (clock.days == base.days and clock.unit == base.unit):
        return None
    unit = "个工作日" if clock.unit == "working" else "日"
    base_unit = "个工作日" if base.unit == "working" else "日"
    return (
        f"期限长度 {clock.days}{unit} 按设置 {base.setting(clock.kind)}"
        f"（{base.article} 默认 {base.days}{base_unit}）"
    )


def _paused_ranges(clock: Clock, until: date | None = None) -> list[tuple]:
    ranges = []
    # Each span is [start, end or None, what] (spans written before a module named its pause
    # have no third element: they were hearings).
    for start, end, *what in clock.paused or []:
        s = date.fromisoformat(start)
        e = date.fromisoformat(end) if end else (until or today())
        ranges.append((s, e, *what))
    return ranges


def compute(clock: Clock, calendar: WorkCalendar | None = None) -> None:
    """(Re)compute ``clock.due``, its explanation and whether it relies on provisional days."""
    calendar = calendar or load_calendar()
    if is_fixed(clock.kind):
        # The slip (or the higher level's letter) sets the date itself; nothing to count.
        clock.explanation = _fixed_explanation(clock, calendar)
        clock.provisional = False
        return
    spec = CLOCK_KINDS.get(clock.kind)
    result = compute_due(
        calendar,
        clock.start,
        clock.days,
        clock.unit,
        extension_days=clock.extension_days,
        paused=_paused_ranges(clock),
        roll_over=_roll_over(),
        received_rule=_received_rule() and spec is not None and spec.from_receipt,
    )
    clock.due = result.due
    clock.provisional = result.provisional
    length = _length_step(clock)
    clock.explanation = "\n".join([length, *result.steps] if length else result.steps)


def _fixed_explanation(clock: Clock, calendar: WorkCalendar) -> str:
    """A date set by a document: say whose, and what kind of day it falls on."""
    what = {
        "higher_deadline": "上级机关来文规定的办理期限",
        "assignment": "交办单规定的办理期限",
    }.get(clock.kind, f"{clock.label}（指定日期）")
    text = f"{what}：{clock.due.isoformat()}"
    info = calendar.info(clock.due)
    if not info.kind.is_working or info.kind is DayKind.MAKEUP_WORKDAY:
        # A set date is not rolled over (it is the issuer's), but staff should see the day.
        text += f"（{describe_day(info)}，来文指定日期不顺延）"
    return text


def new_clock(
    kind: str,
    on: date,
    *,
    responsible_agency_id: int | None = None,
    due: date | None = None,
    calendar: WorkCalendar | None = None,
) -> Clock:
    """A computed clock of ``kind`` counting from the event day ``on``, not yet on any matter."""
    spec = kind_spec(kind)
    # Read the calendar before the clock joins a session: a clock flushed with its placeholder
    # due date would be written a second time once computed.
    calendar = calendar or load_calendar()
    clock = Clock(
        kind=kind,
        label=spec.label,
        article=spec.article,
        start=on,
        days=spec.days,
        unit=spec.unit,
        due=due or on,
        responsible_agency_id=responsible_agency_id,
        paused=[],
        # The column defaults, set now: the clock is computed (and may be read) before a flush.
        extension_days=0,
        state="running",
    )
    compute(clock, calendar)
    return clock


def start(
    matter: Matter,
    kind: str,
    on: date,
    *,
    responsible_agency_id: int | None = None,
    due: date | None = None,
    calendar: WorkCalendar | None = None,
) -> Clock:
    """Start a clock of ``kind`` on ``matter`` counting from the event day ``on``."""
    clock = new_clock(
        kind, on, responsible_agency_id=responsible_agency_id, due=due, calendar=calendar
    )
    matter.clocks.append(clock)
    signals.send(signals.clock_changed, clock=clock, change="started")
    return clock


def set_higher_deadline(matter: Matter, due: date, on: date, source: str = "") -> Clock:
    """Make a higher level's deadline (上级交办件) the matter's governing clock.

    The date is the higher level's, not counted here: it is kept as given (never rolled over),
    listed in the deadline table, reminded of and reported overdue like every clock, and
    offered as the deadline when the matter is assigned on. Setting it again moves the open one.
    """
    clock = running(matter, "higher_deadline")
    if clock is None:
        clock = start(
            matter, "higher_deadline", on, responsible_agency_id=matter.agency_id, due=due
        )
    else:
        clock.due = due
        compute(clock)
        signals.send(signals.clock_changed, clock=clock, change="extended")
    if source:
        clock.label = f"上级交办期限（{source}）"[:50]
    return clock


def running(matter: Matter, kind: str) -> Clock | None:
    """The open clock of ``kind`` on ``matter``, if any."""
    for clock in matter.clocks:
        if clock.kind == kind and clock.open:
            return clock
    return None


def stop(clock: Clock, on: date) -> None:
    """Stop a clock: *met* if on or before its due date, else *missed* (kept for good)."""
    if clock.state == "paused":
        resume(clock, on)
    clock.stopped_on = on
    clock.state = "met" if on <= clock.due else "missed"


def cancel(clock: Clock, on: date) -> None:
    """End a clock whose duty fell away (the hearing it timed was cancelled).

    Neither met nor missed, so no figure counts it either way.
    """
    if clock.state == "paused":
        resume(clock, on)
    clock.stopped_on = on
    clock.state = "cancelled"


def lapse(clock: Clock) -> None:
    """Close a window that ran out unused."""
    clock.state = "lapsed"
    clock.stopped_on = clock.due


def pause(clock: Clock, on: date, what: str = "听证") -> None:
    """Pause a clock (e.g. a hearing during re-review): the days until it resumes do not count.

    ``what`` names the span in the clock's explanation (``调解期间 … 不计入期限``).
    """
    clock.paused = [*clock.paused, [on.isoformat(), None, what]]
    clock.state = "paused"
    signals.send(signals.clock_changed, clock=clock, change="paused")


def resume(clock: Clock, on: date) -> None:
    """Resume a paused clock; its due date moves by the paused days."""
    spans = [list(p) for p in clock.paused]
    spans[-1][1] = on.isoformat()
    clock.paused = spans
    clock.state = "running"
    compute(clock)
    signals.send(signals.clock_changed, clock=clock, change="resumed")


def extend(clock: Clock, days: int) -> None:
    """Lengthen a clock (an approved extension)."""
    clock.extension_days += days
    compute(clock)
    signals.send(signals.clock_changed, clock=clock, change="extended")


def within(clock: Clock, when: date) -> bool:
    """Whether ``when`` is on or before the clock's due date (the window is still open)."""
    return when <= clock.due


def elapsed(clock: Clock, when: date) -> int:
    """Counted days from the clock's start to ``when`` (day 1 is the day after the event)."""
    return days_elapsed(load_calendar(), clock.start, when, clock.unit)


def open_clocks() -> list[Clock]:
    """Every running or paused clock, whoever may see its matter (calendar maintenance)."""
    stmt = select(Clock).where(Clock.state.in_(("running", "paused")))
    return list(db.session.execute(stmt.execution_options(skip_record_rules=True)).scalars())


def recompute_open(reason: str) -> list[tuple[Clock, date, date]]:
    """Recompute every open clock once after a calendar change; return those whose date moved."""
    calendar = load_calendar()
    moved = []
    for clock in open_clocks():
        before = clock.due
        compute(clock, calendar)
        if clock.due != before:
            moved.append((clock, before, clock.due))
    from core.cases.records.timeline import add_entry

    for clock, before, after in moved:
        add_entry(
            clock.matter,
            "clock",
            f"{clock.label}重新计算：{before.isoformat()} → {after.isoformat()}",
            body=f"{reason}\n{clock.explanation}",
        )
    return moved


def due_soon_cutoff(on: date | None = None) -> date:
    """Clocks due on or before this date count as due soon (three days ahead)."""
    return (on or today()) + timedelta(days=3)
