"""What the fund adds to evaluation's figures (hook ``evaluation.facts``, ``Manifest.provides``).

Evaluation reads it only while both modules are installed, and neither imports the other: the
figure is a share of the period's matters, as evaluation counts every figure, and links to the
matters it counts. 救助化解销号率: of the matters whose relief was paid (an instalment paid on or
before the as-of date), those struck off as resolved (销号) by then.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, exists, select

from core.api import N_

from .models import Disbursement, ReliefApplication

_BEIJING = ZoneInfo("Asia/Shanghai")


def _paid(matter_id, on: date):
    return exists(
        select(Disbursement.id)
        .join(ReliefApplication, Disbursement.application_id == ReliefApplication.id)
        .where(ReliefApplication.matter_id == matter_id, Disbursement.paid_on <= on)
    )


def _closed(matter_id, on: date):
    # 销号 times are stored in UTC; the as-of date is a Beijing day.
    end = datetime.combine(on + timedelta(days=1), time.min, _BEIJING).astimezone(UTC)
    return and_(
        _paid(matter_id, on),
        exists(
            select(ReliefApplication.id).where(
                ReliefApplication.matter_id == matter_id,
                ReliefApplication.state == "closed",
                ReliefApplication.closed_at < end,
            )
        ),
    )


def facts() -> list[dict]:
    """The fund's indicators for evaluation (see ``modules/evaluation/indicators.py``)."""
    return [
        {
            "code": "relief_closure",
            "name": N_("救助化解销号率"),
            "numerator_label": N_("救助金已拨付并化解销号的事项"),
            "denominator_label": N_("已拨付救助金的事项"),
            "numerator": _closed,
            "denominator": _paid,
        }
    ]
