"""stored tsvector columns for search on PostgreSQL

The expression indexes of core_0003 (GIN on ``to_tsvector('simple', col)``) left the planner
without statistics on the documents, so it estimated every one-token query at ~10 % of the rows,
walked the primary key and recomputed ``to_tsvector`` for each row it filtered. Stored generated
columns keep the tsvector on disk (computed once, on write), give ANALYZE real token frequencies,
and are GIN-indexed. SQLite keeps its FTS5 table: nothing changes there.

Revision ID: core_0006
Revises: core_0005
"""

from alembic import op

revision = "core_0006"
down_revision = "core_0005"
branch_labels = None
depends_on = None

COLUMNS = ("content", "identity")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for col in COLUMNS:
        op.execute(
            f"ALTER TABLE core_matter_index ADD COLUMN {col}_tsv tsvector "
            f"GENERATED ALWAYS AS (to_tsvector('simple', {col})) STORED"
        )
        op.execute(f"DROP INDEX IF EXISTS ix_core_matter_index_{col}_fts")
        op.execute(
            f"CREATE INDEX ix_core_matter_index_{col}_tsv ON core_matter_index "
            f"USING gin ({col}_tsv)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for col in COLUMNS:
        op.execute(f"DROP INDEX IF EXISTS ix_core_matter_index_{col}_tsv")
        op.execute(f"ALTER TABLE core_matter_index DROP COLUMN IF EXISTS {col}_tsv")
        op.execute(
            f"CREATE INDEX ix_core_matter_index_{col}_fts ON core_matter_index "
            f"USING gin (to_tsvector('simple', {col}))"
        )
