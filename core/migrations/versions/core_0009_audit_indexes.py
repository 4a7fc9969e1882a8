"""the audit log's indexes: the ones its page filters by

The audit page (``/admin/audit``) lists the events newest first by id and filters them by
action, by the user's name and by object. No query reads the events by time (the id's order is
the time's) or by user id, yet every audited action — every registration among them — wrote
an entry into both of those indexes. The name the page filters by had none.

Revision ID: core_0009
Revises: core_0008
"""

from alembic import op

revision = "core_0009"
down_revision = "core_0008"
branch_labels = None
depends_on = None

TABLE = "core_audit_event"
DROPPED = [("ix_core_audit_event_at", "at"), ("ix_core_audit_event_user_id", "user_id")]
ADDED = [("ix_core_audit_event_username", "username")]


def upgrade() -> None:
    for name, _ in DROPPED:
        op.drop_index(name, table_name=TABLE)
    for name, column in ADDED:
        op.create_index(name, TABLE, [column])


def downgrade() -> None:
    for name, _ in ADDED:
        op.drop_index(name, table_name=TABLE)
    for name, column in DROPPED:
        op.create_index(name, TABLE, [column])
