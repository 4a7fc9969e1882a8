"""销号: the matter struck off as resolved through core's step, with the application closed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.api import (
    MatterError,
    add_timeline_entry,
    current_actor,
    perform,
    record_audit,
    today,
    transactional,
    utcnow,
)

from ..models import ReliefApplication
from .applications import expect
from .common import fail, setting


@transactional
def close(app: ReliefApplication, version: Any, matter_version: Any, note: str = "") -> None:
    """Paid, with its undertaking → closed (销号).

    The matter takes core's step ``stability_fund_close`` (已化解销号) in the same unit of work,
    and the monitoring window starts.
    """
    expect(app, version, "paid")
    if app.undertaking_record is None:
        raise fail("尚未登记息诉罢访承诺书，不能销号。")
    text = note.strip() or "救助金已拨付，息诉罢访承诺书已签署，事项化解销号。"
    # Core's step first: its guard reads the application as paid.
    try:
        perform(app.matter, "stability_fund_close", {"text": text}, version=matter_version)
    except MatterError as exc:
        raise fail(str(exc)) from exc
    days = int(setting("monitoring_days") or 0)
    app.state = "closed"
    app.closed_at = utcnow()
    app.closed_by_id = current_actor().id
    app.monitoring_until = today() + timedelta(days=days)
    add_timeline_entry(
        app.matter, "note", "销号监测期", body=f"监测期至 {app.monitoring_until.isoformat()}"
    )
    record_audit(
        "stability_fund.close",
        app,
        summary=f"{app.matter.number}：救助化解销号，监测期至 {app.monitoring_until.isoformat()}",
    )
