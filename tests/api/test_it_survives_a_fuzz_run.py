"""A fuzz run over every operation of the OpenAPI schema (issue 13): schemathesis generates valid
and invalid requests from the schema, sends them to the Django app in this process (its WSGI
handler, on the test database) as an account manager and as a hiring manager signed in with an API
token. No answer may be a server error, and each must match the schema's media type and body.

The personas and their rows are ``pipeline``'s (tests/api/conftest.py). Random ids would almost
never name a row, so most generated ids (in the path, the query and the body) are swapped for ids of
real rows of the right kind, the other tenant's among them: the requests reach the services, not
only the 404s. Each operation gets a few examples, the same from run to run, so the run stays
short (about a minute) and a failure in CI reproduces locally. Schemathesis' coverage phase (every
boundary of every field: about 11,000 requests, five minutes) is switched off here; run once by hand
on 2026-11-30 it found no server error either. A 5xx fails with the request as a curl command; the
traceback is in the captured log (django.request).
"""

from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from rest_framework.test import APIClient
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance
from schemathesis.config import SchemathesisConfig

from accounts.models import Organization, OutOfOffice, User
from engagements.models import Assignment, Candidate, Engagement, Interview, Requisition, Submission
from feedback.models import AvailabilityRequest, AvailabilitySlot, FeedbackRequest

from ..factories import DEFAULT_PASSWORD

PERSONAS = ["account_manager", "hiring_manager"]
EXAMPLES_PER_OPERATION = 10
# No server error, and what the schema documents is what comes back: its media type and its body.
# Not checked: whether each status code is documented (drf-spectacular documents the success only,
# so every 400, 403 and 404 would count as "undocumented").
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]

# What an id names: by the collection in the path (/api/v1/<collection>/{id}/), and by the field or
# query parameter it is given in.
COLLECTIONS = {
    "assignments": Assignment,
    "availability-requests": AvailabilityRequest,
    "candidates": Candidate,
    "engagements": Engagement,
    "feedback-requests": FeedbackRequest,
    "interviews": Interview,
    "out-of-office": OutOfOffice,
    "requisitions": Requisition,
    "submissions": Submission,
    "users": User,
}
FIELDS = {
    "account_managers": User,
    "backup": User,
    "candidate": Candidate,
    "client": Organization,
    "engagement": Engagement,
    "escalation_contact": User,
    "hiring_manager": User,
    "interviewers": User,
    "recruiter": User,
    "requisition": Requisition,
    "slot": AvailabilitySlot,
    "submission": Submission,
    "user": User,
}

APP = get_wsgi_application()
# The schema as /api/schema/ serves it, generated in process (no request needed to load it).
schema = schemathesis.openapi.from_dict(
    SchemaGenerator().get_schema(request=None, public=True),
    config=SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}}),
)


def sign_in(user) -> str:
    """An API token for ``user``, obtained the way a client does: POST auth/token/ with the password."""
    response = APIClient().post("/api/v1/auth/token/", {"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 200, response.content
    return response.json()["token"]


@contextmanager
def keeping_the_test_connection():
    """What Django's own test client does around each request: not close the database connection
    when the request starts and ends (the test's transaction lives on it; on PostgreSQL it would be
    gone)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.fixture(params=PERSONAS)
def token(request, pipeline):
    return sign_in(pipeline.persona(request.param))


@pytest.fixture
def row_ids(pipeline) -> dict:
    return {
        model: list(model.objects.order_by("pk").values_list("pk", flat=True))
        for model in {*COLLECTIONS.values(), *FIELDS.values()}
    }


def _real(value, ids: list[int]):
    """A generated id swapped for a real row's, four times in five; anything else is left as generated."""
    if isinstance(value, list):
        return [_real(item, ids) for item in value]
    if isinstance(value, bool) or not isinstance(value, int) or not ids or value % 5 == 0:
        return value
    return ids[value % len(ids)]


def aim_at_real_rows(case, row_ids: dict) -> None:
    collection = case.path.split("/")[3]
    if case.path_parameters and "id" in case.path_parameters and collection in COLLECTIONS:
        case.path_parameters["id"] = _real(case.path_parameters["id"], row_ids[COLLECTIONS[collection]])
    for values in (case.query, case.body):
        if isinstance(values, dict):
            for field, model in FIELDS.items():
                if field in values:
                    values[field] = _real(values[field], row_ids[model])


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,  # nothing written under .hypothesis/: the examples are the same every run anyway
    phases=[Phase.explicit, Phase.generate],  # a failure is reported as found, without shrinking
    suppress_health_check=list(HealthCheck),  # one pipeline per operation and persona, shared by its examples
)
def test_no_operation_answers_a_server_error(case, token, row_ids):
    aim_at_real_rows(case, row_ids)
    with keeping_the_test_connection():
        response = case.call(app=APP, headers={"Authorization": f"Token {token}"})
    case.validate_response(response, checks=CHECKS)
