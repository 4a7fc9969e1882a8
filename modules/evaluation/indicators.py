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
)
from sqlalchemy.orm import aliased

from core.api import (
    N_,
    RATING_EXCLUDED_STATES,
    Clock,
    Matter,
    Rating,
    db,
    rating_window_days,
)

#: What a period's figures are grouped by (REGULATION.md §5.2: two objects are rated).
SCOPES = {"unit": N_("责任单位"), "bureau": N_("信访部门（登记机关）")}
CHANNEL_ONLINE = "online"


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


# --- the facts ----------------------------------------------------------------------------------


def _flag(flags, name: str) -> ColumnElement[bool]:
    # JSON list stored as text on both backends; the quoted name cannot match a longer flag.
    return cast(flags, String).like(f'%"{name}"%')


def facts(w: Window):
    """One row per matter of the window (received in the period, or a backlog matter open then).

    ``grp`` is the agency the figure belongs to: the responsible unit (``handling_agency_id``) or
    the petition department that registered it (``agency_id``).
    """
    m = Matter.__table__
    c = Clock.__table__
    grp = m.c.handling_agency_id if w.scope == "unit" else m.c.agency_id
    received = and_(m.c.received_on >= w.starts_on, m.c.received_on <= w.ends_on)
    backlog = and_(
        _flag(m.c.flags, "long_standing"),
        m.c.received_on <= w.ends_on,
        or_(m.c.reply_received_on.is_(None), m.c.reply_received_on >= w.starts_on),
    )
    where = [or_(received, backlog), grp.is_not(None)]
    if w.agency_ids is not None:
        where.append(grp.in_(sorted(w.agency_ids)))
    if w.channel:
        where.append(m.c.channel == w.channel)
    in_window = select(m.c.id).where(*where)

    live = c.c.state != "cancelled"  # an upheld objection cancels a clock: it never counted

    def newest(*kinds: str):
        return func.max(case((and_(c.c.kind.in_(kinds), live), c.c.id)))

    per_matter = (
        select(
            c.c.matter_id,
            newest("acceptance").label("acc_id"),
            newest("disposition").label("disp_id"),
            newest("handling").label("hdl_id"),
            func.max(case((c.c.kind.in_(("review", "reexam")), 1), else_=0)).label("reviewed"),
        )
        .where(c.c.matter_id.in_(in_window))
        .group_by(c.c.matter_id)
        .subquery("ck")
    )
    acc = aliased(Clock, name="acc")
    hdl = aliased(Clock, name="hdl")
    if w.scope == "unit":
        # Accepted directly by the organ first approached: no acceptance clock, the disposition
        # clock (登记转送交办) was its deadline to decide.
        acc_id = func.coalesce(
            per_matter.c.acc_id,
            case((m.c.accepted_on.is_not(None), per_matter.c.disp_id)),
        )
    else:
        acc_id = per_matter.c.disp_id  # the petition department's own deadline (Art. 22)
    target = "unit" if w.scope == "unit" else "bureau"
    r = Rating.__table__
    rating = (
        select(r.c.matter_id, r.c.value)
        .where(r.c.target == target, r.c.matter_id.in_(in_window))
        .subquery("rt")
    )
    rep = m.alias("rep")
    repeated = (
        select(rep.c.repeat_of_id.label("of_id"))
        .where(rep.c.repeat_of_id.is_not(None))
        .group_by(rep.c.repeat_of_id)
        .subquery("rp")
    )
    return (
        select(
            m.c.id,
            m.c.number,
            grp.label("grp"),
            m.c.received_on,
            m.c.channel,
            m.c.first_petition,
            m.c.repeat_of_id,
            m.c.state,
            m.c.flags,
            m.c.reply_received_on,
            received.label("in_period"),
            acc.state.label("acc_state"),
            acc.due.label("acc_due"),
            acc.stopped_on.label("acc_stopped"),
            acc.start.label("acc_start"),
            hdl.state.label("hdl_state"),
            hdl.due.label("hdl_due"),
            hdl.stopped_on.label("hdl_stopped"),
            hdl.start.label("hdl_start"),
            func.coalesce(per_matter.c.reviewed, 0).label("reviewed"),
            rating.c.value.label("rating"),
            case((repeated.c.of_id.is_not(None), 1), else_=0).label("repeated_later"),
        )
        .select_from(m)
        .outerjoin(per_matter, per_matter.c.matter_id == m.c.id)
        .outerjoin(acc, acc.id == acc_id)
        .outerjoin(hdl, hdl.id == per_matter.c.hdl_id)
        .outerjoin(rating, rating.c.matter_id == m.c.id)
        .outerjoin(repeated, repeated.c.of_id == m.c.id)
        .where(*where)
        .subquery("facts")
    )


