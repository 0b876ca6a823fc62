"""The review pack asks the database the same number of questions however long the engagement's
history: 2 requisitions' worth or 12 (each with its submissions, requests, interviews, issues and
wins), for the page, the CSV and the PDF's HTML alike."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from . import review_kit
from .review_kit import NOW


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def _count(client, url) -> int:
    cache.clear()  # count the scorecards' own queries, not kept ones
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("quarter", ["2026-Q3", "2026-Q4"])
@pytest.mark.parametrize("name", ["engagement-review", "engagement-review-csv"])
def test_the_pack_asks_as_many_queries_for_a_long_history_as_for_a_short_one(client, world, quarter, name):
    review_kit.start_engagement(world)
    url = reverse(f"partnership:{name}", kwargs={"pk": world.acme_engagement.pk}) + f"?quarter={quarter}"
    client.force_login(world.account_manager)
    review_kit.fill(world, requisitions=2)
    client.get(url)  # warm the session and content-type caches

    few = _count(client, url)
    review_kit.fill(world, requisitions=10)
    many = _count(client, url)

    assert many == few
    assert few < 120  # four scorecards of about 16 queries each, and the rest


def test_a_complete_quarter_is_kept_so_the_download_after_the_page_costs_no_scorecard(client, world):
    review_kit.start_engagement(world)
    review_kit.fill(world, requisitions=2)
    client.force_login(world.account_manager)
    page = reverse("partnership:engagement-review", kwargs={"pk": world.acme_engagement.pk}) + "?quarter=2026-Q3"
    csv_url = reverse("partnership:engagement-review-csv", kwargs={"pk": world.acme_engagement.pk}) + "?quarter=2026-Q3"
    client.get(page)

    cold = _count(client, page)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(csv_url).status_code == 200

    assert len(queries.captured_queries) < cold - 4 * 10


def test_a_change_in_the_engagement_is_in_the_next_pack(client, world):
    from engagements.activity import engagement_changed
    from partnership.models import PartnershipItem

    review_kit.start_engagement(world)
    review_kit.fill(world, requisitions=1)
    client.force_login(world.account_manager)
    url = reverse("partnership:engagement-review-csv", kwargs={"pk": world.acme_engagement.pk}) + "?quarter=2026-Q3"
    before = client.get(url).content.decode()

    PartnershipItem.objects.filter(kind="win").delete()
    engagement_changed(world.acme_engagement.pk)
    after = client.get(url).content.decode()

    assert "Wins recorded,both,1," in before
    assert "Wins recorded,both,0," in after
