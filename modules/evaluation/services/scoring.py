"""Points of one item from its rate: proportional, or a target with deductions and a cap."""

from __future__ import annotations

import math
from typing import Any


def item_points(item: dict[str, Any], numerator: int, denominator: int) -> float | None:
    """Points earned by a scheme item (``None`` when the denominator is 0: nothing to judge).

    ``item`` has ``weight``, ``better`` (``higher``/``lower``), ``target`` (percent or None),
    ``deduction`` (points per unit or None), ``deduction_unit`` (``point``/``matter``), ``cap``.
    """
    if not denominator:
        return None
    weight = float(item["weight"])
    rate = numerator / denominator
    lower = item.get("better") == "lower"
    target = item.get("target")
    deduction = item.get("deduction")
    if deduction is None or target is None:
        return round(weight * ((1 - rate) if lower else rate), 2)
    target_rate = float(target) / 100.0
    gap = (rate - target_rate) if lower else (target_rate - rate)
    if gap <= 1e-12:
        return round(weight, 2)
    if item.get("deduction_unit") == "matter":
        # The matters counted against the rate: those short of it, or the falling rate's hits.
        units = numerator if lower else denominator - numerator
    else:
        units = math.ceil(round(gap * 100, 6))  # whole percentage points, a part counts as one
    cap = float(item["cap"]) if item.get("cap") is not None else weight
    return round(max(weight - min(float(deduction) * units, cap), 0.0), 2)


def base_score(rows: list[dict[str, Any]]) -> float:
    """100 × points earned ÷ weight of the judged items (items without data share out)."""
    earned = sum(r["points"] for r in rows if r["points"] is not None)
    weights = sum(r["weight"] for r in rows if r["points"] is not None)
    return round(100.0 * earned / weights, 2) if weights else 0.0