# --- the building blocks of the formulas --------------------------------------------------------


def _clock(f, prefix: str, on: date) -> dict[str, ColumnElement[bool]]:
    """A clock as of ``on``: met on time, missed (late), open and overdue, open not yet due."""
    state = f.c[f"{prefix}_state"]
    due = f.c[f"{prefix}_due"]
    stopped = f.c[f"{prefix}_stopped"]
    started = and_(state.is_not(None), f.c[f"{prefix}_start"] <= on)
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


def excluded(f) -> ColumnElement[bool]:
    """涉法涉诉: flagged, or routed to a legal procedure (core's rating exclusion)."""
    return or_(_flag(f.c.flags, "law_related"), f.c.state.in_(sorted(RATING_EXCLUDED_STATES)))


def rated(f) -> ColumnElement[bool]:
    return f.c.rating.is_not(None)


def expired(f, w: Window) -> ColumnElement[bool]:
    """超期未评价 as of ``w.on``: replied, not excluded, not rated, window over."""
    last_open_reply = w.on - timedelta(days=rating_window_days())
    return and_(
        f.c.rating.is_(None),
        not_(excluded(f)),
        f.c.reply_received_on.is_not(None),
        f.c.reply_received_on < last_open_reply,
    )


def replied(f, w: Window) -> ColumnElement[bool]:
    """The handling opinion reached the petitioner by ``w.on`` (答复送达) and stands.

    A reply sent back to be redone (退回重办) restarts the handling clock: until that clock
    stops again the matter is not replied, though its first delivery date stays on file.
    """
    return and_(
        f.c.reply_received_on.is_not(None),
        f.c.reply_received_on <= w.on,
        or_(
            f.c.hdl_state.is_(None),
            and_(
                f.c.hdl_state.in_(("met", "missed")),
                or_(f.c.hdl_stopped.is_(None), f.c.hdl_stopped <= w.on),
            ),
        ),
    )


def resolved(f, w: Window) -> ColumnElement[bool]:
    """化解: replied, no review asked, no later petition recorded as its repeat, not 不满意."""
    return and_(
        replied(f, w),
        f.c.reviewed == 0,
        f.c.repeated_later == 0,
        or_(f.c.rating.is_(None), f.c.rating != "dissatisfied"),
    )


def is_repeat(f) -> ColumnElement[bool]:
    return or_(f.c.first_petition == false(), f.c.repeat_of_id.is_not(None))


def accepted(f, w: Window) -> ColumnElement[bool]:
    """Accepted for handling (a handling clock started by ``w.on``), not 涉法涉诉."""
    return and_(f.c.hdl_state.is_not(None), f.c.hdl_start <= w.on, not_(excluded(f)))


def backlog(f, w: Window) -> ColumnElement[bool]:
    """历史积案 open at the start of the period (flag 积案, not replied before the period)."""
    return and_(
        _flag(f.c.flags, "long_standing"),
        not_(excluded(f)),
        f.c.received_on <= w.ends_on,
        or_(f.c.reply_received_on.is_(None), f.c.reply_received_on >= w.starts_on),
    )


def in_period(f) -> ColumnElement[bool]:
    # ``received`` selected as a boolean column: true for the matters received in the period.
    return f.c.in_period == True  # noqa: E712


def _satisfied(f, w: Window) -> ColumnElement[bool]:
    good = ("satisfied", "basically") if w.basically_counts else ("satisfied",)
    return f.c.rating.in_(good)


def _acc(f, w):
    return _clock(f, "acc", w.on)


