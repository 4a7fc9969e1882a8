"""The indicators as data (REGULATION.md §5.2–5.3): each a numerator and a denominator over facts.

One row of ``facts()`` per matter carries what the indicators read from the case file: the
newest acceptance and handling clocks (state, due date, stop date), whether a review was
requested, the rating of the scope's object, whether a later petition was recorded as a repeat
of it, channel, flags. Every indicator is two SQL conditions on those columns, so a period is
computed by one ``GROUP BY`` of conditional sums (``compute``) and a figure's matters are the
same condition as a ``WHERE`` (``matching``): the drill-down lists exactly what was counted.

Clocks are judged *as of* a date ``on``: a clock stopped after ``on`` still ran then. The rating
status follows ``rating_statuses`` (core): rated, else excluded (涉法涉诉), else not yet replied,
else pending within the window, else 超期未评价.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    case,
    cast,
    false,
    func,
    not_,
    or_,
    select,
    text,
)

from core.api import (
    N_,
    RATING_EXCLUDED_STATES,
    Clock,
    Matter,
    Rating,
    db,
    provided,
    rating_window_days,
)

#: What a period's figures are grouped by (REGULATION.md §5.2: two objects are rated).
SCOPES = {"unit": N_("责任单位"), "bureau": N_("信访部门（登记机关）")}
CHANNEL_ONLINE = "online"
#: The clocks the formulas read (windows and the assignment deadline are not read).
CLOCK_KINDS = ("acceptance", "disposition", "handling", "review", "reexam")


@dataclass(frozen=True)
class Window:
    """Which matters a computation reads: period, scope, agencies, channel, and the as-of date."""

    starts_on: date
    ends_on: date
    on: date
    scope: str = "unit"
    agency_ids: frozenset[int] | None = None  # the subtree of the period's root agency
    channel: str | None = None
    basically_counts: bool = True


@dataclass(frozen=True)
class Indicator:
    """One indicator: its formula as two conditions over ``facts`` columns, and its labels."""

    code: str
    name: str
    numerator_label: str
    denominator_label: str
    numerator: Callable[[Any, Window], ColumnElement[bool]]
    denominator: Callable[[Any, Window], ColumnElement[bool]]
    better: str = "higher"  # "lower" for a rate that should fall (重复信访率)
    basis: str = N_("期内登记的事项")
    excludes: str = ""
    #: Facts another module adds to ``facts()`` for this indicator: (column, condition on the
    #: matter's id column and the as-of date). Empty for the indicators over core's case file.
    facts: tuple[tuple[str, Callable[[Any, date], ColumnElement[bool]]], ...] = ()


# --- the facts ----------------------------------------------------------------------------------


def _flag(flags, name: str) -> ColumnElement[bool]:
    # JSON list stored as text on both backends; the quoted name cannot match a longer flag.
    return cast(flags, String).like(f'%"{name}"%')


def _clocks(c, live):
    """Per matter, the fields of its deadline clocks, in one pass over ``core_clock``.

    A matter has at most one live acceptance and one disposition clock (an upheld objection
    cancels the acceptance clock before a new one starts), so their fields are plain
    aggregates. Handling clocks can follow one another (a reply sent back restarts the clock):
    at most one is open; of the stopped ones the latest stop counts.
    """

    def one(kind: str, column):
        return func.max(column).filter(and_(c.c.kind == kind, live))

    handling = and_(c.c.kind == "handling", live)
    is_open = and_(handling, c.c.state.in_(("running", "paused")))
    stopped = and_(handling, c.c.state.in_(("met", "missed")))
    return [
        *(
            one(kind, getattr(c.c, col)).label(f"{prefix}_{col}")
            for kind, prefix in (("acceptance", "a"), ("disposition", "d"))
            for col in ("state", "due", "stopped_on", "start")
        ),
        func.max(c.c.due).filter(is_open).label("h_open_due"),
        func.max(c.c.start).filter(is_open).label("h_open_start"),
        func.max(c.c.stopped_on).filter(stopped).label("h_stop"),
        func.max(c.c.stopped_on)
        .filter(and_(handling, c.c.state == "missed"))
        .label("h_missed_stop"),
        func.max(c.c.due).filter(stopped).label("h_stop_due"),
        func.min(c.c.start).filter(stopped).label("h_stop_start"),
        func.max(case((c.c.kind.in_(("review", "reexam")), 1), else_=0)).label("reviewed"),
    ]


def _bit(name: str, condition) -> Any:
    return case((condition, 1), else_=0).label(name)


def facts(w: Window, agency_id: int | None = None, extra: tuple[Indicator, ...] | None = None):
    """One row per matter of the window with a 0/1 column per fact the formulas combine.

    Rows: matters received in the period, and 积案 still open at its start; of one agency only
    with ``agency_id``. ``grp`` is the agency the figure belongs to: the responsible unit
    (``handling_agency_id``) or the petition department that registered it (``agency_id``).
    The facts are computed once per matter here (``OFFSET 0`` keeps PostgreSQL from inlining
    this query into the sums, where each fact would be evaluated again for every indicator).
    ``extra``: the indicators installed modules contribute (default: ``contributed()``), whose
    facts are columns too.
    """
    extra = contributed() if extra is None else extra
    m = Matter.__table__
    c = Clock.__table__
    on = w.on
    grp = m.c.handling_agency_id if w.scope == "unit" else m.c.agency_id
    received = and_(m.c.received_on >= w.starts_on, m.c.received_on <= w.ends_on)
    long_standing = _flag(m.c.flags, "long_standing")
    backlog_open = and_(
        long_standing,
        m.c.received_on <= w.ends_on,
        or_(m.c.reply_received_on.is_(None), m.c.reply_received_on >= w.starts_on),
    )
    where = [or_(received, backlog_open), grp.is_not(None)]
    if w.agency_ids is not None:
        where.append(grp.in_(sorted(w.agency_ids)))
    if agency_id is not None:
        where.append(grp == agency_id)
    if w.channel:
        where.append(m.c.channel == w.channel)
    # Clocks and ratings of the window's range of matter ids: ids grow with registration, so a
    # month reads about a month of clocks, in the order of their index (a sorted aggregate, no
    # hash of every clock). An ``IN (window)`` semi-join cost more than it saved, and bounds
    # left to the query (sub-selects) hid the range from PostgreSQL's estimates: asked first.
    # One agency's matters (a drill-down list) are a small share of the range: those by id.
    r = Rating.__table__
    if agency_id is None:
        first, last = db.session.execute(
            select(func.min(m.c.id), func.max(m.c.id)).where(*where)
        ).one()
        clocks_of = c.c.matter_id.between(first or 0, last or 0)
        ratings_of = r.c.matter_id.between(first or 0, last or 0)
    else:
        clocks_of = c.c.matter_id.in_(select(m.c.id).where(*where))
        ratings_of = r.c.matter_id.in_(select(m.c.id).where(*where))
    ck = (
        select(c.c.matter_id, *_clocks(c, c.c.state != "cancelled"))
        .where(c.c.kind.in_(CLOCK_KINDS), clocks_of)
        .group_by(c.c.matter_id)
        .subquery("ck")
    )
    target = "unit" if w.scope == "unit" else "bureau"
    rt = select(r.c.matter_id, r.c.value).where(r.c.target == target, ratings_of).subquery("rt")
    rep = m.alias("rep")
    repeated = (
        select(rep.c.repeat_of_id.label("of_id"))
        .where(rep.c.repeat_of_id.is_not(None))
        .group_by(rep.c.repeat_of_id)
        .subquery("rp")
    )

    # The acceptance deadline: a unit's 书面告知受理 clock, or, accepted directly by the organ
    # first approached, its 登记转送交办 clock; the petition department's own is the latter.
    def acc(col: str):
        if w.scope != "unit":
            return ck.c[f"d_{col}"]
        return case(
            (ck.c.a_state.is_not(None), ck.c[f"a_{col}"]),
            (m.c.accepted_on.is_not(None), ck.c[f"d_{col}"]),
        )

    a = _clock(acc("state"), acc("due"), acc("stopped_on"), acc("start"), on)
    open_now = and_(ck.c.h_open_due.is_not(None), ck.c.h_open_start <= on)
    stopped_by = and_(ck.c.h_stop.is_not(None), ck.c.h_stop <= on)
    stopped_after = and_(ck.c.h_stop.is_not(None), ck.c.h_stop > on, ck.c.h_stop_start <= on)
    later = and_(not_(open_now), not_(stopped_by), stopped_after)  # still running as of ``on``
    h = {
        "on_time": and_(
            not_(open_now),
            stopped_by,
            or_(ck.c.h_missed_stop.is_(None), ck.c.h_missed_stop < ck.c.h_stop),
        ),
        "late": and_(not_(open_now), stopped_by, ck.c.h_missed_stop == ck.c.h_stop),
        "overdue": or_(and_(open_now, ck.c.h_open_due < on), and_(later, ck.c.h_stop_due < on)),
        "open": or_(and_(open_now, ck.c.h_open_due >= on), and_(later, ck.c.h_stop_due >= on)),
    }
    excluded = or_(_flag(m.c.flags, "law_related"), m.c.state.in_(sorted(RATING_EXCLUDED_STATES)))
    reply = m.c.reply_received_on
    # A reply sent back to be redone restarts the handling clock: until that clock stops
    # again the matter is not replied, though its first delivery date stays on file.
    replied = and_(reply.is_not(None), reply <= on, not_(or_(h["overdue"], h["open"])))
    good = ("satisfied", "basically") if w.basically_counts else ("satisfied",)
    repeated_later = repeated.c.of_id.is_not(None)
    resolved = and_(
        replied,
        func.coalesce(ck.c.reviewed, 0) == 0,
        not_(repeated_later),
        or_(rt.c.value.is_(None), rt.c.value != "dissatisfied"),
    )
    last_open_reply = on - timedelta(days=rating_window_days())
    backlog = and_(backlog_open, not_(excluded))
    return (
        select(
            m.c.id,
            grp.label("grp"),
            m.c.received_on,
            _bit("in_period", received),
            _bit("excluded", excluded),
            _bit("repeat", or_(m.c.first_petition == false(), m.c.repeat_of_id.is_not(None))),
            _bit("online", m.c.channel == CHANNEL_ONLINE),
            *(_bit(f"acc_{k}", v) for k, v in a.items()),
            *(_bit(f"hdl_{k}", v) for k, v in h.items()),
            _bit(
                "accepted",
                and_(
                    not_(excluded),
                    or_(ck.c.h_open_start <= on, ck.c.h_stop_start <= on),
                ),
            ),
            _bit("rated", rt.c.value.is_not(None)),
            _bit("satisfied", rt.c.value.in_(good)),
            _bit(
                "expired",
                and_(
                    rt.c.value.is_(None),
                    not_(excluded),
                    reply.is_not(None),
                    reply < last_open_reply,
                ),
            ),
            _bit("replied", and_(replied, not_(excluded))),
            _bit("resolved", and_(resolved, not_(excluded))),
            _bit("settled", and_(replied, not_(excluded), not_(repeated_later))),
            _bit("backlog", backlog),
            _bit(
                "backlog_resolved",
                and_(backlog, resolved, reply >= w.starts_on, reply <= w.ends_on),
            ),
            *(_bit(name, cond(m.c.id, on)) for ind in extra for name, cond in ind.facts),
        )
        .select_from(m)
        .outerjoin(ck, ck.c.matter_id == m.c.id)
        .outerjoin(rt, rt.c.matter_id == m.c.id)
        .outerjoin(repeated, repeated.c.of_id == m.c.id)
        .where(*where)
        .offset(0)
        .subquery("facts")
    )


# --- the building blocks of the formulas --------------------------------------------------------


def _clock(state, due, stopped, start, on: date) -> dict[str, ColumnElement[bool]]:
    """A clock as of ``on``: met on time, missed (late), open and overdue, open not yet due."""
    started = and_(state.is_not(None), start <= on)
    done = and_(state.in_(("met", "missed")), or_(stopped.is_(None), stopped <= on))
    still_open = and_(
        started,
        or_(state.in_(("running", "paused")), and_(state.in_(("met", "missed")), stopped > on)),
    )
    return {
        "on_time": and_(started, done, state == "met"),
        "late": and_(started, done, state == "missed"),
        "overdue": and_(still_open, due < on),
        "open": and_(still_open, due >= on),
    }


def all_of(f, *names: str) -> ColumnElement[bool]:
    """Every named fact holds (``not_x`` for a fact that must not)."""
    return and_(*(f.c[n[4:]] == 0 if n.startswith("not_") else f.c[n] == 1 for n in names))


def any_of(f, *names: str) -> ColumnElement[bool]:
    """At least one named fact holds."""
    return or_(*(f.c[n] == 1 for n in names))


def in_period(f) -> ColumnElement[bool]:
    """Received in the period (the matters an agency's 期内登记事项 counts)."""
    return f.c.in_period == 1


def resolved(f) -> ColumnElement[bool]:
    """化解: replied, no review asked, no later petition recorded as its repeat, not 不满意."""
    return f.c.resolved == 1


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "timely_acceptance",
        N_("及时受理率"),
        N_("按时受理（告知）的事项"),
        N_("受理期限已届满或已办结的事项：及时受理＋超期受理＋超期未受理"),
        lambda f, w: all_of(f, "in_period", "acc_on_time"),
        lambda f, w: and_(in_period(f), any_of(f, "acc_on_time", "acc_late", "acc_overdue")),
        excludes=N_("受理期限尚未届满且未受理的事项不计"),
    ),
    Indicator(
        "on_time_completion",
        N_("按期办结率"),
        N_("按期答复的事项"),
        N_("已受理的事项：按期答复＋超期答复＋未答复＋超期未答复"),
        lambda f, w: all_of(f, "in_period", "hdl_on_time"),
        lambda f, w: and_(
            in_period(f), any_of(f, "hdl_on_time", "hdl_late", "hdl_overdue", "hdl_open")
        ),
    ),
    Indicator(
        "participation",
        N_("参评率"),
        N_("已评价的事项"),
        N_("应参评的事项：已评价＋超期未评价"),
        lambda f, w: all_of(f, "in_period", "rated"),
        lambda f, w: and_(in_period(f), any_of(f, "rated", "expired")),
        excludes=N_("涉法涉诉事项、尚未答复或仍在评价期内的事项不计"),
    ),
    Indicator(
        "satisfaction",
        N_("群众满意率"),
        N_("评为满意的事项（“基本满意”是否计入见方案）"),
        N_("已评价的事项"),
        lambda f, w: all_of(f, "in_period", "satisfied"),
        lambda f, w: all_of(f, "in_period", "rated"),
    ),
    Indicator(
        "repeat_rate",
        N_("重复信访率"),
        N_("重信重访事项（非初次信访）"),
        N_("期内登记的全部事项"),
        lambda f, w: all_of(f, "in_period", "repeat"),
        lambda f, w: in_period(f),
        better="lower",
    ),
    Indicator(
        "first_time_resolution",
        N_("一次性化解率"),
        N_("一次办理即化解的事项：已答复、未申请复查、无重复信访、未评为不满意"),
        N_("已答复（意见送达）的事项"),
        lambda f, w: all_of(f, "in_period", "resolved"),
        lambda f, w: all_of(f, "in_period", "replied"),
        excludes=N_("涉法涉诉事项不计"),
    ),
    Indicator(
        "first_petition_resolution",
        N_("初信初访化解率"),
        N_("已化解的初信初访事项"),
        N_("已受理的初信初访事项"),
        lambda f, w: all_of(f, "in_period", "not_repeat", "accepted", "resolved"),
        lambda f, w: all_of(f, "in_period", "not_repeat", "accepted"),
        excludes=N_("涉法涉诉事项不计"),
    ),
    Indicator(
        "repeat_petition_resolution",
        N_("重信重访化解率"),
        N_("已化解的重信重访事项"),
        N_("已受理的重信重访事项"),
        lambda f, w: all_of(f, "in_period", "repeat", "accepted", "resolved"),
        lambda f, w: all_of(f, "in_period", "repeat", "accepted"),
        excludes=N_("涉法涉诉事项不计"),
    ),
    Indicator(
        "backlog_resolution",
        N_("历史积案化解率"),
        N_("本期内答复并化解的积案"),
        N_("期初未答复或期内登记的积案（标记“积案”）"),
        lambda f, w: all_of(f, "backlog_resolved"),
        lambda f, w: all_of(f, "backlog"),
        basis=N_("标记“积案”、期末前登记且期初尚未答复的事项"),
        excludes=N_("涉法涉诉事项不计"),
    ),
    Indicator(
        "online_share",
        N_("网信占比"),
        N_("网上信访事项"),
        N_("期内登记的全部事项"),
        lambda f, w: all_of(f, "in_period", "online"),
        lambda f, w: in_period(f),
    ),
    Indicator(
        "settled",
        N_("息访率"),
        N_("答复后未再信访的事项（无记为其重复的后续信访）"),
        N_("已答复（意见送达）的事项"),
        lambda f, w: all_of(f, "in_period", "settled"),
        lambda f, w: all_of(f, "in_period", "replied"),
        excludes=N_("涉法涉诉事项不计"),
    ),
)
BY_CODE = {i.code: i for i in INDICATORS}

