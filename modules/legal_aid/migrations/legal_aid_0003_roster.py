"""legal_aid: the roster, duty slots and patterns, conflicts, assignments, opinions, mandates

Revision ID: legal_aid_0003
Revises: legal_aid_0002

The duty table of 0001 (one booking a day, a user as lawyer) becomes half-day slots of lawyers
on the roster: every user who was booked or recorded a consultation gets a roster entry linked
to the account, the bookings become morning slots at the hall, and consultations point at the
roster entry. Routes renamed: litigation → civil_litigation, reconsideration → admin_review,
legal_aid_referral → legal_aid; "other" is dropped (its text stays in the advice).
"""

import sqlalchemy as sa
from alembic import op

revision = "legal_aid_0003"
down_revision = "legal_aid_0002"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    ]


def _fk(table: str, column: str, target: str, **kw) -> sa.ForeignKeyConstraint:
    ref = target.split(".")[0]
    return sa.ForeignKeyConstraint(
        [column], [target], name=op.f(f"fk_{table}_{column}_{ref}"), **kw
    )


def _agency(table: str) -> list:
    return [
        sa.Column("agency_id", sa.Integer(), nullable=False),
        _fk(table, "agency_id", "core_agency.id"),
    ]


def _index(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def upgrade() -> None:
    t = "legal_aid_lawyer"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("firm", sa.String(length=100), nullable=False),
        sa.Column("licence_no", sa.String(length=30), nullable=True),
        sa.Column("specialties", sa.String(length=200), nullable=False),
        sa.Column("languages", sa.String(length=100), nullable=False),
        sa.Column("nominated_by", sa.String(length=100), nullable=False),
        sa.Column("eligible", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *_stamps(),
        _fk(t, "user_id", "core_user.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("user_id", name=op.f(f"uq_{t}_user_id")),
        sa.UniqueConstraint("licence_no", name=op.f(f"uq_{t}_licence_no")),
    )
    t = "legal_aid_lawyer_status"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lawyer_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        _fk(t, "lawyer_id", "legal_aid_lawyer.id", ondelete="CASCADE"),
        _fk(t, "by_id", "core_user.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    _index(t, "lawyer_id")
    t = "legal_aid_conflict"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lawyer_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("party", sa.String(length=200), nullable=False),
        sa.Column("relation", sa.String(length=100), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("until", sa.Date(), nullable=True),
        _fk(t, "lawyer_id", "legal_aid_lawyer.id", ondelete="CASCADE"),
        _fk(t, "agency_id", "core_agency.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    _index(t, "lawyer_id")
    t = "legal_aid_pattern"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lawyer_id", sa.Integer(), nullable=False),
        sa.Column("weekdays", sa.String(length=7), nullable=False),
        sa.Column("month_day", sa.Integer(), nullable=True),
        sa.Column("half_day", sa.String(length=2), nullable=False),
        sa.Column("place_kind", sa.String(length=16), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        *_agency(t),
        *_stamps(),
        _fk(t, "lawyer_id", "legal_aid_lawyer.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    _index(t, "lawyer_id", "agency_id")
    t = "legal_aid_slot"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("half_day", sa.String(length=2), nullable=False),
        sa.Column("lawyer_id", sa.Integer(), nullable=False),
        sa.Column("place_kind", sa.String(length=16), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("pattern_id", sa.Integer(), nullable=True),
        sa.Column("planned_lawyer_id", sa.Integer(), nullable=True),
        *_agency(t),
        sa.Column("version", sa.Integer(), nullable=False),
        *_stamps(),
        _fk(t, "lawyer_id", "legal_aid_lawyer.id"),
        _fk(t, "planned_lawyer_id", "legal_aid_lawyer.id"),
        _fk(t, "pattern_id", "legal_aid_pattern.id", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint(
            "day", "half_day", "lawyer_id", name=op.f(f"uq_{t}_day_half_day_lawyer_id")
        ),
    )
    _index(t, "day", "lawyer_id", "agency_id")
    t = "legal_aid_assignment"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.Integer(), nullable=False),
        sa.Column("lawyer_id", sa.Integer(), nullable=False),
        sa.Column("slot_id", sa.Integer(), nullable=True),
        sa.Column("assigned_on", sa.Date(), nullable=False),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        *_agency(t),
        *_stamps(),
        _fk(t, "matter_id", "core_matter.id", ondelete="CASCADE"),
        _fk(t, "lawyer_id", "legal_aid_lawyer.id"),
        _fk(t, "slot_id", "legal_aid_slot.id", ondelete="SET NULL"),
        _fk(t, "assigned_by_id", "core_user.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("matter_id", "lawyer_id", name=op.f(f"uq_{t}_matter_id_lawyer_id")),
    )
    _index(t, "matter_id", "lawyer_id", "agency_id")
    t = "legal_aid_session_lawyer"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("lawyer_id", sa.Integer(), nullable=False),
        sa.Column("attached_by_id", sa.Integer(), nullable=True),
        *_agency(t),
        *_stamps(),
        _fk(t, "lawyer_id", "legal_aid_lawyer.id"),
        _fk(t, "attached_by_id", "core_user.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("session_id", "lawyer_id", name=op.f(f"uq_{t}_session_id_lawyer_id")),
    )
    _index(t, "session_id", "lawyer_id", "agency_id")
    t = "legal_aid_opinion"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.Integer(), nullable=False),
        sa.Column("lawyer_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("commissioned_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("commissioned_by_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        *_agency(t),
        sa.Column("version", sa.Integer(), nullable=False),
        *_stamps(),
        _fk(t, "matter_id", "core_matter.id", ondelete="CASCADE"),
        _fk(t, "lawyer_id", "legal_aid_lawyer.id"),
        _fk(t, "commissioned_by_id", "core_user.id"),
        _fk(t, "document_id", "core_document.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    _index(t, "matter_id", "lawyer_id", "agency_id")
    t = "legal_aid_mandate"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.Integer(), nullable=False),
        sa.Column("lawyer_id", sa.Integer(), nullable=False),
        sa.Column("principal", sa.String(length=50), nullable=False),
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        *_agency(t),
        *_stamps(),
        _fk(t, "matter_id", "core_matter.id", ondelete="CASCADE"),
        _fk(t, "lawyer_id", "legal_aid_lawyer.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    _index(t, "matter_id", "lawyer_id", "agency_id")

    with op.batch_alter_table("legal_aid_consultation") as batch:
        batch.add_column(sa.Column("counsel_id", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("body", sa.String(length=200), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("minutes", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(
            sa.Column("routed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.create_foreign_key(
            op.f("fk_legal_aid_consultation_counsel_id_legal_aid_lawyer"),
            "legal_aid_lawyer",
            ["counsel_id"],
            ["id"],
        )
        batch.create_index(op.f("ix_legal_aid_consultation_counsel_id"), ["counsel_id"])
    with op.batch_alter_table("legal_aid_consultation") as batch:
        # The defaults served the rows already there; the models give every new row its values.
        batch.alter_column("body", server_default=None)
        batch.alter_column("minutes", server_default=None)
        batch.alter_column("routed", server_default=None)

    # Existing data: a roster entry for every user who was booked or recorded a consultation.
    op.execute(
        """
        INSERT INTO legal_aid_lawyer (user_id, name, firm, specialties, languages, nominated_by,
            eligible, status, note, version, created_at, updated_at)
        SELECT u.id, u.display_name, '', '', '', '', TRUE, 'active', '', 1,
            CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
        FROM core_user u
        WHERE u.id IN (SELECT lawyer_id FROM legal_aid_duty)
           OR u.id IN (SELECT lawyer_id FROM legal_aid_consultation)
        """
    )
    op.execute(
        """
        INSERT INTO legal_aid_slot (day, half_day, lawyer_id, place_kind, place, status, note,
            agency_id, version, created_at, updated_at)
        SELECT d.day, 'am', l.id, 'hall', d.place, 'scheduled', COALESCE(d.note, ''),
            d.agency_id, 1, d.created_at, d.updated_at
        FROM legal_aid_duty d JOIN legal_aid_lawyer l ON l.user_id = d.lawyer_id
        """
    )
    op.execute(
        """
        UPDATE legal_aid_consultation SET counsel_id =
            (SELECT l.id FROM legal_aid_lawyer l WHERE l.user_id = legal_aid_consultation.lawyer_id)
        """
    )
    for old, new in (
        ("litigation", "civil_litigation"),
        ("reconsideration", "admin_review"),
        ("legal_aid_referral", "legal_aid"),
    ):
        op.execute(
            sa.text("UPDATE legal_aid_consultation SET route = :new WHERE route = :old").bindparams(
                new=new, old=old
            )
        )
    op.execute("UPDATE legal_aid_consultation SET route = NULL WHERE route = 'other'")
    op.drop_table("legal_aid_duty")


def downgrade() -> None:
    op.create_table(
        "legal_aid_duty",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("lawyer_id", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        *_stamps(),
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
    with op.batch_alter_table("legal_aid_consultation") as batch:
        batch.drop_index(op.f("ix_legal_aid_consultation_counsel_id"))
        batch.drop_constraint(
            op.f("fk_legal_aid_consultation_counsel_id_legal_aid_lawyer"), type_="foreignkey"
        )
        for column in ("routed", "minutes", "body", "counsel_id"):
            batch.drop_column(column)
    for table in (
        "legal_aid_mandate",
        "legal_aid_opinion",
        "legal_aid_session_lawyer",
        "legal_aid_assignment",
        "legal_aid_slot",
        "legal_aid_pattern",
        "legal_aid_conflict",
        "legal_aid_lawyer_status",
        "legal_aid_lawyer",
    ):
        op.drop_table(table)