def _hdl(f, w):
    return _clock(f, "hdl", w.on)


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "timely_acceptance",
        N_("及时受理率"),
        N_("按时受理（告知）的事项"),
        N_("受理期限已届满或已办结的事项：及时受理＋超期受理＋超期未受理"),
        lambda f, w: and_(in_period(f), _acc(f, w)["on_time"]),
        lambda f, w: and_(
            in_period(f), or_(_acc(f, w)["on_time"], _acc(f, w)["late"], _acc(f, w)["overdue"])
        ),
        excludes=N_("受理期限尚未届满且未受理的事项不计"),
    ),
    Indicator(
        "on_time_completion",
        N_("按期办结率"),
        N_("按期答复的事项"),
        N_("已受理的事项：按期答复＋超期答复＋未答复＋超期未答复"),
        lambda f, w: and_(in_period(f), _hdl(f, w)["on_time"]),
        lambda f, w: and_(
            in_period(f),
            or_(
                _hdl(f, w)["on_time"],
                _hdl(f, w)["late"],
                _hdl(f, w)["overdue"],
                _hdl(f, w)["open"],
            ),
        ),
    ),
    Indicator(
        "participation",
        N_("参评率"),
        N_("已评价的事项"),
        N_("应参评的事项：已评价＋超期未评价"),
        lambda f, w: and_(in_period(f), rated(f)),
        lambda f, w: and_(in_period(f), or_(rated(f), expired(f, w))),
        excludes=N_("涉法涉诉事项、尚未答复或仍在评价期内的事项不计"),
    ),
    Indicator(
        "satisfaction",
        N_("群众满意率"),
        N_("评为满意的事项（“基本满意”是否计入见方案）"),
        N_("已评价的事项"),
        lambda f, w: and_(in_period(f), _satisfied(f, w)),
        lambda f, w: and_(in_period(f), rated(f)),
    ),
    Indicator(
        "repeat_rate",
        N_("重复信访率"),
        N_("重信重访事项（非初次信访）"),
        N_("期内登记的全部事项"),
        lambda f, w: and_(in_period(f), is_repeat(f)),
        lambda f, w: in_period(f),
        better="lower",
    ),
    Indicator(
        "first_time_resolution",
        N_("一次性化解率"),
        N_("一次办理即化解的事项：已答复、未申请复查、无重复信访、未评为不满意"),
        N_("已答复（意见送达）的事项"),
        lambda f, w: and_(in_period(f), not_(excluded(f)), resolved(f, w)),
        lambda f, w: and_(in_period(f), not_(excluded(f)), replied(f, w)),
        excludes=N_("涉法涉诉事项不计"),
    ),
    Indicator(
        "first_petition_resolution",
        N_("初信初访化解率"),
        N_("已化解的初信初访事项"),
        N_("已受理的初信初访事项"),
        lambda f, w: and_(in_period(f), not_(is_repeat(f)), accepted(f, w), resolved(f, w)),
        lambda f, w: and_(in_period(f), not_(is_repeat(f)), accepted(f, w)),
        excludes=N_("涉法涉诉事项不计"),
    ),
    Indicator(
        "repeat_petition_resolution",
        N_("重信重访化解率"),
        N_("已化解的重信重访事项"),
        N_("已受理的重信重访事项"),
        lambda f, w: and_(in_period(f), is_repeat(f), accepted(f, w), resolved(f, w)),
        lambda f, w: and_(in_period(f), is_repeat(f), accepted(f, w)),
        excludes=N_("涉法涉诉事项不计"),
    ),
    Indicator(
        "backlog_resolution",
        N_("历史积案化解率"),
        N_("本期内答复并化解的积案"),
        N_("期初未答复或期内登记的积案（标记“积案”）"),
        lambda f, w: and_(
            backlog(f, w),
            resolved(f, w),
            f.c.reply_received_on >= w.starts_on,
            f.c.reply_received_on <= w.ends_on,
        ),
        lambda f, w: backlog(f, w),
        basis=N_("标记“积案”、期末前登记且期初尚未答复的事项"),
        excludes=N_("涉法涉诉事项不计"),
    ),
    Indicator(
        "online_share",
        N_("网信占比"),
        N_("网上信访事项"),
        N_("期内登记的全部事项"),
        lambda f, w: and_(in_period(f), f.c.channel == CHANNEL_ONLINE),
        lambda f, w: in_period(f),
    ),
    Indicator(
        "settled",
        N_("息访率"),
        N_("答复后未再信访的事项（无记为其重复的后续信访）"),
        N_("已答复（意见送达）的事项"),
        lambda f, w: and_(in_period(f), not_(excluded(f)), replied(f, w), f.c.repeated_later == 0),
        lambda f, w: and_(in_period(f), not_(excluded(f)), replied(f, w)),
        excludes=N_("涉法涉诉事项不计"),
    ),
)
BY_CODE = {i.code: i for i in INDICATORS}


# --- computing and drilling down ----------------------------------------------------------------


@dataclass
class Figures:
    """One agency's counts: ``matters`` received in the period, and (numerator, denominator)."""

    matters: int = 0
    pairs: dict[str, tuple[int, int]] | None = None


def compute(w: Window, codes: list[str] | None = None) -> dict[int, Figures]:
    """Every indicator's numerator and denominator per agency, in one aggregate query."""
    f = facts(w)
    chosen = [BY_CODE[c] for c in codes] if codes else list(INDICATORS)
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
    f = facts(w)
    ind = BY_CODE[code]
    cond = ind.numerator(f, w) if part == "numerator" else ind.denominator(f, w)
    return select(f.c.id).where(f.c.grp == agency_id, cond)
