"""GET /api/v1/engagements/{id}/scorecard/ from the cache: the JSON rendered when the scorecard was
computed, served as stored (the same bytes), after the same access checks, and never once the
engagement has changed or the scorecard is no longer served."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engagements.activity import engagement_changed
from partnership.scorecard import CACHE_SECONDS

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock():
    cache.clear()
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
    cache.clear()


def _url(engagement) -> str:
    return reverse("engagement-scorecard", args=[engagement.pk])


def _read(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return response, len(queries)


def test_a_cached_scorecard_is_the_same_bytes_as_the_one_rendered_when_it_was_computed(pipeline, client_for):
    client = client_for(pipeline.world.account_manager)
    url = _url(pipeline.engagements["acme"])
    computed, computing_queries = _read(client, url)
    cached, cached_queries = _read(client, url)
    assert cached.content == computed.content
    assert cached["Content-Type"] == computed["Content-Type"] == "application/json"
    assert cached.json()["engagement"] == pipeline.engagements["acme"].pk
    assert cached_queries < computing_queries  # authentication and scoping only


def test_access_is_checked_before_the_cached_scorecard_is_served(pipeline, client_for):
    engagement = pipeline.engagements["acme"]
    assert client_for(pipeline.world.account_manager).get(_url(engagement)).status_code == 200  # now cached
    assert client_for(pipeline.world.hiring_manager).get(_url(engagement)).status_code == 403
    assert client_for(pipeline.world.globex_admin).get(_url(engagement)).status_code == 404
    assert client_for(pipeline.world.account_manager).get(_url(engagement), {"days": 7}).status_code == 400


def test_each_window_is_kept_apart(pipeline, client_for):
    client = client_for(pipeline.world.account_manager)
    url = _url(pipeline.engagements["acme"])
    assert client.get(url).json()["days"] == 30
    assert client.get(url, {"days": 90}).json()["days"] == 90
    assert client.get(url).json()["days"] == 30


def test_a_change_to_the_engagement_is_served_at_once(pipeline, client_for, clock, django_capture_on_commit_callbacks):
    client = client_for(pipeline.world.account_manager)
    url = _url(pipeline.engagements["acme"])
    first = client.get(url).json()
    clock.shift(timedelta(seconds=10))
    assert client.get(url).json() == first  # nothing changed: the stored one
    with django_capture_on_commit_callbacks(execute=True):
        engagement_changed(pipeline.engagements["acme"].pk)
    assert client.get(url).json()["ends_at"] != first["ends_at"]  # computed anew


def test_the_stored_json_is_not_served_after_the_scorecard_it_came_from(pipeline, client_for, clock):
    client = client_for(pipeline.world.account_manager)
    url = _url(pipeline.engagements["acme"])
    first = client.get(url).json()
    clock.shift(timedelta(seconds=CACHE_SECONDS * 2))  # past the scorecard's own time in the cache
    assert client.get(url).json()["ends_at"] != first["ends_at"]


def test_the_browsable_api_still_shows_the_scorecard(pipeline, client_for):
    client = client_for(pipeline.world.account_manager)
    url = _url(pipeline.engagements["acme"])
    client.get(url)  # cached as JSON
    page = client.get(url, HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert "feedback_on_time_share" in page.content.decode()
