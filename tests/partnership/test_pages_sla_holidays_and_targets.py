"""The SLA page's public holidays (a country from the holidays library, optionally a region, and the
coming holidays the clock will skip) and the provider's targets, in a fieldset of their own."""

import html
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from engagements.models import Engagement

from .test_pages_sla import _form

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def _url(engagement) -> str:
    return reverse("partnership:engagement-sla", kwargs={"pk": engagement.pk})


def _page(response) -> str:
    return html.unescape(response.content.decode())


def _beside(page: str, name: str) -> str:
    """The field's box: from its label to the end of its field block."""
    start = page.index(f'for="id_{name}"')
    return page[start : page.index('<div class="field', start + 1)]


def _holidays(page: str) -> str:
    return page[
        page.index('id="coming-holidays-title"') : page.index("</section>", page.index('id="coming-holidays-title"'))
    ]


def test_without_a_country_the_page_says_no_holiday_is_skipped(client, world):
    client.force_login(world.account_manager)
    page = _page(client.get(_url(world.acme_engagement)))
    assert '<option value="" selected>No public holidays</option>' in page
    assert '<option value="DE">Germany (DE)</option>' in page
    assert '<option value="US">United States (US)</option>' in page
    assert "None: no country is set" in _holidays(page)
    legend = page.index("The provider's targets")
    for name in ("target_days_to_first_submission", "target_submissions_per_requisition",
                 "target_submission_to_interview_percent", "target_days_to_fill"):  # fmt: skip
        assert page.index(f'name="{name}"') > legend
    assert 'name="target_days_to_fill" value="45"' in page


def test_the_account_manager_picks_a_country_and_region_and_sees_the_holidays_to_come(client, world):
    client.force_login(world.account_manager)

    response = client.post(
        _url(world.acme_engagement),
        _form(world, time_zone="Europe/Berlin", country="DE", region="BY", business_weekdays=["1", "2", "3", "4", "5"]),
    )

    assert response.status_code == 303
    engagement = Engagement.objects.get(pk=world.acme_engagement.pk)
    assert (engagement.country, engagement.region) == ("DE", "BY")
    page = _page(client.get(_url(engagement)))
    assert '<option value="DE" selected>Germany (DE)</option>' in page
    assert 'name="region" id="id_region" value="BY"' in page
    assert '<option value="BY">' in page  # the suggestions: the regions of the country
    listed = _holidays(page)
    assert "Public holidays of Germany" in listed
    # Within 90 days of 1 December 2026, on business days (26 December is a Saturday).
    assert '<time datetime="2026-12-25">Fri 25 Dec 2026</time> · Christmas Day' in listed
    assert '<time datetime="2027-01-01">Fri 1 Jan 2027</time> · New Year\'s Day' in listed
    assert '<time datetime="2027-01-06">Wed 6 Jan 2027</time> · Epiphany' in listed
    assert "2026-12-26" not in listed


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"country": "ZZ"}, "country", "Pick a country from the list."),
        ({"country": "DE", "region": "CA"}, "region", "“CA” is not a region of DE. Known regions:"),
        ({"country": "", "region": "BY"}, "region", "Pick the country first: a region belongs to a country."),
        ({"target_days_to_fill": "0"}, "target_days_to_fill", "greater than or equal to 1"),
        ({"target_submissions_per_requisition": "many"}, "target_submissions_per_requisition", "Enter a number"),
    ],
)
def test_bad_codes_and_targets_are_refused_beside_the_field(client, world, overrides, field, message):
    client.force_login(world.account_manager)

    response = client.post(_url(world.acme_engagement), _form(world, **overrides))

    assert response.status_code == 400
    page = _page(response)
    assert message in _beside(page, field)
    engagement = Engagement.objects.get(pk=world.acme_engagement.pk)
    assert (engagement.country, engagement.region, engagement.target_days_to_fill) == ("", "", 45)
    assert "None: no country is set" in _holidays(page)  # what is stored, not what was sent


def test_the_targets_are_saved_and_an_empty_one_is_no_target(client, world):
    client.force_login(world.account_manager)
    targets = {
        "target_days_to_first_submission": "3",
        "target_submissions_per_requisition": "2.5",
        "target_submission_to_interview_percent": "35",
        "target_days_to_fill": "",
    }

    response = client.post(_url(world.acme_engagement), _form(world, **targets))

    assert response.status_code == 303
    engagement = Engagement.objects.get(pk=world.acme_engagement.pk)
    assert engagement.target_days_to_first_submission == 3
    assert engagement.target_submissions_per_requisition == Decimal("2.5")
    assert engagement.target_submission_to_interview_percent == 35
    assert engagement.target_days_to_fill is None


def test_a_form_from_an_older_page_keeps_the_country_and_targets(client, world):
    engagement = world.acme_engagement
    Engagement.objects.filter(pk=engagement.pk).update(country="US", region="NY", target_days_to_fill=60)
    client.force_login(world.account_manager)

    assert client.post(_url(engagement), _form(world)).status_code == 303

    engagement.refresh_from_db()
    assert (engagement.country, engagement.region, engagement.target_days_to_fill) == ("US", "NY", 60)
