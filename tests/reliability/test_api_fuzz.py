"""Schemathesis over the API's own OpenAPI document: no server error, nothing outside the schema.

Every operation is called with bounded numbers of generated requests, valid ones (as the schema
describes them) and invalid ones (each parameter or body broken in turn), as the registration
clerk with a bearer token. Each answer must not be a 5xx and must be one the document declares,
with the declared content type and body. One backend: PostgreSQL, where out-of-range numbers
used to fail ("integer out of range"); the SQLite paths are the same code.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from core.extensions import db
from tests.cases_support import register

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
#: Examples per operation and mode: enough for out-of-range ids, wrong types and long strings,
#: small enough for the whole file to stay well under a minute.
EXAMPLES = 15


@pytest.fixture
def backend():
    return "postgresql"


@pytest.fixture
def api(app, clerk_api):
    with app.app_context():
        register()  # something to read: matter 1 exists
        db.session.commit()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def operations(schema):
    for result in schema.get_all_operations():
        yield result.ok()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_answers_within_its_schema(app, api, clerk_api, mode):
    seen = []
    for operation in operations(api):

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def call(case):
            # The bearer token: a generated session cookie would make it a browser call.
            case.headers = {**(case.headers or {}), **clerk_api}
            case.cookies = {}
            response = case.call(app=app)
            case.validate_response(response, checks=CHECKS)

        call()
        seen.append(operation.label)
    assert len(seen) == 7, seen
