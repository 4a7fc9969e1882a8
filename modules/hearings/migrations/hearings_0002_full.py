"""hearings: venues, panel roster, applications, assessments; the hearing's full record

Revision ID: hearings_0002
Revises: hearings_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "hearings_0002"
down_revision = "hearings_0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    ]


def _agency(table: str) -> list:
    return [
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["core_agency.id"], name=op.f(f"fk_{table}_agency_id_core_agency")
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "hearings_venue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *_stamps(),
        *_agency("hearings_venue"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hearings_venue")),
    )
    op.create_index(op.f("ix_hearings_venue_agency_id"), "hearings_venue", ["agency_id"])
    op.create_table(
        "hearings_panelist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_stamps(),
        *_agency("hearings_panelist"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hearings_panelist")),
    )
    op.create_index(op.f("ix_hearings_panelist_agency_id"), "hearings_panelist", ["agency_id"])
    op.create_table(
        "hearings_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=12), nullable=False),
        sa.Column("stage", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=12), nullable=False),
        sa.Column("grounds", sa.Text(), nullable=False),
        sa.Column("told_on", sa.Date(), nullable=True),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("late_reason", sa.String(length=300), nullable=True),
        sa.Column("refusal_reason", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        *_stamps(),
        *_agency("hearings_application"),
        sa.ForeignKeyConstraint(
            ["matter_id"],
            ["core_matter.id"],
            name=op.f("fk_hearings_application_matter_id_core_matter"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["core_user.id"],
            name=op.f("fk_hearings_application_decided_by_id_core_user"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["core_user.id"],
            name=op.f("fk_hearings_application_created_by_id_core_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hearings_application")),
    )
    for col in ("matter_id", "status", "agency_id"):
        op.create_index(op.f(f"ix_hearings_application_{col}"), "hearings_application", [col])
    op.create_table(
        "hearings_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=False),
        sa.Column("plan", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("heard_on", sa.Date(), nullable=True),
        sa.Column("hearing_summary", sa.Text(), nullable=True),
        sa.Column("risk", sa.String(length=8), nullable=True),
        sa.Column("recommendation", sa.Text(), nullable=True),
        sa.Column("decision_taken", sa.Text(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("report_number", sa.String(length=40), nullable=True),
        sa.Column("report_pdf", sa.LargeBinary(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        *_stamps(),
        *_agency("hearings_assessment"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hearings_assessment")),
    )
    for col in ("status", "agency_id"):
        op.create_index(op.f(f"ix_hearings_assessment_{col}"), "hearings_assessment", [col])

    with op.batch_alter_table("hearings_hearing") as batch:
        batch.add_column(sa.Column("application_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("ends_at", TZ, nullable=True))
        batch.add_column(sa.Column("venue_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("clerk_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("notice_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("started_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("concluded_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("no_show_note", sa.Text(), nullable=True))
        batch.add_column(sa.Column("pause_step", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("opinion_id", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("published", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.create_foreign_key(
            op.f("fk_hearings_hearing_application_id_hearings_application"),
            "hearings_application",
            ["application_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_foreign_key(
            op.f("fk_hearings_hearing_venue_id_hearings_venue"),
            "hearings_venue",
            ["venue_id"],
            ["id"],
        )
        batch.create_foreign_key(
            op.f("fk_hearings_hearing_clerk_id_core_user"), "core_user", ["clerk_id"], ["id"]
        )
        batch.create_foreign_key(
            op.f("fk_hearings_hearing_opinion_id_core_opinion"),
            "core_opinion",
            ["opinion_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index(op.f("ix_hearings_hearing_venue_id"), ["venue_id"])
    with op.batch_alter_table("hearings_participant") as batch:
        batch.add_column(sa.Column("panelist_id", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("power_of_attorney", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("attended", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("signature", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("view", sa.Text(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_hearings_participant_panelist_id_hearings_panelist"),
            "hearings_panelist",
            ["panelist_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("hearings_participant") as batch:
        batch.drop_constraint(
            op.f("fk_hearings_participant_panelist_id_hearings_panelist"), type_="foreignkey"
        )
        for col in ("view", "signature", "attended", "power_of_attorney", "panelist_id"):
            batch.drop_column(col)
    with op.batch_alter_table("hearings_hearing") as batch:
        batch.drop_index(op.f("ix_hearings_hearing_venue_id"))
        for fk in (
            "fk_hearings_hearing_opinion_id_core_opinion",
            "fk_hearings_hearing_clerk_id_core_user",
            "fk_hearings_hearing_venue_id_hearings_venue",
            "fk_hearings_hearing_application_id_hearings_application",
        ):
            batch.drop_constraint(op.f(fk), type_="foreignkey")
        for col in (
            "published",
            "opinion_id",
            "pause_step",
            "no_show_note",
            "concluded_on",
            "started_on",
            "notice_on",
            "clerk_id",
            "venue_id",
            "ends_at",
            "application_id",
        ):
            batch.drop_column(col)
    op.drop_table("hearings_assessment")
    op.drop_table("hearings_application")
    op.drop_table("hearings_panelist")
    op.drop_table("hearings_venue")
