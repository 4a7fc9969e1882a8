"""Deadline clocks (期限): starting, pausing, stopping and recomputing them on the calendar.

Each kind is one row of ``CLOCK_KINDS`` with its article, length and unit. ``duty`` clocks are
deadlines staff must meet (a late stop is recorded as *missed* for good); ``window`` clocks are
periods in which someone may act (a request after the window is refused; when it lapses the
daily job moves the matter on).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlalchemy import Select, func, select

from core import signals
from core.cases.clocks.calendar import DayKind, WorkCalendar
from core.cases.clocks.periods import compute_due, days_elapsed
from core.cases.models import CalendarDay, CalendarYear, Clock, Matter
from core.extensions import db

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class ClockKind:
    """A kind of deadline: its label, article, length and unit, and whether it is a window."""

    label: str
    article: str
    days: int
    unit: str = "calendar"
    window: bool = False


CLOCK_KINDS: dict[str, ClockKind] = {
    "disposition": ClockKind("登记转送交办", "条例第22条", 15),
    "acceptance": ClockKind("书面告知受理", "条例第23条", 15),
    "objection": ClockKind("异议期", "条例第23条第3款", 5, "working", window=True),
    "handling": ClockKind("办理期限", "条例第34条", 60),
    "assignment": ClockKind("交办期限", "条例第22条第1款第3项", 0),
    "review_window": ClockKind("复查申请期", "条例第35条", 30, window=True),
    "review": ClockKind("复查期限", "条例第35条", 30),
    "reexam_window": ClockKind("复核申请期", "条例第36条", 30, window=True),
    "reexam": ClockKind("复核期限", "条例第36条（听证时间不计入）", 30),
}


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
        return current_app.config.get("MINSHENG_PERIOD_ROLL_OVER", "holiday")
    return "holiday"


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
    if clock.kind == "assignment":
        # The slip sets the date itself; nothing to count.
        clock.explanation = f"交办单规定的办理期限：{clock.due.isoformat()}"
        clock.provisional = False
        return
    result = compute_due(
        calendar,
        clock.start,
        clock.days,
        clock.unit,
        extension_days=clock.extension_days,
        paused=_paused_ranges(clock),
        roll_over=_roll_over(),
    )
    clock.due = result.due
    clock.provisional = result.provisional
    clock.explanation = result.explain()


def new_clock(
    kind: str,
    on: date,
    *,
    responsible_agency_id: int | None = None,
    due: date | None = None,
    calendar: WorkCalendar | None = None,
) -> Clock:
    """A computed clock of ``kind`` counting from the event day ``on``, not yet on any matter."""
    spec = CLOCK_KINDS[kind]
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


def recompute_open(reason: str) -> list[tuple[Clock, date, date]]:
    """Recompute every open clock after a calendar change; return those whose date moved."""
    calendar = load_calendar()
    moved = []
    stmt = select(Clock).where(Clock.state.in_(("running", "paused")))
    for clock in db.session.execute(stmt.execution_options(skip_record_rules=True)).scalars():
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
