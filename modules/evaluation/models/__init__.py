"""Tables of the evaluation module (all prefixed ``evaluation_``).

A period's scores are a snapshot: ``EvaluationScore`` rows hold the numerators, denominators
and rates as computed at ``computed_at``, so later changes to the case file do not silently
change a score someone has already read, and a published period never changes.
"""

from .bulletin import BULLETIN_KINDS, EvaluationBulletin
from .period import (
    PERIOD_STATES,
    PERIOD_TYPES,
    REVIEW_STATES,
    EvaluationAdjustment,
    EvaluationAssessment,
    EvaluationPeriod,
    EvaluationScore,
)
from .scheme import DEDUCTION_UNITS, EvaluationIndicator, EvaluationScheme

__all__ = [
    "BULLETIN_KINDS",
    "DEDUCTION_UNITS",
    "PERIOD_STATES",
    "PERIOD_TYPES",
    "REVIEW_STATES",
    "EvaluationAdjustment",
    "EvaluationAssessment",
    "EvaluationBulletin",
    "EvaluationIndicator",
    "EvaluationPeriod",
    "EvaluationScheme",
    "EvaluationScore",
]
