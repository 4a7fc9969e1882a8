"""hearings: hearings and their participants

Revision ID: hearings_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "hearings_0001"
down_revision = None
branch_labels = ("hearings",)
depends_on = "core_0007"

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "hearings_hearing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=12), nullable=False),
        sa.Column("stage", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("scheduled_at", TZ, nullable=False),
        sa.Column("venue", sa.String(length=200), nullable=False),
        sa.Column("presiding_officer_id", sa.Integer(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("closed_reason", sa.String(length=200), nullable=True),
        sa.Column("heard", sa.Text(), nullable=True),
        sa.Column("opinions", sa.Text(), nullable=True),
        sa.Column("conclusion", sa.Text(), nullable=True),
        sa.Column("cancel_reason", sa.String(length=300), nullable=True),
        sa.Column("span_from", sa.Date(), nullable=False),
        sa.Column("span_until", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(
            ["matter_id"],
            ["core_matter.id"],
            name=op.f("fk_hearings_hearing_matter_id_core_matter"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["presiding_officer_id"],
            ["core_user.id"],
            name=op.f("fk_hearings_hearing_presiding_officer_id_core_user"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["core_user.id"],
            name=op.f("fk_hearings_hearing_created_by_id_core_user"),
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["core_agency.id"],
            name=op.f("fk_hearings_hearing_agency_id_core_agency"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hearings_hearing")),
    )
    op.create_index(op.f("ix_hearings_hearing_matter_id"), "hearings_hearing", ["matter_id"])
    op.create_index(op.f("ix_hearings_hearing_status"), "hearings_hearing", ["status"])
    op.create_index(op.f("ix_hearings_hearing_agency_id"), "hearings_hearing", ["agency_id"])
    op.create_table(
        "hearings_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hearing_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["hearing_id"],
            ["hearings_hearing.id"],
            name=op.f("fk_hearings_participant_hearing_id_hearings_hearing"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hearings_participant")),
    )
    op.create_index(
        op.f("ix_hearings_participant_hearing_id"), "hearings_participant", ["hearing_id"]
    )


def downgrade() -> None:
    op.drop_table("hearings_participant")
    op.drop_table("hearings_hearing")
