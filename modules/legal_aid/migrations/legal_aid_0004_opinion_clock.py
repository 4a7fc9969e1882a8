"""legal_aid: a commissioned opinion's deadline is a clock of the matter (core_clock)

Revision ID: legal_aid_0004
Revises: legal_aid_0003

Opinions commissioned before keep their deadline as a date only (no clock is started for them).
"""

import sqlalchemy as sa
from alembic import op

revision = "legal_aid_0004"
down_revision = "legal_aid_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("legal_aid_opinion") as batch:
        batch.add_column(sa.Column("clock_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_legal_aid_opinion_clock_id_core_clock"),
            "core_clock",
            ["clock_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("legal_aid_opinion") as batch:
        batch.drop_constraint(op.f("fk_legal_aid_opinion_clock_id_core_clock"), type_="foreignkey")
        batch.drop_column("clock_id")
