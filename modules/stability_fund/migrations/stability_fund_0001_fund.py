"""stability_fund: yearly budgets and relief applications

Revision ID: stability_fund_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "stability_fund_0001"
down_revision = None
branch_labels = ("stability_fund",)
depends_on = "core_0007"

TZ = sa.DateTime(timezone=True)


def _user_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["core_user.id"], name=op.f(f"fk_{table}_{column}_core_user")
    )


def upgrade() -> None:
    op.create_table(
        "stability_fund_budget",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("committed_fen", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["core_agency.id"],
            name=op.f("fk_stability_fund_budget_agency_id_core_agency"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stability_fund_budget")),
        sa.UniqueConstraint(
            "agency_id", "year", name=op.f("uq_stability_fund_budget_agency_id_year")
        ),
    )
    op.create_index(
        op.f("ix_stability_fund_budget_agency_id"), "stability_fund_budget", ["agency_id"]
    )
    t = "stability_fund_application"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("requested_fen", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("hardship", sa.Text(), nullable=False),
        sa.Column("undertaking", sa.Boolean(), nullable=False),
        sa.Column("prepared_by_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", TZ, nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("approved_fen", sa.BigInteger(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", TZ, nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("paid_fen", sa.BigInteger(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("pay_method", sa.String(length=10), nullable=True),
        sa.Column("pay_reference", sa.String(length=100), nullable=True),
        sa.Column("paid_by_id", sa.Integer(), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(
            ["matter_id"],
            ["core_matter.id"],
            name=op.f("fk_stability_fund_application_matter_id_core_matter"),
            ondelete="CASCADE",
        ),
        _user_fk(t, "prepared_by_id"),
        _user_fk(t, "decided_by_id"),
        _user_fk(t, "paid_by_id"),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["core_agency.id"],
            name=op.f("fk_stability_fund_application_agency_id_core_agency"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stability_fund_application")),
    )
    op.create_index(op.f("ix_stability_fund_application_agency_id"), t, ["agency_id"])
    op.create_index(op.f("ix_stability_fund_application_matter_id"), t, ["matter_id"])
    op.create_index(op.f("ix_stability_fund_application_state"), t, ["state"])


def downgrade() -> None:
    op.drop_table("stability_fund_application")
    op.drop_table("stability_fund_budget")
