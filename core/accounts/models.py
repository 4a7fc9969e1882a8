"""Users, agencies (机构), roles and permissions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, TimestampMixin, VersionedMixin, utcnow

role_permissions = Table(
    "core_role_permission",
    Base.metadata,
    Column("role_id", ForeignKey("core_role.id", ondelete="CASCADE"), primary_key=True),
    Column("permission_id", ForeignKey("core_permission.id", ondelete="CASCADE"), primary_key=True),
)

user_roles = Table(
    "core_user_role",
    Base.metadata,
    Column("user_id", ForeignKey("core_user.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("core_role.id", ondelete="CASCADE"), primary_key=True),
)

# Agencies granted to a user beyond their own (e.g. a supervisor covering two towns).
user_agencies = Table(
    "core_user_agency",
    Base.metadata,
    Column("user_id", ForeignKey("core_user.id", ondelete="CASCADE"), primary_key=True),
    Column("agency_id", ForeignKey("core_agency.id", ondelete="CASCADE"), primary_key=True),
)


#: Administrative levels of governments (行政层级), highest first. An organ of a government — its
#: petition bureau, a functional department, a work station — has no level of its own: it sits
#: at the level of the government above it in the tree (``Agency.admin_level``).
ADMIN_RANKS = {"national": 1, "province": 2, "city": 3, "county": 4, "town": 5, "community": 6}


class Agency(VersionedMixin, TimestampMixin, Base):
    """An agency (机构) in the tree: bureau, stationed department, town, community.

    ``path`` is the materialised path of ids (``/1/4/9/``) so "this agency and its children"
    is one indexed prefix match on every query.
    """

    __tablename__ = "core_agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(20))  # county | department | town | community | …
    region_code: Mapped[str | None] = mapped_column(String(12))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("core_agency.id"))
    path: Mapped[str] = mapped_column(String(255), index=True, default="/")
    active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped[Agency | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Agency {self.code} {self.name}>"

    @property
    def government(self) -> Agency | None:
        """The nearest agency, this one or above it, that is a level of government."""
        agency: Agency | None = self
        for _ in range(32):  # a broken tree with a cycle must not loop for ever
            if agency is None or agency.level in ADMIN_RANKS:
                return agency
            agency = agency.parent
        return None

    @property
    def admin_level(self) -> str | None:
        """The administrative level (``county``, ``city`` …) of the government this organ is of."""
        government = self.government
        return government.level if government is not None else None

    @property
    def admin_rank(self) -> int | None:
        """1 for national … 6 for community; a larger rank is a lower level."""
        return ADMIN_RANKS.get(self.admin_level or "")


class Permission(Base):
    """A namespaced permission string declared by a module (``hearings.schedule``)."""

    __tablename__ = "core_permission"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    module: Mapped[str] = mapped_column(String(50), index=True)
    label: Mapped[str] = mapped_column(String(200))


class Role(VersionedMixin, TimestampMixin, Base):
    """A role (角色) holding permissions; seeded by core and editable by administrators."""

    __tablename__ = "core_role"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(500), default="")

    permissions: Mapped[list[Permission]] = relationship(secondary=role_permissions)


class User(VersionedMixin, TimestampMixin, Base):
    """A staff account, local (argon2 hash) or from the directory (no local password)."""

    __tablename__ = "core_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(128), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(10), default="local")  # local | ldap
    password_hash: Mapped[str | None] = mapped_column(String(255))
    directory_dn: Mapped[str | None] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(default=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("core_agency.id"))
    last_login_at: Mapped[datetime | None]
    last_login_ip: Mapped[str | None] = mapped_column(String(64))
    previous_login_at: Mapped[datetime | None]
    previous_login_ip: Mapped[str | None] = mapped_column(String(64))
    # Bumped when roles, agency, password or active state change: it is part of the session
    # id, so every open session of the user ends and is re-checked.
    session_epoch: Mapped[int] = mapped_column(default=0)

    agency: Mapped[Agency | None] = relationship(foreign_keys=[agency_id])
    roles: Mapped[list[Role]] = relationship(secondary=user_roles)
    extra_agencies: Mapped[list[Agency]] = relationship(secondary=user_agencies)

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:  # noqa: D102
        return self.active

    @property
    def is_authenticated(self) -> bool:  # noqa: D102
        return True

    @property
    def is_anonymous(self) -> bool:  # noqa: D102
        return False

    def get_id(self) -> str:  # noqa: D102
        return f"{self.id}:{self.session_epoch}"

    def permission_names(self) -> frozenset[str]:
        """Every permission string granted through the user's roles.

        One query over the two link tables rather than the roles and then each role's
        permissions (every page asks this once).
        """
        from sqlalchemy import inspect, select

        from core.extensions import db

        identity = inspect(self).identity
        if identity is None:  # not saved yet: only what is on the object
            return frozenset(p.name for r in self.roles for p in r.permissions)
        stmt = (
            select(Permission.name)
            .join(role_permissions, role_permissions.c.permission_id == Permission.id)
            .join(user_roles, user_roles.c.role_id == role_permissions.c.role_id)
            .where(user_roles.c.user_id == identity[0])
        )
        session = db.session
        if session.new or session.dirty or session.deleted:
            session.flush()  # roles granted a moment ago in this transaction count
        # On the connection: link tables need no record rules, and the rules' own hook asks
        # for these permissions (through the session it would ask itself again).
        return frozenset(session.connection().execute(stmt).scalars())


class LoginAttempt(Base):
    """One login attempt, kept for throttling per account and per address (shared by workers)."""

    __tablename__ = "core_login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(128), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    success: Mapped[bool]


class ApiToken(Base):
    """A bearer token for the JSON API (hotlines, other systems); only its hash is stored."""

    __tablename__ = "core_api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship()
