"""Masking of personal data (个人信息脱敏): ID numbers, phones, addresses, names of accusers.

A model lists its personal fields in ``__personal_fields__`` (field name → kind). Every output
path — pages (the ``personal`` Jinja filter), the API, exports and PDFs — goes through
``personal_value``/``present``, so a field is masked unless the acting user holds
``core.personal_data.view``; each unmasked view is written to the audit log once per request.
"""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context

from core.accounts.actor import current_actor, has_permission

VIEW_PERMISSION = "core.personal_data.view"
MASK = "＊"


def mask(value: str | None, kind: str) -> str:
    """Mask ``value`` according to its kind (id_number, phone, address, name, other)."""
    if not value:
        return ""
    v = str(value)
    if kind == "id_number":
        return v[:3] + MASK * max(len(v) - 7, 4) + v[-4:] if len(v) > 8 else MASK * 6
    if kind == "phone":
        return v[:3] + MASK * 4 + v[-4:] if len(v) >= 11 else MASK * max(len(v), 4)
    if kind == "address":
        return v[:6] + MASK * 4 if len(v) > 6 else MASK * 4
    if kind == "name":
        return v[0] + MASK * (len(v) - 1) if len(v) > 1 else MASK
    return MASK * 6


def may_view_personal() -> bool:
    """Whether the acting user may see personal data unmasked."""
    return current_actor() is not None and has_permission(VIEW_PERMISSION)


def _note_view(obj: Any, field: str) -> None:
    if not has_request_context():
        return
    views = g.setdefault("minsheng_personal_views", set())
    views.add((type(obj).__name__, str(getattr(obj, "id", "")), field))


def personal_value(obj: Any, field: str) -> str:
    """The field's value for display: clear (and audited) with the permission, else masked."""
    kind = getattr(type(obj), "__personal_fields__", {}).get(field, "other")
    value = getattr(obj, field)
    if value in (None, ""):
        return ""
    if may_view_personal():
        _note_view(obj, field)
        return str(value)
    return mask(value, kind)


def present(obj: Any, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """A dict of ``fields`` for output (API, export), personal fields masked as the rules say."""
    personal = getattr(type(obj), "__personal_fields__", {})
    out: dict[str, Any] = {}
    for f in fields:
        out[f] = personal_value(obj, f) if f in personal else getattr(obj, f)
    return out


def flush_personal_views() -> None:
    """Write one audit event for the personal data viewed unmasked in this request."""
    views = g.pop("minsheng_personal_views", None) if has_request_context() else None
    if not views:
        return
    from core import audit
    from core.extensions import db

    audit.record(
        "personal_data.view",
        summary=f"查看未脱敏个人信息 {len(views)} 项",
        items=sorted(["/".join(v) for v in views]),
    )
    db.session.commit()
