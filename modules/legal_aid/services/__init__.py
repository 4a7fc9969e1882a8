"""The rules of the lawyers' desk; views only parse forms and call these.

Every write is one unit of work (``transactional``) with its audit event (and, on a matter,
its timeline entry or lifecycle step), so the case file never shows half of a change: a
refusal (``LegalAidError``, ``MatterError``, ``StaleEdit``) rolls all of it back.

By subject: ``roster`` (lawyers, standing, conflicts), ``schedule`` (slots, patterns, swaps),
``attach`` (lawyers on matters and sessions, conflict check), ``consultations`` (advice, the
route, the guidance slip), ``opinions`` (commissioned opinions, mandates), ``hours`` (totals
and the Excel workbook).
"""

from .attach import (
    assign,
    assignments_on,
    attach_to_session,
    conflict_message,
    conflicts_with,
    session_lawyers,
)
from .common import LAWYER_ROLE, LegalAidError, current_lawyer, get_lawyer, lawyer_of
from .consultations import (
    ConsultationInput,
    consultations_on,
    consultations_query,
    create_consultation,
    guidance_slip,
    save_opinion,
    update_consultation,
)
from .hours import month_totals, workbook
from .opinions import add_mandate, commission, deliver, mandates_on, my_opinions, opinions_on
from .roster import LawyerInput, add_conflict, change_status, lawyers, remove_conflict, save_lawyer
from .schedule import (
    add_pattern,
    add_slot,
    mark_absent,
    on_duty,
    pattern_days,
    record_grants,
    remove_slot,
    slots,
    substitute,
)


def seed() -> None:
    """Nothing to seed: the roster is the site's own."""


__all__ = [
    "LAWYER_ROLE",
    "ConsultationInput",
    "LawyerInput",
    "LegalAidError",
    "add_conflict",
    "add_mandate",
    "add_pattern",
    "add_slot",
    "assign",
    "assignments_on",
    "attach_to_session",
    "change_status",
    "commission",
    "conflict_message",
    "conflicts_with",
    "consultations_on",
    "consultations_query",
    "create_consultation",
    "current_lawyer",
    "deliver",
    "get_lawyer",
    "guidance_slip",
    "lawyer_of",
    "lawyers",
    "mandates_on",
    "mark_absent",
    "month_totals",
    "my_opinions",
    "on_duty",
    "opinions_on",
    "pattern_days",
    "record_grants",
    "remove_conflict",
    "remove_slot",
    "save_lawyer",
    "save_opinion",
    "seed",
    "session_lawyers",
    "slots",
    "substitute",
    "update_consultation",
    "workbook",
]
