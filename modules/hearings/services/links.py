"""The conclusion grounds the opinion: a hearing is linked to the opinion issued after it.

Core sends ``document_issued`` inside the step's unit of work; when the handling, review or
re-review opinion of a stage that had a concluded hearing is issued, the hearing points at it
and the opinion is marked as given after a hearing (it may then be published, Art. 36 ¶2).
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from core.api import Opinion, db, signals

from ..models import Hearing

#: The opinion's document kind → (the hearing's stage, the opinion's level).
KINDS = {
    "handling_opinion": ("handling", "handling"),
    "review_opinion": ("review", "review"),
    "reexam_opinion": ("rereview", "reexam"),
}


def _on_document(sender, matter=None, document=None, **_):
    if document is None or document.kind not in KINDS:
        return
    registry = current_app.extensions.get("minsheng.registry")
    if registry is None or "hearings" not in registry.installed_names():
        return
    stage, level = KINDS[document.kind]
    hearing = (
        db.session.execute(
            select(Hearing)
            .where(
                Hearing.matter_id == matter.id,
                Hearing.stage == stage,
                Hearing.status == "concluded",
                Hearing.opinion_id.is_(None),
            )
            .order_by(Hearing.id.desc())
        )
        .scalars()
        .first()
    )
    if hearing is None:
        return
    opinion = (
        db.session.execute(
            select(Opinion)
            .where(Opinion.matter_id == matter.id, Opinion.level == level)
            .order_by(Opinion.id.desc())
        )
        .scalars()
        .first()
    )
    if opinion is not None:
        hearing.opinion = opinion
        opinion.hearing_held = True


def connect() -> None:
    """Listen for issued opinions (once per process; weak=False keeps the receiver alive)."""
    signals.document_issued.connect(_on_document, weak=False)
