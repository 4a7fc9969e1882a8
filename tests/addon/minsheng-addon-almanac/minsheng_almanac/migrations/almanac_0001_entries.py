"""almanac: entries

Revision ID: almanac_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "almanac_0001"
down_revision = None
branch_labels = ("almanac",)
depends_on = "core_0001"


def upgrade() -> None:
    op.create_table(
        "almanac_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_almanac_entry")),
    )


def downgrade() -> None:
    op.drop_table("almanac_entry")
