"""Core's migrations build the tables, columns and indexes its models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from core.db import Base
from core.extensions import db


def _table_of(change) -> str:
    """The table an autogenerate difference is about."""
    if isinstance(change, list):  # the modify_* differences of one column come as a list
        return change[0][2]
    thing = change[1]
    if hasattr(thing, "parent") and hasattr(thing.parent, "name"):  # a foreign key
        return thing.parent.name
    if hasattr(thing, "table") and thing.table is not None:  # an index or a constraint
        return thing.table.name
    if hasattr(thing, "name") and hasattr(thing, "columns"):  # a table
        return thing.name
    return change[2]  # add_column / remove_column: (op, schema, table, column)


#: Built by the search index's migrations only, outside the models: SQLite's FTS5 table and its
#: shadow tables; PostgreSQL's stored tsvector columns and their GIN indexes (core_0003, 0006).
SEARCH_ONLY = ("core_matter_fts", "content_tsv", "identity_tsv")


def test_core_migrations_match_the_models(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = [
            d
            for d in compare_metadata(context, Base.metadata)
            if _table_of(d).startswith("core_") and not any(s in repr(d) for s in SEARCH_ONLY)
        ]
    assert diff == []
