"""The search index of matters: CJK bigrams and words, in two columns.

``content`` holds the matter's own text (summary, demands, place, unit complained about, number);
``identity`` holds its petitioners' names, ID numbers and phones, searched only for users who may
see personal data. SQLite mirrors the table into an FTS5 table (migration core_0003); PostgreSQL
adds stored generated columns ``content_tsv``/``identity_tsv`` = ``to_tsvector('simple', …)`` with
GIN indexes (migration core_0006). They are not mapped here: the database fills them.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base


class MatterIndex(Base):
    """The tokens of one matter (derived data: rebuilt whenever the matter is saved)."""

    __tablename__ = "core_matter_index"

    matter_id: Mapped[int] = mapped_column(
        ForeignKey("core_matter.id", ondelete="CASCADE"), primary_key=True
    )
    content: Mapped[str] = mapped_column(Text, default="")
    identity: Mapped[str] = mapped_column(Text, default="")
