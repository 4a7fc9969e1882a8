"""The matters behind a figure (drill-down), under the case file's record rules.

A figure is an agency's numerator or denominator of one indicator in a period, judged as of the
period's last computation. The list is the indicator's own condition as a ``WHERE`` (the same
SQL that counted it), run through ``select(Matter)`` so record rules apply as on every list.
A reader may open only agencies whose figures they may read (``shown_agencies``): a department
head their own department, a bureau-wide reader all.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from core.api import N_, Agency, Matter, Page, db, paginate

from .. import indicators
from ..indicators import definitions, facts, in_period
from ..models import EvaluationPeriod
from .common import EvaluationError
from .periods import shown_agencies, window

PARTS = {
    "numerator": N_("分子"),
    "denominator": N_("分母"),
    "matters": N_("期内登记的事项"),
}
REFUSED = "您只能查看本单位（及下属单位）的考核数据和事项。"


class NotYours(EvaluationError):
    """The reader asked for another department's figures."""


def may_read(agency_id: int) -> bool:
    """Whether the current user may read ``agency_id``'s figures and matters."""
    shown = shown_agencies()
    return shown is None or agency_id in shown


@dataclass
class Drill:
    """One figure's matters: what it counts, how many, and the page of matters shown."""

    agency: Agency
    code: str | None
    part: str
    label: str
    counted: int
    page: Page

    @property
    def hidden(self) -> int:
        """Counted matters the reader's record rules do not show (told, never listed)."""
        return max(self.counted - (self.page.total or 0), 0)


def drill(period: EvaluationPeriod, agency_id: int, code: str | None, part: str, page: int = 1):
    """The matters counted in ``part`` of indicator ``code`` (or the period's matters)."""
    if not may_read(agency_id):
        raise NotYours(REFUSED)
    agency = db.session.get(Agency, agency_id)
    known = definitions()
    if agency is None or part not in PARTS or (code is not None and code not in known):
        raise EvaluationError("没有这项数据。")
    if period.computed_at is None:
        raise EvaluationError("该考核期尚未计算，没有可查看的事项。")
    w = window(period)
    indicators.tune()
    if code is None:
        f = facts(w, agency_id)
        ids = select(f.c.id).where(in_period(f))
        label = PARTS["matters"]
    else:
        ids = indicators.matching(w, agency_id, code, part)
        ind = known[code]
        label = ind.numerator_label if part == "numerator" else ind.denominator_label
    counted = db.session.execute(
        select(func.count()).select_from(ids.subquery()).execution_options(skip_record_rules=True)
    ).scalar_one()
    stmt = select(Matter).where(Matter.id.in_(ids)).order_by(Matter.received_on, Matter.id)
    return Drill(agency, code, part, label, counted, paginate(stmt, page, 50))
