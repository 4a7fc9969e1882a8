"""search index: facet tokens for state, channel, agencies and flags

A word combined with a filter ("物业" in state 已登记) found every matter holding the word and
then read each to test the filter; at a million matters a common word has 100,000 of them. The
index rows now carry a token per filterable attribute (``core.cases.search.facet_tokens``), so
the index lookup itself finds exactly the matching matters. This migration adds the tokens to
the rows already there; the application keeps them current from now on.

Revision ID: core_0007
Revises: core_0006
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "core_0007"
down_revision = "core_0006"
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
    from core.cases.search import facet_tokens

    conn = op.get_bind()
    last = 0
    update = sa.text(
        "UPDATE core_matter_index SET content = content || :f, identity = identity || :f "
        "WHERE matter_id = :id"
    )
    while True:
        rows = conn.execute(
            sa.text(
                "SELECT id, state, channel, agency_id, handling_agency_id, flags "
                "FROM core_matter WHERE id > :last ORDER BY id LIMIT :n"
            ),
            {"last": last, "n": BATCH},
        ).all()
        if not rows:
            break
        params = []
        for mid, state, channel, agency_id, handling_id, flags in rows:
            if isinstance(flags, str):  # SQLite returns the JSON text
                flags = json.loads(flags or "[]")
            tokens = facet_tokens(state, channel, (agency_id, handling_id), flags or ())
            params.append({"id": mid, "f": " " + " ".join(tokens)})
        conn.execute(update, params)
        last = rows[-1][0]


def downgrade() -> None:
    # The facet tokens are harmless to older code (they only ever narrow a search).
    pass
