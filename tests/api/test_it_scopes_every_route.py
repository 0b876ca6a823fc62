"""Generated access test: every list and detail route, every persona of both clients.

Each route is one line of ``ROUTES``: its URL name and where its objects are in the pipeline.
Who should see what comes from ``conftest.expected`` (a restatement of the product's rules), so
the API is checked against the rules, not against itself.
"""

import pytest
from django.urls import reverse

from .conftest import PERSONAS, expected

ROUTES = [
    ("engagements", "engagement", "engagements"),
    ("requisitions", "requisition", "requisitions"),
    ("assignments", "assignment", "assignments"),
    ("candidates", "candidate", "candidates"),
    ("submissions", "submission", "submissions"),
    ("interviews", "interview", "interviews"),
    ("out-of-office", "out-of-office", "absences"),
    ("users", "user", "users"),
    ("feedback-requests", "feedback-request", "feedback_requests"),
    ("availability-requests", "availability-request", "availability_requests"),
    ("partnership-items", "partnership-item", "partnership_items"),
    ("pulse-surveys", "pulse-survey", "pulse_surveys"),
]
# Routes whose objects belong to one client (people and absences do not).
TENANT_ROUTES = [route for route in ROUTES if route[0] not in ("out-of-office", "users")]

ACME_TENANT = {"hiring_manager", "other_hiring_manager", "client_admin"}
GLOBEX_TENANT = {"globex_hiring_manager", "globex_admin"}


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def _client_of(obj) -> int | None:
    """The client organisation an object belongs to, whatever its model."""
    for path in (
        "client_id",
        "engagement.client_id",
        "requisition.engagement.client_id",
        "submission.requisition.engagement.client_id",
    ):
        value = obj
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        return value
    return None


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("route", "url_name", "attribute"), ROUTES, ids=[route[0] for route in ROUTES])
def test_each_persona_sees_exactly_their_objects(pipeline, client_for, route, url_name, attribute, persona):
    objects = getattr(pipeline, attribute)
    user = pipeline.persona(persona)
    client = client_for(user)
    visible = expected(route, persona, pipeline)

    listed = _ids(client.get(reverse(f"{url_name}-list"), {"page_size": 200}))
    assert listed == {objects[key].pk for key in visible}

    for key, obj in objects.items():
        response = client.get(reverse(f"{url_name}-detail", args=[obj.pk]))
        assert response.status_code == (200 if key in visible else 404), (key, response.content)
        if response.status_code == 200:
            assert response.json()["id"] == obj.pk


@pytest.mark.parametrize("persona", sorted(ACME_TENANT | GLOBEX_TENANT))
@pytest.mark.parametrize(("route", "url_name", "attribute"), TENANT_ROUTES, ids=[route[0] for route in TENANT_ROUTES])
def test_client_users_never_see_the_other_client(pipeline, client_for, route, url_name, attribute, persona):
    user = pipeline.persona(persona)
    other_client = pipeline.world.globex if persona in ACME_TENANT else pipeline.world.acme
    foreign = [obj for obj in getattr(pipeline, attribute).values() if _client_of(obj) == other_client.pk]
    assert foreign, "the pipeline has objects of both clients"
    client = client_for(user)

    listed = _ids(client.get(reverse(f"{url_name}-list"), {"page_size": 200}))
    assert listed.isdisjoint({obj.pk for obj in foreign})
    for obj in foreign:
        assert client.get(reverse(f"{url_name}-detail", args=[obj.pk])).status_code == 404


@pytest.mark.parametrize(("route", "url_name", "attribute"), ROUTES, ids=[route[0] for route in ROUTES])
def test_anonymous_is_asked_to_authenticate(pipeline, api_client, route, url_name, attribute):
    obj = next(iter(getattr(pipeline, attribute).values()))
    for url in (reverse(f"{url_name}-list"), reverse(f"{url_name}-detail", args=[obj.pk])):
        response = api_client.get(url)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"


def test_an_unknown_or_malformed_id_is_404(pipeline, client_for):
    client = client_for(pipeline.world.provider_admin)
    for url_name, _, _ in ROUTES:
        for pk in ("999999", "abc", "99999999999999999999999", "-1"):
            response = client.get(f"/api/v1/{url_name}/{pk}/")
            assert response.status_code == 404, (url_name, pk)
