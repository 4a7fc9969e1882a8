"""evaluation: scheme items with target/deduction/cap, period type and scope, self-assessments,
bulletins; the seeded scheme gains the indicators added since

Revision ID: evaluation_0002
Revises: evaluation_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "evaluation_0002"
down_revision = "evaluation_0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
#: Indicators added in this revision, given weight 0 on existing schemes (shown, not scored).
NEW_ITEMS = (
    ("repeat_rate", "重复信访率"),
    ("first_time_resolution", "一次性化解率"),
    ("first_petition_resolution", "初信初访化解率"),
    ("repeat_petition_resolution", "重信重访化解率"),
    ("backlog_resolution", "历史积案化解率"),
    ("online_share", "网信占比"),
    ("settled", "息访率"),
)


def upgrade() -> None:
    with op.batch_alter_table("evaluation_indicator") as batch:
        batch.add_column(sa.Column("target", sa.Double(), nullable=True))
        batch.add_column(sa.Column("deduction", sa.Double(), nullable=True))
        batch.add_column(
            sa.Column(
                "deduction_unit", sa.String(length=10), nullable=False, server_default="point"
            )
        )
        batch.add_column(sa.Column("cap", sa.Double(), nullable=True))
    with op.batch_alter_table("evaluation_period") as batch:
        batch.add_column(
            sa.Column("period_type", sa.String(length=10), nullable=False, server_default="custom")
        )
        batch.add_column(
            sa.Column("scope", sa.String(length=10), nullable=False, server_default="unit")
        )
        batch.add_column(sa.Column("root_agency_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("channel", sa.String(length=10), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_evaluation_period_root_agency_id_core_agency"),
            "core_agency",
            ["root_agency_id"],
            ["id"],
        )
    op.create_table(
        "evaluation_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("self_score", sa.Double(), nullable=False),
        sa.Column("self_note", sa.Text(), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("review_note", sa.Text(), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", TZ, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["evaluation_period.id"],
            name=op.f("fk_evaluation_assessment_period_id_evaluation_period"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["core_agency.id"],
            name=op.f("fk_evaluation_assessment_agency_id_core_agency"),
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["core_user.id"],
            name=op.f("fk_evaluation_assessment_submitted_by_id_core_user"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["core_user.id"],
            name=op.f("fk_evaluation_assessment_reviewed_by_id_core_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_assessment")),
        sa.UniqueConstraint(
            "period_id", "agency_id", name=op.f("uq_evaluation_assessment_period_id_agency_id")
        ),
    )
    op.create_index(
        op.f("ix_evaluation_assessment_period_id"), "evaluation_assessment", ["period_id"]
    )
    op.create_table(
        "evaluation_bulletin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("issued_at", TZ, nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["evaluation_period.id"],
            name=op.f("fk_evaluation_bulletin_period_id_evaluation_period"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_id"],
            ["core_user.id"],
            name=op.f("fk_evaluation_bulletin_issued_by_id_core_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_bulletin")),
    )
    op.create_index(op.f("ix_evaluation_bulletin_period_id"), "evaluation_bulletin", ["period_id"])
    # Existing schemes keep their weights; the new indicators are shown with weight 0.
    conn = op.get_bind()
    scheme = sa.table("evaluation_scheme", sa.column("id", sa.Integer()))
    item = sa.table(
        "evaluation_indicator",
        sa.column("scheme_id", sa.Integer()),
        sa.column("code", sa.String()),
        sa.column("name", sa.String()),
        sa.column("weight", sa.Integer()),
        sa.column("position", sa.Integer()),
        sa.column("deduction_unit", sa.String()),
    )
    for (scheme_id,) in conn.execute(sa.select(scheme.c.id)).all():
        have = set(
            conn.execute(sa.select(item.c.code).where(item.c.scheme_id == scheme_id)).scalars()
        )
        rows = [
            {
                "scheme_id": scheme_id,
                "code": code,
                "name": name,
                "weight": 0,
                "position": 10 + n,
                "deduction_unit": "point",
            }
            for n, (code, name) in enumerate(NEW_ITEMS)
            if code not in have
        ]
        if rows:
            conn.execute(sa.insert(item), rows)


def downgrade() -> None:
    codes = [code for code, _name in NEW_ITEMS]
    op.execute(
        sa.text("DELETE FROM evaluation_indicator WHERE code IN :codes").bindparams(
            sa.bindparam("codes", codes, expanding=True)
        )
    )
    op.drop_table("evaluation_bulletin")
    op.drop_table("evaluation_assessment")
    with op.batch_alter_table("evaluation_period") as batch:
        batch.drop_constraint("fk_evaluation_period_root_agency_id_core_agency", type_="foreignkey")
        batch.drop_column("channel")
        batch.drop_column("root_agency_id")
        batch.drop_column("scope")
        batch.drop_column("period_type")
    with op.batch_alter_table("evaluation_indicator") as batch:
        batch.drop_column("cap")
        batch.drop_column("deduction_unit")
        batch.drop_column("deduction")
        batch.drop_column("target")
