"""What hearings add to evaluation's figures (hook ``evaluation.facts``, ``Manifest.provides``).

Evaluation reads it only while both modules are installed, and neither imports the other.
听证审结率: of the period's matters heard (a hearing started on or before the as-of date and not
cancelled), those whose hearing reached its conclusion (听证结论) by then — a hearing held and
left without a conclusion is the late work a bureau chief asks about.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select

from core.api import N_

from .models import Hearing


def _heard(matter_id, on: date):
    return exists(
        select(Hearing.id).where(
            Hearing.matter_id == matter_id,
            Hearing.started_on <= on,
            Hearing.status != "cancelled",
        )
    )


def _concluded(matter_id, on: date):
    return exists(
        select(Hearing.id).where(
            Hearing.matter_id == matter_id,
            Hearing.status == "concluded",
            Hearing.concluded_on <= on,
        )
    )


def facts() -> list[dict]:
    """The hearings' indicator for evaluation (see ``modules/evaluation/indicators.py``)."""
    return [
        {
            "code": "hearing_concluded",
            "name": N_("听证审结率"),
            "numerator_label": N_("听证已作出结论的事项"),
            "denominator_label": N_("已举行听证的事项"),
            "numerator": _concluded,
            "denominator": _heard,
        }
    ]
