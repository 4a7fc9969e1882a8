"""person name pinyin for repeat-petition detection

Revision ID: core_0004
Revises: core_0003
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0004"
down_revision = "core_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("core_person") as batch_op:
        batch_op.add_column(sa.Column("name_pinyin", sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f("ix_core_person_name_pinyin"), ["name_pinyin"])


def downgrade() -> None:
    with op.batch_alter_table("core_person") as batch_op:
        batch_op.drop_index(batch_op.f("ix_core_person_name_pinyin"))
        batch_op.drop_column("name_pinyin")
