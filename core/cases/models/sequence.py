"""Gap-free counters for numbers (信访件编号, 交〔年〕号, 文书号)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base


class Sequence(Base):
    """The last value handed out for a key such as ``matter:210103:2026:F``."""

    __tablename__ = "core_sequence"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)
