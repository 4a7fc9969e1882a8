"""Properties of deadline computation, over generated starts, lengths, units and pauses.

Only the clock functions are called (``core.cases.clocks.periods.compute_due`` on the built-in
calendar: official data where the calendar library has it, the rule-based fallback after).
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from core.cases.clocks.calendar import WorkCalendar
from core.cases.clocks.periods import compute_due

CALENDAR = WorkCalendar()
PROPERTY = settings(max_examples=60, deadline=None, database=None, derandomize=True)

starts = st.dates(min_value=date(2021, 1, 1), max_value=date(2030, 12, 31))
lengths = st.integers(min_value=1, max_value=90)
units = st.sampled_from(["calendar", "working"])
roll_overs = st.sampled_from(["rest_day", "holiday", "none"])
extensions = st.integers(min_value=0, max_value=30)


@st.composite
def pauses(draw, start: date):
    """Up to three inclusive spans, some before the start, some overlapping each other."""
    spans = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        first = start + timedelta(days=draw(st.integers(min_value=-10, max_value=120)))
        last = first + timedelta(days=draw(st.integers(min_value=0, max_value=20)))
        spans.append((first, last, draw(st.sampled_from(["听证", "调解"]))))
    return spans


@st.composite
def periods(draw):
    start = draw(starts)
    return {
        "start": start,
        "days": draw(lengths),
        "unit": draw(units),
        "extension_days": draw(extensions),
        "paused": draw(pauses(start)),
        "roll_over": draw(roll_overs),
        "received_rule": draw(st.booleans()),
    }


def due(p: dict, **changes):
    q = {**p, **changes}
    return compute_due(
        CALENDAR,
        q["start"],
        q["days"],
        q["unit"],
        extension_days=q["extension_days"],
        paused=q["paused"],
        roll_over=q["roll_over"],
        received_rule=q["received_rule"],
    )


@PROPERTY
@given(periods())
def test_a_due_date_is_never_before_its_start(p):
    assert due(p).due > p["start"]


@PROPERTY
@given(periods())
def test_pauses_never_shorten_a_period(p):
    assert due(p).due >= due(p, paused=[]).due
    # Nor does one more pause shorten a paused period.
    if p["paused"]:
        assert due(p).due >= due(p, paused=p["paused"][:-1]).due


@PROPERTY
@given(periods(), st.integers(min_value=1, max_value=30))
def test_longer_periods_and_extensions_never_end_sooner(p, more):
    assert due(p, days=p["days"] + more).due >= due(p).due
    assert due(p, extension_days=p["extension_days"] + more).due >= due(p).due


@PROPERTY
@given(periods())
def test_recomputation_is_idempotent_and_always_explained(p):
    first, second = due(p), due(p)
    assert (first.due, first.steps, first.provisional) == (
        second.due,
        second.steps,
        second.provisional,
    )
    assert first.steps and all(step.strip() for step in first.steps)
    assert first.explain().strip()
    # The explanation names the day it arrives at.
    assert first.due.isoformat() in first.explain()
