"""search index of matters (CJK bigrams): FTS5 on SQLite, GIN on PostgreSQL

Revision ID: core_0003
Revises: core_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0003"
down_revision = "core_0002"
branch_labels = None
depends_on = None

COLUMNS = ("content", "identity")


def upgrade() -> None:
    op.create_table(
        "core_matter_index",
        sa.Column("matter_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("identity", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["matter_id"],
            ["core_matter.id"],
            ondelete="CASCADE",
            name=op.f("fk_core_matter_index_matter_id_core_matter"),
        ),
        sa.PrimaryKeyConstraint("matter_id", name=op.f("pk_core_matter_index")),
    )
    if op.get_bind().dialect.name == "postgresql":
        for col in COLUMNS:
            op.execute(
                f"CREATE INDEX ix_core_matter_index_{col}_fts ON core_matter_index "
                f"USING gin (to_tsvector('simple', {col}))"
            )
        return
    # SQLite: an external-content FTS5 table kept in step by triggers.
    op.execute(
        "CREATE VIRTUAL TABLE core_matter_fts USING fts5(content, identity, "
        "content='core_matter_index', content_rowid='matter_id', tokenize='unicode61')"
    )
    insert = (
        "INSERT INTO core_matter_fts(rowid, content, identity) "
        "VALUES (new.matter_id, new.content, new.identity);"
    )
    remove = (
        "INSERT INTO core_matter_fts(core_matter_fts, rowid, content, identity) "
        "VALUES ('delete', old.matter_id, old.content, old.identity);"
    )
    op.execute(
        f"CREATE TRIGGER core_matter_index_ai AFTER INSERT ON core_matter_index BEGIN {insert} END"
    )
    op.execute(
        f"CREATE TRIGGER core_matter_index_ad AFTER DELETE ON core_matter_index BEGIN {remove} END"
    )
    op.execute(
        f"CREATE TRIGGER core_matter_index_au AFTER UPDATE ON core_matter_index BEGIN {remove} {insert} END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        for name in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS core_matter_index_{name}")
        op.execute("DROP TABLE IF EXISTS core_matter_fts")
    op.drop_table("core_matter_index")
