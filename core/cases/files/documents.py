"""Issuing official documents: numbered, rendered to PDF and frozen as attachments."""

from __future__ import annotations

from typing import Any

from core import signals
from core.cases.files.attachments import store_bytes
from core.cases.lifecycle.opinions import OUTCOMES
from core.cases.lifecycle.table import DOCUMENTS
from core.cases.models import Document, Matter
from core.cases.records.numbering import document_number
from core.cases.records.timeline import add_entry
from core.extensions import db
from core.pdf import render_pdf


def issue(matter: Matter, kind: str, on, actor: Any, context: dict[str, Any]) -> Document:
    """Render document ``kind`` for ``matter``, store the PDF and record it on the timeline.

    Runs inside the transition's transaction: if anything fails, neither the transition nor the
    document exists.
    """
    spec = DOCUMENTS[kind]
    slip = context.get("slip")
    number = slip.number if kind == "assignment_slip" and slip else document_number(spec.prefix, on)
    ctx = {
        "matter": matter,
        "lead": matter.lead.person if matter.lead else None,
        "title": spec.title,
        "number": number,
        "on": on,
        "issuer": matter.handling_agency or matter.agency,
        "outcomes": OUTCOMES,
        **context,
    }
    pdf = render_pdf(spec.template, ctx)
    attachment = store_bytes(
        matter, f"{spec.title}-{number}.pdf", pdf, "application/pdf", kind="document", actor=actor
    )
    doc = Document(
        matter_id=matter.id,
        kind=kind,
        number=number,
        title=spec.title,
        attachment=attachment,
        issued_by_id=getattr(actor, "id", None),
    )
    db.session.add(doc)
    db.session.flush()
    add_entry(matter, "document", f"出具{spec.title}（{number}）", document_id=doc.id)
    signals.send(signals.document_issued, matter=matter, document=doc)
    return doc
