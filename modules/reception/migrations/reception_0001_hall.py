"""reception: units, duty, visits, incidents, leader reception days and appointments

Revision ID: reception_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "reception_0001"
down_revision = None
branch_labels = ("reception",)
depends_on = "core_0005"

INDEXES = (
    ("reception_unit", "agency_id"),
    ("reception_duty", "unit_id"),
    ("reception_session", "day"),
    ("reception_session", "agency_id"),
    ("reception_visit", "unit_id"),
    ("reception_visit", "day"),
    ("reception_visit", "agency_id"),
    ("reception_incident", "visit_id"),
    ("reception_incident", "agency_id"),
    ("reception_appointment", "agency_id"),
    ("reception_appointment", "session_id"),
)


def upgrade() -> None:
    op.create_table(
        "reception_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("subjects", sa.JSON(), nullable=False),
        sa.Column("general", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["core_agency.id"], name=op.f("fk_reception_unit_agency_id_core_agency")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reception_unit")),
    )
    op.create_table(
        "reception_duty",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["reception_unit.id"],
            name=op.f("fk_reception_duty_unit_id_reception_unit"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["core_user.id"], name=op.f("fk_reception_duty_user_id_core_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reception_duty")),
        sa.UniqueConstraint(
            "unit_id", "user_id", "day", name=op.f("uq_reception_duty_unit_id_user_id_day")
        ),
    )
    op.create_table(
        "reception_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("leader_id", sa.Integer(), nullable=True),
        sa.Column("leader_name", sa.String(length=50), nullable=False),
        sa.Column("post", sa.String(length=100), nullable=False),
        sa.Column("portfolio", sa.JSON(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("start_time", sa.String(length=5), nullable=False),
        sa.Column("end_time", sa.String(length=5), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("cutoff", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("lawyer_id", sa.Integer(), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["core_agency.id"],
            name=op.f("fk_reception_session_agency_id_core_agency"),
        ),
        sa.ForeignKeyConstraint(
            ["lawyer_id"], ["core_user.id"], name=op.f("fk_reception_session_lawyer_id_core_user")
        ),
        sa.ForeignKeyConstraint(
            ["leader_id"], ["core_user.id"], name=op.f("fk_reception_session_leader_id_core_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reception_session")),
    )
    op.create_table(
        "reception_visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("queue_number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("mobile", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("suggested_unit_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("head_count", sa.Integer(), nullable=False),
        sa.Column("representatives", sa.JSON(), nullable=False),
        sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("called_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("asked", sa.Text(), nullable=False),
        sa.Column("answered", sa.Text(), nullable=False),
        sa.Column("received_by_id", sa.Integer(), nullable=True),
        sa.Column("matter_id", sa.Integer(), nullable=True),
        sa.Column("leapfrog", sa.Boolean(), nullable=False),
        sa.Column("competent_agency_id", sa.Integer(), nullable=True),
        sa.Column("notice_number", sa.String(length=40), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["core_agency.id"], name=op.f("fk_reception_visit_agency_id_core_agency")
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["core_content_category.id"],
            name=op.f("fk_reception_visit_category_id_core_content_category"),
        ),
        sa.ForeignKeyConstraint(
            ["competent_agency_id"],
            ["core_agency.id"],
            name=op.f("fk_reception_visit_competent_agency_id_core_agency"),
        ),
        sa.ForeignKeyConstraint(
            ["matter_id"], ["core_matter.id"], name=op.f("fk_reception_visit_matter_id_core_matter")
        ),
        sa.ForeignKeyConstraint(
            ["received_by_id"],
            ["core_user.id"],
            name=op.f("fk_reception_visit_received_by_id_core_user"),
        ),
        sa.ForeignKeyConstraint(
            ["suggested_unit_id"],
            ["reception_unit.id"],
            name=op.f("fk_reception_visit_suggested_unit_id_reception_unit"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["reception_unit.id"],
            name=op.f("fk_reception_visit_unit_id_reception_unit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reception_visit")),
        sa.UniqueConstraint(
            "agency_id",
            "day",
            "queue_number",
            name=op.f("uq_reception_visit_agency_id_day_queue_number"),
        ),
    )
    op.create_table(
        "reception_incident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("police_called", sa.Boolean(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["core_agency.id"],
            name=op.f("fk_reception_incident_agency_id_core_agency"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["core_user.id"],
            name=op.f("fk_reception_incident_recorded_by_id_core_user"),
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["reception_visit.id"],
            name=op.f("fk_reception_incident_visit_id_reception_visit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reception_incident")),
    )
    op.create_table(
        "reception_appointment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("mobile", sa.String(length=20), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("materials", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("refusal", sa.Text(), nullable=False),
        sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("instructions", sa.Text(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("matter_id", sa.Integer(), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["core_agency.id"],
            name=op.f("fk_reception_appointment_agency_id_core_agency"),
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["core_content_category.id"],
            name=op.f("fk_reception_appointment_category_id_core_content_category"),
        ),
        sa.ForeignKeyConstraint(
            ["matter_id"],
            ["core_matter.id"],
            name=op.f("fk_reception_appointment_matter_id_core_matter"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["reception_session.id"],
            name=op.f("fk_reception_appointment_session_id_reception_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reception_appointment")),
    )
    for table, column in INDEXES:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def downgrade() -> None:
    for table, column in INDEXES:
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
    for table in (
        "reception_appointment",
        "reception_incident",
        "reception_visit",
        "reception_session",
        "reception_duty",
        "reception_unit",
    ):
        op.drop_table(table)
