"""What the hearings tests share: staff, rooms, roster, a matter at each stage, time moved on.

The matter goes through core's own steps: registered at XFJ, handled by the community (COMM),
reviewed by the town (TOWN), re-reviewed by the county (ROOT) — the only chain of the test
agencies with an organ above the reviewing one.
"""

from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from core.api import Matter, db, today
from tests.kit import (
    OPINION,
    agency,
    as_,
    documents,
    install_module,
    lazy_module,
    register,
    step,
    user,
)

services = lazy_module("modules.hearings.services")
models = lazy_module("modules.hearings.models")

BJ = ZoneInfo("Asia/Shanghai")
#: The module's staff: two presiding officers at the county (above every organ of the chain),
#: a clerk, and the community's case handler.
STAFF = {
    "officer": ("听证主持人甲", "hearing_officer", "ROOT"),
    "officer2": ("听证主持人乙", "hearing_officer", "ROOT"),
    "hclerk": ("听证记录员", "hearing_officer", "ROOT"),
    "comm_handler": ("社区承办人", "case_handler", "COMM"),
}


def setup(app, **config) -> None:
    """Install the module with its staff, two rooms and a roster of three panel members."""
    app.config.update(config)
    install_module(app, "hearings", STAFF)
    with app.app_context(), as_("supervisor"):
        root = agency("ROOT").id
        services.save_venue(None, None, name="第一听证室", capacity=8, agency_id=root)
        services.save_venue(None, None, name="小会议室", capacity=4, agency_id=root)
        for name, kind in (("李代表", "deputy"), ("张律师", "lawyer"), ("王教授", "expert")):
            services.save_panelist(name, kind, "", agency_id=root)


def venue(name: str):
    return db.session.execute(select(models.Venue).where(models.Venue.name == name)).scalar_one()


def panelist(name: str):
    return db.session.execute(
        select(models.Panelist).where(models.Panelist.name == name)
    ).scalar_one()


def matter_at(stage: str, received_on: date | None = None) -> int:
    """A matter in handling (COMM), review (TOWN) or re-review (ROOT); its id."""
    day = received_on or today() - timedelta(days=20)
    mid = register(received_on=day).id
    step(mid, "supervisor", "forward", on=day, agency_id=agency("COMM").id)
    step(mid, "comm_handler", "accept", on=day)
    if stage == "handling":
        return mid
    step(mid, "comm_handler", "draft_opinion", on=day + timedelta(days=1), **OPINION)
    step(mid, "leader", "approve_opinion", on=day + timedelta(days=1))
    step(mid, "comm_handler", "record_delivery", on=day + timedelta(days=2), method="in_person")
    step(mid, "leader", "request_review", on=day + timedelta(days=3))
    if stage == "review":
        return mid
    step(mid, "leader", "issue_review_opinion", on=day + timedelta(days=4), **OPINION)
    step(mid, "leader", "request_reexam", on=day + timedelta(days=5))
    return mid


def at(day: date, hour: int = 9) -> datetime:
    """``hour`` o'clock Beijing time on ``day``, as UTC."""
    return datetime.combine(day, time(hour), BJ).astimezone(UTC)


def plan(**kw):
    """A schedule in the first room, ``notice_days`` ahead, presided by ``officer``."""
    days = kw.pop("days_ahead", 8)
    base = dict(
        reason="complex",
        scheduled_at=at(today() + timedelta(days=days)),
        venue_id=venue("第一听证室").id,
        presiding_officer_id=user("officer").id,
    )
    base.update(kw)
    return services.Schedule(**base)


def matter(mid: int) -> Matter:
    m = db.session.get(Matter, mid)
    db.session.refresh(m)
    return m


def hearing(hid: int):
    h = db.session.get(models.Hearing, hid)
    db.session.refresh(h)
    return h


def time_passes(hid: int, days: int) -> None:
    """Move a hearing's dates ``days`` back, as if that many days had passed since scheduled."""
    H = models.Hearing
    h = hearing(hid)
    db.session.execute(
        update(H)
        .where(H.id == hid)
        .values(
            scheduled_at=h.scheduled_at - timedelta(days=days),
            ends_at=h.ends_at - timedelta(days=days),
            notice_on=h.notice_on - timedelta(days=days),
            span_from=h.span_from - timedelta(days=days),
        )
    )
    db.session.commit()


def reexam_clock(mid: int):
    return next(c for c in matter(mid).clocks if c.kind == "reexam" and c.state != "cancelled")


def clock_of(mid: int, kind: str):
    clocks = [c for c in matter(mid).clocks if c.kind == kind]
    return clocks[-1]


def pdf_text(document) -> str:
    """The text of a document's frozen PDF (``pdftotext``), whitespace removed."""
    from pathlib import Path

    from flask import current_app

    name = document.attachment.stored_name
    path = Path(current_app.config["MINSHENG_VAR_DIR"]) / "attachments" / name[:2] / name
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return "".join(out.stdout.decode("utf-8").split())


def docs(mid: int, kind: str) -> list:
    """The matter's issued documents of ``kind``, oldest first."""
    return [d for d in documents(mid) if d.kind == kind]
