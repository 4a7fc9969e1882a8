"""Declarative base, naming convention, the mixins every table uses, how connections behave."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    declared_attr,
    mapped_column,
    registry,
)

# Stable constraint names so Alembic can drop and alter them on both SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC (stored as such in every table)."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base of every Minsheng table."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: DateTime(timezone=True)},
    )


class TimestampMixin:
    """``created_at`` / ``updated_at`` columns."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class VersionedMixin:
    """Optimistic locking: a stale write raises ``StaleDataError`` instead of losing an edit.

    Forms carry the ``version`` they were rendered with; services compare it before writing
    (``core.api.check_version``) so the second of two people saving at once is told to reload.
    """

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.version}


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, connection_record) -> None:
    """Make SQLite behave like a server database for our purposes.

    pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT; we switch it off and
    emit BEGIN ourselves (see ``_sqlite_begin``). Foreign keys are off by default in SQLite.
    """
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN")


@event.listens_for(Session, "after_begin")
def _sqlite_session_writes_wait(session, transaction, connection) -> None:
    """In a request that changes something, the session's SQLite transaction is ``IMMEDIATE``.

    A deferred transaction that read first and writes later cannot wait for another writer:
    once someone else committed after its first read, SQLite refuses its write at once
    ("database is locked", whatever the busy timeout) — two logins at once under two workers.
    ``BEGIN IMMEDIATE`` takes the write lock at the start, so the second writer waits
    (``busy_timeout``) instead. Only the ORM session of a request that changes something
    (POST …) does so: GET requests read (or write an audit line at their end) and a long export
    must not hold up the desk's writes; other connections (the installer's Alembic runs beside
    the session) stay deferred. The deferred BEGIN just issued has run nothing: it is swapped.
    """
    if connection.dialect.name != "sqlite" or transaction.nested:
        return  # a savepoint lives inside the transaction begun already
    from flask import has_request_context, request

    if has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS"):
        connection.exec_driver_sql("COMMIT")
        connection.exec_driver_sql("BEGIN IMMEDIATE")


#: A pooled connection back from use more recently than this is not pinged before it is handed
#: out again (seconds). A server that restarted within it shows as one failed request.
PING_WHEN_IDLE_FOR = 1.0


def ping_idle_connections(engine: Engine) -> None:
    """Check that a pooled server connection is alive before use, if it sat idle a while.

    SQLAlchemy's ``pool_pre_ping`` pings on every checkout: a round trip per request or
    registration even when the connection was used a millisecond ago. A connection that has just
    come back from use is alive; one that sat idle may have been closed by the server, a
    restart or a firewall — only those are pinged. (Connection pools of other platforms skip the
    check the same way for recently used connections.) SQLite is in-process: nothing to check.
    """
    if engine.dialect.name == "sqlite":
        return
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def _back(dbapi_connection, record) -> None:
        record.info["minsheng_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_connection, record, proxy) -> None:
        since = record.info.get("minsheng_idle_since")
        if since is not None and time.monotonic() - since < PING_WHEN_IDLE_FOR:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as exc:
            # The pool discards this connection and hands out a new one (up to three tries).
            raise DisconnectionError(str(exc)) from exc
