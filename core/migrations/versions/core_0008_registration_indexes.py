"""indexes a registration no longer pays for

Every deadline query asks for *running* clocks by due date and uses ``ix_core_clock_state_due``
(core_0005); the single-column indexes on a clock's state, due date and kind only added work
to each clock written. A matter's channel has four values: no plan uses an index on it (the
search filters by channel through the index tokens of core_0007). The handler and follower
indexes (我的) keep only the matters that have one: a new matter has neither, so its
registration writes no entry there.

Revision ID: core_0008
Revises: core_0007
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0008"
down_revision = "core_0007"
branch_labels = None
depends_on = None

DROPPED = [
    ("ix_core_clock_state", "core_clock", "state"),
    ("ix_core_clock_due", "core_clock", "due"),
    ("ix_core_clock_kind", "core_clock", "kind"),
    ("ix_core_matter_channel", "core_matter", "channel"),
]


PARTIAL = [
    ("ix_core_matter_handler_id", "handler_id"),
    ("ix_core_matter_follower_id", "follower_id"),
]


def upgrade() -> None:
    for name, table, _ in DROPPED:
        op.drop_index(name, table_name=table)
    for name, column in PARTIAL:
        op.drop_index(name, table_name="core_matter")
        where = sa.text(f"{column} IS NOT NULL")
        op.create_index(name, "core_matter", [column], sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    for name, column in PARTIAL:
        op.drop_index(name, table_name="core_matter")
        op.create_index(name, "core_matter", [column])
    for name, table, column in DROPPED:
        op.create_index(name, table, [column])
