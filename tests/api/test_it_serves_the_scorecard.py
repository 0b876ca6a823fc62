"""GET /api/v1/engagements/{id}/scorecard/: who may read it, the window, and what it holds."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.partnership.scorecard_history import build_history, many_submissions

from .conftest import PERSONAS, expected

READERS = {
    "provider_admin",
    "account_manager",
    "recruiter",
    "sourcer",
    "globex_recruiter",
    "client_admin",
    "globex_admin",
}


def _url(engagement) -> str:
    return reverse("engagement-scorecard", args=[engagement.pk])


def test_account_manager_reads_the_scorecard_of_their_engagement(pipeline, client_for):
    response = client_for(pipeline.world.account_manager).get(_url(pipeline.engagements["acme"]), {"days": 90})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["engagement"] == pipeline.engagements["acme"].pk
    assert body["days"] == 90
    assert body["health"]["status"] in ("on_track", "at_risk", "off_track")
    keys = [figure["key"] for figure in body["client"]] + [figure["key"] for figure in body["provider"]]
    assert "feedback_on_time_share" in keys
    assert "median_days_to_fill" in keys
    assert all(figure["definition"] for figure in body["client"] + body["provider"])
    assert body["overdue_total"].keys() == {"client", "provider"}


def test_client_admin_reads_their_organisations_scorecard(pipeline, client_for):
    response = client_for(pipeline.world.client_admin).get(_url(pipeline.engagements["acme"]))
    assert response.status_code == 200
    assert response.json()["days"] == 30


def test_the_other_clients_admin_gets_404(pipeline, client_for):
    response = client_for(pipeline.world.globex_admin).get(_url(pipeline.engagements["acme"]))
    assert response.status_code == 404


def test_hiring_manager_may_not_read_the_scorecard(pipeline, client_for):
    response = client_for(pipeline.world.hiring_manager).get(_url(pipeline.engagements["acme"]))
    assert response.status_code == 403
    assert "client admins" in response.json()["detail"]


@pytest.mark.parametrize("days", ["7", "abc", "30.5", "-30", "999999999999999999999"])
def test_a_window_other_than_30_or_90_days_is_400(pipeline, client_for, days):
    response = client_for(pipeline.world.account_manager).get(_url(pipeline.engagements["acme"]), {"days": days})
    assert response.status_code == 400
    assert response.json()["days"] == [f"The window is 30 or 90 days, not “{days}”."]


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_reads_exactly_the_scorecards_they_may(pipeline, client_for, persona):
    client = client_for(pipeline.persona(persona))
    visible = expected("engagements", persona, pipeline)
    for key, engagement in pipeline.engagements.items():
        status = client.get(_url(engagement)).status_code
        if key not in visible:
            assert status == 404, (persona, key)
        else:
            assert status == (200 if persona in READERS else 403), (persona, key)


def test_anonymous_is_asked_to_authenticate(pipeline, api_client):
    response = api_client.get(_url(pipeline.engagements["acme"]))
    assert response.status_code == 401


def test_an_unknown_engagement_is_404(pipeline, client_for):
    assert client_for(pipeline.world.provider_admin).get("/api/v1/engagements/999999/scorecard/").status_code == 404


def test_the_scorecard_is_documented_in_the_api_schema(world, client):
    client.force_login(world.account_manager)  # the schema is for signed-in users
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/engagements/{id}/scorecard/"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} == {"id", "days"}
    assert set(operation["responses"]) == {"200", "400", "403", "404"}
    body = schema["components"]["schemas"]["Scorecard"]["properties"]
    assert {"health", "client", "provider", "weeks", "hiring_managers", "overdue", "overdue_total"} <= set(body)


def _queries(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_scorecard_takes_the_same_queries_for_5_and_50_requisitions(world, client_for):
    client = client_for(world.account_manager)
    url = _url(world.acme_engagement)
    build_history(world)
    many_submissions(world, 5)
    few = _queries(client, url)
    many_submissions(world, 45)
    assert _queries(client, url) == few
    cache.clear()
