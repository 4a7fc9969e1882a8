"""The scheme (考核方案): its items, the seed, and the evaluator's changes (audited)."""

from __future__ import annotations

from sqlalchemy import select

from core.api import check_version, db, record_audit, transactional, utcnow

from ..indicators import BY_CODE, INDICATORS
from ..models import DEDUCTION_UNITS, EvaluationIndicator, EvaluationScheme
from .common import EvaluationError

DEFAULT_SCHEME = "默认考核方案"
#: code → (weight, target %, deduction per unit, unit, cap). Weights sum to 100; the targets
#: are §5.4's examples. Local schemes set their own (volume penalties are never built in).
DEFAULT_ITEMS = {
    "timely_acceptance": (20, None, None, "point", None),
    "on_time_completion": (25, None, None, "point", None),
    "satisfaction": (20, None, None, "point", None),
    "participation": (5, None, None, "point", None),
    "first_time_resolution": (10, None, None, "point", None),
    "first_petition_resolution": (10, 90.0, 1.0, "point", 10.0),
    "repeat_petition_resolution": (5, 80.0, 1.0, "point", 5.0),
    "backlog_resolution": (5, 70.0, 1.0, "matter", 5.0),
    "repeat_rate": (0, None, None, "point", None),
    "online_share": (0, None, None, "point", None),
    "settled": (0, None, None, "point", None),
}


def seed() -> None:
    """Create the default scheme once (the installer calls this on first install only)."""
    if db.session.execute(select(EvaluationScheme.id).limit(1)).first() is not None:
        return
    scheme = EvaluationScheme(name=DEFAULT_SCHEME, basically_counts=True, is_default=True)
    for position, ind in enumerate(INDICATORS):
        weight, target, deduction, unit, cap = DEFAULT_ITEMS[ind.code]
        scheme.indicators.append(
            EvaluationIndicator(
                code=ind.code,
                name=ind.name,
                weight=weight,
                position=position,
                target=target,
                deduction=deduction,
                deduction_unit=unit,
                cap=cap,
            )
        )
    db.session.add(scheme)
    db.session.flush()


def default_scheme() -> EvaluationScheme:
    """The scheme new periods use (seeded on install)."""
    scheme = (
        db.session.execute(
            select(EvaluationScheme).order_by(
                EvaluationScheme.is_default.desc(), EvaluationScheme.id
            )
        )
        .scalars()
        .first()
    )
    if scheme is None:
        # Installed before seeding ran (or the row was removed): recreate rather than fail.
        seed()
        return default_scheme()
    return scheme


def _number(raw: str | None, label: str, errors: dict, key: str, *, top: float) -> float | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not (0 <= value <= top):
        errors[key] = f"“{label}”须为 0 至 {top:g} 之间的数。"
        return None
    return value


def item_dict(item: EvaluationIndicator) -> dict:
    """The item as stored in a score snapshot (the rule it was scored by)."""
    ind = BY_CODE.get(item.code)
    return {
        "code": item.code,
        "name": item.name,
        "weight": item.weight,
        "target": item.target,
        "deduction": item.deduction,
        "deduction_unit": item.deduction_unit,
        "cap": item.cap,
        "better": ind.better if ind else "higher",
    }


@transactional
def update_scheme(
    scheme: EvaluationScheme,
    version: int | str | None,
    weights: dict[int, str | None],
    basically_counts: bool,
    rules: dict[int, dict[str, str | None]] | None = None,
) -> None:
    """Change weights (by item id, sum 100), targets, deductions, caps and the 基本满意 rule.

    ``rules`` maps an item id to ``{"target", "deduction", "deduction_unit", "cap"}`` as typed;
    an item not in ``rules`` keeps its rule.
    """
    check_version(scheme, version)
    rules = rules or {}
    errors: dict[str, str] = {}
    parsed: dict[int, int] = {}
    new_rules: dict[int, dict] = {}
    for ind in scheme.indicators:
        raw = (weights.get(ind.id) or "").strip()
        if not raw.isdigit() or int(raw) > 100:
            errors[f"weight-{ind.id}"] = f"“{ind.name}”的权重须为 0 至 100 的整数。"
        else:
            parsed[ind.id] = int(raw)
        if ind.id in rules:
            rule = rules[ind.id]
            target = _number(rule.get("target"), "目标值", errors, f"target-{ind.id}", top=100)
            deduction = _number(
                rule.get("deduction"), "扣分", errors, f"deduction-{ind.id}", top=100
            )
            cap = _number(rule.get("cap"), "扣分上限", errors, f"cap-{ind.id}", top=100)
            unit = rule.get("deduction_unit") or "point"
            if unit not in DEDUCTION_UNITS:
                errors[f"unit-{ind.id}"] = "请选择扣分单位。"
            if deduction is not None and target is None and f"target-{ind.id}" not in errors:
                errors[f"target-{ind.id}"] = f"“{ind.name}”设了扣分，须同时设目标值。"
            new_rules[ind.id] = {
                "target": target,
                "deduction": deduction,
                "deduction_unit": unit,
                "cap": cap,
            }
    if not errors and sum(parsed.values()) != 100:
        errors["weights"] = f"各指标权重之和须为 100，现为 {sum(parsed.values())}。"
    if errors:
        raise EvaluationError("考核方案有误，请按提示修改。", errors)
    before = {ind.code: item_dict(ind) for ind in scheme.indicators}
    before_rule = scheme.basically_counts
    for ind in scheme.indicators:
        ind.weight = parsed[ind.id]
        for key, value in new_rules.get(ind.id, {}).items():
            setattr(ind, key, value)
    scheme.basically_counts = bool(basically_counts)
    scheme.updated_at = utcnow()  # bumps the version even when only an item changed
    record_audit(
        "evaluation.scheme_changed",
        scheme,
        f"修改考核方案“{scheme.name}”",
        before={
            "weights": {c: d["weight"] for c, d in before.items()},
            "items": before,
            "basically_counts": before_rule,
        },
        after={
            "weights": {ind.code: ind.weight for ind in scheme.indicators},
            "items": {ind.code: item_dict(ind) for ind in scheme.indicators},
            "basically_counts": scheme.basically_counts,
        },
    )
