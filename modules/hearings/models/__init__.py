"""Tables of the hearings module (all prefixed ``hearings_``), one file per domain thing."""

from __future__ import annotations

from .application import APPLICATION_STATUSES, ORIGINS, Application
from .assessment import ASSESSMENT_STATUSES, RISKS, Assessment
from .hearing import (
    REASONS,
    ROLES,
    SIGNATURES,
    STAGE_CLOCKS,
    STAGE_OF_STATE,
    STAGES,
    STATUSES,
    Hearing,
    HearingParticipant,
)
from .venue import PANELIST_KINDS, Panelist, Venue

__all__ = [
    "APPLICATION_STATUSES",
    "ASSESSMENT_STATUSES",
    "ORIGINS",
    "PANELIST_KINDS",
    "REASONS",
    "RISKS",
    "ROLES",
    "SIGNATURES",
    "STAGES",
    "STAGE_CLOCKS",
    "STAGE_OF_STATE",
    "STATUSES",
    "Application",
    "Assessment",
    "Hearing",
    "HearingParticipant",
    "Panelist",
    "Venue",
]
