"""Declarative base, naming convention and the mixins every table uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Integer,
    MetaData,
    Table,
    bindparam,
    cast,
    event,
    insert,
    literal,
    select,
    union_all,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, registry

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


def row_of(obj: Any) -> dict[str, Any]:
    """The column values set on a new (transient) mapped object, by column name."""
    values = obj.__dict__
    return {
        prop.columns[0].key: values[prop.key]
        for prop in obj.__mapper__.column_attrs
        if prop.key in values
    }


def insert_object(conn: Connection, obj: Any) -> Any:
    """INSERT a new (transient) mapped object with Core and return its primary key.

    For hot paths that write a handful of fresh rows in one transaction (registering a matter):
    the unit of work's flush costs more than the statements themselves. Only the attributes set
    on ``obj`` are written, the columns' defaults fill the rest; ORM events do not run, and
    ``obj`` stays transient (see ``sqlalchemy.orm.make_transient_to_detached`` to attach it).
    """
    stmt = _insert_of(obj.__mapper__.local_table)
    return conn.execute(stmt, row_of(obj)).inserted_primary_key[0]


@dataclass(frozen=True)
class Children:
    """Rows of ``table`` that point at the parent row through column ``key``."""

    table: Table
    rows: list[dict[str, Any]]
    key: str


def insert_family(
    conn: Connection, table: Table, row: dict[str, Any], children: list[Children]
) -> int:
    """INSERT a row and the rows that reference its new ``id``; return that id.

    On PostgreSQL this is one statement — the parent's INSERT … RETURNING and each child's
    INSERT as data-modifying CTEs — so a registration's six tables cost one round trip to the
    server instead of six. Elsewhere (SQLite, in-process) the parent is inserted first and the
    children after it with its id. Either way the rows are written in the caller's transaction.
    """
    children = [c for c in children if c.rows]
    if conn.dialect.name != "postgresql":
        parent_id = conn.execute(_insert_of(table), row).inserted_primary_key[0]
        for child in children:
            fk_type = child.table.c[child.key].type.python_type
            rows = [r | {child.key: fk_type(parent_id)} for r in child.rows]
            conn.execute(_insert_of(child.table), rows)
        return parent_id
    # Python-side column defaults are filled in here: SQLAlchemy would name their parameters
    # after the column, and two tables of one statement share column names.
    row = _with_defaults(table, row)
    children = [
        Children(c.table, [_with_defaults(c.table, r, c.key) for r in c.rows], c.key)
        for c in children
    ]
    shape = (
        table,
        tuple(row),
        tuple((c.table, c.key, tuple(tuple(r) for r in c.rows)) for c in children),
    )
    if any(len(set(rows)) > 1 for _, _, rows in shape[2]):
        raise ValueError("the rows of one child table must set the same columns")
    stmt = _FAMILIES.get(shape)
    if stmt is None:
        stmt = _FAMILIES[shape] = _family_statement(*shape)
    params = {f"p_{key}": value for key, value in row.items()}
    for i, child in enumerate(children):
        for j, r in enumerate(child.rows):
            params.update({f"c{i}_{j}_{key}": value for key, value in r.items()})
    return conn.execute(stmt, params).scalar_one()


#: One INSERT construct per table (see ``_insert_of``).
_INSERTS: dict[Any, Any] = {}


def _with_defaults(table: Table, row: dict[str, Any], skip: str = "") -> dict[str, Any]:
    """``row`` without column ``skip``, completed with the Python-side defaults of ``table``."""
    defaults = _DEFAULTS.get(table)
    if defaults is None:
        defaults = _DEFAULTS[table] = [
            (c.key, c.default)
            for c in table.columns
            if c.default is not None and not c.primary_key and not c.default.is_sequence
        ]
    full = {
        key: default.arg(None) if default.is_callable else default.arg
        for key, default in defaults
        if key not in row and key != skip
    }
    full.update((key, value) for key, value in row.items() if key != skip)
    return full


_DEFAULTS: dict[Table, list] = {}


def _insert_of(table: Table):
    """One INSERT construct per table, reused: its compiled form is then found in the cache."""
    stmt = _INSERTS.get(table)
    if stmt is None:
        stmt = _INSERTS[table] = insert(table)
    return stmt


def _family_statement(table: Table, keys: tuple, children: tuple):
    """``WITH parent AS (INSERT … RETURNING id), c0 AS (INSERT … (SELECT id FROM parent)) …``."""
    parent = (
        insert(table)
        .values({key: bindparam(f"p_{key}", type_=table.c[key].type) for key in keys})
        .returning(table.c.id)
        .cte("parent")
    )
    parent_id = select(parent.c.id).scalar_subquery()
    ctes = []
    for i, (child, fk, rows) in enumerate(children):
        column = child.c[fk]
        # The parent's id lands in the child's column type (the audit log keeps it as text).
        ref = parent_id if isinstance(column.type, Integer) else cast(parent_id, column.type)
        keys = rows[0]
        # The rows as a sorted UNION ALL, so they are inserted (and numbered) in their order:
        # PostgreSQL runs sibling CTEs in no set order, and SQLAlchemy does not cache a
        # multi-row VALUES.
        given = union_all(
            *(
                select(
                    *(_typed(f"c{i}_{j}_{key}", child.c[key].type).label(key) for key in keys),
                    literal(j).label("position_"),
                )
                for j in range(len(rows))
            )
        ).subquery(f"rows{i}")
        ordered = select(*(given.c[key] for key in keys), ref).order_by(given.c.position_)
        ctes.append(insert(child).from_select([*keys, fk], ordered).cte(f"c{i}"))
    return select(parent.c.id).add_cte(*ctes)


def _typed(name: str, type_):
    """A parameter PostgreSQL reads as ``type_`` also inside a SELECT list.

    SQLAlchemy casts most parameters for psycopg (``%(x)s::INTEGER``) but not booleans, and
    a NULL without a type would be read as text there.
    """
    param = bindparam(name, type_=type_)
    return cast(param, type_) if isinstance(type_, Boolean) else param


#: The family statements already built, by the shape of their rows (their compiled forms are
#: then found in SQLAlchemy's cache at once).
_FAMILIES: dict[tuple, Any] = {}


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
