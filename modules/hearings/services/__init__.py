"""Services of the hearings module, by subject; the public names are gathered here.

Every function that changes something is one unit of work (``transactional``): it checks the
form's version (optimistic lock), writes the matter's timeline and the audit log and, where the
matter's clock is concerned, takes core's lifecycle step — all in one transaction, or nothing
(a refusal raises ``HearingError`` with Chinese messages by form field, or ``StaleEdit``).
"""

from __future__ import annotations

from .applications import accept, apply, decision_due, open_application, refuse, window_end
from .assessments import assess, decide, plan
from .clock import pauses, running_clock
from .common import (
    HearingError,
    case_officers,
    find_matter,
    officers,
    participant_name,
    petitioner_label,
    setting,
    staff,
    stage_of,
    stage_problem,
    when,
)
from .participants import add_participant, recusal, remove_participant
from .proceedings import (
    ORDER_OF_PROCEEDINGS,
    Record,
    cancel,
    conclude,
    conclusion_due,
    no_show,
    publish,
    record,
    resume,
    start,
    suspend,
)
from .queries import TABS, late, listing, monday, of_matter, week
from .rooms import panelists, save_panelist, save_venue, venues
from .scheduling import Schedule, clashes, reschedule, schedule, to_utc

__all__ = [
    "ORDER_OF_PROCEEDINGS",
    "TABS",
    "HearingError",
    "Record",
    "Schedule",
    "accept",
    "add_participant",
    "apply",
    "assess",
    "cancel",
    "case_officers",
    "clashes",
    "conclude",
    "conclusion_due",
    "decide",
    "decision_due",
    "find_matter",
    "late",
    "listing",
    "monday",
    "no_show",
    "of_matter",
    "officers",
    "open_application",
    "panelists",
    "participant_name",
    "pauses",
    "petitioner_label",
    "plan",
    "publish",
    "record",
    "recusal",
    "refuse",
    "remove_participant",
    "reschedule",
    "resume",
    "running_clock",
    "save_panelist",
    "save_venue",
    "schedule",
    "setting",
    "staff",
    "stage_of",
    "stage_problem",
    "start",
    "suspend",
    "to_utc",
    "venues",
    "week",
    "when",
    "window_end",
]
