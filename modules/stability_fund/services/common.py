"""What every service of the fund shares: its refusal, settings, the acting user, the caps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app

from core.api import (
    ActionRefused,
    AttachmentRefused,
    current_actor,
    record_audit,
    store_attachment,
    transactional,
)


class FundError(ActionRefused):
    """A refused action; ``errors`` maps form fields to Chinese messages."""


def setting(key: str) -> Any:
    """A module setting: ``STABILITY_FUND_<KEY>`` in the app config overrides the manifest."""
    from ..module import manifest

    return current_app.config.get(f"STABILITY_FUND_{key.upper()}", manifest.settings[key])


def fail(message: str, field: str | None = None) -> FundError:
    """The refusal to raise (the unit of work rolls back whatever the action wrote)."""
    return FundError(message, {field: message} if field else {})


def actor_id() -> int | None:
    actor = current_actor()
    return actor.id if actor is not None else None


def cap_fen(kind: str) -> int:
    """The per-case cap in fen for relief of ``kind`` (0: none).

    ``case_cap_yuan`` (≤ ¥50,000 per case, 拉萨) and, for petition relief when the local
    minimum allowance is set, ``allowance_months`` × ``allowance_yuan_month`` (≤ 36 months of
    低保): the lower of the two.
    """
    caps = []
    case_cap = int(setting("case_cap_yuan") or 0) * 100
    if case_cap:
        caps.append(case_cap)
    allowance = int(setting("allowance_yuan_month") or 0) * 100
    if kind == "petition" and allowance:
        caps.append(allowance * int(setting("allowance_months") or 0))
    return min(caps) if caps else 0


@transactional
def audit_view(action: str, obj: Any, summary: str, **data: Any) -> None:
    """Record that someone looked at or printed something (a page's GET commits nothing else)."""
    record_audit(action, obj, summary=summary, **data)


@dataclass
class Scan:
    """An uploaded file: its name, bytes and the type the browser declared."""

    filename: str
    data: bytes
    content_type: str = ""


def store_scan(app: Any, scan: Scan | None, field: str, what: str) -> Any:
    """Store ``scan`` as a core attachment of the application's matter (refused if missing)."""
    if scan is None or not scan.data:
        raise fail(f"请上传{what}扫描件。", field)
    try:
        return store_attachment(
            app.matter, scan.filename, scan.data, scan.content_type, actor=current_actor()
        )
    except AttachmentRefused as exc:
        raise fail(str(exc), field) from exc
