"""Writing fresh rows without the unit of work, for the hot paths (registering a matter).

The unit of work's flush (autoflushes, hooks, relationship bookkeeping) costs several times the
statements it sends. A registration therefore builds its rows and writes them here, in the
caller's transaction: on PostgreSQL a matter with everything pointing at it is one statement
(data-modifying CTEs, each table's rows as JSON); on SQLite each table's rows go to the driver
with SQL built once per table and columns. ORM events do not run for these rows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, Row, Select, Table, TypeDecorator, insert, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError


def row_of(obj: Any) -> dict[str, Any]:
    """The column values set on a new (transient) mapped object, by column name."""
    values = obj.__dict__
    return {
        prop.columns[0].key: values[prop.key]
        for prop in obj.__mapper__.column_attrs
        if prop.key in values
    }


def insert_row(conn: Connection, table: Table, row: dict[str, Any]) -> Any:
    """INSERT one row (values by column name; defaults fill the rest), return its primary key.

    For hot paths that write a handful of fresh rows in one transaction (registering a matter):
    the unit of work's flush costs more than the statements themselves.
    """
    if conn.dialect.name == "sqlite":
        return _driver_insert(conn, table, [_with_defaults(table, row)]).lastrowid
    return conn.execute(_insert_of(table), row).inserted_primary_key[0]


@dataclass(frozen=True)
class Children:
    """Rows of ``table`` that point at the parent row through column ``key``.

    With ``key`` None the rows do not point at the parent but are written with it (a new
    person the parent's other children point at, by an id drawn beforehand).
    """

    table: Table
    rows: list[dict[str, Any]]
    key: str | None


@dataclass(frozen=True)
class Update:
    """Set ``values`` on the row ``id`` of ``table`` and add one to each ``increment`` column."""

    table: Table
    id: int
    values: dict[str, Any]
    increment: tuple[str, ...] = ()


def insert_family(
    conn: Connection,
    table: Table,
    row: dict[str, Any],
    children: list[Children],
    *,
    updates: Sequence[Update] = (),
    check: Select | None = None,
) -> tuple[int, Row | None]:
    """INSERT a row and the rows that reference its new ``id``; return that id (and a row).

    ``updates`` (rows changed by id, independent of the new row) are written with it, and the
    first row of ``check`` (a read without parameters) is returned beside the id: on
    PostgreSQL all in the same statement, so the caller can confirm what it read before it
    wrote without another round trip.

    On PostgreSQL this is one short statement — the parent's INSERT … RETURNING and each
    child table's INSERT as data-modifying CTEs, the rows passed as JSON — so a registration's
    six tables cost one round trip instead of six, and the statement stays short and few in
    parameters, so psycopg caches and prepares it. On SQLite (in-process) the parent is
    inserted first and the children after it with its id. Either way the rows are written in
    the caller's transaction, and the rows of one child table in their order.

    The values are plain Python values (str, int, bool, None, date, datetime, dict/list for
    JSON columns); columns left out get their Python-side defaults, as with ``insert()``.
    """
    children = [c for c in children if c.rows]
    row = _with_defaults(table, row)
    if conn.dialect.name == "sqlite":
        # In-process: the statements are cheap, SQLAlchemy's work around each is not, so they
        # go to the driver as SQL built once per table and columns (still in this transaction).
        for update in updates:
            _driver_update(conn, update)
        for child in children:
            if child.key is None:
                _driver_insert(
                    conn, child.table, [_with_defaults(child.table, r) for r in child.rows]
                )
        parent_id = _driver_insert(conn, table, [row]).lastrowid
        for child in children:
            if child.key is None:
                continue
            fk = child.table.c[child.key]
            value = fk.type.python_type(parent_id)
            rows = [
                _with_defaults(child.table, r, child.key) | {fk.name: value} for r in child.rows
            ]
            _driver_insert(conn, child.table, rows)
        return parent_id, conn.execute(check).first() if check is not None else None
    # The JSON objects are keyed by column name (json_populate_record matches names).
    given = [[_with_defaults(c.table, r, c.key) for r in c.rows] for c in children]
    changed = [(u, {"id": u.id} | _with_defaults(u.table, u.values, fill=False)) for u in updates]
    shape = (
        table,
        tuple(row),
        tuple((c.table, c.key, tuple(rows[0])) for c, rows in zip(children, given, strict=True)),
        tuple((u.table, tuple(values), u.increment) for u, values in changed),
        check,
    )
    if any(set(r) != set(rows[0]) for rows in given for r in rows):
        raise ValueError("the rows of one child table must set the same columns")
    stmt = _FAMILIES.get(shape)
    if stmt is None:
        stmt = _FAMILIES[shape] = str(
            _family_statement(conn.dialect, *shape).compile(dialect=conn.dialect)
        )
    params = {"p": _json(row)} | {f"c{i}": _json(rows) for i, rows in enumerate(given)}
    params |= {f"u{i}": _json(values) for i, (_, values) in enumerate(changed)}
    result = on_driver(conn, stmt, params).fetchone()
    return result[0], (tuple(result[1:]) if check is not None else None)


def _driver_insert(conn: Connection, table: Table, rows: list[dict[str, Any]]):
    """INSERT ``rows`` (keyed by column name, all alike) with the driver's own parameters."""
    names = tuple(rows[0])
    known = _DRIVER_SQL.get((table, names))
    if known is None:
        quote = conn.dialect.identifier_preparer.quote
        sql = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "  # noqa: S608
            f"VALUES ({', '.join('?' for _ in names)})"
        )
        known = _DRIVER_SQL[(table, names)] = (sql, _converters(conn.dialect, table, names))
    sql, convert = known
    if len(rows) == 1:
        return on_driver(conn, sql, _bound(convert, rows[0].values()))
    return on_driver(conn, sql, [_bound(convert, r.values()) for r in rows], many=True)


