"""legal_aid: duty roster and consultations

Revision ID: legal_aid_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "legal_aid_0001"
down_revision = None
branch_labels = ("legal_aid",)
depends_on = "core_0007"

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "legal_aid_duty",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("lawyer_id", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(
            ["lawyer_id"], ["core_user.id"], name=op.f("fk_legal_aid_duty_lawyer_id_core_user")
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["core_agency.id"], name=op.f("fk_legal_aid_duty_agency_id_core_agency")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_aid_duty")),
        sa.UniqueConstraint("day", "lawyer_id", name=op.f("uq_legal_aid_duty_day_lawyer_id")),
    )
    op.create_index(op.f("ix_legal_aid_duty_day"), "legal_aid_duty", ["day"])
    op.create_index(op.f("ix_legal_aid_duty_agency_id"), "legal_aid_duty", ["agency_id"])
    op.create_table(
        "legal_aid_consultation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consulted_on", sa.Date(), nullable=False),
        sa.Column("lawyer_id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.Integer(), nullable=True),
        sa.Column("visitor_name", sa.String(length=50), nullable=True),
        sa.Column("visitor_phone", sa.String(length=20), nullable=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("advice", sa.Text(), nullable=False),
        sa.Column("route", sa.String(length=20), nullable=True),
        sa.Column("opinion", sa.Text(), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(
            ["lawyer_id"],
            ["core_user.id"],
            name=op.f("fk_legal_aid_consultation_lawyer_id_core_user"),
        ),
        sa.ForeignKeyConstraint(
            ["matter_id"],
            ["core_matter.id"],
            name=op.f("fk_legal_aid_consultation_matter_id_core_matter"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["core_agency.id"],
            name=op.f("fk_legal_aid_consultation_agency_id_core_agency"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_aid_consultation")),
    )
    for column in ("consulted_on", "lawyer_id", "matter_id", "agency_id"):
        op.create_index(
            op.f(f"ix_legal_aid_consultation_{column}"), "legal_aid_consultation", [column]
        )


def downgrade() -> None:
    op.drop_table("legal_aid_consultation")
    op.drop_table("legal_aid_duty")
