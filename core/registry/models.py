"""Install state of modules: a database fact shared by every worker (Odoo's ir_module)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base


class ModuleState(Base):
    """Whether a module is installed, at which version, and whether its seed data was loaded."""

    __tablename__ = "core_module"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    installed: Mapped[bool] = mapped_column(default=False)
    version: Mapped[str] = mapped_column(String(20), default="")
    installed_at: Mapped[datetime | None]
    # Seed data loads once; later installs and upgrades never overwrite administrators' edits.
    seeded_at: Mapped[datetime | None]
