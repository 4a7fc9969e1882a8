from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core.api import AgencyScoped, Base, TimestampMixin, VersionedMixin


class Note(AgencyScoped, VersionedMixin, TimestampMixin, Base):
    __tablename__ = "notebook_note"
    __personal_fields__ = {"phone": "phone", "id_number": "id_number", "person": "name"}

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    person: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    id_number: Mapped[str] = mapped_column(String(18), default="")
