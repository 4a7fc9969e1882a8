"""Fixtures of the reliability suite: API tokens and logged-in clients shared by its tests."""

from __future__ import annotations

import pytest

from tests.cases_web_support import api_token, bearer


@pytest.fixture
def clerk_api(app):
    """Headers carrying a bearer token of the registration clerk."""
    with app.app_context():
        return bearer(api_token("clerk"))
