"""indexes for the work queue at a million matters

Revision ID: core_0005
Revises: core_0004
"""

from alembic import op

revision = "core_0005"
down_revision = "core_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # 我的: matters I handle or follow; 已超期/即将到期: running clocks by due date.
    op.create_index("ix_core_matter_handler_id", "core_matter", ["handler_id"])
    op.create_index("ix_core_matter_follower_id", "core_matter", ["follower_id"])
    op.create_index("ix_core_clock_state_due", "core_clock", ["state", "due"])


def downgrade() -> None:
    op.drop_index("ix_core_clock_state_due", table_name="core_clock")
    op.drop_index("ix_core_matter_follower_id", table_name="core_matter")
    op.drop_index("ix_core_matter_handler_id", table_name="core_matter")
