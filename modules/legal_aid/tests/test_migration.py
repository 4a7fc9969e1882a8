"""The legal_aid_0001 revision builds exactly the tables the models describe."""

from __future__ import annotations

from tests.kit import install_module, migration_diff


def test_migration_matches_the_models(app):
    install_module(app, "legal_aid")
    diff = migration_diff(app, "legal_aid")
    assert diff == []
