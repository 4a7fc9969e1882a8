"""Where hearings are held and who may sit on a panel: venues and the panel roster."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core.api import N_, AgencyScoped, Base, TimestampMixin, VersionedMixin

#: Where a panel member comes from (provincial rules: 人大代表、政协委员、律师、专家、群众代表).
PANELIST_KINDS = {
    "deputy": N_("人大代表"),
    "cppcc": N_("政协委员"),
    "lawyer": N_("律师"),
    "expert": N_("专家"),
    "community": N_("群众代表"),
}


class Venue(AgencyScoped, VersionedMixin, TimestampMixin, Base):
    """A hearing room (听证室) of an agency, with the number of people it seats.

    Scheduling locks its row (``FOR UPDATE``) before the clash check, so two desks booking the
    same room at once are checked one after the other.
    """

    __tablename__ = "hearings_venue"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(200))
    capacity: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True)


class Panelist(AgencyScoped, TimestampMixin, Base):
    """Someone on the roster of hearing panel members (听证员库); names are public roles."""

    __tablename__ = "hearings_panelist"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(12))
    organisation: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def kind_label(self) -> str:
        return PANELIST_KINDS.get(self.kind, self.kind)
