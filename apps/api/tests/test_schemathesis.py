"""schemathesis against /api/v1/openapi.json: every operation of the description, with
cases generated from its schemas (and, with `--checks all`'s negative checks, cases that
break them), called through the WSGI application with the token of a process leader who
sees every idea of the consortium. No answer may be a 5xx or differ from the description
(status, content type, headers, body schema)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from apps.api.services import api_token_create
from apps.core import testing

#: Cases per operation: 11 operations × 100 ≥ the 1,000 of the acceptance criterion.
CASES_PER_OPERATION = 100

#: Every check (`--checks all`). Data that fits the description may still be refused
#: with 422 by a rule the description cannot carry (an id that names no municipality, a
#: unit of another municipality, a stage's reason): the same 422 the pages give.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", "422"],
            }
        }
    }
)


@pytest.fixture
def api_schema(db):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from sluss.wsgi import application

    # As Django's test client does: the WSGI handler would close the test's connection
    # (and its transaction) at the end of every request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def leader_token(world) -> str:
    testing.submit_idea(world.skovde, unit=world.skovde_unit, title="Föräldrastöd på nätet")
    testing.submit_idea(world.hjo, title="Digitala lås i hemtjänsten")
    _token, secret = api_token_create(user=world.process_leader, name="schemathesis")
    return secret


def _operations(api_schema) -> list:
    return [result.ok() for result in api_schema.get_all_operations()]


def _run(operation, mode: GenerationMode, token: str, examples: int) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def call(case) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"})

    call()


def test_the_api_keeps_its_description(api_schema, leader_token):
    operations = _operations(api_schema)
    assert len(operations) == 11
    for operation in operations:
        # Three in four cases fit the description, one in four breaks it on purpose.
        _run(operation, GenerationMode.POSITIVE, leader_token, CASES_PER_OPERATION * 3 // 4)
        _run(operation, GenerationMode.NEGATIVE, leader_token, CASES_PER_OPERATION // 4)
