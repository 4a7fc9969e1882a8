"""Tables of the letters module (all prefixed ``letters_``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.api import AgencyScoped, Base, Matter, TimestampMixin, User, VersionedMixin, utcnow

KINDS = {"paper": "来信", "online": "网上信访", "higher": "上级交办件"}


class Letter(AgencyScoped, VersionedMixin, TimestampMixin, Base):
    """What the letters desk keeps about a matter that came in writing (or online)."""

    __tablename__ = "letters_letter"
    __personal_fields__ = {"envelope": "other"}

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(
        ForeignKey("core_matter.id", ondelete="CASCADE"), unique=True
    )
    kind: Mapped[str] = mapped_column(String(10), default="paper")
    postmark_on: Mapped[date | None]
    postmark_place: Mapped[str | None] = mapped_column(String(100))
    envelope: Mapped[str | None] = mapped_column(Text)  # sender as written on the envelope
    pages: Mapped[int] = mapped_column(default=0)
    external_number: Mapped[str | None] = mapped_column(String(60), index=True)
    external_source: Mapped[str | None] = mapped_column(String(100))
    external_deadline: Mapped[date | None]
    first_handler_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    joint_review: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    review_note: Mapped[str | None] = mapped_column(Text)  # 评查 of a disagreed answer
    reviewed_at: Mapped[datetime | None]

    matter: Mapped[Matter] = relationship()
    first_handler: Mapped[User | None] = relationship()

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)


class OutgoingMail(AgencyScoped, TimestampMixin, Base):
    """The register of outgoing mail (发文登记): one row per reply letter printed."""

    __tablename__ = "letters_outgoing"
    __personal_fields__ = {"recipient": "name", "address": "address"}

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("core_matter.id", ondelete="CASCADE"))
    recipient: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(300), default="")
    sent_on: Mapped[date]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))

    matter: Mapped[Matter] = relationship()


class Throttle(Base):
    """One attempt on the public pages, by hashed address: rate limits every worker agrees on."""

    __tablename__ = "letters_throttle"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Challenge(Base):
    """An arithmetic question shown on the public form; the answer stays in the database."""

    __tablename__ = "letters_challenge"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    answer: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
