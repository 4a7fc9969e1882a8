"""drop four indexes no query needs, which every registration paid to keep

Every deadline query asks for *running* clocks by due date and uses ``ix_core_clock_state_due``
(core_0005); the single-column indexes on a clock's state, due date and kind only added work
to each clock written. A matter's channel has four values: no plan uses an index on it (the
search filters by channel through the index tokens of core_0007).

Revision ID: core_0008
Revises: core_0007
"""

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


def upgrade() -> None:
    for name, table, _ in DROPPED:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for name, table, column in DROPPED:
        op.create_index(name, table, [column])
