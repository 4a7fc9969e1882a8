from datetime import date

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core.api import Base


class AlmanacEntry(Base):
    __tablename__ = "almanac_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    note: Mapped[str] = mapped_column(String(200))
