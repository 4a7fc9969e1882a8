"""Attachments (kept outside the web root) and issued official documents (frozen PDFs)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, utcnow


class Attachment(Base):
    """A stored file of a matter: an upload or a frozen document. Served only through checks."""

    __tablename__ = "core_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(
        ForeignKey("core_matter.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))  # as given, shown only, never a path
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(10), default="upload")  # upload | document
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Document(Base):
    """An issued official document (告知书, 交办单, 意见书…), numbered and frozen as a PDF."""

    __tablename__ = "core_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(
        ForeignKey("core_matter.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    number: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(100))
    attachment_id: Mapped[int] = mapped_column(ForeignKey("core_attachment.id"))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))

    attachment: Mapped[Attachment] = relationship()
