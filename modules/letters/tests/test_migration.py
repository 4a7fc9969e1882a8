"""The letters revisions (through letters_0002, which drops the old 催办 date) build exactly the
tables the models describe."""

from __future__ import annotations

from tests.kit import install_module, migration_diff


def test_migrations_match_the_models(app):
    install_module(app, "letters")
    assert migration_diff(app, "letters") == []
