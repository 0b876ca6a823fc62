"""Tables of the engagement page that can be wider than a phone sit in a region of their own that
scrolls sideways: labelled, reachable with the keyboard (tabindex), and styled with a visible cue in
portal.css (the browser test at 390 px checks what a person sees: tests/browser/
test_wide_tables_scroll_on_a_phone_in_browser.py)."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

REGION = re.compile(r'<div class="table-scroll" tabindex="0" role="region" aria-label="([^"]+), table">\s*$')


@pytest.fixture(autouse=True)
def _fresh_scorecards():
    cache.clear()
    yield
    cache.clear()


def _regions_of_each_table(page: str) -> dict[str, str | None]:
    """The class of each data table -> the label of the scrolling region right around it, or None."""
    found = {}
    for match in re.finditer(r'<table class="(data[^"]*)">', page):
        before = page[: match.start()].rstrip()
        region = REGION.search(before)
        found[match.group(1)] = region.group(1) if region else None
    return found


def test_weekly_trends_table_scrolls_inside_a_labelled_region(client, world):
    client.force_login(world.account_manager)
    page = client.get(reverse("partnership:engagement-detail", args=[world.acme_engagement.pk])).content.decode()

    regions = _regions_of_each_table(page)
    assert regions["data trend-table"] == "Weekly trends"
    assert regions["data coverage"] == "Requisitions and who covers them"
    assert None not in regions.values(), regions


def test_the_scorecard_swapped_by_htmx_keeps_its_scrolling_regions(client, world):
    client.force_login(world.client_admin)
    url = reverse("partnership:engagement-detail", args=[world.acme_engagement.pk]) + "?days=90&part=scorecard"
    page = client.get(url, headers={"HX-Request": "true"}).content.decode()

    regions = _regions_of_each_table(page)
    assert regions["data trend-table"] == "Weekly trends"
    assert None not in regions.values(), regions
