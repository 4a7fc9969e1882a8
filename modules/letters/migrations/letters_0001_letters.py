"""letters: letters, outgoing mail, throttle, challenge

Revision ID: letters_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "letters_0001"
down_revision = None
branch_labels = ("letters",)
depends_on = "core_0005"

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "letters_letter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("postmark_on", sa.Date(), nullable=True),
        sa.Column("postmark_place", sa.String(length=100), nullable=True),
        sa.Column("envelope", sa.Text(), nullable=True),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("external_number", sa.String(length=60), nullable=True),
        sa.Column("external_source", sa.String(length=100), nullable=True),
        sa.Column("external_deadline", sa.Date(), nullable=True),
        sa.Column("reminded_on", sa.Date(), nullable=True),
        sa.Column("first_handler_id", sa.Integer(), nullable=True),
        sa.Column("joint_review", sa.JSON(), nullable=False),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("reviewed_at", TZ, nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(
            ["matter_id"],
            ["core_matter.id"],
            name=op.f("fk_letters_letter_matter_id_core_matter"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["first_handler_id"],
            ["core_user.id"],
            name=op.f("fk_letters_letter_first_handler_id_core_user"),
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["core_agency.id"], name=op.f("fk_letters_letter_agency_id_core_agency")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letters_letter")),
        sa.UniqueConstraint("matter_id", name=op.f("uq_letters_letter_matter_id")),
    )
    op.create_index(op.f("ix_letters_letter_agency_id"), "letters_letter", ["agency_id"])
    op.create_index(
        op.f("ix_letters_letter_external_number"), "letters_letter", ["external_number"]
    )
    op.create_table(
        "letters_outgoing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=100), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(
            ["matter_id"],
            ["core_matter.id"],
            name=op.f("fk_letters_outgoing_matter_id_core_matter"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["core_user.id"],
            name=op.f("fk_letters_outgoing_created_by_id_core_user"),
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["core_agency.id"],
            name=op.f("fk_letters_outgoing_agency_id_core_agency"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letters_outgoing")),
    )
    op.create_index(op.f("ix_letters_outgoing_agency_id"), "letters_outgoing", ["agency_id"])
    op.create_table(
        "letters_throttle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letters_throttle")),
    )
    op.create_index(op.f("ix_letters_throttle_key"), "letters_throttle", ["key"])
    op.create_index(op.f("ix_letters_throttle_at"), "letters_throttle", ["at"])
    op.create_table(
        "letters_challenge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("answer", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letters_challenge")),
        sa.UniqueConstraint("token", name=op.f("uq_letters_challenge_token")),
    )
    op.create_index(op.f("ix_letters_challenge_created_at"), "letters_challenge", ["created_at"])


def downgrade() -> None:
    op.drop_table("letters_challenge")
    op.drop_table("letters_throttle")
    op.drop_table("letters_outgoing")
    op.drop_table("letters_letter")
