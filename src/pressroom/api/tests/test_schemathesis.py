"""Schemathesis drives every operation of the OpenAPI document: no 500s, no response off-schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from pressroom.wsgi import application

pytestmark = pytest.mark.slow

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def archive_in_one_connection(sample_archive):
    """Called as a WSGI app, Django closes the connection after each request — and with it the
    test's transaction; keep it open as Django's own test client does."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, archive_in_one_connection):
    case.call_and_validate(checks=[not_a_server_error, status_code_conformance,
                                   response_schema_conformance])
