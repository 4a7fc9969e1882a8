"""Rules of the reception hall: routing by subject, arrivals, visits, leapfrog visits, leader days.

Each writing service is one desk action in one transaction (``core.api.transactional``): it
validates, changes the models and records its audit events, and the outermost action commits
once — or it raises ``ReceptionError`` (or core's refusal) and nothing it wrote is kept. A
service called from another joins that one's transaction. Matters are registered and stepped
only through core (``register_matter``, ``perform``), inside the same transaction.

The services live by subject: ``units`` (windows, duty, routing), ``desk`` (arrivals and the
person's history), ``visits`` (the visit at the unit), ``board`` (hall board and statistics),
``sessions`` (leader reception days). Their public names are gathered here.
"""

from __future__ import annotations

from core.api import id_number_problem, today, utcnow

from .board import board, daily_stats
from .common import BEIJING, MAX_REPRESENTATIVES, ReceptionError
from .desk import Arrival, arrive, history, level_of
from .sessions import (
    Booking,
    attach_lawyer,
    beijing_to_utc,
    book,
    booked,
    check_in,
    exclusions,
    publish,
    schedule,
    session_outcome,
    two_months_before,
)
from .units import (
    YIMA_WINDOWS,
    category_chain,
    covers,
    on_duty,
    route,
    save_unit,
    seed,
    set_duty,
    units,
)
from .visits import (
    INCIDENT_KINDS,
    answer_on_spot,
    assign,
    call,
    direct_leapfrog,
    record_incident,
    register_for_handling,
)

__all__ = [
    "BEIJING",
    "INCIDENT_KINDS",
    "MAX_REPRESENTATIVES",
    "YIMA_WINDOWS",
    "Arrival",
    "Booking",
    "ReceptionError",
    "answer_on_spot",
    "arrive",
    "assign",
    "attach_lawyer",
    "beijing_to_utc",
    "board",
    "book",
    "booked",
    "call",
    "category_chain",
    "check_in",
    "covers",
    "daily_stats",
    "direct_leapfrog",
    "exclusions",
    "history",
    "id_number_problem",
    "level_of",
    "on_duty",
    "publish",
    "record_incident",
    "register_for_handling",
    "route",
    "save_unit",
    "schedule",
    "seed",
    "session_outcome",
    "set_duty",
    "today",
    "two_months_before",
    "units",
    "utcnow",
]
