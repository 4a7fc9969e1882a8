"""The hearings_0001 revision builds exactly the tables the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from core.db import Base
from core.extensions import db

from .support import install_hearings


def test_migration_matches_the_models(app):
    install_hearings(app)
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = [d for d in compare_metadata(context, Base.metadata) if "hearings_" in repr(d)]
    assert diff == []
