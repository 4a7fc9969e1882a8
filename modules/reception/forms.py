"""Parsing the hall's forms into service inputs (the rules stay in services.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from core.api import N_, Agency, ContentCategory, db

from .services import Arrival, Booking, ReceptionError


def text(form: Any, key: str, limit: int = 2000) -> str:
    return (form.get(key) or "").strip()[:limit]


def integer(form: Any, key: str, default: int | None = None) -> int | None:
    try:
        return int(form.get(key) or "")
    except ValueError:
        return default


def day(form: Any, key: str) -> date | None:
    try:
        return date.fromisoformat(form.get(key) or "")
    except ValueError:
        return None


def ids(form: Any, key: str) -> list[int]:
    out = []
    for v in form.getlist(key):
        try:
            out.append(int(v))
        except ValueError:
            continue
    return out


def representatives(form: Any) -> list[dict[str, str]]:
    """Rows ``rep-N-name`` / ``rep-N-id_number`` / ``rep-N-mobile`` with a name."""
    reps = []
    for i in range(10):
        name = text(form, f"rep-{i}-name", 100)
        if name:
            reps.append(
                {
                    "name": name,
                    "id_number": text(form, f"rep-{i}-id_number", 18),
                    "mobile": text(form, f"rep-{i}-mobile", 20),
                }
            )
    return reps


def arrival(form: Any) -> Arrival:
    head_count = integer(form, "head_count", 1)
    if head_count is None:
        raise ReceptionError(N_("来访人数应为数字。"), {"head_count": N_("请填写数字。")})
    return Arrival(
        name=text(form, "name", 100),
        id_number=text(form, "id_number", 18),
        mobile=text(form, "mobile", 20),
        address=text(form, "address", 200),
        category_id=integer(form, "category_id"),
        summary=text(form, "summary"),
        unit_id=integer(form, "unit_id"),
        head_count=head_count,
        representatives=representatives(form),
    )


def booking(form: Any) -> Booking:
    return Booking(
        name=text(form, "name", 100),
        id_number=text(form, "id_number", 18),
        mobile=text(form, "mobile", 20),
        summary=text(form, "summary"),
        materials=text(form, "materials"),
        category_id=integer(form, "category_id"),
    )


def category_choices(max_level: int = 3) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(ContentCategory)
        .where(ContentCategory.active.is_(True), ContentCategory.level <= max_level)
        .order_by(ContentCategory.code)
    ).scalars()
    return [(c.id, f"{'　' * (c.level - 1)}{c.name}") for c in rows]


def agency_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Agency).where(Agency.active.is_(True)).order_by(Agency.path)
    ).scalars()
    return [(a.id, a.name) for a in rows]