#: The hook (``Manifest.provides``) through which an installed module adds indicators over what
#: it records — hearings held, relief paid —, without evaluation importing it: a function
#: returning a list of dicts with ``code``, ``name``, ``numerator_label``, ``denominator_label``
#: (marked with ``N_``), optional ``excludes``, and ``numerator`` / ``denominator``: functions
#: ``(matter_id, on) -> condition`` on the matter's id column as of the date ``on``. Both are
#: counted over the matters of the period (the denominator is what the numerator is a share of).
FACTS_HOOK = "evaluation.facts"


def contributed() -> tuple[Indicator, ...]:
    """The indicators installed modules contribute through ``FACTS_HOOK`` (none without them)."""
    out: list[Indicator] = []
    for provide in provided(FACTS_HOOK):
        for spec in provide():
            code = spec["code"]
            num, den = f"x_{code}_n", f"x_{code}_d"
            out.append(
                Indicator(
                    code,
                    spec["name"],
                    spec["numerator_label"],
                    spec["denominator_label"],
                    lambda f, w, n=num: all_of(f, "in_period", n),
                    lambda f, w, d=den: all_of(f, "in_period", d),
                    excludes=spec.get("excludes", ""),
                    facts=((num, spec["numerator"]), (den, spec["denominator"])),
                )
            )
    return tuple(out)


