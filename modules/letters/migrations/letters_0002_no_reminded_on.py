"""letters: the desk's own 催办 date goes (core's higher_deadline clock is reminded by core)

Revision ID: letters_0002
Revises: letters_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "letters_0002"
down_revision = "letters_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("letters_letter") as batch:
        batch.drop_column("reminded_on")


def downgrade() -> None:
    with op.batch_alter_table("letters_letter") as batch:
        batch.add_column(sa.Column("reminded_on", sa.Date(), nullable=True))
