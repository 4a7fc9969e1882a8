"""evaluation: schemes, indicators, periods, score snapshots, adjustments

Revision ID: evaluation_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "evaluation_0001"
down_revision = None
branch_labels = ("evaluation",)
depends_on = "core_0007"

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "evaluation_scheme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("basically_counts", sa.Boolean(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_scheme")),
        sa.UniqueConstraint("name", name=op.f("uq_evaluation_scheme_name")),
    )
    op.create_table(
        "evaluation_indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scheme_id"],
            ["evaluation_scheme.id"],
            name=op.f("fk_evaluation_indicator_scheme_id_evaluation_scheme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_indicator")),
        sa.UniqueConstraint(
            "scheme_id", "code", name=op.f("uq_evaluation_indicator_scheme_id_code")
        ),
    )
    op.create_index(
        op.f("ix_evaluation_indicator_scheme_id"), "evaluation_indicator", ["scheme_id"]
    )
    op.create_table(
        "evaluation_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("computed_at", TZ, nullable=True),
        sa.Column("computed_as_of", sa.Date(), nullable=True),
        sa.Column("published_at", TZ, nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(
            ["scheme_id"],
            ["evaluation_scheme.id"],
            name=op.f("fk_evaluation_period_scheme_id_evaluation_scheme"),
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["core_user.id"],
            name=op.f("fk_evaluation_period_published_by_id_core_user"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["core_user.id"],
            name=op.f("fk_evaluation_period_created_by_id_core_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_period")),
    )
    op.create_table(
        "evaluation_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("agency_name", sa.String(length=100), nullable=False),
        sa.Column("matters", sa.Integer(), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("base_score", sa.Double(), nullable=False),
        sa.Column("computed_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["evaluation_period.id"],
            name=op.f("fk_evaluation_score_period_id_evaluation_period"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["core_agency.id"],
            name=op.f("fk_evaluation_score_agency_id_core_agency"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_score")),
        sa.UniqueConstraint(
            "period_id", "agency_id", name=op.f("uq_evaluation_score_period_id_agency_id")
        ),
    )
    op.create_index(op.f("ix_evaluation_score_period_id"), "evaluation_score", ["period_id"])
    op.create_table(
        "evaluation_adjustment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("points", sa.Double(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["evaluation_period.id"],
            name=op.f("fk_evaluation_adjustment_period_id_evaluation_period"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["core_agency.id"],
            name=op.f("fk_evaluation_adjustment_agency_id_core_agency"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["core_user.id"],
            name=op.f("fk_evaluation_adjustment_created_by_id_core_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_adjustment")),
    )
    op.create_index(
        op.f("ix_evaluation_adjustment_period_id"), "evaluation_adjustment", ["period_id"]
    )


def downgrade() -> None:
    op.drop_table("evaluation_adjustment")
    op.drop_table("evaluation_score")
    op.drop_table("evaluation_period")
    op.drop_table("evaluation_indicator")
    op.drop_table("evaluation_scheme")