def definitions() -> dict[str, Indicator]:
    """Every indicator by code: core's case file's and those the installed modules contribute."""
    return {**BY_CODE, **{i.code: i for i in contributed()}}


# --- computing and drilling down ----------------------------------------------------------------


@dataclass
class Figures:
    """One agency's counts: ``matters`` received in the period, and (numerator, denominator)."""

    matters: int = 0
    pairs: dict[str, tuple[int, int]] | None = None


TUNING = ("jit = off", "max_parallel_workers_per_gather = 0", "enable_mergejoin = off")


def tune() -> None:
    """Plan the aggregate for what it is: one pass over many rows, run once (PostgreSQL only).

    Without this, PostgreSQL spent about a second compiling the expressions (JIT) and ran the
    per-matter clock aggregate again in every parallel worker; the settings last until the end
    of the transaction (``SET LOCAL``).
    """
    if db.session.get_bind().dialect.name == "postgresql":
        for setting in (
            "jit = off",
            "max_parallel_workers_per_gather = 0",
            "enable_mergejoin = off",
        ):
            db.session.execute(text(f"SET LOCAL {setting}"))


def compute(w: Window, codes: list[str] | None = None) -> dict[int, Figures]:
    """Every indicator's numerator and denominator per agency, in one aggregate query."""
    tune()
    extra = contributed()
    f = facts(w, extra=extra)
    known = {**BY_CODE, **{i.code: i for i in extra}}
    chosen = [known[c] for c in codes] if codes else [*INDICATORS, *extra]
    columns = [f.c.grp, func.sum(case((in_period(f), 1), else_=0)).label("matters")]
    for ind in chosen:
        columns.append(func.sum(case((ind.numerator(f, w), 1), else_=0)))
        columns.append(func.sum(case((ind.denominator(f, w), 1), else_=0)))
    out: dict[int, Figures] = {}
    for row in db.session.execute(select(*columns).group_by(f.c.grp)):
        values = [int(v or 0) for v in row[2:]]
        out[row[0]] = Figures(
            matters=int(row[1] or 0),
            pairs={ind.code: (values[2 * i], values[2 * i + 1]) for i, ind in enumerate(chosen)},
        )
    return out


PARTS = {"numerator": N_("分子"), "denominator": N_("分母")}


def matching(w: Window, agency_id: int, code: str, part: str):
    """The ids of the matters counted in ``part`` of ``code`` for ``agency_id`` (a subquery)."""
    f = facts(w, agency_id)
    ind = definitions()[code]
    cond = ind.numerator(f, w) if part == "numerator" else ind.denominator(f, w)
    return select(f.c.id).where(cond)
