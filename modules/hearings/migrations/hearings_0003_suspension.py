"""hearings: the reason a hearing in session was suspended (听证中止)

Revision ID: hearings_0003
Revises: hearings_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "hearings_0003"
down_revision = "hearings_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hearings_hearing") as batch:
        batch.add_column(sa.Column("suspend_reason", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("hearings_hearing") as batch:
        batch.drop_column("suspend_reason")
