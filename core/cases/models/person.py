"""Petitioners (信访人): persons and organisations, shared across their matters."""

from __future__ import annotations

from datetime import date

from sqlalchemy import String, event
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, TimestampMixin, VersionedMixin


class Person(VersionedMixin, TimestampMixin, Base):
    """A petitioner: a natural person or an organisation (``kind``).

    Not agency-scoped itself: it is reached only through matters, which are. Personal fields are
    masked on every output unless the viewer holds ``core.personal_data.view``.
    """

    __tablename__ = "core_person"
    __personal_fields__ = {
        "name": "name",
        "id_number": "id_number",
        "mobile": "phone",
        "landline": "phone",
        "address": "address",
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), default="person")  # person | organisation
    name: Mapped[str] = mapped_column(String(100), index=True)
    #: Toneless pinyin of the name ("zhang wei"): finds the same person typed with homophones.
    name_pinyin: Mapped[str | None] = mapped_column(String(200), index=True)
    id_type: Mapped[str] = mapped_column(String(20), default="resident_id")
    id_number: Mapped[str | None] = mapped_column(String(40), index=True)
    sex: Mapped[str | None] = mapped_column(String(4))
    birth_date: Mapped[date | None]
    ethnicity: Mapped[str | None] = mapped_column(String(20))
    occupation: Mapped[str | None] = mapped_column(String(50))
    employer: Mapped[str | None] = mapped_column(String(100))
    mobile: Mapped[str | None] = mapped_column(String(20), index=True)
    landline: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(100))
    region_code: Mapped[str | None] = mapped_column(String(12))
    address: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(6))


@event.listens_for(Person, "before_insert")
@event.listens_for(Person, "before_update")
def _keep_pinyin(mapper, connection, person: Person) -> None:
    from core.cases.people.pinyin import pinyin_key

    person.name_pinyin = pinyin_key(person.name) or None