def _driver_update(conn: Connection, update: Update):
    """``update`` with the driver's own parameters (see ``_driver_insert``)."""
    values = _with_defaults(update.table, update.values, fill=False)
    names = tuple(values)
    key = (update.table, names, update.increment)
    known = _DRIVER_SQL.get(key)
    if known is None:
        quote = conn.dialect.identifier_preparer.quote
        assignments = [f"{quote(n)} = ?" for n in names]
        assignments += [f"{quote(n)} = {quote(n)} + 1" for n in update.increment]
        sql = (
            f"UPDATE {quote(update.table.name)} SET {', '.join(assignments)} "  # noqa: S608
            "WHERE id = ?"
        )
        known = _DRIVER_SQL[key] = (sql, _converters(conn.dialect, update.table, names))
    sql, convert = known
    on_driver(conn, sql, (*_bound(convert, values.values()), update.id))


def on_driver(conn: Connection, sql: str, params, many: bool = False, **cursor_options):
    """Execute ``sql`` on a cursor of the driver's own connection, in ``conn``'s transaction.

    For the registration's few statements: SQLAlchemy's execution context around each cost
    more than SQLite's execution of such an INSERT, and ~0.1 ms a statement on PostgreSQL
    (alternating blocks). ``sql`` is in the driver's parameter style (``compiled_sql``).
    The driver's errors are raised as SQLAlchemy's, as ``conn.execute`` would raise them;
    returns the cursor (``cursor_options`` are the driver's, e.g. psycopg's ``row_factory``).
    """
    cursor = conn.connection.driver_connection.cursor(**cursor_options)
    try:
        if many:
            cursor.executemany(sql, params)
        else:
            cursor.execute(sql, params)
    except conn.dialect.loaded_dbapi.Error as exc:
        # e.g. IntegrityError (a taken query code) or OperationalError (database locked),
        # which the callers tell apart and retry.
        raise DBAPIError.instance(sql, params, exc, conn.dialect.loaded_dbapi.Error) from exc
    return cursor


def compiled_sql(conn: Connection, stmt: Any) -> str:
    """``stmt`` (a ``text()`` with ``:name`` parameters) in the driver's parameter style."""
    key = (conn.dialect.name, stmt)
    sql = _COMPILED.get(key)
    if sql is None:
        sql = _COMPILED[key] = str(stmt.compile(dialect=conn.dialect))
    return sql


#: ``compiled_sql``'s results, by dialect and statement (built once, used on every registration).
_COMPILED: dict[tuple[str, Any], str] = {}


def _converters(dialect, table: Table, names: tuple[str, ...]) -> list:
    """Each column type's own conversion of a value (dates, JSON, booleans), as SQLAlchemy's."""
    by_name = {c.name: c for c in table.columns}
    return [by_name[n].type.dialect_impl(dialect).bind_processor(dialect) for n in names]


def _bound(convert: list, values) -> tuple:
    return tuple(v if f is None else f(v) for f, v in zip(convert, values, strict=True))


#: SQL and value conversions of ``_driver_insert`` and ``_driver_update``.
_DRIVER_SQL: dict[tuple, tuple] = {}


def _json(value: Any) -> str:
    return json.dumps(value, default=_json_value, ensure_ascii=False)


