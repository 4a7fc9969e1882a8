"""notebook: notes

Revision ID: notebook_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "notebook_0001"
down_revision = None
branch_labels = ("notebook",)
depends_on = "core_0001"


def upgrade() -> None:
    op.create_table(
        "notebook_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("person", sa.String(length=50), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["core_agency.id"], name=op.f("fk_notebook_note_agency_id_core_agency")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notebook_note")),
    )
    op.create_index(op.f("ix_notebook_note_agency_id"), "notebook_note", ["agency_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_notebook_note_agency_id"), table_name="notebook_note")
    op.drop_table("notebook_note")
