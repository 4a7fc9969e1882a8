"""Services of the evaluation module, by subject; the public names are gathered here."""

from .assessment import assessment, assessments, review, submit
from .bulletin import bulletin_context, bulletins, issue, publish_and_issue, scheduled
from .common import PUBLISHED, EvaluationError
from .drill import PARTS, REFUSED, Drill, NotYours, drill, may_read
from .leaders import LeaderCases, leader_cases
from .periods import (
    MAX_ADJUSTMENT,
    Ranked,
    add_adjustment,
    adjustments,
    bounds,
    compute,
    create_period,
    periods,
    publish,
    ranking,
    scores,
    shown_agencies,
    window,
)
from .scheme import DEFAULT_SCHEME, default_scheme, seed, update_scheme
from .trends import trend

__all__ = [
    "DEFAULT_SCHEME",
    "MAX_ADJUSTMENT",
    "PARTS",
    "PUBLISHED",
    "REFUSED",
    "Drill",
    "EvaluationError",
    "LeaderCases",
    "NotYours",
    "Ranked",
    "add_adjustment",
    "adjustments",
    "assessment",
    "assessments",
    "bounds",
    "bulletin_context",
    "bulletins",
    "compute",
    "create_period",
    "default_scheme",
    "drill",
    "issue",
    "leader_cases",
    "may_read",
    "periods",
    "publish",
    "publish_and_issue",
    "ranking",
    "review",
    "scheduled",
    "scores",
    "seed",
    "shown_agencies",
    "submit",
    "trend",
    "update_scheme",
    "window",
]
