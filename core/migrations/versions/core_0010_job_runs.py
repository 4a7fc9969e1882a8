"""the scheduler's record of its runs: one row per job and fire time

A scheduler killed during a job, or down at a job's time, runs that job once when it starts
again, and never a run that completed (``core.job_runs``, ``core.scheduler.catch_up``).

Revision ID: core_0010
Revises: core_0009
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0010"
down_revision = "core_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "core_job_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.String(length=100), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_job_run")),
        sa.UniqueConstraint("job_id", "due_at", name=op.f("uq_core_job_run_job_id_due_at")),
    )


def downgrade() -> None:
    op.drop_table("core_job_run")
