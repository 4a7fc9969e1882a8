"""Tables of the legal_aid module (all prefixed ``legal_aid_``)."""

from .consultations import (
    BODY_HINTS,
    KINDS,
    LEGAL_ROUTE_OF,
    MANDATE_STATUSES,
    OPINION_STATUSES,
    ROUTES,
    Consultation,
    Mandate,
    Opinion,
)
from .duty import (
    HALF_DAYS,
    HALL_PLACES,
    PLACE_KINDS,
    SLOT_STATUSES,
    Assignment,
    DutyPattern,
    DutySlot,
    SessionLawyer,
)
from .lawyers import STATUSES, Conflict, Lawyer, LawyerStatus

__all__ = [
    "BODY_HINTS",
    "HALF_DAYS",
    "HALL_PLACES",
    "KINDS",
    "LEGAL_ROUTE_OF",
    "MANDATE_STATUSES",
    "OPINION_STATUSES",
    "PLACE_KINDS",
    "ROUTES",
    "SLOT_STATUSES",
    "STATUSES",
    "Assignment",
    "Conflict",
    "Consultation",
    "DutyPattern",
    "DutySlot",
    "Lawyer",
    "LawyerStatus",
    "Mandate",
    "Opinion",
    "SessionLawyer",
]
