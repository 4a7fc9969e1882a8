"""The three-level content classification (内容分类), kept as editable data."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base


class ContentCategory(Base):
    """A node of the 内容分类 tree (level 1–3), with a validity period (code tables change)."""

    __tablename__ = "core_content_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[int]
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("core_content_category.id"))
    active: Mapped[bool] = mapped_column(default=True)
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]

    parent: Mapped[ContentCategory | None] = relationship(remote_side=[id])

    @property
    def path_name(self) -> str:
        """``一级 → 二级 → 三级``."""
        names, node = [], self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return " → ".join(reversed(names))
