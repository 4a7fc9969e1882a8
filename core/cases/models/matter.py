"""The matter (信访事项): the shared case file every module works on."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, or_, select, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.accounts.models import Agency, User
from core.accounts.record_rules import AgencyScoped
from core.db import Base, TimestampMixin, VersionedMixin, utcnow

CHANNELS = {"visit": "走访", "letter": "来信", "phone": "电话", "online": "网上信访", "fax": "传真"}
CHANNEL_CODES = {"visit": "F", "letter": "L", "phone": "D", "online": "W", "fax": "C"}
PURPOSES = {
    "remedy": "求决",
    "appeal": "申诉",
    "accusation": "揭发控告",
    "suggestion": "建议意见",
    "enquiry": "咨询",
    "other": "其他",
}
HANDLING_TYPES = {
    "suggestion": "建议意见类",
    "accusation": "检举控告类",
    "complaint": "申诉求决类",
}
FLAGS = {
    "anonymous": "匿名",
    "joint": "联名",
    "collective": "集体访",
    "law_related": "涉法涉诉",
    "leapfrog": "越级",
    "major_urgent": "重大紧急",
    "threat": "扬言",
    "foreign_related": "涉外/涉港澳台侨",
    "long_standing": "积案",
    # 条例第23条第2款: no notice of receipt is owed when the name or address is unclear.
    "contact_unclear": "姓名或地址不清",
    # 国信发〔2014〕16号: a matter passed down the national forwarding chain (5/3/3/4 days).
    "via_chain": "逐级转送来件",
}


class MatterAccess(Base):
    """An agency involved in a matter (handling, reviewing, joint review…): it may see it."""

    __tablename__ = "core_matter_access"

    matter_id: Mapped[int] = mapped_column(
        ForeignKey("core_matter.id", ondelete="CASCADE"), primary_key=True
    )
    agency_id: Mapped[int] = mapped_column(
        ForeignKey("core_agency.id"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(20), default="handling")
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)


class Matter(AgencyScoped, VersionedMixin, TimestampMixin, Base):
    """A 信访事项 (matter).

    ``agency_id`` is the registering agency; agencies it is forwarded or assigned to, and the
    reviewing organs, gain access through ``MatterAccess``.
    """

    __tablename__ = "core_matter"
    #: 我的 asks for the matters a user handles or follows. Only matters that have one are in
    #: these indexes (core_0008): a registration, which has neither, writes no entry.
    __table_args__ = (
        Index(
            "ix_core_matter_handler_id",
            "handler_id",
            sqlite_where=text("handler_id IS NOT NULL"),
            postgresql_where=text("handler_id IS NOT NULL"),
        ),
        Index(
            "ix_core_matter_follower_id",
            "follower_id",
            sqlite_where=text("follower_id IS NOT NULL"),
            postgresql_where=text("follower_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(38), unique=True)
    query_code: Mapped[str] = mapped_column(String(16), unique=True)
    external_numbers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    channel: Mapped[str] = mapped_column(String(10))  # four values: not worth an index
    purpose: Mapped[str] = mapped_column(String(16), default="remedy")
    handling_type: Mapped[str] = mapped_column(String(16), default="complaint")
    category_id: Mapped[int | None] = mapped_column(ForeignKey("core_content_category.id"))
    hot_topic: Mapped[str | None] = mapped_column(String(100))
    summary: Mapped[str] = mapped_column(Text)
    demands: Mapped[list[str]] = mapped_column(JSON, default=list)
    place_region_code: Mapped[str | None] = mapped_column(String(12))
    place_text: Mapped[str | None] = mapped_column(String(200))
    complained_party: Mapped[str | None] = mapped_column(String(200))
    complained_post: Mapped[str | None] = mapped_column(String(100))
    complained_rank: Mapped[str | None] = mapped_column(String(50))
    complained_agency_id: Mapped[int | None] = mapped_column(ForeignKey("core_agency.id"))
    people_involved: Mapped[int] = mapped_column(default=1)
    head_count: Mapped[int] = mapped_column(default=1)
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    repeat_of_id: Mapped[int | None] = mapped_column(ForeignKey("core_matter.id"))
    first_petition: Mapped[bool] = mapped_column(default=True)
    accuser_sealed: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(String(24), index=True, default="registered")
    triage_route: Mapped[str | None] = mapped_column(String(20))
    handling_agency_id: Mapped[int | None] = mapped_column(ForeignKey("core_agency.id"))
    review_agency_id: Mapped[int | None] = mapped_column(ForeignKey("core_agency.id"))
    reexam_agency_id: Mapped[int | None] = mapped_column(ForeignKey("core_agency.id"))
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    follower_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    received_on: Mapped[date]
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    accepted_on: Mapped[date | None]
    reply_received_on: Mapped[date | None]
    extended_days: Mapped[int] = mapped_column(default=0)
    supervised: Mapped[bool] = mapped_column(default=False)
    legal_route: Mapped[str | None] = mapped_column(String(30))
    outcome: Mapped[str | None] = mapped_column(String(20))
    termination_reason: Mapped[str | None] = mapped_column(String(100))
    closed_at: Mapped[datetime | None]

    agency: Mapped[Agency] = relationship(foreign_keys="Matter.agency_id")
    handling_agency: Mapped[Agency | None] = relationship(foreign_keys=[handling_agency_id])
    review_agency: Mapped[Agency | None] = relationship(foreign_keys=[review_agency_id])
    reexam_agency: Mapped[Agency | None] = relationship(foreign_keys=[reexam_agency_id])
    complained_agency: Mapped[Agency | None] = relationship(foreign_keys=[complained_agency_id])
    handler: Mapped[User | None] = relationship(foreign_keys=[handler_id])
    follower: Mapped[User | None] = relationship(foreign_keys=[follower_id])
    registered_by: Mapped[User | None] = relationship(foreign_keys=[registered_by_id])
    category = relationship("ContentCategory")
    repeat_of: Mapped[Matter | None] = relationship(remote_side=[id])
    parties = relationship(
        "MatterParty",
        back_populates="matter",
        cascade="all, delete-orphan",
        order_by="MatterParty.id",
    )
    clocks = relationship(
        "Clock", back_populates="matter", cascade="all, delete-orphan", order_by="Clock.id"
    )

    @classmethod
    def scope_criterion(cls, ids):
        """Visible when registered by, or involving, one of the agencies ``ids``.

        The second arm is a correlated EXISTS (an index-only probe of ``core_matter_access``'s
        primary key per matter), not ``id IN (SELECT …)``: PostgreSQL hashes an uncorrelated IN
        subquery over every access row before the first matter and costs that into each plan, so
        it seq-scanned all matters even where a handful of ids (a search, a deadline tab) were
        wanted. The EXISTS only runs for matters the first arm does not already admit.
        """
        return or_(
            cls.agency_id.in_(ids),
            select(MatterAccess.matter_id)
            .where(MatterAccess.matter_id == cls.id, MatterAccess.agency_id.in_(ids))
            .exists(),
        )

    @property
    def lead(self):
        """The lead petitioner's party row (主访人), if any."""
        for party in self.parties:
            if party.is_lead:
                return party
        return self.parties[0] if self.parties else None

    def has_flag(self, flag: str) -> bool:
        """Whether ``flag`` (see ``FLAGS``) is set."""
        return flag in (self.flags or [])

    @property
    def channel_label(self) -> str:  # noqa: D102
        return CHANNELS.get(self.channel, self.channel)


class MatterParty(Base):
    """A petitioner on a matter: lead (主访人), representative of a collective visit, or other."""

    __tablename__ = "core_matter_party"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(
        ForeignKey("core_matter.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("core_person.id"), index=True)
    is_lead: Mapped[bool] = mapped_column(default=False)
    is_representative: Mapped[bool] = mapped_column(default=False)

    matter: Mapped[Matter] = relationship(back_populates="parties")
    person = relationship("Person")
