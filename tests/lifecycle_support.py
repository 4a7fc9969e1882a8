"""Helpers for the lifecycle, document and numbering tests of the case file."""

from __future__ import annotations

import subprocess
from datetime import date

from sqlalchemy import select

from core.accounts.models import Role, User
from core.cases.files.attachments import read
from core.cases.models import Clock, Document, Matter, TimelineEntry
from core.extensions import db
from tests.cases_support import agency, step

OPINION = {
    "facts": "经查，协议约定的补偿款尚有 3 万元未支付。",
    "basis": "《国有土地上房屋征收与补偿条例》第二十五条",
    "demands": [{"demand": "补发拆迁补偿款", "outcome": "support"}],
}


def fresh(matter_id: int) -> Matter:
    """The matter as stored now (not the session's cached copy)."""
    matter = db.session.get(Matter, matter_id)
    db.session.refresh(matter)
    return matter


def clock(matter_id: int, kind: str) -> Clock:
    """The newest clock of ``kind`` on the matter."""
    return (
        db.session.execute(
            select(Clock)
            .where(Clock.matter_id == matter_id, Clock.kind == kind)
            .order_by(Clock.id.desc())
            .execution_options(populate_existing=True)
        )
        .scalars()
        .first()
    )


def titles(matter_id: int) -> list[str]:
    """Titles of the matter's timeline entries, oldest first."""
    return list(
        db.session.execute(
            select(TimelineEntry.title)
            .where(TimelineEntry.matter_id == matter_id)
            .order_by(TimelineEntry.id)
        ).scalars()
    )


def documents(matter_id: int) -> list[Document]:
    """The matter's issued documents, oldest first."""
    return list(
        db.session.execute(
            select(Document).where(Document.matter_id == matter_id).order_by(Document.id)
        ).scalars()
    )


def add_user(username: str, display_name: str, role: str, agency_code: str) -> User:
    """A user the shared fixtures do not have (e.g. a handler of the community 东街社区)."""
    roles = db.session.execute(select(Role).where(Role.code == role)).scalars().all()
    user = User(
        username=username,
        display_name=display_name,
        password_hash=None,
        roles=list(roles),
        agency_id=agency(agency_code).id,
    )
    db.session.add(user)
    db.session.commit()
    return user


def pdf_text(doc: Document) -> str:
    """The text of a document's frozen PDF, read back with ``pdftotext``."""
    data = read(doc.attachment)
    assert data.startswith(b"%PDF-")
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return out.stdout.decode("utf-8")


def flat(text: str) -> str:
    """PDF text without the line breaks and spaces that layout inserts inside sentences."""
    return "".join(text.split())


def to_handling(matter_id: int, on: date, handler: str = "handler", to: str = "CJJ") -> None:
    """Forward the matter to ``to`` and accept it there on the same day."""
    step(matter_id, "supervisor", "forward", on=on, agency_id=agency(to).id)
    step(matter_id, handler, "accept", on=on)


def to_review_window(
    matter_id: int,
    accepted: date,
    approved: date,
    delivered: date,
    *,
    handler: str = "handler",
    approver: str = "cjj_leader",
    to: str = "CJJ",
) -> None:
    """Forward, accept, draft, approve and deliver the handling opinion."""
    to_handling(matter_id, accepted, handler, to)
    step(matter_id, handler, "draft_opinion", on=approved, **OPINION)
    step(matter_id, approver, "approve_opinion", on=approved)
    step(matter_id, handler, "record_delivery", on=delivered, method="in_person")