def _json_value(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot pass {type(value).__name__} as JSON")


def _with_defaults(
    table: Table, row: dict[str, Any], skip: str | None = None, fill: bool = True
) -> dict[str, Any]:
    """``row`` keyed by column name, without ``skip``, with ``table``'s defaults if ``fill``."""
    known = _DEFAULTS.get(table)
    if known is None:
        known = _DEFAULTS[table] = (
            [
                (c.key, c.default)
                for c in table.columns
                if c.default is not None and not c.primary_key and not c.default.is_sequence
            ],
            {c.key: c.name for c in table.columns if c.key != c.name},
        )
    defaults, renamed = known
    full = {
        key: default.arg(None) if default.is_callable else default.arg
        for key, default in (defaults if fill else ())
        if key not in row and key != skip
    }
    full.update((key, value) for key, value in row.items() if key != skip)
    return {renamed.get(key, key): value for key, value in full.items()} if renamed else full


_DEFAULTS: dict[Table, tuple] = {}


#: One INSERT construct per table (see ``_insert_of``).
_INSERTS: dict[Any, Any] = {}


def _insert_of(table: Table):
    """One INSERT construct per table, reused: its compiled form is then found in the cache."""
    stmt = _INSERTS.get(table)
    if stmt is None:
        stmt = _INSERTS[table] = insert(table)
    return stmt


def _family_statement(
    dialect, table: Table, keys: tuple, children: tuple, updates: tuple, check: Select | None
):
    """``WITH parent AS (INSERT … RETURNING id), c0 AS (INSERT … (SELECT id FROM parent)) …``.

    Each table's rows come from ``json_populate_record(set)`` over its own row type, so
    PostgreSQL converts (and checks) every value as the column's type, as an INSERT would.
    """
    quote = dialect.identifier_preparer.quote
    for t in (table, *(child for child, _, _ in children)):
        if any(isinstance(c.type, TypeDecorator) for c in t.columns):
            raise TypeError(f"{t.name}: values of custom types cannot be passed as JSON")

    def columns(t: Table, names, prefix=""):
        unknown = set(names) - {c.name for c in t.columns}
        if unknown:
            raise KeyError(f"{t.name} has no columns {sorted(unknown)}")
        return ", ".join(prefix + quote(name) for name in names)

    # Only identifiers of the mapped tables are formatted into the text; values are parameters.
    name = quote(table.name)
    parts = [
        f"parent AS (INSERT INTO {name} ({columns(table, keys)}) "  # noqa: S608
        f"SELECT {columns(table, keys)} "
        f"FROM json_populate_record(NULL::{name}, CAST(:p AS json)) RETURNING id)"
    ]
    for i, (child, fk, child_keys) in enumerate(children):
        name = quote(child.name)
        target, source = columns(child, child_keys), columns(child, child_keys, "r.")
        if fk is not None:
            # The parent's id lands in the child's column type (the audit log keeps it as text).
            ref = "(SELECT id FROM parent)"
            if not isinstance(child.c[fk].type, Integer):
                ref = f"CAST({ref} AS text)"
            target, source = f"{target}, {quote(child.c[fk].name)}", f"{source}, {ref}"
        parts.append(
            f"c{i} AS (INSERT INTO {name} ({target}) "  # noqa: S608
            f"SELECT {source} "
            f"FROM json_populate_recordset(NULL::{name}, CAST(:c{i} AS json)) "
            "WITH ORDINALITY AS r ORDER BY r.ordinality)"
        )
    for i, (target, names, increment) in enumerate(updates):
        name = quote(target.name)
        assignments = [f"{quote(n)} = u.{quote(n)}" for n in names if n != "id"]
        assignments += [f"{quote(n)} = t.{quote(n)} + 1" for n in increment]
        columns(target, names)  # refuses unknown names
        parts.append(
            f"u{i} AS (UPDATE {name} AS t SET {', '.join(assignments)} "  # noqa: S608
            f"FROM json_populate_record(NULL::{name}, CAST(:u{i} AS json)) AS u "
            "WHERE t.id = u.id)"
        )
    final = "SELECT id FROM parent"
    if check is not None:
        # A fixed read (no parameters), rendered once into the statement.
        read = check.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
        final = f"SELECT parent.id, checked.* FROM parent, ({read}) AS checked"  # noqa: S608
    return text("WITH " + ",\n".join(parts) + "\n" + final)


#: The family statements already built (in the driver's parameter style), by table and columns.
_FAMILIES: dict[tuple, Any] = {}
