"""stability_fund: chain, evidence, undertakings, instalments, awards, relations, top-ups, 销号

Revision ID: stability_fund_0002
Revises: stability_fund_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "stability_fund_0002"
down_revision = "stability_fund_0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
APP = "stability_fund_application"


def _fk(table: str, column: str, target: str, ondelete: str | None = None):
    ref = target.split(".")[0]
    return sa.ForeignKeyConstraint(
        [column], [target], name=op.f(f"fk_{table}_{column}_{ref}"), ondelete=ondelete
    )


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    ]


def upgrade() -> None:
    with op.batch_alter_table("stability_fund_budget") as batch:
        batch.add_column(
            sa.Column("carried_out_fen", sa.BigInteger(), nullable=False, server_default="0")
        )
    with op.batch_alter_table(APP) as batch:
        batch.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("ground", sa.String(length=20), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("case_summary", sa.Text(), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("special", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("closed_at", TZ, nullable=True))
        batch.add_column(sa.Column("closed_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("monitoring_until", sa.Date(), nullable=True))
        batch.create_foreign_key(
            op.f(f"fk_{APP}_person_id_core_person"), "core_person", ["person_id"], ["id"]
        )
        batch.create_foreign_key(
            op.f(f"fk_{APP}_closed_by_id_core_user"), "core_user", ["closed_by_id"], ["id"]
        )
        batch.create_index(op.f(f"ix_{APP}_person_id"), ["person_id"])

    t = "stability_fund_topup"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("budget_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("topped_on", sa.Date(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        *_stamps(),
        _fk(t, "budget_id", "stability_fund_budget.id", "CASCADE"),
        _fk(t, "by_id", "core_user.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index(op.f(f"ix_{t}_budget_id"), t, ["budget_id"])

    t = "stability_fund_step"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=60), nullable=False),
        sa.Column("permission", sa.String(length=60), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("acted_at", TZ, nullable=True),
        sa.Column("opinion", sa.Text(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=True),
        sa.Column("seen", sa.Text(), nullable=False),
        sa.Column("seen_sha256", sa.String(length=64), nullable=False),
        _fk(t, "application_id", f"{APP}.id", "CASCADE"),
        _fk(t, "actor_id", "core_user.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("application_id", "seq", name=op.f(f"uq_{t}_application_id_seq")),
    )
    op.create_index(op.f(f"ix_{t}_application_id"), t, ["application_id"])

    t = "stability_fund_award"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("awarded_on", sa.Date(), nullable=False),
        _fk(t, "person_id", "core_person.id"),
        _fk(t, "matter_id", "core_matter.id", "CASCADE"),
        _fk(t, "application_id", f"{APP}.id", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("person_id", "matter_id", name=op.f(f"uq_{t}_person_id_matter_id")),
        sa.UniqueConstraint("application_id", name=op.f(f"uq_{t}_application_id")),
    )
    op.create_index(op.f(f"ix_{t}_person_id"), t, ["person_id"])

    t = "stability_fund_undertaking"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        *_stamps(),
        _fk(t, "application_id", f"{APP}.id", "CASCADE"),
        _fk(t, "attachment_id", "core_attachment.id"),
        _fk(t, "recorded_by_id", "core_user.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("application_id", name=op.f(f"uq_{t}_application_id")),
    )

    t = "stability_fund_evidence"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        *_stamps(),
        _fk(t, "application_id", f"{APP}.id", "CASCADE"),
        _fk(t, "attachment_id", "core_attachment.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index(op.f(f"ix_{t}_application_id"), t, ["application_id"])

    t = "stability_fund_disbursement"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("payer_id", sa.Integer(), nullable=True),
        sa.Column("receipt_attachment_id", sa.Integer(), nullable=False),
        sa.Column("receipt_filename", sa.String(length=200), nullable=False),
        sa.Column("receipt_sha256", sa.String(length=64), nullable=False),
        *_stamps(),
        _fk(t, "application_id", f"{APP}.id", "CASCADE"),
        _fk(t, "payer_id", "core_user.id"),
        _fk(t, "receipt_attachment_id", "core_attachment.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index(op.f(f"ix_{t}_application_id"), t, ["application_id"])

    t = "stability_fund_relation"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("relation", sa.String(length=10), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        *_stamps(),
        _fk(t, "person_id", "core_person.id"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["core_user.id"], name=op.f(f"fk_{t}_user_id_core_user")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["core_user.id"], name=op.f(f"fk_{t}_recorded_by_id_core_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("person_id", "user_id", name=op.f(f"uq_{t}_person_id_user_id")),
    )
    op.create_index(op.f(f"ix_{t}_person_id"), t, ["person_id"])
    op.create_index(op.f(f"ix_{t}_user_id"), t, ["user_id"])


def downgrade() -> None:
    for t in (
        "stability_fund_relation",
        "stability_fund_disbursement",
        "stability_fund_evidence",
        "stability_fund_undertaking",
        "stability_fund_award",
        "stability_fund_step",
        "stability_fund_topup",
    ):
        op.drop_table(t)
    with op.batch_alter_table(APP) as batch:
        batch.drop_index(op.f(f"ix_{APP}_person_id"))
        batch.drop_constraint(op.f(f"fk_{APP}_closed_by_id_core_user"), type_="foreignkey")
        batch.drop_constraint(op.f(f"fk_{APP}_person_id_core_person"), type_="foreignkey")
        for column in (
            "monitoring_until",
            "closed_by_id",
            "closed_at",
            "special",
            "case_summary",
            "ground",
            "person_id",
        ):
            batch.drop_column(column)
    with op.batch_alter_table("stability_fund_budget") as batch:
        batch.drop_column("carried_out_fen")
