"""legal_aid: kind of consultation (法律咨询 / 法律论证 / 参与接访)

Revision ID: legal_aid_0002
Revises: legal_aid_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "legal_aid_0002"
down_revision = "legal_aid_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows recorded before the column existed were all free consultations.
    with op.batch_alter_table("legal_aid_consultation") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=12), nullable=False, server_default="consultation")
        )


def downgrade() -> None:
    with op.batch_alter_table("legal_aid_consultation") as batch:
        batch.drop_column("kind")
